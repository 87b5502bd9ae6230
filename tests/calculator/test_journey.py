"""The calculator as an engineer uses it on a phone (390 px): specialty, courses from the
catalog, warnings next to records, the gap plan, a copied link opened elsewhere, the
printed 学时自查表; and the page's guards: links that would replace saved work, unknown
values, the page's record limit, ?add= from a course page, no JavaScript."""

from __future__ import annotations

import base64
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from generator.rules import evaluate, plan
from tests.browser import watch_context

from .conftest import PLAN_YEAR, TODAY, clear

pytestmark = pytest.mark.browser

Y = PLAN_YEAR.year
PHONE = {"width": 390, "height": 844}
# The rows the page puts into its record list, counted as they are added: the work a
# link makes it do (a row rendered twice counts twice).
ROWS_ADDED = """
self.__ceRowsAdded = 0;
new MutationObserver((mutations) => {
  for (const m of mutations) {
    if (m.target.id !== "ce-record-list") continue;
    for (const node of m.addedNodes) if (node.nodeName === "LI") self.__ceRowsAdded += 1;
  }
}).observe(document, { childList: true, subtree: true });
"""


def rows(page: Any) -> Any:
    return page.locator("#ce-record-list > li")


def pick(page: Any, year: int, code: str) -> None:
    page.get_by_label("目录年度").select_option(label=f"{year}年度")
    page.get_by_label("课程", exact=True).select_option(code)
    page.get_by_role("button", name="添加所选课程").click()


def add_other(page: Any, year: str, module: str, hours: str) -> None:
    page.get_by_role("button", name="添加其他学时").click()
    row = rows(page).last
    row.get_by_label("学习年度").fill(year)
    row.get_by_label("类别").select_option(label=module)
    row.get_by_label("学时", exact=True).fill(hours)


def link_of(request: dict[str, Any], base_url: str) -> str:
    encoded = base64.urlsafe_b64encode(json.dumps(request).encode()).decode().rstrip("=")
    return f"{base_url}calculator/#r={encoded}"


def names(policy: dict[str, Any]) -> dict[str, str]:
    return {k: v["name"] for k, v in policy["modules"].items()}


