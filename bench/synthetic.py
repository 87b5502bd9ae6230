"""Synthetic catalogs in the contract format, for benchmarks and large-input tests.

    python bench/synthetic.py OUTDIR --years 2 --courses 300 --classes 10

writes ``OUTDIR/policy.yaml`` (the bundled one) and ``OUTDIR/<year>.yaml`` from 2009 on.
The output is deterministic (same arguments, same bytes) and valid: it passes
``ceportal check --strict`` (every elective is offered in a class, every class has a
location). About 480 bytes per course: 10,000 courses make a file of about 4.8 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import random
import shutil
import sys
from pathlib import Path

log = logging.getLogger(__name__)

POLICY = Path(__file__).resolve().parent.parent / "catalog" / "policy.yaml"
SPECIALTIES = [
    "mechanical",
    "electrical",
    "chemical",
    "forestry",
    "fishery",
    "agri_machinery",
    "textile_food",
    "metrology",
]
FORMS = ["training", "lecture", "seminar"]
TOPICS = [
    "数控加工",
    "低压电器",
    "精细化工",
    "森林资源",
    "渔政管理",
    "农业机械",
    "纺织品检测",
    "计量检定",
    "节能减排",
    "质量管理",
    "安全生产",
    "标准化",
    "自动控制",
    "新材料",
    "信息技术",
    "环境保护",
]
KINDS = ["新技术", "新标准解读", "发展趋势", "实务", "案例分析", "专题研讨"]
TEACHERS = [
    "温州市工业科学研究院",
    "浙江工业大学",
    "温州大学",
    "温州市质量技术监督检测院",
    "行业协会专家",
]
# Description sentences; a course gets several, which sets the file size.
SENTENCES = [
    "介绍本行业的发展趋势和国家新出台的有关政策法规及规范标准。",
    "结合温州企业的实际案例，讲解新概念、新技术的应用。",
    "讨论热门、热点课题，交流企业技术改造与创新的经验。",
    "内容包括原理讲解、现场演示和课堂练习，结业时进行考核。",
    "适合从事设计、生产、检验和管理工作的工程技术人员。",
]


def course_lines(rng: random.Random, index: int, module: str) -> list[str]:
    prefix = {"public": "G", "elective": "E", "other": "Q"}[module]
    lines = [
        f"  - code: {prefix}-{index:05d}",
        f"    title: {rng.choice(TOPICS)}{rng.choice(KINDS)}（第{index}讲）",
        f"    module: {module}",
        f"    hours: {rng.choice(['4', '8', '8', '16', '1.5', '2.5'])}",
    ]
    if module == "elective":
        lines.append(
            f"    specialties: [{', '.join(sorted(rng.sample(SPECIALTIES, rng.randint(1, 3))))}]"
        )
        lines.append(f"    form: {rng.choice(FORMS)}")
    lines.append(f"    teacher: {rng.choice(TEACHERS)}")
    lines.append("    description: " + "".join(rng.choice(SENTENCES) for _ in range(3)))
    return lines


def year_text(year: int, courses: int, classes: int, seed: int = 0) -> str:
    """The text of one valid year file with ``courses`` courses and ``classes`` classes."""
    rng = random.Random(f"{seed}-{year}")
    modules = [
        "public" if i % 10 == 0 else "other" if i % 25 == 1 else "elective" for i in range(courses)
    ]
    out = [
        "# yaml-language-server: $schema=./schema.json",
        f"year: {year}",
        f"title: {year}年度工程技术（一）系列继续教育课程目录（合成数据）",
        "publisher: 温州市工业科学研究院",
        "registration:",
        f"  opens: {year}-03-01",
        f"  closes: {year}-04-30",
        "notes: 本文件由 bench/synthetic.py 生成，全部为合成的示例数据。",
        "courses:" if courses else "courses: []",
    ]
    codes: list[tuple[str, str]] = []
    for i, module in enumerate(modules):
        lines = course_lines(rng, i, module)
        codes.append((lines[0].split(": ", 1)[1], module))
        out += lines
    electives = [c for c, m in codes if m == "elective"]
    if electives and not classes:
        raise ValueError("electives need at least one class to be offered in (--classes)")
    out.append("classes:" if classes else "classes: []")
    first = dt.date(year, 5, 1)
    for k in range(classes):
        start = first + dt.timedelta(days=(k * 200) // max(classes, 1))
        offered = electives[k::classes] + [c for c, m in codes if m == "public"][k : k + 1]
        out += [
            f"  - code: {year}-{k + 1}",
            f"    name: {year}年第{k + 1}期工程技术（一）系列继续教育培训班",
            f"    level: {'county' if k % 5 == 4 else 'city'}",
            *(
                [f"    county: {rng.choice(['瑞安市', '乐清市', '永嘉县', '平阳县'])}"]
                if k % 5 == 4
                else []
            ),
            "    organizer: 温州市工业科学研究院",
            f"    start: {start.isoformat()}",
            f"    end: {(start + dt.timedelta(days=2)).isoformat()}",
            f"    registration_closes: {year}-04-30",
            "    location: 温州市工业科学研究院培训中心",
            f"    capacity: {rng.choice([60, 80, 120, 150])}",
            f"    courses: [{', '.join(offered or [codes[0][0]])}]"
            if codes
            else "    courses: [G-00000]",
        ]
    return "\n".join(out) + "\n"


def write_catalog(
    outdir: str | Path, *, years: int = 1, courses: int = 30, classes: int = 3, seed: int = 0
) -> list[Path]:
    """Write ``policy.yaml`` and ``years`` year files (2009 on) into ``outdir``; the files."""
    target = Path(outdir)
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(POLICY, target / "policy.yaml")
    written = [target / "policy.yaml"]
    for year in range(2009, 2009 + years):
        path = target / f"{year}.yaml"
        path.write_text(year_text(year, courses, classes, seed), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成合成的年度目录（用于性能测试）")
    parser.add_argument("outdir", metavar="OUTDIR")
    parser.add_argument("--years", type=int, default=1, help="年度数（从2009年起）")
    parser.add_argument("--courses", type=int, default=30, help="每年的课程数")
    parser.add_argument("--classes", type=int, default=3, help="每年的办班数")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    for path in write_catalog(
        args.outdir, years=args.years, courses=args.courses, classes=args.classes, seed=args.seed
    ):
        print(f"{path}  {path.stat().st_size} 字节")
    return 0


if __name__ == "__main__":
    sys.exit(main())
