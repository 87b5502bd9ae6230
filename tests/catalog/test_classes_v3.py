"""Format v3's class fields (sessions, status, status_note, note) and a year's draft flag:
the checker's messages at their places, and the model, the YAML writer and the Excel
round trip keeping them (DESIGN.md, "Catalog files")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema

from generator.catalog.loading import load_yaml
from generator.catalog.model import Period
from generator.catalog.schema import year_schema
from generator.catalog.spreadsheets import catalog_workbook, read_workbook
from generator.catalog.validating import check_year_text, load_year_text
from generator.catalog.writing import year_to_yaml

from .conftest import BASE, SOURCE, replaced
from .yaml12 import as_vscode_reads

# The class of BASE meets on two weekends, is full and has a note (lines 19-24 added).
TWO_SESSIONS = replaced(
    "    end: 2009-05-23\n",
    "    end: 2009-05-31\n"
    "    sessions:\n"
    "      - {start: 2009-05-21, end: 2009-05-23}\n"
    "      - {start: 2009-05-30, end: 2009-05-31}\n"
    "    status: full\n"
    "    status_note: 名额已满，可报下一期\n"
    "    note: 请自带计算器\n",
)


def test_sessions_status_and_note_reach_the_model(policy: dict[str, Any]) -> None:
    year, problems = check_year_text(TWO_SESSIONS, policy, source=SOURCE)
    assert problems == []
    assert year is not None
    klass = year.classes[0]
    assert klass.sessions == (
        Period(dt.date(2009, 5, 21), dt.date(2009, 5, 23)),
        Period(dt.date(2009, 5, 30), dt.date(2009, 5, 31)),
    )
    assert (klass.status, klass.status_note, klass.note) == (
        "full",
        "名额已满，可报下一期",
        "请自带计算器",
    )
    assert not klass.takes_registrations


def test_a_class_without_sessions_is_open_and_meets_once(policy: dict[str, Any]) -> None:
    year, _ = check_year_text(BASE, policy, source=SOURCE)
    assert year is not None
    klass = year.classes[0]
    assert klass.status == "open" and klass.takes_registrations
    assert klass.periods == (Period(dt.date(2009, 5, 21), dt.date(2009, 5, 23)),)
    assert year.draft is False


def test_session_errors_name_the_session_and_its_place(check: Callable[..., list[str]]) -> None:
    text = replaced(
        "      - {start: 2009-05-30, end: 2009-05-31}\n",
        "      - {start: 2009-05-22, end: 2009-06-02}\n",
        TWO_SESSIONS,
    )
    assert check(text) == [
        "catalog/2009.yaml:21:17: error: classes[0].sessions[1].start: 第2段上课时段（2009-05-22 起）与第1段（2009-05-21—"
        "2009-05-23）重叠：各段须按时间先后排列、互不重叠",
        "catalog/2009.yaml:21:34: error: classes[0].sessions[1].end: 第2段上课时段到 2009-06-02 结束，晚于结束日期 2009-05-31",
    ]
    reversed_ = replaced(
        "      - {start: 2009-05-30, end: 2009-05-31}\n",
        "      - {start: 2009-05-19, end: 2009-05-20}\n",
        TWO_SESSIONS,
    )
    assert check(reversed_) == [
        "catalog/2009.yaml:21:17: error: classes[0].sessions[1].start: 第2段上课时段从 2009-05-19 开始，早于开班日期 2009-05-21",
        "catalog/2009.yaml:21:17: error: classes[0].sessions[1].start: 第2段上课时段（2009-05-19 起）与第1段（2009-05-21—"
        "2009-05-23）顺序颠倒：各段须按时间先后排列、互不重叠",
    ]
    backwards = replaced(
        "{start: 2009-05-30, end: 2009-05-31}", "{start: 2009-05-30, end: 2009-05-29}", TWO_SESSIONS
    )
    assert check(backwards) == [
        "catalog/2009.yaml:21:34: error: classes[0].sessions[1].end: 第2段上课时段的结束日期 2009-05-29 早于它的开始日期 2009-05-30",
    ]
    empty = replaced(
        "    sessions:\n      - {start: 2009-05-21, end: 2009-05-23}\n"
        "      - {start: 2009-05-30, end: 2009-05-31}\n",
        "    sessions: []\n",
        TWO_SESSIONS,
    )
    assert check(empty) == [
        "catalog/2009.yaml:19:15: error: classes[0].sessions: 至少要列出一段上课时段；只上一段课时请删除 sessions",
    ]
    missing = replaced("{start: 2009-05-30, end: 2009-05-31}", "{start: 2009-05-30}", TWO_SESSIONS)
    assert check(missing) == [
        "catalog/2009.yaml:21:9: error: classes[0].sessions[1].end: 缺少必填字段（时段结束）"
    ]


def test_sessions_apart_from_the_class_dates_are_a_warning(check: Callable[..., list[str]]) -> None:
    text = replaced("    end: 2009-05-31\n", "    end: 2009-06-30\n", TWO_SESSIONS)
    assert check(text) == [
        "catalog/2009.yaml:20:7: warning: classes[0].sessions: 上课时段为 2009-05-21—2009-05-31，与开班、结束日期 "
        "2009-05-21—2009-06-30 不一致：请核对",
    ]


def test_status_and_draft_values(check: Callable[..., list[str]]) -> None:
    assert check(replaced("    status: full\n", "    status: closed\n", TWO_SESSIONS)) == [
        "catalog/2009.yaml:22:13: error: classes[0].status: 未知的办班状态“closed”，可选：open（正常）、full（名额已满）、"
        "cancelled（已取消）、postponed（已延期）",
    ]
    assert check(replaced("    status: full\n", "", TWO_SESSIONS)) == [
        "catalog/2009.yaml:22:18: warning: classes[0].status_note: 办班状态为正常（open），状态说明（status_note）不会显示："
        "请同时填写 status",
    ]
    assert check("draft: true\n" + BASE) == []
    assert check('draft: "yes"\n' + BASE) == [
        "catalog/2009.yaml:1:8: error: draft: 草稿应为 true 或 false，收到“yes”",
    ]
    assert check("draft: 是\n" + BASE) == [
        "catalog/2009.yaml:1:8: error: draft: 草稿应为 true 或 false，收到“是”：请写 true（不加引号）",
    ]


def test_schema_agrees_with_the_checker_on_the_new_fields(policy: dict[str, Any]) -> None:
    validator = jsonschema.Draft202012Validator(
        year_schema(policy), format_checker=jsonschema.FormatChecker()
    )
    good = ["draft: true\n" + TWO_SESSIONS, TWO_SESSIONS]
    bad = [
        replaced("    status: full\n", "    status: closed\n", TWO_SESSIONS),
        'draft: "yes"\n' + BASE,
        replaced("{start: 2009-05-30, end: 2009-05-31}", "{start: 2009-05-30}", TWO_SESSIONS),
        replaced(
            "{start: 2009-05-30, end: 2009-05-31}", "{start: 2009-05-30, end: 31}", TWO_SESSIONS
        ),
    ]
    for text in good:
        assert list(validator.iter_errors(as_vscode_reads(load_yaml(text)))) == [], text
        assert check_year_text(text, policy, source=SOURCE)[0] is not None
    for text in bad:
        assert list(validator.iter_errors(as_vscode_reads(load_yaml(text)))), text
        assert check_year_text(text, policy, source=SOURCE)[0] is None


def test_writer_and_workbook_keep_the_new_fields(policy: dict[str, Any], tmp_path: Path) -> None:
    year, _ = load_year_text("draft: true\n" + TWO_SESSIONS, policy, source=SOURCE)
    text = year_to_yaml(year)
    assert "    sessions:\n      - {start: 2009-05-21, end: 2009-05-23}\n" in text
    assert "draft: true\n" in text and "status: open" not in text
    again, _ = load_year_text(text, policy, source=SOURCE)
    assert again == year
    book = catalog_workbook(year, 2009, policy)
    ws = book["班次"]
    headers = [c.value for c in ws[2]]
    row = dict(zip(headers, (c.value for c in ws[3]), strict=True))
    assert row["上课时段"] == "2009-05-21至2009-05-23、2009-05-30至2009-05-31"
    assert (row["状态"], row["状态说明"], row["备注"]) == (
        "名额已满",
        "名额已满，可报下一期",
        "请自带计算器",
    )
    path = tmp_path / "2009.xlsx"
    book.save(path)
    imported, _, _ = read_workbook(path, 2009, policy)
    assert imported == year
