"""Every figure of section 二 of the notice, line by line, as a table."""

from __future__ import annotations

from typing import Any

import pytest

from generator.rules import evaluate


def promotion(
    target: str, year: int, records: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {"kind": "promotion", "target": target, "year": year, "records": records or []}


def cycle(
    title: str, start: int, year: int, records: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {
        "kind": "cycle",
        "title": title,
        "cycle_start": start,
        "year": year,
        "records": records or [],
    }


# 二: 高级工程师、工程师5年一个周期 200学时; 助理工程师4年 128学时; 技术员2年 64学时.
CYCLES = [
    # title, years, hours, public
    ("senior_engineer", 5, 200, 32),
    ("engineer", 5, 200, 32),
    ("assistant_engineer", 4, 128, 32),
    ("technician", 2, 64, 16),
]


@pytest.mark.parametrize(("title", "years", "hours", "public"), CYCLES)
def test_cycle_figures(
    policy: dict[str, Any], title: str, years: int, hours: int, public: int
) -> None:
    result = evaluate(policy, cycle(title, 2011, 2011))
    assert result["required"] == {"total": hours, "public": public}
    assert result["window"] == {"from": 2011, "to": 2011 + years - 1}
    assert result["shortfall"] == {"total": hours, "public": public}
    assert result["met"] is False


# 二(一)-(三) and the table in DESIGN.md: transitional years 2009-2013, then the full cycle.
PROMOTIONS = [
    # target, year, total, public, window from
    ("assistant_engineer", 2009, 32, 8, 2009),
    ("assistant_engineer", 2010, 64, 16, 2009),
    ("assistant_engineer", 2011, 64, 16, 2010),
    ("assistant_engineer", 2012, 64, 16, 2011),
    ("assistant_engineer", 2013, 64, 16, 2012),
    ("engineer", 2009, 32, 8, 2009),
    ("engineer", 2010, 64, 16, 2009),
    ("engineer", 2011, 96, 24, 2009),
    ("engineer", 2012, 128, 32, 2009),
    ("engineer", 2013, 128, 32, 2010),
    ("senior_engineer", 2009, 40, 8, 2009),
    ("senior_engineer", 2010, 80, 16, 2009),
    ("senior_engineer", 2011, 120, 24, 2009),
    ("senior_engineer", 2012, 160, 32, 2009),
    ("senior_engineer", 2013, 200, 32, 2009),
    ("junior_first", 2009, 16, 0, 2009),
    ("junior_first", 2010, 16, 0, 2009),
    ("junior_first", 2011, 16, 0, 2009),
    ("junior_first", 2012, 16, 0, 2009),
    ("junior_first", 2013, 16, 0, 2009),
    # after the transition the window slides with the application year
    ("senior_engineer", 2015, 200, 32, 2011),
    ("engineer", 2015, 128, 32, 2012),
    ("assistant_engineer", 2015, 64, 16, 2014),
    ("junior_first", 2015, 16, 0, 2009),
    ("senior_engineer", 2030, 200, 32, 2026),
]


@pytest.mark.parametrize(("target", "year", "total", "public", "window_from"), PROMOTIONS)
def test_promotion_figures(
    policy: dict[str, Any], target: str, year: int, total: int, public: int, window_from: int
) -> None:
    result = evaluate(policy, promotion(target, year))
    assert result["required"] == {"total": total, "public": public}
    assert result["window"] == {"from": window_from, "to": year}


def test_senior_window_2015_counts_2011_to_2015(policy: dict[str, Any]) -> None:
    records = [{"year": y, "module": "public", "hours": 40} for y in range(2009, 2016)]
    result = evaluate(policy, promotion("senior_engineer", 2015, records))
    assert result["window"] == {"from": 2011, "to": 2015}
    assert result["ignored"] == [0, 1]
    assert result["counted"] == {"total": 200, "public": 200}
    assert result["met"] is True


def test_basis_names_clause_and_figures(policy: dict[str, Any]) -> None:
    result = evaluate(policy, promotion("engineer", 2011))
    assert result["basis"] == (
        "按温经贸培训〔2009〕74号第二条第（二）项，2011年度申报晋升工程师任职资格须完成96学时"
        "（其中公共必修课24学时），按助理工程师周期每年32学时、公共必修课每年8学时，"
        "自2009年度起累计3年；计入2009—2011年度的学时。"
    )


def test_basis_marks_assumed_figures(policy: dict[str, Any]) -> None:
    basis = evaluate(policy, cycle("senior_engineer", 2009, 2013))["basis"]
    assert basis == (
        "按温经贸培训〔2009〕74号第二条，高级工程师5年一个周期，周期内须完成200学时"
        "（其中公共必修课32学时，本门户推定）；本周期为2009—2013年度，计入其中截至2013年度的学时。"
    )
    junior = evaluate(policy, promotion("junior_first", 2010))["basis"]
    assert junior == (
        "按温经贸培训〔2009〕74号第二条，初次申报初级职称（技术员、助理工程师）须完成16学时"
        "（未单列公共必修课要求，本门户推定）；计入2009—2010年度的学时（本门户推定）。"
    )


@pytest.mark.parametrize(
    ("title", "years", "hours", "public", "clause"),
    [
        ("engineer", 5, 200, 32, "第二条第（三）项"),
        ("assistant_engineer", 4, 128, 32, "第二条第（二）项"),
    ],
)
def test_cycle_basis_cites_the_clause_of_the_public_hours(
    policy: dict[str, Any], title: str, years: int, hours: int, public: int, clause: str
) -> None:
    # 第二条's cycle sentence states the years and the hours; the 32 public hours are
    # stated in 第（二）项 / 第（三）项 only.
    name = policy["titles"][title]["name"]
    end = 2009 + years - 1
    assert evaluate(policy, cycle(title, 2009, end))["basis"] == (
        f"按温经贸培训〔2009〕74号第二条，{name}{years}年一个周期，周期内须完成{hours}学时"
        f"（其中公共必修课{public}学时，见{clause}）；本周期为2009—{end}年度，"
        f"计入其中截至{end}年度的学时。"
    )


def test_basis_full_cycle(policy: dict[str, Any]) -> None:
    basis = evaluate(policy, promotion("senior_engineer", 2014))["basis"]
    assert basis == (
        "按温经贸培训〔2009〕74号第二条第（三）项，2014年度申报晋升高级工程师及以上任职资格须完成200学时"
        "（其中公共必修课32学时），即工程师一个周期（5年）的要求；计入2010—2014年度的学时（本门户推定）。"
    )
    # The figure is a full cycle's: said as "即", never "已达……的要求" (an unmet result).
    assert "已达" not in basis


def test_basis_technician_promotion_stated_and_after(policy: dict[str, Any]) -> None:
    # 第（一）项 states 2009 and 2010, word for word: no assumption.
    assert evaluate(policy, promotion("assistant_engineer", 2010))["basis"] == (
        "按温经贸培训〔2009〕74号第二条第（一）项，2010年度申报晋升助理工程师任职资格须完成64学时"
        "（其中公共必修课16学时），即技术员一个周期（2年）的要求；计入2009—2010年度的学时。"
    )
    # From 2011 the figure is 第二条's technician cycle, read by the portal.
    assert evaluate(policy, promotion("assistant_engineer", 2012))["basis"] == (
        "按温经贸培训〔2009〕74号第二条（技术员2年一个周期，周期内64学时），2012年度申报晋升"
        "助理工程师任职资格须完成64学时（其中公共必修课16学时），即技术员一个周期（2年）的要求"
        "（本门户推定：第二条第（一）项只规定了2010年度及以前的要求）；"
        "计入2011—2012年度的学时（本门户推定）。"
    )


def test_policy_figures_drive_results(policy: dict[str, Any]) -> None:
    """Changing a figure in the policy data changes the result; no figure lives in code."""
    import copy

    changed = copy.deepcopy(policy)
    changed["titles"]["assistant_engineer"]["cycle_hours"]["value"] = 160
    changed["promotion"]["public_per_year"]["value"] = 10
    result = evaluate(changed, promotion("engineer", 2011))
    assert result["required"] == {"total": 120, "public": 30}
    changed["start_year"]["value"] = 2010
    assert evaluate(changed, promotion("engineer", 2011))["required"] == {"total": 80, "public": 20}