def test_a_mechanical_engineer_on_a_phone(
    page: Any,
    policy: dict[str, Any],
    produced: dict[str, Any],
    browser: Any,
    base_url: str,
    tmp_path: Path,
) -> None:
    page.set_viewport_size(PHONE)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_label("申报目标").select_option("senior_engineer")
    page.get_by_label("申报年度").fill(str(Y))
    page.get_by_label("专业（用于建议本专业的选修课）").select_option(label="机械")
    pick(page, Y, "E-1")
    pick(page, Y, "E-1")  # the same course twice
    add_other(page, str(Y - 1), "公共必修课", "16")
    add_other(page, str(Y - 2), "专业选修课", "120")
    request = {
        "kind": "promotion",
        "target": "senior_engineer",
        "year": Y,
        "records": [
            {
                "year": Y,
                "module": "elective",
                "hours": 24,
                "label": "E-1 数控机床维护",
                "course": f"{Y}/E-1",
            },
            {
                "year": Y,
                "module": "elective",
                "hours": 24,
                "label": "E-1 数控机床维护",
                "course": f"{Y}/E-1",
            },
            {"year": Y - 1, "module": "public", "hours": 16},
            {"year": Y - 2, "module": "elective", "hours": 120},
        ],
    }
    page.get_by_role("button", name="核算").click()
    page.wait_for_selector("#ce-verdict")
    expected = evaluate(policy, request)
    # The result is scrolled into view and announced.
    top = page.locator("#ce-result").bounding_box()["y"]
    assert 0 <= top < PHONE["height"] / 2
    live = page.locator("#ce-live").inner_text()
    assert live.startswith("核算结果：未达标；总学时已计入")
    # The rules' warnings (a repeated course) are shown next to their record.
    warnings = expected["warnings"]
    assert [w["record"] for w in warnings] == [1]  # the second E-1
    for warning in warnings:
        assert (
            warning["text"]
            in rows(page).nth(warning["record"]).locator(".ce-record-notes").inner_text()
        )
    # It did not count either: shown once, as the reason it was not counted.
    assert rows(page).nth(1).locator(".ce-note-ignored").inner_text() == (
        "未计入：" + warnings[0]["text"]
    )
    # The plan (v3): one card per class to book, its courses linked; never E-1 again.
    catalogs = json.loads(produced["calculator/catalogs.json"])
    planned = plan(policy, catalogs, request, specialty="mechanical", today=TODAY)
    assert [c["code"] for c in planned["classes"]] == ["C-NEXT"]  # the past class is gone
    assert page.locator(".ce-class-name").all_inner_texts() == [c["name"] for c in planned["classes"]]
    module_names = names(policy)
    taught = [s for c in planned["classes"] for s in c["courses"]]
    assert page.locator(".ce-class-courses li").all_inner_texts() == [
        f"{s['course'].split('/')[1]} {s['title']}（{s['hours']}学时，{module_names[s['module']]}）"
        for s in taught
    ]
    assert f"{Y}/E-1" not in [s["course"] for s in taught]
    assert page.locator(".ce-plan-note").inner_text() == planned["note"]
    # Personal fields, kept locally, for the sheet.
    for field, value in (
        ("name", "张工"),
        ("unit", "温州某机械厂"),
        ("specialty", "机械"),
        ("title", "工程师"),
    ):
        page.locator(f"#ce-person-{field}").fill(value)
    # Copy the link, open it in a new context (another phone).
    page.get_by_role("button", name="生成分享链接").click()
    page.get_by_role("button", name="复制链接").click()
    page.wait_for_function(
        "() => document.getElementById('ce-live').textContent.startsWith('已复制分享链接')"
    )
    link = page.evaluate("navigator.clipboard.readText()")
    assert link == page.get_by_label("分享链接（打开后恢复本次自查）").input_value()
    other = browser.new_context(viewport=PHONE, locale="zh-CN")
    seen = watch_context(other, block=False)
    try:
        there = other.new_page()
        there.goto(link)
        there.wait_for_selector("#ce-verdict")
        assert rows(there).count() == 4
        assert (
            there.locator("#ce-total-figures").inner_text()
            == page.locator("#ce-total-figures").inner_text()
        )
        assert (
            there.locator("#ce-person-name").input_value() == ""
        )  # personal fields stay on the phone
    finally:
        other.close()
    seen.check()
    assert seen.csp_errors == []
    # Print: one A4 page with the personal fields and the shortfall.
    page.emulate_media(media="print")
    pdf = tmp_path / "sheet.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    page.emulate_media(media="screen")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    sheet = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for wanted in ("继续教育学时自查表", "张工", "温州某机械厂", "本人签名", "单位审核意见"):
        assert wanted in sheet
    short = expected["shortfall"]
    assert f"尚差总学时 {short['total']} 学时" in sheet
    assert "核算" not in sheet.replace("核算结果", "")  # no on-screen instructions
    assert "添加所选课程" not in sheet


def test_the_plan_says_why_nothing_is_suggested(page: Any) -> None:
    page.get_by_label("申报目标").select_option("engineer")
    page.get_by_label("申报年度").fill("2011")
    add_other(page, "2010", "专业选修课", "104")
    add_other(page, "2010", "公共必修课", "16")
    page.get_by_role("button", name="核算").click()
    page.wait_for_selector("#ce-verdict")
    note = page.locator(".ce-plan-note").inner_text()
    assert (
        note
        == f"只计入2009—2011年度的学时，今天（{TODAY.isoformat()}）起取得的学时已不能计入，无法再补足差额。"
    )
    assert page.locator(".ce-class-card").count() == 0


