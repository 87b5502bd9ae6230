"""``check`` is the build's gate (issue 19, item 4): whatever would make the build fail or
publish something wrong is a check error at its line, with the exact message; and
(property) every catalog that check accepts builds."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator.catalog.format.scalars import RESERVED_CODES
from generator.catalog.writing import double_quoted
from generator.cli import main

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "catalog"
NEXT = dt.date.today().year + 1
RESERVED = "、".join(RESERVED_CODES)  # changes、specialty


def _year_file(title: str = "测试目录 2011", code: str = "G-01", hours: str = "8",
               extra: str = "", year: str = "2011", capacity: str = "30") -> str:
    return (
        f"year: {year}\n"                                  # line 1
        f"title: {title}\n"                                # line 2
        "courses:\n"                                       # line 3
        f"  - code: {code}\n"                              # line 4
        "    title: 课程\n"                                 # line 5
        "    module: public\n"                             # line 6
        f"    hours: {hours}\n"                            # line 7
        f"{extra}"
        "classes:\n"
        "  - code: C-1\n"
        "    name: 第一期\n"
        "    start: 2011-05-11\n"
        "    end: 2011-05-12\n"
        "    location: 温州\n"
        f"    capacity: {capacity}\n"
        f"    courses: [{code}]\n"
    )


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    folder = tmp_path / "catalog"
    shutil.copytree(GOLDEN, folder)
    return folder


@pytest.fixture
def check(catalog: Path, capsys: pytest.CaptureFixture[str],
          monkeypatch: pytest.MonkeyPatch) -> Callable[[], tuple[int, list[str]]]:
    monkeypatch.chdir(catalog.parent)

    def run() -> tuple[int, list[str]]:
        before = {p.name: p.read_bytes() for p in catalog.iterdir()}
        code = main(["check", "--catalog", "catalog"])
        assert {p.name: p.read_bytes() for p in catalog.iterdir()} == before  # check writes nothing
        return code, capsys.readouterr().out.splitlines()

    return run


@pytest.mark.parametrize(
    ("kwargs", "line"),
    [
        ({"title": '"\\x01标题"'},
         "catalog/2011.yaml:2:8: error: title: 目录标题中有控制字符 U+0001（直接写入或写成 "
         "\\x01 之类的转义都不行）：请删除它"),
        ({"title": '"\\e[31m红色"'},
         "catalog/2011.yaml:2:8: error: title: 目录标题中有控制字符 U+001B（直接写入或写成 "
         "\\x1b 之类的转义都不行）：请删除它"),
        ({"title": '"\\x85\\x9f"'},
         "catalog/2011.yaml:2:8: error: title: 目录标题中有控制字符 U+009F（直接写入或写成 "
         "\\x9f 之类的转义都不行）：请删除它"),
        ({"title": '"\\uffff"'},
         "catalog/2011.yaml:2:8: error: title: 目录标题中有无效字符 U+FFFF：请删除它"),
        ({"title": "长" * 501},
         "catalog/2011.yaml:2:8: error: title: 目录标题太长（501 个字符）：不超过 500 个字符"),
        ({"code": "A" * 41},
         "catalog/2011.yaml:4:11: error: courses[0].code: 代码太长（41 个字符）：不超过 40 个字符"),
        ({"code": "changes"},
         "catalog/2011.yaml:4:11: error: courses[0].code: 课程代码“changes”是网站保留的网址名称"
         f"（{RESERVED}，不区分大小写），请改用其他代码"),
        ({"code": "Changes"},
         "catalog/2011.yaml:4:11: error: courses[0].code: 课程代码“Changes”是网站保留的网址名称"
         f"（{RESERVED}，不区分大小写），请改用其他代码"),
        ({"code": "SPECIALTY"},
         "catalog/2011.yaml:4:11: error: courses[0].code: 课程代码“SPECIALTY”是网站保留的网址名称"
         f"（{RESERVED}，不区分大小写），请改用其他代码"),
        ({"hours": "８"},
         "catalog/2011.yaml:7:12: error: courses[0].hours: 学时必须是大于0的数字，收到“８”："
         "请改用半角数字，写作 8"),
        ({"hours": "１．５"},
         "catalog/2011.yaml:7:12: error: courses[0].hours: 学时必须是大于0的数字，收到“１．５”："
         "请改用半角数字，写作 1.5"),
        ({"capacity": "１５０"},
         "catalog/2011.yaml:14:15: error: classes[0].capacity: 名额必须是大于0的整数，收到“１５０”："
         "请改用半角数字，写作 150"),
        ({"year": "２０１１"},
         "catalog/2011.yaml:1:7: error: year: 年度必须是四位数字，如 2009，收到“２０１１”："
         "请改用半角数字，写作 2011"),
        ({"extra": "  - code: q-11\n    title: 甲\n    module: public\n    hours: 1\n"
                   "  - code: Q-11\n    title: 乙\n    module: public\n    hours: 1\n"},
         "catalog/2011.yaml:12:11: error: courses[2].code: 课程代码“Q-11”与第8行的“q-11”只有大小写"
         "不同：在不区分大小写的文件系统（Windows、macOS）上网页会互相覆盖，请改用不同的代码"),
    ],
)
def test_check_refuses_at_the_line(
    catalog: Path, check: Callable[[], tuple[int, list[str]]], kwargs: dict[str, str], line: str
) -> None:
    (catalog / "2011.yaml").write_text(_year_file(**kwargs), encoding="utf-8")
    code, out = check()
    assert code == 1
    assert line in out, out
    assert out[-1].startswith("检查未通过：")


def test_the_base_year_file_passes(catalog: Path, check: Callable[[], tuple[int, list[str]]]) -> None:
    (catalog / "2011.yaml").write_text(_year_file(), encoding="utf-8")
    code, out = check()
    assert code == 0, out


def test_full_width_year_file_name(catalog: Path, check: Callable[[], tuple[int, list[str]]]) -> None:
    shutil.copy(catalog / "2010.yaml", catalog / "２０１０.yaml")
    code, out = check()
    assert code == 1
    assert out[1] == ("catalog/２０１０.yaml:1:1: error: ２０１０.yaml: 文件名中的年份不是半角数字："
                      "请改名为 2010.yaml")


@pytest.mark.parametrize("year", ["0000", "2008", "9999", str(NEXT + 1)])
def test_year_out_of_range(
    catalog: Path, check: Callable[[], tuple[int, list[str]]], year: str
) -> None:
    (catalog / f"{year}.yaml").write_text(_year_file(year=year), encoding="utf-8")
    code, out = check()
    assert code == 1
    assert (f"catalog/{year}.yaml:1:1: error: {year}.yaml: 年度 {year} 超出范围："
                      f"年度目录应在 2009 到 {NEXT} 年之间") in out


def test_next_year_is_accepted(catalog: Path, check: Callable[[], tuple[int, list[str]]]) -> None:
    (catalog / f"{NEXT}.yaml").write_text(_year_file(year=str(NEXT)), encoding="utf-8")
    code, out = check()
    assert code == 0, out


# --- the property ------------------------------------------------------------------

# Values that check may accept or refuse (mostly accepted, so that many catalogs get
# built); when it accepts, the build must succeed.
def _mostly(good: st.SearchStrategy[str], bad: list[str]) -> st.SearchStrategy[str]:
    """``good`` eleven times in twelve, else one of ``bad``."""
    return st.integers(0, 11).flatmap(lambda i: st.sampled_from(bad) if i == 0 else good)


_TEXTS = _mostly(
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30),
    ["=1+1", "@SUM(1,1)", "\x1b[31m", "\x01", "长" * 600, "-x", "</script>", "{{ x }}",
     "\u2028", "\x85", "\ufeff", "١٢", "x\ty", "a\nb", " "],
)
_CODES = _mostly(
    st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,11}", fullmatch=True),
    ["changes", "CHANGES", "Specialty", "A" * 41, "a" * 40, "G-01", "g-01", "２", "0", "-"],
)
_NUMBERS = _mostly(st.integers(1, 200).map(str), ["8", "1.5", "８", "0", "10001", "1e3", "-1"])
_YEARS = _mostly(st.sampled_from(["2011", "2012", str(NEXT)]), ["２０１２", "0000", "9999"])


@st.composite
def _catalogs(draw: st.DrawFn) -> list[tuple[str, str]]:
    files = []
    for year in draw(st.lists(_YEARS, min_size=1, max_size=2, unique=True)):
        courses = []
        codes = draw(st.lists(_CODES, min_size=1, max_size=3))
        for code in codes:
            courses.append(
                f"  - code: {double_quoted(code)}\n    title: {double_quoted(draw(_TEXTS))}\n"
                f"    module: public\n    hours: {draw(_NUMBERS)}\n"  # plain: a quoted number is text
                f"    description: {double_quoted(draw(_TEXTS))}\n"
            )
        files.append((f"{year}.yaml", (
            f"year: {year}\ntitle: {double_quoted(draw(_TEXTS))}\ncourses:\n{''.join(courses)}"
            f"classes:\n  - code: {double_quoted(draw(_CODES))}\n    name: {double_quoted(draw(_TEXTS))}\n"
            f"    start: 2011-05-11\n    end: 2011-05-12\n    location: 温州\n"
            f"    capacity: {draw(_NUMBERS)}\n    courses: [{double_quoted(codes[0])}]\n"
        )))
    return files


@pytest.mark.build
def test_every_catalog_check_accepts_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1238544000")
    accepted: list[int] = []

    @settings(max_examples=20, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow])
    @given(files=_catalogs())
    def accepted_catalogs_build(files: list[tuple[str, str]]) -> None:
        folder = Path(tempfile.mkdtemp(dir=tmp_path)) / "catalog"  # examples share tmp_path
        shutil.copytree(GOLDEN, folder)
        for name, text in files:
            (folder / name).write_text(text, encoding="utf-8")
        if main(["check", "--catalog", str(folder)]) != 0:
            capsys.readouterr()
            event("refused by check")
            return
        event("accepted by check, then built")
        accepted.append(1)
        site = folder.parent / (folder.name + "-site")
        code = main(["build", "--catalog", str(folder), "--site-dir", str(site),
                     "--config", str(ROOT / "mkdocs.yml")])
        assert code == 0, capsys.readouterr().err
        capsys.readouterr()

    accepted_catalogs_build()
    # Not vacuous: some of the generated catalogs passed check and were built.
    assert len(accepted) >= 3
