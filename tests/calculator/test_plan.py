"""The gap planner (DESIGN.md, ``ceportal plan``), table by table: ``generator.rules.plan``
on a small catalog written out here, then ``ceportal plan`` on the bundled catalogs."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from typing import Any

import pytest

from generator.rules import RequestError, plan

from .conftest import ROOT

CATALOGS: dict[str, Any] = {
    "years": [
        {
            "year": 2025,
            "title": "2025年度目录",
            "registration": {"opens": "2025-03-01", "closes": "2025-03-31"},
            "courses": [
                {
                    "code": "P-0",
                    "title": "旧公共课",
                    "module": "public",
                    "hours": 8,
                    "specialties": [],
                },
            ],
            "classes": [],
        },
        {
            "year": 2026,
            "title": "2026年度目录",
            "registration": None,
            "courses": [
                {
                    "code": "P-1",
                    "title": "职业道德",
                    "module": "public",
                    "hours": 8,
                    "specialties": [],
                },
                {
                    "code": "P-2",
                    "title": "知识产权",
                    "module": "public",
                    "hours": 8,
                    "specialties": [],
                },
                {
                    "code": "E-E1",
                    "title": "电气安全",
                    "module": "elective",
                    "hours": 16,
                    "specialties": ["electrical"],
                },
                {
                    "code": "E-M1",
                    "title": "数控机床",
                    "module": "elective",
                    "hours": 16,
                    "specialties": ["mechanical", "metrology"],
                },
                {
                    "code": "E-X1",
                    "title": "节能减排",
                    "module": "elective",
                    "hours": 4.5,
                    "specialties": [],
                },
                {
                    "code": "O-1",
                    "title": "课题研究",
                    "module": "other",
                    "hours": 40,
                    "specialties": [],
                },
            ],
            "classes": [
                # Its own deadline.
                {
                    "code": "C-1",
                    "name": "第一期",
                    "start": "2026-04-20",
                    "end": "2026-04-22",
                    "courses": ["P-1", "E-M1"],
                    "registration_closes": "2026-04-01",
                },
                # No deadline of its own, nor the year's: registration closes when it starts.
                {
                    "code": "C-0",
                    "name": "第零期",
                    "start": "2026-04-10",
                    "end": "2026-04-11",
                    "courses": ["P-1", "P-2"],
                    "registration_closes": None,
                },
                {
                    "code": "C-2",
                    "name": "第二期",
                    "start": "2026-09-10",
                    "end": "2026-09-12",
                    "courses": ["P-2", "E-X1", "E-M1"],
                },
            ],
        },
    ]
}


def promotion(
    target: str, year: int, *records: tuple[int, str, float, str | None]
) -> dict[str, Any]:
    out = []
    for rec_year, module, hours, course in records:
        record: dict[str, Any] = {"year": rec_year, "module": module, "hours": hours}
        if course:
            record["course"] = course
        out.append(record)
    return {"kind": "promotion", "target": target, "year": year, "records": out}


def codes(result: dict[str, Any]) -> list[str]:
    return [s["course"] for s in result["suggestions"]]


def classes(result: dict[str, Any]) -> dict[str, list[str]]:
    return {s["course"]: [c["code"] for c in s["classes"]] for s in result["suggestions"]}


# An engineer (senior_engineer 2026: 200 (32), window 2022–2026) with 168 hours, 16 public.
ALMOST = promotion(
    "senior_engineer", 2026, (2023, "public", 16, None), (2024, "elective", 152, None)
)


@pytest.mark.parametrize(
    ("specialty", "expected"),
    [
        # Public first until the public shortfall (16) is covered, then electives for the
        # specialty and those open to all, in catalog order, until the total (32) is.
        ("mechanical", ["2026/P-1", "2026/P-2", "2026/E-M1"]),
        ("electrical", ["2026/P-1", "2026/P-2", "2026/E-E1"]),
        # Neither matches: only the elective open to all, and that is not enough.
        ("chemical", ["2026/P-1", "2026/P-2", "2026/E-X1"]),
        (None, ["2026/P-1", "2026/P-2", "2026/E-X1"]),
    ],
)
def test_specialty_filter_and_open_courses(
    policy: dict[str, Any], specialty: str | None, expected: list[str]
) -> None:
    result = plan(policy, CATALOGS, ALMOST, specialty=specialty, today="2026-03-15")
    assert result["shortfall"] == {"total": 32, "public": 16}
    assert result["years"] == [2026]  # 2025 is before today's year: it can no longer count
    assert codes(result) == expected
    assert "2026/O-1" not in codes(result)  # 其他形式 are not taken in a class


def test_covers_and_notes(policy: dict[str, Any]) -> None:
    enough = plan(policy, CATALOGS, ALMOST, specialty="mechanical", today="2026-03-15")
    assert enough["covers"] == {"total": 32, "public": 16}
    assert enough["note"] == (
        "按2026年度课程目录，公共必修课优先、再选机械专业及不限专业的选修课，以上课程可补足差额。"
    )
    short = plan(policy, CATALOGS, ALMOST, specialty=None, today="2026-03-15")
    assert short["covers"] == {"total": 20.5, "public": 16}
    assert short["note"] == (
        "按2026年度课程目录，公共必修课优先、再选不限专业的选修课（选择专业后可列出本专业的选修课），"
        "以上课程不足以补足差额：仍差总学时11.5学时，"
        "可通过其他形式（专业学历教育、研修专修学习、课题研究等）取得。"
    )


def test_the_exact_shape(policy: dict[str, Any]) -> None:
    result = plan(policy, CATALOGS, ALMOST, specialty="mechanical", today="2026-03-15")
    assert list(result) == ["shortfall", "years", "suggestions", "covers", "note"]
    assert result["suggestions"][0] == {
        "course": "2026/P-1",
        "title": "职业道德",
        "module": "public",
        "hours": 8,
        "specialties": [],
        "classes": [
            {
                "code": "C-1",
                "name": "第一期",
                "start": "2026-04-20",
                "end": "2026-04-22",
                "registration_closes": "2026-04-01",
            },
            {
                "code": "C-0",
                "name": "第零期",
                "start": "2026-04-10",
                "end": "2026-04-11",
                "registration_closes": "2026-04-10",
            },
        ],
    }


def test_a_class_without_a_deadline_takes_the_years(policy: dict[str, Any]) -> None:
    catalogs = copy.deepcopy(CATALOGS)
    catalogs["years"][1]["registration"] = {"opens": "2026-03-01", "closes": "2026-03-31"}
    result = plan(policy, catalogs, ALMOST, specialty="mechanical", today="2026-03-15")
    assert [(c["code"], c["registration_closes"]) for c in result["suggestions"][0]["classes"]] == [
        ("C-0", "2026-03-31"),
        ("C-1", "2026-04-01"),
    ]
    later = plan(policy, catalogs, ALMOST, specialty="mechanical", today="2026-04-01")
    assert classes(later)["2026/P-2"] == []  # C-0 and C-2 closed with the year's registration


def test_recorded_courses_are_skipped(policy: dict[str, Any]) -> None:
    request = promotion(
        "senior_engineer",
        2026,
        (2023, "public", 8, None),
        (2024, "elective", 152, None),
        (2026, "public", 8, "2026/P-1"),
    )
    result = plan(policy, CATALOGS, request, specialty="mechanical", today="2026-03-15")
    assert result["shortfall"] == {"total": 32, "public": 16}
    assert codes(result) == ["2026/P-2", "2026/E-M1", "2026/E-X1"]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        # Soonest deadline first.
        (
            "2026-03-15",
            {"2026/P-1": ["C-1", "C-0"], "2026/P-2": ["C-0", "C-2"], "2026/E-M1": ["C-1", "C-2"]},
        ),
        # Closing on the day itself is still open.
        (
            "2026-04-01",
            {"2026/P-1": ["C-1", "C-0"], "2026/P-2": ["C-0", "C-2"], "2026/E-M1": ["C-1", "C-2"]},
        ),
        # Closed classes are dropped; the courses stay.
        ("2026-04-02", {"2026/P-1": ["C-0"], "2026/P-2": ["C-0", "C-2"], "2026/E-M1": ["C-2"]}),
        ("2026-04-11", {"2026/P-1": [], "2026/P-2": ["C-2"], "2026/E-M1": ["C-2"]}),
        ("2026-09-10", {"2026/P-1": [], "2026/P-2": ["C-2"], "2026/E-M1": ["C-2"]}),
        ("2026-09-11", {"2026/P-1": [], "2026/P-2": [], "2026/E-M1": []}),
    ],
)
def test_classes_closed_before_today_are_dropped(
    policy: dict[str, Any], today: str, expected: dict[str, list[str]]
) -> None:
    assert classes(plan(policy, CATALOGS, ALMOST, specialty="mechanical", today=today)) == expected


def test_a_met_request(policy: dict[str, Any]) -> None:
    request = promotion(
        "senior_engineer", 2026, (2023, "public", 32, None), (2024, "elective", 168, None)
    )
    assert plan(policy, CATALOGS, request, specialty="mechanical", today="2026-03-15") == {
        "shortfall": {"total": 0, "public": 0},
        "years": [2026],
        "suggestions": [],
        "covers": {"total": 0, "public": 0},
        "note": "已达标，无需补充学时。",
    }


def test_no_catalog_that_can_count(policy: dict[str, Any]) -> None:
    request = promotion("senior_engineer", 2028, (2025, "public", 8, None))
    result = plan(policy, CATALOGS, request, specialty="mechanical", today="2027-01-05")
    assert (result["years"], result["suggestions"]) == ([], [])
    assert result["note"] == "尚未公布2027—2028年度课程目录，暂无可建议的课程。"
    # An application whose window is over: nothing earned from today on can count.
    past = plan(
        policy, CATALOGS, promotion("engineer", 2011), specialty="mechanical", today="2026-03-15"
    )
    assert (past["years"], past["suggestions"]) == ([], [])
    assert past["shortfall"] == {"total": 96, "public": 24}
    assert past["note"] == (
        "只计入2009—2011年度的学时，今天（2026-03-15）起取得的学时已不能计入，无法再补足差额。"
    )


def test_a_public_only_shortfall(policy: dict[str, Any]) -> None:
    # 216 hours of 200, but 24 public of 32: only public courses, and only 8 hours of them.
    request = promotion(
        "senior_engineer", 2026, (2023, "public", 24, None), (2024, "elective", 192, None)
    )
    result = plan(policy, CATALOGS, request, specialty="mechanical", today="2026-03-15")
    assert result["shortfall"] == {"total": 0, "public": 8}
    assert codes(result) == ["2026/P-1"]
    assert result["covers"] == {"total": 8, "public": 8}
    assert result["note"].endswith("以上课程可补足差额。")


def test_public_courses_run_out(policy: dict[str, Any]) -> None:
    request = promotion("senior_engineer", 2026, (2024, "elective", 150, None))
    result = plan(policy, CATALOGS, request, specialty="metrology", today="2026-03-15")
    assert result["shortfall"] == {"total": 50, "public": 32}
    assert codes(result) == ["2026/P-1", "2026/P-2", "2026/E-M1", "2026/E-X1"]
    assert result["note"] == (
        "按2026年度课程目录，公共必修课优先、再选计量质检专业及不限专业的选修课，以上课程不足以补足差额："
        "仍差总学时13.5学时、公共必修课16学时；公共必修课须参加温州市人事局指定的课程。"
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"specialty": "mech"},
            "specialty: 未知的专业 “mech”，应为 mechanical（机械）、electrical（电子电气）、"
            "chemical（化工）、forestry（林业）、fishery（渔政）、agri_machinery（农机）、textile_food（轻纺食品）、"
            "metrology（计量质检） 之一",
        ),
        (
            {"specialty": 3},
            "specialty: 未知的专业 3，应为 mechanical（机械）、electrical（电子电气）、"
            "chemical（化工）、forestry（林业）、fishery（渔政）、agri_machinery（农机）、textile_food（轻纺食品）、"
            "metrology（计量质检） 之一",
        ),
        (
            {"today": "2026-02-30"},
            "today: 日期应写作 YYYY-MM-DD（如 2026-03-01），收到 “2026-02-30”",
        ),
        (
            {"today": "2026/03/01"},
            "today: 日期应写作 YYYY-MM-DD（如 2026-03-01），收到 “2026/03/01”",
        ),
        ({"today": None}, "today: 日期应写作 YYYY-MM-DD（如 2026-03-01），收到 null"),
    ],
)
def test_bad_options(policy: dict[str, Any], options: dict[str, Any], message: str) -> None:
    kwargs = {"specialty": None, "today": "2026-03-15", **options}
    with pytest.raises(RequestError) as caught:
        plan(policy, CATALOGS, ALMOST, **kwargs)
    assert str(caught.value) == message


def test_a_bad_request_fails_as_in_hours(policy: dict[str, Any]) -> None:
    with pytest.raises(RequestError) as caught:
        plan(
            policy,
            CATALOGS,
            {"kind": "promotion", "target": "boss", "year": 2026, "records": []},
            today="2026-03-15",
        )
    assert str(caught.value).startswith("target: 未知的申报目标 “boss”")


# --- ceportal plan, on the bundled catalogs ----------------------------------------------


def cli(stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", "plan", "-", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


ENGINEER_2010 = json.dumps(
    {
        "kind": "promotion",
        "target": "engineer",
        "year": 2010,
        "records": [
            {"year": 2009, "module": "public", "hours": 8, "course": "2009/G-01"},
            {"year": 2010, "module": "elective", "hours": 16, "course": "2010/E-M11"},
        ],
    }
)


@pytest.mark.cli
def test_cli_prints_the_plan() -> None:
    proc = cli(ENGINEER_2010, "--specialty", "mechanical", "--today", "2010-03-20")
    assert (proc.returncode, proc.stderr) == (0, "")
    result = json.loads(proc.stdout)
    assert result["shortfall"] == {"total": 40, "public": 8}
    assert result["years"] == [2010]
    # E-M11 is in the records: never suggested again; no electrical course for a mechanical engineer.
    assert codes(result) == ["2010/G-11", "2010/E-M12", "2010/E-X11", "2010/E-X12"]
    assert classes(result)["2010/G-11"] == ["2010-1", "RA-2010-1"]


@pytest.mark.cli
def test_cli_bad_options_exit_2() -> None:
    proc = cli(ENGINEER_2010, "--today", "明天")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert (
        proc.stderr == "ceportal plan: today: 日期应写作 YYYY-MM-DD（如 2026-03-01），收到 “明天”\n"
    )
    proc = cli(ENGINEER_2010, "--specialty", "机械", "--today", "2010-03-20")
    assert proc.returncode == 2
    assert proc.stderr.startswith(
        "ceportal plan: specialty: 未知的专业 “机械”，应为 mechanical（机械）"
    )
    assert proc.stderr.count("\n") == 1
    proc = cli("{", "--today", "2010-03-20")
    assert proc.returncode == 2
    assert proc.stderr.startswith("ceportal plan: 请求不是有效的JSON（第1行第2列）")
