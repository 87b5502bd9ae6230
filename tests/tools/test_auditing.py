"""``ceportal audit``: batch results equal single ``ceportal hours`` checks; errors per applicant."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from generator.audit.evaluation import REPORT_COLUMNS, AuditError, audit_file, read_table
from generator.rules import evaluate

ZH = ["编号", "姓名", "类型", "拟申报", "现职称", "年度", "周期起始", "学时年度", "类别", "学时"]
EN = [
    "id",
    "name",
    "kind",
    "target",
    "title",
    "year",
    "cycle_start",
    "record_year",
    "module",
    "hours",
]

# (id, name, request): the applicants of the comparison, as the rules take them.
APPLICANTS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "A01",
        "张三",
        {
            "kind": "promotion",
            "target": "engineer",
            "year": 2011,
            "records": [
                {"year": 2009, "module": "public", "hours": 8},
                {"year": 2010, "module": "elective", "hours": 40},
                {"year": 2011, "module": "public", "hours": 16},
                {"year": 2011, "module": "other", "hours": 32},
            ],
        },
    ),
    (
        "A02",
        "李四",
        {
            "kind": "promotion",
            "target": "senior_engineer",
            "year": 2015,
            "records": [
                {"year": 2010, "module": "public", "hours": 32},  # outside 2011—2015
                {"year": 2012, "module": "elective", "hours": 100.5},
                {"year": 2014, "module": "public", "hours": 24},
            ],
        },
    ),
    (
        "A03",
        "王五",
        {
            "kind": "cycle",
            "title": "technician",
            "cycle_start": 2010,
            "year": 2011,
            "records": [
                {"year": 2010, "module": "public", "hours": 16},
                {"year": 2011, "module": "elective", "hours": 48},
                {"year": 2012, "module": "elective", "hours": 8},  # after the as-of year
            ],
        },
    ),
    ("A04", "赵六", {"kind": "promotion", "target": "junior_first", "year": 2009, "records": []}),
    (
        "A05",
        "钱七",
        {
            "kind": "cycle",
            "title": "senior_engineer",
            "cycle_start": 2009,
            "year": 2013,
            "records": [{"year": 2013, "module": "public", "hours": 2.5}],
        },
    ),
    (
        "A06",
        "孙八",
        {
            "kind": "promotion",
            "target": "assistant_engineer",
            "year": 2010,
            "records": [
                {"year": 2009, "module": "public", "hours": 16},
                {"year": 2010, "module": "elective", "hours": 48},
            ],
        },
    ),
]


def _names(policy: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {
        "kind": {"promotion": "申报晋升", "cycle": "周期验审"},
        "target": {k: v["name"] for k, v in policy["promotion"]["targets"].items()},
        "title": {k: v["name"] for k, v in policy["titles"].items()},
        "module": {k: v["name"] for k, v in policy["modules"].items()},
    }


def _rows(policy: dict[str, Any], chinese: bool = True) -> list[list[Any]]:
    """The applicants as input rows: Chinese names (or ids), one row per record."""
    names = _names(policy)

    def show(what: str, value: str) -> str:
        return names[what][value] if chinese else value

    rows: list[list[Any]] = []
    for aid, name, req in APPLICANTS:
        head = [
            aid,
            name,
            show("kind", req["kind"]),
            show("target", req["target"]) if "target" in req else "",
            show("title", req["title"]) if "title" in req else "",
            req["year"],
            req.get("cycle_start", ""),
        ]
        if not req["records"]:
            rows.append([*head, "", "", ""])
        for i, rec in enumerate(req["records"]):
            # Later rows of an applicant may leave the applicant columns blank.
            first = head if i == 0 else [aid, "", "", "", "", "", ""]
            rows.append([*first, rec["year"], show("module", rec["module"]), rec["hours"]])
    return rows


def _write_csv(
    path: Path, header: list[str], rows: list[list[Any]], encoding: str = "utf-8"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _write_xlsx(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append([None if v == "" else v for v in row])
    book.save(path)
    return path


def _read_report_csv(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "the CSV report starts with a BOM for Excel"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _read_report_xlsx(path: Path) -> list[dict[str, Any]]:
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["核查结果", "学时明细", "汇总"]
    sheet = book["核查结果"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("继续教育学时核查结果")  # the title line, then the header
    assert list(rows[1]) == list(REPORT_COLUMNS)
    return [dict(zip(REPORT_COLUMNS, row, strict=True)) for row in rows[2:]]


def _window(policy: dict[str, Any], request: dict[str, Any], r: dict[str, Any]) -> str:
    return f"{r['window']['from']}—{min(r['window']['to'], request['year'])}年"


def _program(policy: dict[str, Any], request: dict[str, Any]) -> str:
    if request["kind"] == "promotion":
        return policy["promotion"]["targets"][request["target"]]["name"]
    title = policy["titles"][request["title"]]["name"]
    return f"{title}周期验审（{request['cycle_start']}年起）"


def _fmt(value: Any) -> str:
    return str(value)


def test_report_equals_ceportal_hours_for_each_applicant(
    tmp_path: Path, policy: dict[str, Any], ceportal: Callable[..., Any]
) -> None:
    src = _write_csv(tmp_path / "in.csv", ZH, _rows(policy))
    run = ceportal("audit", str(src), "-o", str(tmp_path / "report.csv"))
    assert run.code == 0
    assert run.err == (
        "ceportal audit: 共核算 6 人：达标 3 人，未达标 3 人，出错 0 人（UTF-8 编码，第1行为表头）\n"
    )
    report = _read_report_csv(tmp_path / "report.csv")
    assert [r["编号"] for r in report] == [a[0] for a in APPLICANTS]
    for (aid, name, request), row in zip(APPLICANTS, report, strict=True):
        req_file = tmp_path / f"{aid}.json"
        req_file.write_text(json.dumps(request, ensure_ascii=False), encoding="utf-8")
        single = ceportal("hours", str(req_file))
        assert single.code == 0
        expected = json.loads(single.out)
        assert row == {
            "编号": aid,
            "姓名": name,
            "拟申报/周期": _program(policy, request),
            "年度": _fmt(request["year"]),
            "结论": "达标" if expected["met"] else "未达标",
            "应修总学时": _fmt(expected["required"]["total"]),
            "应修公需学时": _fmt(expected["required"]["public"]),
            "已计总学时": _fmt(expected["counted"]["total"]),
            "已计公需学时": _fmt(expected["counted"]["public"]),
            "总学时差额": _fmt(expected["shortfall"]["total"]),
            "公需学时差额": _fmt(expected["shortfall"]["public"]),
            "计算窗口": _window(policy, request, expected),
            "依据": expected["basis"],
            "推定": "；".join([*(a["text"] for a in expected["assumptions"]),
                              *(x["text"] for x in expected.get("readings", ()))]),
            "提示": "；".join(w["text"] for w in expected["warnings"]),
            "错误": "",
        }


def test_figures_of_known_applicants(tmp_path: Path, policy: dict[str, Any]) -> None:
    # Worked by hand from the notice: A01 applies for engineer in 2011 → 96 (24) required;
    # 8 + 40 + 16 + 32 = 96 counted, of which public 24. A02's 2010 hours fall outside
    # 2011—2015. A03's 2012 hours come after the as-of year 2011.
    results = audit_file(policy, _write_csv(tmp_path / "in.csv", ZH, _rows(policy)))
    figures = {
        r.id: (r.response["met"], r.response["counted"], r.response["shortfall"])
        for r in results
        if r.response
    }
    assert figures["A01"] == (True, {"total": 96, "public": 24}, {"total": 0, "public": 0})
    assert figures["A02"] == (False, {"total": 124.5, "public": 24}, {"total": 75.5, "public": 8})
    assert figures["A03"] == (True, {"total": 64, "public": 16}, {"total": 0, "public": 0})
    assert figures["A04"] == (False, {"total": 0, "public": 0}, {"total": 16, "public": 0})
    assert [r.request for r in results] == [a[2] for a in APPLICANTS]


def test_english_headers_and_ids_give_the_same_report(
    tmp_path: Path, policy: dict[str, Any], ceportal: Callable[..., Any]
) -> None:
    zh = _write_csv(tmp_path / "zh.csv", ZH, _rows(policy, chinese=True))
    en = _write_csv(tmp_path / "en.csv", EN, _rows(policy, chinese=False))
    assert ceportal("audit", str(zh), "-o", str(tmp_path / "zh-report.csv")).code == 0
    assert ceportal("audit", str(en), "-o", str(tmp_path / "en-report.csv")).code == 0
    assert (tmp_path / "zh-report.csv").read_bytes() == (tmp_path / "en-report.csv").read_bytes()


def test_xlsx_input_and_xlsx_report(
    tmp_path: Path, policy: dict[str, Any], ceportal: Callable[..., Any]
) -> None:
    src = _write_xlsx(tmp_path / "in.xlsx", ZH, _rows(policy))
    assert ceportal("audit", str(src), "-o", str(tmp_path / "report.xlsx")).code == 0
    report = _read_report_xlsx(tmp_path / "report.xlsx")
    for (aid, name, request), row in zip(APPLICANTS, report, strict=True):
        r = evaluate(policy, request)
        # Numbers stay numbers in the workbook, so reviewers can sum and sort them.
        assert row == {
            "编号": aid,
            "姓名": name,
            "拟申报/周期": _program(policy, request),
            "年度": request["year"],
            "结论": "达标" if r["met"] else "未达标",
            "应修总学时": r["required"]["total"],
            "应修公需学时": r["required"]["public"],
            "已计总学时": r["counted"]["total"],
            "已计公需学时": r["counted"]["public"],
            "总学时差额": r["shortfall"]["total"],
            "公需学时差额": r["shortfall"]["public"],
            "计算窗口": _window(policy, request, r),
            "依据": r["basis"],
            "推定": "；".join([*(a["text"] for a in r["assumptions"]),
                              *(x["text"] for x in r.get("readings", ()))]) or None,
            "提示": "；".join(w["text"] for w in r["warnings"]) or None,
            "错误": None,
        }


def test_xlsx_input_gives_the_same_csv_as_csv_input(
    tmp_path: Path, policy: dict[str, Any], ceportal: Callable[..., Any]
) -> None:
    from_csv = ceportal("audit", str(_write_csv(tmp_path / "a.csv", ZH, _rows(policy))))
    from_xlsx = ceportal("audit", str(_write_xlsx(tmp_path / "a.xlsx", ZH, _rows(policy))))
    assert from_csv.code == from_xlsx.code == 0
    assert from_csv.out == from_xlsx.out
    # Standard output: plain UTF-8 CSV without BOM, header first.
    assert from_csv.out.startswith(",".join(REPORT_COLUMNS) + "\r\n")


MIXED = [
    ["B01", "有效甲", "申报晋升", "工程师", "", "2011", "", "2011", "公共必修课", "24"],
    ["B02", "学时有误", "申报晋升", "工程师", "", "2011", "", "2011", "公共必修课", "十六"],
    ["B03", "年度太早", "申报晋升", "工程师", "", "2008", "", "", "", ""],
    ["B04", "未知职称", "周期验审", "", "总工", "2012", "2009", "2010", "专业选修课", "8"],
    ["B05", "有效乙", "周期验审", "", "技术员", "2010", "2009", "2009", "public", "64"],
    ["B06", "负学时", "申报晋升", "技术员晋升助理工程师", "", "2010", "", "2010", "其他形式", "-4"],
    ["B07", "缺类别", "申报晋升", "assistant_engineer", "", "2010", "", "2010", "", "8"],
    ["B08", "验审早于起始", "周期验审", "", "工程师", "2010", "2011", "", "", ""],
    ["B09", "不一致", "申报晋升", "工程师", "", "2011", "", "2011", "公共必修课", "8"],
    ["B09", "", "周期验审", "", "", "", "", "2011", "公共必修课", "8"],
    ["", "无编号", "申报晋升", "工程师", "", "2011", "", "2011", "公共必修课", "8"],
    ["B10", "缺拟申报", "申报晋升", "", "", "2011", "", "", "", ""],
]


def test_mixed_valid_and_invalid_applicants(
    tmp_path: Path, policy: dict[str, Any], ceportal: Callable[..., Any]
) -> None:
    src = _write_csv(tmp_path / "mixed.csv", ZH, MIXED)
    run = ceportal("audit", str(src), "-o", str(tmp_path / "report.csv"))
    assert run.code == 1
    assert run.err == (
        "ceportal audit: 共核算 11 人：达标 1 人，未达标 1 人，出错 9 人（UTF-8 编码，第1行为表头）\n"
    )
    report = _read_report_csv(tmp_path / "report.csv")
    assert [(r["编号"], r["姓名"], r["结论"], r["错误"]) for r in report] == [
        ("B01", "有效甲", "未达标", ""),
        ("B02", "学时有误", "出错", "第3行 学时：学时必须是大于0的数字，收到“十六”"),
        (
            "B03",
            "年度太早",
            "出错",
            "第4行 年度：年度不能早于2009年（继续教育自2009年开始），收到 2008",
        ),
        (
            "B04",
            "未知职称",
            "出错",
            "第5行 现职称：不认识“总工”，应为 高级工程师（senior_engineer）、工程师（engineer）、"
            "助理工程师（assistant_engineer）、技术员（technician） 之一",
        ),
        ("B05", "有效乙", "达标", ""),
        ("B06", "负学时", "出错", "第7行 学时：学时必须是大于0的数字，收到 -4"),
        (
            "B07",
            "缺类别",
            "出错",
            "第8行 类别：不能为空（一行学时记录要填写学时年度、类别和学时）",
        ),
        ("B08", "验审早于起始", "出错", "第9行 年度：验审年度（2010）不能早于周期起始年度（2011）"),
        (
            "B09",
            "不一致",
            "出错",
            "第11行 类型：与第10行的“申报晋升”不一致（同一编号的各行应为同一申报人）",
        ),
        ("", "无编号", "出错", "第12行 编号：编号不能为空"),
        ("B10", "缺拟申报", "出错", "第13行 拟申报：申报晋升须填写拟申报的职称"),
    ]
    valid = report[0]
    assert (valid["应修总学时"], valid["已计总学时"], valid["公需学时差额"]) == ("96", "24", "0")
    assert [r["应修总学时"] for r in report if r["错误"]] == [""] * 9


def test_errors_name_the_columns_as_written(tmp_path: Path, policy: dict[str, Any]) -> None:
    rows = [["C01", "甲", "promotion", "engineer", "", "2011", "", "二〇一一", "public", "8"]]
    (result,) = audit_file(policy, _write_csv(tmp_path / "en.csv", EN, rows))
    assert result.error == "第2行 record_year：年度必须是整数（如 2009），收到“二〇一一”"


def test_several_problems_of_one_applicant_are_all_reported(
    tmp_path: Path, policy: dict[str, Any]
) -> None:
    rows = [
        ["D01", "甲", "申报晋升", "总工程师", "", "2011", "", "2011", "选修", "8"],
        ["D01", "", "", "", "", "", "", "2010", "公共必修课", "0x10"],
    ]
    (result,) = audit_file(policy, _write_csv(tmp_path / "d.csv", ZH, rows))
    assert result.error == (
        "第2行 拟申报：不认识“总工程师”，应为 初次申报初级职称（技术员、助理工程师）（junior_first）、"
        "技术员晋升助理工程师（assistant_engineer）、助理工程师晋升工程师（engineer）、"
        "工程师晋升高级工程师及以上（senior_engineer） 之一；"
        "第2行 类别：不认识“选修”，应为 公共必修课（public）、专业选修课（elective）、其他形式（other） 之一；"
        "第3行 学时：学时必须是大于0的数字，收到“0x10”"
    )


def test_title_name_accepted_for_the_senior_target(tmp_path: Path, policy: dict[str, Any]) -> None:
    rows = [["E01", "甲", "申报晋升", "高级工程师", "", "2013", "", "", "", ""]]
    (result,) = audit_file(policy, _write_csv(tmp_path / "e.csv", ZH, rows))
    assert result.request == {
        "kind": "promotion",
        "target": "senior_engineer",
        "year": 2013,
        "records": [],
    }


def test_bom_and_no_bom_read_alike(tmp_path: Path, policy: dict[str, Any]) -> None:
    rows = _rows(policy)
    plain = read_table(_write_csv(tmp_path / "plain.csv", ZH, rows, "utf-8"))
    bom = read_table(_write_csv(tmp_path / "bom.csv", ZH, rows, "utf-8-sig"))
    assert plain.headers == bom.headers == ZH
    assert list(plain.rows) == list(bom.rows)


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_gbk_csv_is_read_and_named(
    tmp_path: Path, policy: dict[str, Any], ceportal: Callable[..., Any], encoding: str
) -> None:
    # Chinese Excel's and WPS's "CSV（逗号分隔）" is GBK; GB18030 when a name needs it (𠀀).
    rows = _rows(policy)
    if encoding == "gb18030":
        rows[0][1] = "张𠀀"
    utf8 = _write_csv(tmp_path / "utf8.csv", ZH, rows)
    src = _write_csv(tmp_path / "gbk.csv", ZH, rows, encoding)
    run = ceportal("audit", str(src), "-o", str(tmp_path / "report.csv"))
    assert run.code == 0
    name = {"gbk": "GBK", "gb18030": "GB18030"}[encoding]
    assert run.err == (
        f"ceportal audit: 共核算 6 人：达标 3 人，未达标 3 人，出错 0 人（{name} 编码，第1行为表头）\n"
    )
    assert ceportal("audit", str(utf8), "-o", str(tmp_path / "utf8-report.csv")).code == 0
    assert (tmp_path / "report.csv").read_bytes() == (tmp_path / "utf8-report.csv").read_bytes()


@pytest.mark.parametrize(
    ("data", "gbk"),
    [
        # A UTF-8 table with one name pasted from a GBK file: the same guess as a catalog's.
        ("编号,姓名\n1,".encode() + "张三".encode("gbk") + b"\n", True),
        (b"id,name\n1,\xff\xfe\xff\n", False),
    ],
)
def test_a_gbk_line_in_a_utf8_table_is_named_too(tmp_path: Path, data: bytes, gbk: bool) -> None:
    src = tmp_path / "mixed.csv"
    src.write_bytes(data)
    with pytest.raises(AuditError) as caught:
        read_table(src)
    assert ("看起来混有 GBK 编码的行" in str(caught.value)) is gbk


def test_missing_columns_are_named(tmp_path: Path, policy: dict[str, Any]) -> None:
    src = _write_csv(
        tmp_path / "few.csv", ["编号", "姓名", "年度", "学时"], [["1", "甲", "2011", "8"]]
    )
    with pytest.raises(AuditError) as caught:
        audit_file(policy, src)
    assert str(caught.value) == (
        f"{src}：第1行的表头缺少列：类型、学时年度、类别。表头应包括 编号、姓名、类型、拟申报、现职称、年度、"
        "周期起始、学时年度、类别、学时（或英文 id, name, kind, target, title, year, cycle_start, "
        "record_year, module, hours）"
    )


def test_unsupported_report_extension(
    tmp_path: Path, policy: dict[str, Any], ceportal: Callable[..., Any]
) -> None:
    src = _write_csv(tmp_path / "in.csv", ZH, _rows(policy))
    run = ceportal("audit", str(src), "-o", str(tmp_path / "report.txt"))
    assert run.code == 2
    assert run.err == f"ceportal audit: {tmp_path / 'report.txt'}：报告只能是 .csv 或 .xlsx 文件\n"
    assert list(tmp_path.iterdir()) == [src]
