"""Issue 28: the engineer's next step, on a phone. A mechanical 助理工程师 applying for
工程师 next year, 390 px wide, on a whole site built from a catalog with bookable classes:
the result -> the plan's class card -> the class on the schedule -> the registration form;
a course whose class is still to come added from its page -> 计划, not 计入; the reading
line under the verdict; the printed 自查表; with the text at 130 % and in WeChat."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from generator.browser.calculator_data import catalogs_data
from generator.catalog.validating import load_catalog
from generator.rules import evaluate, plan
from generator.site.publishing import build_site
from tests.browser import watch_context
from tests.conftest import CATALOG, ROOT
from tests.portal.subpath import serve_under_subpath

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TODAY = dt.date.today()
Y = TODAY.year + 1  # the next catalog year, and the year the engineer applies in
PHONE = {"width": 390, "height": 844}
WECHAT = (
    "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/116.0.0.0 Mobile Safari/537.36 MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64"
)


def day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


YEAR_FILE = f"""\
year: {Y}
title: {Y}年度工程技术（一）系列继续教育课程目录（测试）
registration:
  closes: {day(120)}
  contact: 填写报名表，报温州市工业科学研究院
courses:
  - {{code: G-21, title: 专业技术人员职业道德与诚信建设, module: public, hours: 8, form: lecture}}
  - {{code: G-22, title: 知识产权保护与科技成果转化, module: public, hours: 8, form: lecture}}
  - {{code: G-23, title: 数字经济概论, module: public, hours: 8, form: lecture}}
  - {{code: E-M21, title: 智能制造装备运维技术, module: elective, hours: 16, form: training, specialties: [mechanical]}}
  - {{code: E-M22, title: 精密测量与质量控制, module: elective, hours: 16, form: training, specialties: [mechanical]}}
  - {{code: E-M23, title: 增材制造工艺, module: elective, hours: 8, form: seminar, specialties: [mechanical]}}
classes:
  - code: "{Y}-1"
    name: {Y}年第一期继续教育培训班
    level: city
    start: {day(38)}
    end: {day(40)}
    registration_closes: {day(16)}
    location: 温州市工业科学研究院培训中心
    contact: 培训部 0577-88881234，jxjy@example.gov.cn
    courses: [G-21, G-22, E-M21, E-M22]
  - code: YQ-{Y}-1
    name: 乐清市{Y}年初级专业技术人员继续教育培训班
    level: county
    county: 乐清市
    start: {day(30)}
    end: {day(31)}
    registration_closes: {day(10)}
    location: 乐清市职业技术学校
    courses: [G-21, E-M23]
  - code: "{Y}-2"
    name: {Y}年第二期继续教育培训班
    level: city
    start: {day(130)}
    end: {day(131)}
    registration_closes: {day(120)}
    location: 温州市工业科学研究院培训中心
    courses: [G-23, E-M23]
