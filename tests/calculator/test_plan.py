"""The gap planner v3 (DESIGN.md, ``ceportal plan``: classes one can book), case by case:
``generator.rules.plan`` on a small catalog written out here, with classes open, closed,
full, cancelled, past, of the city and of two counties, and plans worked out by hand;
then ``ceportal plan`` on the bundled catalogs."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from typing import Any

import pytest

from generator.rules import RequestError, plan
from generator.rules.planner import counties, junior_choices

from .conftest import ROOT

CONTACT = "温州市工业科学研究院 0577-88000000"


def course(code: str, title: str, module: str, hours: float, *specialties: str) -> dict[str, Any]:
    return {"code": code, "title": title, "module": module, "hours": hours,
            "specialties": list(specialties)}


def cls(code: str, start: str, courses: list[str], **extra: Any) -> dict[str, Any]:
    """A class of 2027; one day long unless ``end`` is given."""
    return {"code": code, "name": f"第{code}期", "start": start, "end": extra.pop("end", start),
            "courses": courses, **extra}


CATALOGS: dict[str, Any] = {
    "years": [
        {
            # Before today's year: can no longer count.
            "year": 2025,
            "registration": None,
            "courses": [course("G-01", "旧公共课", "public", 8)],
            "classes": [cls("OLD", "2027-02-15", ["G-01"])],
        },
        {
            "year": 2027,
            "registration": {"opens": "2026-11-01", "closes": "2026-12-20", "contact": CONTACT},
            "courses": [
                course("G-21", "职业道德", "public", 16),
                course("G-22", "知识产权", "public", 8),
                course("G-23", "法律法规", "public", 8),
                course("E-M1", "数控机床", "elective", 16, "mechanical"),
                course("E-M2", "液压技术", "elective", 8, "mechanical", "metrology"),
                course("E-X1", "节能减排", "elective", 16),
                course("E-E1", "电气安全", "elective", 16, "electrical"),
                course("E-J1", "基础知识更新（初级）", "elective", 8),
                course("E-N1", "新材料", "elective", 8),  # no class
                course("O-1", "课题研究", "other", 40),  # 其他形式: not taught in classes
            ],
            "classes": [
                # The year's deadline (2026-12-20); three days.
                cls("K1", "2027-01-11", ["G-21", "E-M1", "E-X1"], end="2027-01-13",
                    location="温州市工业科学研究院", level="city"),
                cls("K2", "2027-03-08", ["G-22", "E-M2"], registration_closes="2027-02-20"),
                # The same courses as K2, a later deadline.
                cls("K2B", "2027-03-20", ["G-22", "E-M2"], registration_closes="2027-03-01"),
                cls("K3", "2027-05-10", ["G-23"], registration_closes="2027-04-20",
                    sessions=[{"start": "2027-05-10", "end": "2027-05-10"},
                              {"start": "2027-05-17", "end": "2027-05-17"}]),
                cls("KE", "2027-04-01", ["E-E1"], registration_closes="2027-03-15"),
                cls("CLOSED", "2027-06-01", ["G-21", "G-22", "G-23", "E-M1"], status="closed"),
                cls("FULL", "2027-06-10", ["G-21", "E-M1", "E-M2", "E-N1"], status="full"),
                cls("CANCELLED", "2027-06-20", ["E-N1", "G-22"], status="cancelled"),
                # Over before today, though the year's deadline is not.
                cls("PAST", "2026-11-20", ["G-21", "E-N1"]),
                cls("RA", "2027-02-01", ["E-J1", "G-23"], level="county", county="瑞安市"),
                cls("LQ", "2027-02-15", ["E-J1"], level="county", county="乐清市"),
            ],
        },
    ]
}
TODAY = "2026-12-01"


def rec(year: int, module: str, hours: float, **extra: Any) -> dict[str, Any]:
    return {"year": year, "module": module, "hours": hours, **extra}


def promotion(target: str, year: int, *records: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "promotion", "target": target, "year": year, "records": list(records)}


def codes(result: dict[str, Any]) -> list[str]:
    return [c["code"] for c in result["classes"]]


def short(total: int, public: int) -> dict[str, Any]:
    """助理工程师晋升工程师 in 2027 (128 of which 32 public, 2024–2027), short by this much."""
    return promotion(
        "engineer", 2027, rec(2024, "public", 32 - public), rec(2025, "elective", 96 - total + public)
    )


def test_the_exact_plan(policy: dict[str, Any]) -> None:
    # The engineer of issue 28: 80 of 128, 16 of 32 public. K1 alone covers all 48 hours.
    result = plan(policy, CATALOGS, short(48, 16), specialty="mechanical", today=TODAY)
    assert result == {
        "shortfall": {"total": 48, "public": 16},
        "years": [2027],
        "classes": [
            {
                "year": 2027,
                "code": "K1",
                "name": "第K1期",
                "start": "2027-01-11",
                "end": "2027-01-13",
                "sessions": [{"start": "2027-01-11", "end": "2027-01-13"}],
                "registration_closes": "2026-12-20",
                "level": "city",
                "county": None,
                "location": "温州市工业科学研究院",
                "contact": CONTACT,
                "courses": [
                    {"course": "2027/G-21", "title": "职业道德", "module": "public", "hours": 16},
                    {"course": "2027/E-M1", "title": "数控机床", "module": "elective", "hours": 16},
                    {"course": "2027/E-X1", "title": "节能减排", "module": "elective", "hours": 16},
                ],
                "covers": {"total": 48, "public": 16},
            }
        ],
        # E-J1 is taught in county classes only, which an engineer does not attend.
        "courses_without_class": [
            {"course": "2027/E-J1", "title": "基础知识更新（初级）", "module": "elective", "hours": 8},
            {"course": "2027/E-N1", "title": "新材料", "module": "elective", "hours": 8},
        ],
        "covers": {"total": 48, "public": 16},
        "met_after": True,
        "note": "按2027年度课程目录，报名参加以上1个办班可补足差额。",
    }


def test_fewest_classes_before_least_overshoot(policy: dict[str, Any]) -> None:
    # 24 (8 public): K1 alone (48) beats K2 + K3 (24, no overshoot): one class, not two.
    result = plan(policy, CATALOGS, short(24, 8), specialty="mechanical", today=TODAY)
    assert codes(result) == ["K1"]
    assert result["covers"] == {"total": 48, "public": 16}
    assert result["met_after"] is True


def test_least_overshoot_then_earliest_deadline(policy: dict[str, Any]) -> None:
    # 16 (8 public): K2 and K2B cover it exactly, K1 by 32 too many; K2 closes first.
    result = plan(policy, CATALOGS, short(16, 8), specialty="mechanical", today=TODAY)
    assert codes(result) == ["K2"]
    assert result["classes"][0]["registration_closes"] == "2027-02-20"
    assert result["covers"] == {"total": 16, "public": 8}


def test_public_first(policy: dict[str, Any]) -> None:
    # The total is met, 8 public hours are not: the one public course with least overshoot.
    result = plan(policy, CATALOGS, short(0, 8), specialty="mechanical", today=TODAY)
    assert result["shortfall"] == {"total": 0, "public": 8}
    assert codes(result) == ["K3"]
    assert result["classes"][0]["sessions"] == [
        {"start": "2027-05-10", "end": "2027-05-10"},
        {"start": "2027-05-17", "end": "2027-05-17"},
    ]
    # Only what would help is listed apart: no elective once the total is met.
    assert result["courses_without_class"] == []


def test_a_shortfall_the_classes_cannot_close(policy: dict[str, Any]) -> None:
    # Technician → assistant engineer 2027: 64 (16), nothing done; no specialty, Rui'an.
    # Every course open to all: G-21 16, E-X1 16 (K1), G-22 8 (K2), G-23 8 + E-J1 8 (RA):
    # 56, three classes; E-N1 has no class that can be booked.
    request = promotion("assistant_engineer", 2027)
    result = plan(policy, CATALOGS, request, county="瑞安市", today=TODAY)
    assert codes(result) == ["K1", "RA", "K2"]  # deadline order
    assert [c["registration_closes"] for c in result["classes"]] == [
        "2026-12-20", "2026-12-20", "2027-02-20",
    ]
    assert result["classes"][1]["level"] == "county"
    assert result["classes"][1]["county"] == "瑞安市"
    assert [c["course"] for c in result["classes"][0]["courses"]] == ["2027/G-21", "2027/E-X1"]
    assert result["covers"] == {"total": 56, "public": 32}
    assert result["courses_without_class"] == [
        {"course": "2027/E-N1", "title": "新材料", "module": "elective", "hours": 8}
    ]
    assert result["met_after"] is False
    assert result["note"] == (
        "按2027年度课程目录，报名参加以上3个办班后仍差总学时8学时；"
        "另有1门课程暂无可报名的办班，可留意以后公布的办班；选择专业后可列出本专业选修课的办班；"
        "可通过其他形式（专业学历教育、研修专修学习、课题研究等）取得。"
    )


@pytest.mark.parametrize(
    ("target", "county", "expected"),
    [
        # Junior targets: county classes, only that county's when one is named. RA covers
        # the 16 hours exactly; without it, K1 alone covers them (16 too many).
        ("junior_first", None, ["RA"]),
        ("junior_first", "瑞安市", ["RA"]),
        ("junior_first", "乐清市", ["K1"]),
        ("assistant_engineer", None, ["RA"]),
        ("assistant_engineer", "乐清市", ["K1"]),
        # Others: city classes only, whatever county is named.
        ("engineer", None, ["K1"]),
        ("engineer", "瑞安市", ["K1"]),
    ],
)
def test_county_classes_serve_junior_titles_of_their_county(
    policy: dict[str, Any], target: str, county: str | None, expected: list[str]
) -> None:
    # Short by 16 hours, 8 of them public (junior_first: 16, no public quota).
    records = {
        "junior_first": [],
        "assistant_engineer": [rec(2026, "public", 8), rec(2026, "elective", 40)],
        "engineer": [rec(2026, "public", 24), rec(2026, "elective", 88)],
    }[target]
    result = plan(
        policy, CATALOGS, promotion(target, 2027, *records),
        county=county, today=TODAY,
    )
    assert codes(result) == expected


def test_who_is_junior_is_policy_data(policy: dict[str, Any]) -> None:
    # 16 short, 8 public: RA covers it exactly, for a junior target only (policy.yaml `junior`).
    request = promotion("engineer", 2027, rec(2026, "public", 24), rec(2026, "elective", 88))
    assert codes(plan(policy, CATALOGS, request, today=TODAY)) == ["K1"]
    changed = copy.deepcopy(policy)
    changed["promotion"]["targets"]["engineer"]["junior"] = True
    assert codes(plan(changed, CATALOGS, request, today=TODAY)) == ["RA"]
    # A cycle: the title held (技术员 is junior, 工程师 is not).
    cycle = {"kind": "cycle", "cycle_start": 2026, "year": 2027, "records": []}
    technician = plan(policy, CATALOGS, {**cycle, "title": "technician"}, today=TODAY)
    engineer = plan(policy, CATALOGS, {**cycle, "title": "engineer"}, today=TODAY)
    assert "RA" in codes(technician)
    assert "RA" not in codes(engineer) and "LQ" not in codes(engineer)


def test_recorded_courses_are_not_planned_again(policy: dict[str, Any]) -> None:
    # G-21 is already planned (any case), E-X1 done: K1 then offers E-M1 only.
    request = promotion(
        "engineer", 2027, rec(2024, "public", 16), rec(2025, "elective", 48),
        rec(2026, "elective", 16, course="2027/e-x1"),
        rec(2027, "public", 16, course="2027/g-21", planned=True),
    )
    result = plan(policy, CATALOGS, request, specialty="mechanical", today=TODAY)
    # What remains once the planned course is done: 32, no public.
    assert result["shortfall"] == {"total": 32, "public": 0}
    assert codes(result) == ["K1", "K2"]
    assert [c["course"] for c in result["classes"][0]["courses"]] == ["2027/E-M1"]
    assert result["covers"] == {"total": 32, "public": 8}
    assert result["met_after"] is True


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2026-12-20", ["K1"]),  # closing on the day itself is still open
        ("2026-12-21", ["K2", "K3"]),  # K1 closed with the year's registration
        ("2027-02-21", ["K2B", "K3"]),
        ("2027-03-02", ["K3"]),
        ("2027-05-10", []),  # K3 starts today: too late
    ],
)
def test_only_classes_still_open_for_registration(
    policy: dict[str, Any], today: str, expected: list[str]
) -> None:
    assert codes(plan(policy, CATALOGS, short(24, 16), specialty="mechanical", today=today)) == expected


def test_a_class_without_any_deadline_closes_when_it_starts(policy: dict[str, Any]) -> None:
    catalogs = copy.deepcopy(CATALOGS)
    catalogs["years"][1]["registration"] = None
    result = plan(policy, catalogs, short(48, 16), specialty="mechanical", today="2027-01-10")
    assert codes(result) == ["K1"]
    assert result["classes"][0]["registration_closes"] == "2027-01-11"
    assert result["classes"][0]["contact"] is None
    # A deadline after the start is cut to the start.
    catalogs["years"][1]["classes"][0]["registration_closes"] = "2027-02-01"
    again = plan(policy, catalogs, short(48, 16), specialty="mechanical", today="2027-01-10")
    assert again["classes"][0]["registration_closes"] == "2027-01-11"


def test_no_bookable_class(policy: dict[str, Any]) -> None:
    result = plan(policy, CATALOGS, short(48, 16), specialty="mechanical", today="2027-06-15")
    assert (result["classes"], result["covers"], result["met_after"]) == (
        [], {"total": 0, "public": 0}, False
    )
    # Courses whose only classes are past, closed, full or cancelled: never counted.
    assert [c["course"] for c in result["courses_without_class"]] == [
        "2027/G-21", "2027/G-22", "2027/G-23", "2027/E-M1", "2027/E-M2", "2027/E-X1",
        "2027/E-J1", "2027/E-N1",
    ]
    assert result["note"] == (
        "按2027年度课程目录，今天（2027-06-15）起没有可报名的办班，仍差总学时48学时、公共必修课16学时；"
        "另有8门课程暂无可报名的办班，可留意以后公布的办班；公共必修课须参加温州市人事局指定的课程。"
    )


def test_a_met_request(policy: dict[str, Any]) -> None:
    assert plan(policy, CATALOGS, short(0, 0), specialty="mechanical", today=TODAY) == {
        "shortfall": {"total": 0, "public": 0},
        "years": [2027],
        "classes": [],
        "courses_without_class": [],
        "covers": {"total": 0, "public": 0},
        "met_after": True,
        "note": "已达标，无需补充学时。",
    }
    planned = promotion(
        "engineer", 2027, rec(2024, "public", 32), rec(2025, "elective", 64),
        rec(2027, "elective", 32, planned=True),
    )
    result = plan(policy, CATALOGS, planned, today=TODAY)
    assert (result["classes"], result["met_after"]) == ([], True)
    assert result["note"] == "已计划的课程完成后即可达标，无需再报名其他办班。"


def test_no_catalog_that_can_count(policy: dict[str, Any]) -> None:
    request = promotion("engineer", 2029, rec(2026, "public", 8))
    result = plan(policy, CATALOGS, request, specialty="mechanical", today="2028-01-05")
    assert (result["years"], result["classes"]) == ([], [])
    assert result["note"] == "尚未公布2028—2029年度课程目录，暂无可报名的办班。"
    # An application whose window is over: nothing earned from today on can count.
    past = plan(policy, CATALOGS, promotion("engineer", 2011), today=TODAY)
    assert (past["years"], past["classes"], past["met_after"]) == ([], [], False)
    assert past["shortfall"] == {"total": 96, "public": 24}
    assert past["note"] == (
        "只计入2009—2011年度的学时，今天（2026-12-01）起取得的学时已不能计入，无法再补足差额。"
    )


def test_the_exact_search_and_the_greedy_one_agree_on_a_big_catalog(
    policy: dict[str, Any],
) -> None:
    # 30 more classes of one 8-hour course each: beyond the exact search (EXACT_CLASSES).
    catalogs = copy.deepcopy(CATALOGS)
    year = catalogs["years"][1]
    year["courses"] += [course(f"E-B{i}", f"选修{i}", "elective", 8) for i in range(30)]
    year["classes"] += [cls(f"B{i:02}", "2027-09-01", [f"E-B{i}"]) for i in range(30)]
    result = plan(policy, catalogs, short(48, 16), today=TODAY)
    # K1 (32, 16 public: no specialty) and two 8-hour classes: three, the fewest; of the
    # 8-hour ones, those closing first (the year's deadline, before K2's).
    assert codes(result) == ["K1", "B00", "B01"]
    assert result["covers"] == {"total": 48, "public": 16}
    # The same plan as the exact search finds on the classes that matter.
    year["classes"] = [c for c in year["classes"] if c["code"] in ("K1", "K2", "B00", "B01", "B02")]
    assert codes(plan(policy, catalogs, short(48, 16), today=TODAY)) == ["K1", "B00", "B01"]


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
        ({"county": 3}, "county: 县（市、区）应写作名称（如 瑞安市），收到 3"),
        ({"county": "  "}, "county: 县（市、区）应写作名称（如 瑞安市），收到 “  ”"),
    ],
)
def test_bad_options(policy: dict[str, Any], options: dict[str, Any], message: str) -> None:
    kwargs = {"specialty": None, "today": "2026-03-15", **options}
    with pytest.raises(RequestError) as caught:
        plan(policy, CATALOGS, short(48, 16), **kwargs)
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
    # E-M11 is in the records: never planned again; no electrical course for a mechanical
    # engineer; E-X11 (in both classes) counted in the first; the county class is junior's.
    assert codes(result) == ["2010-1", "2010-2"]
    assert [[c["course"] for c in k["courses"]] for k in result["classes"]] == [
        ["2010/G-11", "2010/G-12", "2010/E-M12", "2010/E-X11"],
        ["2010/G-13"],
    ]
    assert result["covers"] == {"total": 36, "public": 24}
    assert result["met_after"] is False
    assert result["note"] == (
        "按2010年度课程目录，报名参加以上2个办班后仍差总学时4学时；"
        "另有1门课程暂无可报名的办班，可留意以后公布的办班；"
        "可通过其他形式（专业学历教育、研修专修学习、课题研究等）取得。"
    )


@pytest.mark.cli
@pytest.mark.parametrize(
    ("county", "expected"), [([], ["RA-2010-1"]), (["--county", "瑞安市"], ["RA-2010-1"]),
                             (["--county", "乐清市"], ["2010-1"])]
)
def test_cli_county(county: list[str], expected: list[str]) -> None:
    # 初次申报初级 2010: 16 hours; Rui'an's class covers them exactly (G-11, E-X12).
    request = json.dumps({"kind": "promotion", "target": "junior_first", "year": 2010, "records": []})
    proc = cli(request, "--today", "2010-03-20", *county)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert codes(json.loads(proc.stdout)) == expected


@pytest.mark.cli
def test_cli_help_is_chinese() -> None:
    proc = subprocess.run([sys.executable, "-m", "generator.cli", "plan", "--help"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0
    assert "--county NAME  所在县（市、区），如 瑞安市：初级职称只建议市本级及该县（市、区）的办班" in (
        " ".join(proc.stdout.split()).replace("NAME 所在", "NAME  所在")
    )


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
    proc = cli(ENGINEER_2010, "--county")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert "--county" in proc.stderr


def test_counties_are_those_the_county_classes_name() -> None:
    # The page's county choice: newest year first, each county once, city classes none.
    assert counties(CATALOGS) == ["瑞安市", "乐清市"]
    older = {"year": 2026, "registration": None, "courses": [],
             "classes": [cls("X", "2026-03-01", [], level="county", county="永嘉县"),
                         cls("Y", "2026-04-01", [], level="county", county="乐清市"),
                         cls("Z", "2026-05-01", [])]}
    assert counties({"years": [older, *CATALOGS["years"]]}) == ["瑞安市", "乐清市", "永嘉县"]
    assert counties({"years": []}) == []


def test_junior_is_the_policys_word(policy: dict[str, Any]) -> None:
    # Who may attend county classes (notice 第四条): the page shows its county choice for these.
    assert junior_choices(policy) == {
        "targets": ["junior_first", "assistant_engineer"],
        "titles": ["assistant_engineer", "technician"],
    }
