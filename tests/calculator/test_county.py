"""The county choice (notice 第四条: county classes serve junior titles of their county): a
junior applicant picks a county and the plan's cards are that county's classes and the
city's, exactly as ``ceportal plan --county`` gives them; the choice travels in the share
link and is stored with the visitor's other fields; a senior target has no county choice."""

from __future__ import annotations

import json
from typing import Any

import pytest

from generator.rules import plan

from .conftest import PLAN_YEAR, TODAY

pytestmark = pytest.mark.browser

Y = PLAN_YEAR.year
PHONE = {"width": 390, "height": 844}
# 初次申报初级职称 in Y with nothing done: 16 hours short. C-YQ (乐清市, 16) fits exactly;
# C-RA (瑞安市, 8) does not, so 瑞安市 gets the city's C-NEXT (24).
JUNIOR = {"kind": "promotion", "target": "junior_first", "year": Y, "records": []}
COUNTY = "#ce-county-field"
SELECT = "所在县（市、区）（初级职称可参加本县的办班）"


def cards(page: Any) -> list[str]:
    return list(page.locator(".ce-class-card").evaluate_all("(cs) => cs.map((c) => c.dataset.code)"))


def check(page: Any) -> None:
    page.get_by_role("button", name="核算").click()
    page.wait_for_selector(".ce-class-card")


def planned(policy: dict[str, Any], catalogs: dict[str, Any], county: str | None) -> list[str]:
    result = plan(policy, catalogs, JUNIOR, county=county, today=TODAY)
    return [c["code"] for c in result["classes"]]


@pytest.fixture
def catalogs(produced: dict[str, Any]) -> dict[str, Any]:
    return dict(json.loads(produced["calculator/catalogs.json"]))


@pytest.fixture
def junior(page: Any) -> Any:
    """The page at 390 px with the junior applicant's target and year; the county choice
    is undone afterwards (the page is shared by the suite)."""
    page.set_viewport_size(PHONE)
    page.get_by_label("申报目标").select_option("junior_first")
    page.get_by_label("申报年度").fill(str(Y))
    yield page
    page.locator("#ce-kind-promotion").check()
    page.get_by_label("申报目标").select_option("junior_first")
    page.get_by_label(SELECT).select_option("")


def test_a_junior_applicant_picks_a_county(
    junior: Any, policy: dict[str, Any], catalogs: dict[str, Any]
) -> None:
    page = junior
    field = page.locator(COUNTY)
    assert field.is_visible()
    # The counties the catalogs' county classes name, newest year first; none chosen.
    assert page.get_by_label(SELECT).locator("option").all_inner_texts() == [
        "不限（未选择）", "瑞安市", "乐清市"]
    assert page.get_by_label(SELECT).input_value() == ""
    assert page.locator("#ce-county-hint").inner_text() == (
        "县（市、区）举办的办班只面向本县（市、区）的初级职称人员（通知第四条）。"
        "未选择时，建议市本级和各县（市、区）的办班；选择后只建议市本级和所选县（市、区）的办班。")
    # Nothing chosen: every county's classes may be suggested, as without --county.
    check(page)
    assert cards(page) == planned(policy, catalogs, None) == ["C-YQ"]
    # 瑞安市: its own class and the city's only; 乐清市's is gone.
    page.get_by_label(SELECT).select_option("瑞安市")
    check(page)
    assert cards(page) == planned(policy, catalogs, "瑞安市") == ["C-NEXT"]
    # A new choice under a result plans again, without 核算.
    page.get_by_label(SELECT).select_option("乐清市")
    page.wait_for_selector('.ce-class-card[data-code="C-YQ"]')
    assert cards(page) == planned(policy, catalogs, "乐清市") == ["C-YQ"]
    assert page.locator(".ce-class-name").all_inner_texts() == ["乐清市初级职称继续教育培训班"]
    assert "级别\n县（市、区）：乐清市" in page.locator(".ce-class-facts").inner_text()
    # Stored with the visitor's other fields.
    prefs = json.loads(page.evaluate("localStorage.getItem('ceportal.hours.prefs.v1')"))
    assert prefs["county"] == "乐清市"
    # A finger's size, nothing wider than the phone.
    box = page.get_by_label(SELECT).bounding_box()
    assert box["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_share_link_keeps_the_county(junior: Any, browser: Any) -> None:
    page = junior
    page.get_by_label(SELECT).select_option("瑞安市")
    check(page)
    assert cards(page) == ["C-NEXT"]
    page.get_by_role("button", name="生成分享链接").click()
    link = page.get_by_label("分享链接（打开后恢复本次自查）").input_value()
    assert "county=%E7%91%9E%E5%AE%89%E5%B8%82" in link
    other = browser.new_context(viewport=PHONE, locale="zh-CN")
    try:
        there = other.new_page()
        there.goto(link)
        there.wait_for_selector(".ce-class-card")
        assert there.get_by_label(SELECT).input_value() == "瑞安市"
        assert cards(there) == ["C-NEXT"]  # not C-YQ, which the same request gets without it
        assert "级别\n市本级" in there.locator(".ce-class-facts").inner_text()
        prefs = json.loads(there.evaluate("localStorage.getItem('ceportal.hours.prefs.v1')"))
        assert prefs["county"] == "瑞安市"
        # Reopened later, the page plans with the stored county.
        there.goto(link.split("?")[0])
        there.wait_for_selector("#ce-county-field:not([hidden])")
        assert there.get_by_label(SELECT).input_value() == "瑞安市"
    finally:
        other.close()


def test_no_county_choice_for_a_senior_target(junior: Any) -> None:
    page = junior
    page.get_by_label(SELECT).select_option("乐清市")
    for target in ("engineer", "senior_engineer"):
        page.get_by_label("申报目标").select_option(target)
        assert page.locator(COUNTY).is_hidden(), target
    # Back to a junior target: the choice is there again, still 乐清市.
    page.get_by_label("申报目标").select_option("assistant_engineer")
    assert page.locator(COUNTY).is_visible()
    assert page.get_by_label(SELECT).input_value() == "乐清市"
    # A cycle: the title held decides (技术员 is junior, 工程师 is not).
    page.locator("#ce-kind-cycle").check()
    page.locator("#ce-title").select_option("engineer")
    assert page.locator(COUNTY).is_hidden()
    page.locator("#ce-title").select_option("technician")
    assert page.locator(COUNTY).is_visible()
    page.locator("#ce-kind-promotion").check()
    # A senior target's link does not carry the county it cannot use.
    page.get_by_label("申报目标").select_option("senior_engineer")
    page.get_by_role("button", name="生成分享链接").click()
    assert "county=" not in page.get_by_label("分享链接（打开后恢复本次自查）").input_value()