"""

# 80 of 128 hours, 16 of 32 public, window Y-3…Y: the public hours of Y-4 are dropped.
REQUEST = {
    "kind": "promotion",
    "target": "engineer",
    "year": Y,
    "records": [
        {"year": Y - 4, "module": "public", "hours": 16},
        {"year": Y - 3, "module": "elective", "hours": 40},
        {"year": Y - 2, "module": "public", "hours": 16},
        {"year": Y - 1, "module": "elective", "hours": 24},
    ],
}


@pytest.fixture(scope="module")
def catalog_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("phone-catalog")
    for name in ("policy.yaml", "2009.yaml", "2010.yaml"):
        shutil.copy(CATALOG / name, folder / name)
    (folder / f"{Y}.yaml").write_text(YEAR_FILE, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def site(fixed_epoch: None, catalog_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = build_site(tmp_path_factory.mktemp("phone-site") / "site", catalog_dir, ROOT / "mkdocs.yml")
    with serve_under_subpath(out) as url:
        yield url


@pytest.fixture(scope="module")
def expected(catalog_dir: Path) -> dict[str, Any]:
    catalog, _ = load_catalog(catalog_dir)
    policy = catalog.policy.as_rules_data()
    return {
        "policy": policy,
        "response": evaluate(policy, REQUEST),
        "plan": plan(policy, catalogs_data(catalog), REQUEST, specialty="mechanical", today=TODAY),
    }


def link_of(url: str, request: dict[str, Any]) -> str:
    encoded = base64.urlsafe_b64encode(json.dumps(request).encode()).decode().rstrip("=")
    return f"{url}calculator/?specialty=mechanical#r={encoded}"


def cn(iso: str) -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日"


def small_targets(page: Any, scope: str) -> list[str]:
    """Controls and links in ``scope`` that a finger would miss: under 44 px tall."""
    return list(page.evaluate(
        """(scope) => [...document.querySelectorAll(scope)]
             .filter((e) => e.offsetParent !== null)
             .filter((e) => e.getBoundingClientRect().height < 44)
             .map((e) => `${e.tagName} ${e.textContent.trim().slice(0, 20)} ${e.getBoundingClientRect().height}`)""",
        scope,
    ))


def test_the_engineers_next_step_on_a_phone(
    browser: Any, site: str, expected: dict[str, Any], tmp_path: Path
) -> None:
    response, planned = expected["response"], expected["plan"]
    assert response["shortfall"] == {"total": 48, "public": 16}
    assert [c["code"] for c in planned["classes"]] == [f"{Y}-1"]  # not the county class
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    seen = watch_context(context, block=False)
    try:
        page = context.new_page()
        page.goto(link_of(site, REQUEST))
        page.wait_for_selector(".ce-class-card")
        # The reading under the verdict: every year since 2009 would give another shortfall.
        reading = response["readings"][0]
        assert reading["assumption"] == "sliding_window"
        line = page.locator(".ce-reading")
        assert line.inner_text() == f"{reading['text']}。这一推定的说明"
        assert line.get_by_role("link").get_attribute("href") == "../policy/#assumption-sliding_window"
        # The plan sits right under the verdict and its reading, before the figures.
        order = page.evaluate("""[...document.querySelectorAll('#ce-result-body > *')]
                                   .map((e) => e.id || e.className)""")
        assert order[:4] == ["ce-verdict", "ce-reading", "ce-plan", "ce-quota"], order
        card = page.locator(".ce-class-card")
        assert card.count() == 1
        session = planned["classes"][0]
        days = (dt.date.fromisoformat(session["registration_closes"]) - TODAY).days
        facts = card.locator(".ce-class-facts").inner_text()
        assert f"报名截止\n{cn(session['registration_closes'])} 报名中，还有 {days} 天" in facts
        assert f"办班日期\n{cn(day(38))}至" in facts
        assert "地点\n温州市工业科学研究院培训中心" in facts
        assert "可补学时\n48 学时（其中公共必修课 16 学时）" in facts
        assert card.get_by_role("link", name="0577-88881234").get_attribute("href") == "tel:057788881234"
        assert card.get_by_role("link", name="jxjy@example.gov.cn").get_attribute("href") == (
            "mailto:jxjy@example.gov.cn")
        courses = card.locator(".ce-class-courses a")
        assert courses.all_inner_texts() == [
            "G-21 专业技术人员职业道德与诚信建设（8学时，公共必修课）",
            "G-22 知识产权保护与科技成果转化（8学时，公共必修课）",
            "E-M21 智能制造装备运维技术（16学时，专业选修课）",
            "E-M22 精密测量与质量控制（16学时，专业选修课）",
        ]
        assert courses.first.get_attribute("href") == f"../catalog/{Y}/G-21/"
        assert page.locator(".ce-plan-note").inner_text() == planned["note"]
        # Nothing a finger would miss, nothing wider than the phone.
        assert small_targets(page, "#ce-hours button, #ce-hours select, #ce-hours input[type=text], "
                                   ".ce-class-card a") == []
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        # -> the class on the schedule: its section, scrolled to.
        card.get_by_role("link", name="查看办班详情").click()
        page.wait_for_url(re.compile(rf"/schedule/{Y}/#class-{Y}-1$"))
        heading = page.locator(f"#class-{Y}-1")
        assert heading.inner_text() == f"{Y}年第一期继续教育培训班"
        assert heading.is_visible()
        page.go_back()
        page.wait_for_selector(".ce-class-card")
        # -> the registration form.
        page.locator(".ce-class-card").get_by_role("link", name="下载报名表").click()
        page.wait_for_url(re.compile(r"/downloads/$"))
        assert page.locator('a[href$="registration-form.docx"]').count() >= 1

        # A course still to come, added from its page: 计划, not 计入.
        page.goto(f"{site}catalog/{Y}/G-21/")
        page.get_by_role("link", name="加入学时自查").click()
        page.wait_for_selector("#ce-notice:not([hidden])")
        assert page.locator("#ce-notice").inner_text() == (
            "已从课程目录添加第 5 条记录：专业技术人员职业道德与诚信建设，8学时；"
            "其办班尚未结束，记为计划（不计入已完成学时）。")
        row = page.locator("#ce-record-list > li").nth(4)
        assert row.locator(".ce-note-planned").inner_text().startswith(
            f"计划：参加{Y}年第一期继续教育培训班（{cn(day(38))}至")
        page.get_by_role("button", name="核算").click()
        page.wait_for_selector("#ce-verdict")
        page.wait_for_selector(".ce-with-planned")
        with_one = json.loads(page.evaluate("localStorage.getItem('ceportal.hours.v1')"))
        assert with_one["records"][4] == {
            "year": Y, "module": "public", "hours": 8, "label": "G-21 专业技术人员职业道德与诚信建设",
            "course": f"{Y}/G-21", "planned": True,
        }
        after = evaluate(expected["policy"], with_one)
        assert after["counted"] == response["counted"]  # not counted as done
        assert page.locator("#ce-total-figures").inner_text().startswith("已计入 80 学时 / 要求 128 学时")
        assert page.locator(".ce-with-planned").inner_text() == (
            "完成计划后：尚差总学时 40 学时（其中公共必修课 8 学时）（1 条计划中的学时尚未计入上面的结果）")
        # A second tap says it is already there.
        page.goto(f"{site}catalog/{Y}/G-21/")
        page.get_by_role("link", name="加入学时自查").click()
        page.wait_for_selector("#ce-notice:not([hidden])")
        assert page.locator("#ce-notice").inner_text() == (
            f"课程“专业技术人员职业道德与诚信建设”（{Y}/G-21）已在学时记录中（计划）（第 5 条），未重复添加。")
        assert page.locator("#ce-record-list > li").count() == 5
        # The printed 自查表: the planned record apart from 计入, and the plan.
        page.get_by_role("button", name="核算").click()
        page.wait_for_selector(".ce-with-planned")
        page.emulate_media(media="print")
        pdf = tmp_path / "sheet.pdf"
        page.pdf(path=str(pdf), format="A4")
        page.emulate_media(media="screen")
        sheet = subprocess.run(["pdftotext", "-layout", str(pdf), "-"],
                               capture_output=True, text=True, check=True).stdout
        flat = re.sub(r"\s+", "", sheet)
        assert "计划中的学时（尚未完成，不计入上述结果）" in flat
        assert "计划，未计入" in flat
        assert "报名计划" in flat and f"{Y}年第一期继续教育培训班" in flat
        assert "另一种理解：若按2009年度以来的全部学时计算" in flat
    finally:
        context.close()
    seen.check()


def test_big_text_and_wechat(browser: Any, site: str) -> None:
    context = browser.new_context(viewport=PHONE, locale="zh-CN", user_agent=WECHAT)
    # The text at 130 % (a WeChat or Android font setting): Material's root size, scaled.
    context.add_init_script(
        "document.addEventListener('DOMContentLoaded', () =>"
        " document.documentElement.style.setProperty('font-size', '162.5%', 'important'));")
    try:
        page = context.new_page()
        page.goto(link_of(site, REQUEST))
        page.wait_for_selector(".ce-class-card")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        # Every category select shows its whole name ("公共必修课", not "公扌").
        clipped = page.evaluate("""[...document.querySelectorAll('#ce-record-list select')].filter((s) => {
            const c = document.createElement('canvas').getContext('2d');
            const style = getComputedStyle(s);
            c.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
            const text = c.measureText(s.selectedOptions[0].text).width;
            return text + 20 > s.getBoundingClientRect().width;  // the arrow and padding
        }).map((s) => s.value)""")
        assert clipped == []
        assert small_targets(page, "#ce-hours button, #ce-hours select, #ce-hours input[type=text]") == []
        # WeChat: the note says downloads and printing will not work here, and how to go on.
        note = page.locator(".ce-wechat-note")
        assert note.count() == 1
        assert note.inner_text().startswith("您正在微信内浏览：微信内置浏览器不能下载文件")
        assert "在浏览器打开" in note.inner_text()
        page.evaluate("() => { window.print = () => { window.__printed = true; }; }")
        page.get_by_role("button", name="打印学时自查表").click()
        page.wait_for_function("document.activeElement.classList.contains('ce-wechat-note')")
        assert page.evaluate("window.__printed") is None  # print() does nothing there: not called
        # The downloads page and the schedule say it too, above their files.
        for path in ("downloads/", f"schedule/{Y}/"):
            page.goto(site + path)
            assert page.locator(".ce-wechat-note").count() == 1, path
        # The policy's figures: one card per target, nothing off-screen.
        page.goto(site + "policy/")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        cells = page.locator("table.ce-promotion tbody tr").first.locator("td")
        assert all(box["x"] + box["width"] <= PHONE["width"]
                   for box in (cells.nth(i).bounding_box() for i in range(cells.count())))
    finally:
        context.close()


def test_outside_wechat_there_is_no_note(browser: Any, site: str) -> None:
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(site + "downloads/")
        page.wait_for_selector("article")
        assert page.locator(".ce-wechat-note").count() == 0
        assert urlsplit(page.url).path.endswith("/downloads/")
    finally:
        context.close()