def test_implausible_records_get_a_hint_before_they_count(page: Any) -> None:
    page.get_by_label("申报年度").fill("2011")
    add_other(page, "2010", "专业选修课", "99999999999")
    add_other(page, "2008", "专业选修课", "8")
    add_other(page, "2012", "专业选修课", "8")
    notes = [rows(page).nth(i).locator(".ce-note-hint").inner_text() for i in range(3)]
    assert notes == [
        "一条记录超过 200 学时（一个完整周期的要求），请核对是否填错",
        "早于2009年度（继续教育自2009年开始），不会计入",
        "晚于申报年度（2011年度），不会计入",
    ]


def test_clear_asks_first(page: Any) -> None:
    add_other(page, "2010", "专业选修课", "8")
    page.get_by_role("button", name="清空本页").click()
    dialog = page.get_by_role("dialog")
    assert dialog.inner_text().startswith("清空本页将删除填写的内容和全部 1 条学时记录")
    dialog.get_by_role("button", name="取消").click()
    assert rows(page).count() == 1
    clear(page)
    assert rows(page).count() == 0
    assert page.locator("#ce-live").inner_text().strip() == "已清空"


def test_a_link_asks_before_replacing_saved_work(page: Any, base_url: str) -> None:
    page.get_by_label("申报年度").fill("2012")
    add_other(page, "2012", "专业选修课", "16")
    theirs = {"kind": "promotion", "target": "engineer", "year": 2011, "records": []}
    page.goto("about:blank")
    page.goto(link_of(theirs, base_url))
    dialog = page.get_by_role("dialog")
    assert dialog.inner_text().startswith(
        "打开的分享链接含 0 条学时记录，将替换本机保存的自查记录（1 条）。是否替换？"
    )
    dialog.get_by_role("button", name="保留本机的记录").click()
    assert page.get_by_label("申报年度").input_value() == "2012"
    assert rows(page).count() == 1
    assert "#r=" not in page.url
    page.goto("about:blank")
    page.goto(link_of(theirs, base_url))
    page.get_by_role("dialog").get_by_role("button", name="用链接中的记录替换").click()
    page.wait_for_selector("#ce-verdict")
    assert page.get_by_label("申报年度").input_value() == "2011"
    assert rows(page).count() == 0
    saved = json.loads(page.evaluate("localStorage.getItem('ceportal.hours.v1')"))
    assert saved == theirs


@pytest.mark.parametrize(
    ("request_", "problem"),
    [
        (
            {"kind": "promotion", "target": "boss", "year": 2011, "records": []},
            "有本页不认识的内容：申报目标 “boss”",
        ),
        (
            {
                "kind": "cycle",
                "title": "engineer",
                "cycle_start": 2009,
                "year": 2012,
                "records": [{"year": 2010, "module": "lecture", "hours": 8}],
            },
            "有本页不认识的内容：第 1 条记录的类别 “lecture”",
        ),
    ],
)
def test_unknown_values_in_a_link_are_reported(
    page: Any, base_url: str, request_: dict[str, Any], problem: str
) -> None:
    page.goto("about:blank")
    page.goto(link_of(request_, base_url))
    page.wait_for_selector("#ce-share-error:not([hidden])")
    assert page.locator("#ce-share-error").inner_text() == f"分享链接无法打开（{problem}）。"
    assert page.get_by_label("申报目标").input_value() == "junior_first"  # not swapped in silently


def rows_added(page: Any) -> int:
    return int(page.evaluate("self.__ceRowsAdded"))


def test_a_4000_record_link_is_refused_and_the_page_stays_responsive(
    browser: Any, base_url: str
) -> None:
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    seen = watch_context(context, block=False)
    context.add_init_script(ROWS_ADDED)
    try:
        page = context.new_page()
        record = {"year": 2010, "module": "elective", "hours": 8, "label": "培训"}
        many = {"kind": "promotion", "target": "engineer", "year": 2011, "records": [record] * 4000}
        page.goto("about:blank")
        page.goto(link_of(many, base_url))
        page.wait_for_selector("#ce-share-error:not([hidden])")
        assert page.locator("#ce-share-error").inner_text() == (
            "分享链接无法打开（含 4000 条学时记录，超过本页上限 500 条；请分成几次自查，或用 ceportal hours 核算）。"
        )
        assert rows(page).count() == 0
        assert page.evaluate("localStorage.getItem('ceportal.hours.v1')") is None
        page.evaluate("window.ceHours.ready")
        assert rows_added(page) == 0  # refused before a row is made
        # The page's limit itself: 500 records open, each row rendered once, and are checked.
        limit = {**many, "records": [record] * 500}
        page.goto("about:blank")
        page.goto(link_of(limit, base_url))
        page.wait_for_selector("#ce-verdict")
        assert rows(page).count() == 500
        assert rows_added(page) == 500  # each row made once, not again per record or result
        page.get_by_role("button", name="添加其他学时").click()
        assert (
            page.locator("#ce-pick-error").inner_text()
            == "学时记录已达本页上限 500 条，不能再添加。"
        )
    finally:
        context.close()
    seen.check()


def test_add_from_a_course_page(page: Any, base_url: str) -> None:
    page.goto(base_url + "calculator/?add=2010/E-M11")
    page.wait_for_function("() => document.querySelectorAll('#ce-record-list > li').length === 1")
    row = rows(page).first
    assert row.get_by_label("说明（可选）").input_value() == "E-M11 精密制造与检测技术"
    assert row.locator(".ce-note-course").inner_text() == "课程目录：2010/E-M11"
    assert page.url == base_url + "calculator/"
    saved = json.loads(page.evaluate("localStorage.getItem('ceportal.hours.v1')"))
    assert saved["records"] == [
        {
            "year": 2010,
            "module": "elective",
            "hours": 16,
            "label": "E-M11 精密制造与检测技术",
            "course": "2010/E-M11",
        }
    ]
    page.goto(base_url + "calculator/?add=2010/E-M11")  # again: not added twice
    page.wait_for_function(
        "() => document.getElementById('ce-live').textContent.includes('未重复添加')"
    )
    assert rows(page).count() == 1
    page.goto(base_url + "calculator/?add=2010/NOPE")
    page.wait_for_selector("#ce-notice:not([hidden])")
    assert (
        page.locator("#ce-notice").inner_text()
        == "链接要添加的课程“2010/NOPE”不在课程目录中，未添加。"
    )


def test_specialty_and_personal_fields_are_remembered(page: Any) -> None:
    page.get_by_label("专业（用于建议本专业的选修课）").select_option("metrology")
    page.locator("#ce-person-name").fill("李工")
    page.reload()
    page.wait_for_selector("#ce-hours:not([hidden])")
    assert page.get_by_label("专业（用于建议本专业的选修课）").input_value() == "metrology"
    assert page.locator("#ce-person-name").input_value() == "李工"
    # Not in the request: files and links stay what `ceportal hours` takes.
    assert "specialty" not in (page.evaluate("localStorage.getItem('ceportal.hours.v1')") or "")


def test_without_javascript(browser: Any, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(base_url + "calculator/")
        message = page.locator(".ce-noscript")
        assert message.is_visible()
        assert message.inner_text() == (
            "学时自查在您的浏览器内运行核算规则，需要启用 JavaScript；当前未启用，表格不可用。"
            "各类申报与验审的学时要求见学时政策页面。"
        )
        assert message.get_by_role("link").get_attribute("href") == "../policy/"
        assert page.locator("#ce-hours").is_hidden()
        assert page.get_by_text("正在加载计算引擎").is_hidden()
    finally:
        context.close()


def test_twenty_records_print_on_one_a4_page(page: Any, base_url: str, tmp_path: Path) -> None:
    records = [
        {
            "year": 2010,
            "module": "elective",
            "hours": 8,
            "label": f"E-M{i:02d} 机械制造新技术专题讲座第{i}讲",
            "course": f"2010/E-M{i:02d}",
        }
        for i in range(18)
    ] + [
        {"year": 2012, "module": "public", "hours": 8},
        {"year": 2013, "module": "other", "hours": 40},
    ]
    request = {"kind": "promotion", "target": "engineer", "year": 2011, "records": records}
    page.goto("about:blank")
    page.goto(link_of(request, base_url))
    page.wait_for_selector("#ce-verdict")
    page.locator("#ce-person-name").fill("王工")
    page.emulate_media(media="print")
    pdf = tmp_path / "twenty.pdf"
    page.pdf(path=str(pdf), format="A4")
    page.emulate_media(media="screen")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    sheet = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "王工" in sheet and "不计入：不在计算窗口内" in sheet


def focused(page: Any) -> str:
    return str(page.evaluate("document.activeElement.id"))


def tab(page: Any, times: int = 1) -> str:
    for _ in range(times):
        page.keyboard.press("Tab")
    return focused(page)


def test_the_journey_by_keyboard_only_on_a_phone(page: Any, policy: dict[str, Any]) -> None:
    page.set_viewport_size(PHONE)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.locator("h1").click()
    assert tab(page, 2) == "ce-target"
    for _ in range(3):
        page.keyboard.press("ArrowDown")  # 初次申报初级 -> … -> 高级工程师及以上
    assert page.locator("#ce-target").input_value() == "senior_engineer"
    assert tab(page) == "ce-promotion-year"
    page.keyboard.type(str(Y))
    assert tab(page) == "ce-specialty"
    page.keyboard.press("ArrowDown")
    assert page.locator("#ce-specialty").input_value() == "mechanical"
    assert tab(page, 3) == "ce-pick-add"  # the newest year, its first course (E-1)
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # the same course twice
    assert tab(page) == "ce-add-other"
    page.keyboard.press("Enter")
    assert focused(page) == "ce-r3-year"
    page.keyboard.type(str(Y - 1))
    tab(page)
    page.keyboard.press("ArrowUp")  # 专业选修课 -> 公共必修课
    tab(page)
    page.keyboard.type("16")
    assert tab(page, 3) == "ce-submit"  # past 说明 and 删除
    page.keyboard.press("Enter")
    page.wait_for_selector("#ce-verdict")
    request = {
        "kind": "promotion",
        "target": "senior_engineer",
        "year": Y,
        "records": [
            {
                "year": Y,
                "module": "elective",
                "hours": 24,
                "label": "E-1 数控机床维护",
                "course": f"{Y}/E-1",
            },
            {
                "year": Y,
                "module": "elective",
                "hours": 24,
                "label": "E-1 数控机床维护",
                "course": f"{Y}/E-1",
            },
            {"year": Y - 1, "module": "public", "hours": 16},
        ],
    }
    saved = json.loads(page.evaluate("localStorage.getItem('ceportal.hours.v1')"))
    assert saved == request
    expected = evaluate(policy, request)
    assert (
        page.locator("#ce-total-figures")
        .inner_text()
        .startswith(f"已计入 {expected['counted']['total']} 学时 / 要求 200 学时")
    )
    assert page.locator(".ce-class-card").count() > 0
    assert tab(page) == "ce-print"  # beside the result, the next stop after 核算
    for _ in range(40):  # the plan's links, the sheet's fields, export, import
        if tab(page) == "ce-share-make":
            break
    assert focused(page) == "ce-share-make"
    page.keyboard.press("Enter")
    assert focused(page) == "ce-share-link"
    assert tab(page) == "ce-share-copy"
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.getElementById('ce-live').textContent.startsWith('已复制分享链接')"
    )
    assert (
        page.evaluate("navigator.clipboard.readText()")
        == page.locator("#ce-share-link").input_value()
    )
