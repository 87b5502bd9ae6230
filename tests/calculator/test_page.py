"""The calculator page in headless Chromium, used as a person would: pointer,
keyboard, files and links. Every test also fails on a console error, a CSP
violation or a request leaving 127.0.0.1 (see conftest.watch)."""

from __future__ import annotations

import base64
import html
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.browser import calculator_files as files
from generator.browser import calculator_page as page_module
from generator.rules import evaluate, plan
from generator.site import calculator_preview as preview
from tests.browser import watch_context

from .conftest import ROOT, TODAY, Watch, clear, tampered_copy

pytestmark = pytest.mark.browser

STORAGE_KEY = "ceportal.hours.v1"


def rows(page: Any) -> Any:
    return page.locator("#ce-record-list > li")


def add_other(page: Any, year: str, module: str, hours: str, label: str = "") -> None:
    page.get_by_role("button", name="添加其他学时").click()
    row = rows(page).last
    row.get_by_label("学习年度").press_sequentially(year)
    row.get_by_label("类别").select_option(label=module)
    row.get_by_label("学时", exact=True).press_sequentially(hours)
    if label:
        row.get_by_label("说明（可选）").press_sequentially(label)


def pick(page: Any, year: int, code: str) -> None:
    page.get_by_label("目录年度").select_option(label=f"{year}年度")
    course = page.get_by_label("课程", exact=True)
    value = course.locator("option", has_text=code).first.get_attribute("value")
    course.select_option(value)
    page.get_by_role("button", name="添加所选课程").click()


def text(page: Any, selector: str) -> str:
    return str(page.locator(selector).inner_text()).strip()


# --- filling the form --------------------------------------------------------------------

USER_REQUEST = {
    "kind": "promotion",
    "target": "engineer",
    "year": 2011,
    "records": [
        {
            "year": 2009,
            "module": "public",
            "hours": 8,
            "label": "G-01 专业技术人员职业道德与诚信建设",
            "course": "2009/G-01",
        },
        {
            "year": 2010,
            "module": "elective",
            "hours": 16,
            "label": "E-M11 精密制造与检测技术",
            "course": "2010/E-M11",
        },
        {"year": 2010, "module": "other", "hours": 40.5, "label": "课题研究"},
        {"year": 2012, "module": "public", "hours": 8},
    ],
}


def fill_user_request(page: Any) -> None:
    page.get_by_label("申报目标").select_option(label="助理工程师晋升工程师")
    page.get_by_label("申报年度").press_sequentially("2011")
    pick(page, 2009, "G-01")
    pick(page, 2010, "E-M11")
    add_other(page, "2010", "其他形式", "40.5", "课题研究")
    add_other(page, "2012", "公共必修课", "8")


def test_promotion_filled_by_pointer_shows_the_figures(
    page: Any, policy: dict[str, Any], produced: dict[str, Any]
) -> None:
    fill_user_request(page)
    page.get_by_role("button", name="核算").click()
    page.wait_for_selector("#ce-verdict")
    expected = evaluate(policy, USER_REQUEST)
    assert expected["counted"] == {"total": 64.5, "public": 8}
    assert text(page, "#ce-verdict") == "未达标　助理工程师晋升工程师（2011年度申报）"
    assert (
        text(page, "#ce-total-figures") == "已计入 64.5 学时 / 要求 96 学时，尚差 31.5 学时 未达标"
    )
    assert text(page, "#ce-public-figures") == "已计入 8 学时 / 要求 24 学时，尚差 16 学时 未达标"
    bar = page.locator("#ce-total-bar")
    assert (bar.evaluate("b => [b.max, b.value]")) == [96, 64.5]
    assert text(page, ".ce-window") == "计算窗口：2009—2011年度"
    assert text(page, ".ce-basis") == f"依据：{expected['basis']}"
    assert page.locator(".ce-ignored li").all_inner_texts() == [
        "第 4 条（2012年度，公共必修课，8学时）：不在计算窗口内（2009—2011年度）"
    ]
    # The row says why it did not count, next to it.
    assert rows(page).nth(3).locator(".ce-note-ignored").inner_text() == (
        "未计入：不在计算窗口内（2009—2011年度）"
    )
    assert rows(page).nth(1).locator(".ce-note-course").inner_text() == "课程目录：2010/E-M11"
    # The gap planner (generator.rules.plan, through the worker): an application whose
    # window is over can gain nothing from today on, and says so.
    catalogs = json.loads(produced["calculator/catalogs.json"])
    planned = plan(policy, catalogs, USER_REQUEST, specialty=None, today=TODAY)
    assert planned["classes"] == []
    assert text(page, ".ce-plan-note") == planned["note"]
    # Saved for the next visit, as the very request the CLI takes.
    saved = json.loads(page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')"))
    assert saved == USER_REQUEST


def test_cycle_review_explains_records_after_the_as_of_year(
    page: Any, policy: dict[str, Any]
) -> None:
    page.get_by_label("周期验审").check()
    assert page.locator("#ce-promotion").is_hidden()
    page.locator("#ce-title").select_option(label="助理工程师")
    page.get_by_label("周期起始年度").fill("2010")
    page.get_by_label("验审年度").fill("2011")
    add_other(page, "2010", "公共必修课", "32")
    add_other(page, "2011", "专业选修课", "96")
    add_other(page, "2012", "专业选修课", "8")
    page.get_by_role("button", name="核算").click()
    page.wait_for_selector("#ce-verdict")
    assert text(page, "#ce-verdict") == "达标　周期验审：助理工程师，周期自2010年度起，截至2011年度"
    assert text(page, "#ce-total-figures") == "已计入 128 学时 / 要求 128 学时 达标"
    assert page.locator(".ce-ignored li").all_inner_texts() == [
        "第 3 条（2012年度，专业选修课，8学时）：晚于验审年度（2011年度），尚不计入"
    ]
    assert page.locator("#ce-plan").is_hidden()


def test_junior_first_has_no_public_quota(page: Any) -> None:
    page.get_by_label("申报年度").fill("2012")
    add_other(page, "2012", "专业选修课", "10")
    page.get_by_role("button", name="核算").click()
    page.wait_for_selector("#ce-verdict")
    assert text(page, "#ce-total-figures") == "已计入 10 学时 / 要求 16 学时，尚差 6 学时 未达标"
    assert page.locator("#ce-public-bar").count() == 0
    assert "已计入 0 学时；未单列公共必修课要求。" in text(page, "#ce-result-body")


# --- bad input -------------------------------------------------------------------------------


def submit(page: Any) -> None:
    page.get_by_role("button", name="核算").click()


def test_text_where_a_number_belongs(page: Any) -> None:
    page.get_by_label("申报年度").fill("二〇一一")
    add_other(page, "2010", "公共必修课", "八")
    submit(page)
    assert text(page, "#ce-promotion-year-error") == "申报年度必须是数字，收到“二〇一一”"
    assert page.locator("#ce-r1-hours-error").inner_text() == "学时必须是数字，收到“八”"
    assert page.get_by_label("申报年度").get_attribute("aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == "ce-promotion-year"
    assert text(page, "#ce-result-body") == "请先更正表格中标出的问题。"


def test_full_width_digits_count(page: Any) -> None:
    page.get_by_label("申报年度").fill("２０１２")
    add_other(page, "２０１２", "专业选修课", "１６．０")
    submit(page)
    page.wait_for_selector("#ce-verdict")
    assert text(page, "#ce-total-figures") == "已计入 16 学时 / 要求 16 学时 达标"


@pytest.mark.parametrize(
    ("year", "hours", "field", "message"),
    [
        ("2010", "-8", "#ce-r1-hours-error", "学时必须是大于0的数字，收到 -8"),
        ("2010", "0", "#ce-r1-hours-error", "学时必须是大于0的数字，收到 0"),
        # A record before 2009 is ignored, not refused (DESIGN.md); before 1900 it is refused.
        ("1899", "8", "#ce-r1-year-error", "年度必须在1900年至9999年之间，收到 1899"),
        ("2010", "10001", "#ce-r1-hours-error", "学时不能超过10000（一年只有8760小时），收到 10001"),
        ("2010.5", "8", "#ce-r1-year-error", "年度必须是整数（如 2009），收到 2010.5"),
        ("2010", "", "#ce-r1-hours-error", "请填写学时"),
    ],
)
def test_the_rules_message_appears_next_to_the_field(
    page: Any, year: str, hours: str, field: str, message: str
) -> None:
    page.get_by_label("申报年度").fill("2011")
    add_other(page, year, "公共必修课", hours)
    submit(page)
    page.wait_for_selector(f"{field}:not([hidden])")
    assert text(page, field) == message
    assert page.locator("#ce-verdict").count() == 0


def test_cycle_years_out_of_order(page: Any) -> None:
    page.get_by_label("周期验审").check()
    page.get_by_label("周期起始年度").fill("2012")
    page.get_by_label("验审年度").fill("2011")
    submit(page)
    page.wait_for_selector("#ce-cycle-year-error:not([hidden])")
    assert text(page, "#ce-cycle-year-error") == "验审年度（2011）不能早于周期起始年度（2012）"


def test_corrupt_local_storage_is_reported_and_cleared(page: Any) -> None:
    page.evaluate(f"localStorage.setItem('{STORAGE_KEY}', '{{not json')")
    page.reload()
    assert text(page, "#ce-notice") == "本机保存的自查记录已损坏（不是有效的 JSON），已忽略并清除。"
    assert page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')") is None


def test_saved_work_comes_back(page: Any) -> None:
    page.get_by_label("申报年度").fill("2012")
    add_other(page, "2012", "专业选修课", "16", "培训班")
    page.reload()
    assert page.get_by_label("申报年度").input_value() == "2012"
    assert rows(page).first.get_by_label("说明（可选）").input_value() == "培训班"
    page.wait_for_selector("#ce-verdict")  # a restored self-check is evaluated again
    assert text(page, "#ce-verdict").startswith("达标")


# --- export / import ------------------------------------------------------------------------


def test_export_then_import(page: Any, tmp_path: Path) -> None:
    fill_user_request(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="导出为 JSON 文件").click()
    download = info.value
    assert download.suggested_filename == "学时自查.json"
    exported = tmp_path / "export.json"
    download.save_as(exported)
    assert json.loads(exported.read_text(encoding="utf-8")) == USER_REQUEST

    clear(page)
    assert rows(page).count() == 0
    page.get_by_label("导入 JSON 文件").set_input_files(exported)
    page.wait_for_selector("#ce-verdict")
    assert rows(page).count() == 4
    assert page.get_by_label("申报年度").input_value() == "2011"
    assert (
        text(page, "#ce-total-figures") == "已计入 64.5 学时 / 要求 96 学时，尚差 31.5 学时 未达标"
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("big.json", b" " * (1024 * 1024) + b"{}", "文件“big.json”超过 1 MB，未导入。"),
        # Read by the rules' one reader: the reason `ceportal hours` prints for the same text.
        (
            "bad.json",
            b"{kind: promotion",
            "文件“bad.json”无法导入：请求不是有效的JSON（第1行第2列）：此处应为用双引号括起的字段名。",
        ),
        (
            "twice.json",
            b'{"kind": "promotion", "target": "engineer", "year": 2011, "records": '
            b'[{"year": 2010, "module": "public", "hours": 8}, '
            b'{"year": 2010, "module": "public", "hours": -5, "hours": 16}]}',
            "文件“twice.json”无法导入：records[1].hours: 字段重复。",
        ),
        (
            "extra.json",
            b'{"kind": "promotion", "target": "engineer", "year": 2011, "records": '
            b'[{"year": 2010, "module": "public", "hours": 8, "teacher": "\xe7\x8e\x8b"}]}',
            "文件“extra.json”无法导入：records[0].teacher: 不认识的字段，"
            "可用字段：course、hours、label、module、planned、year。",
        ),
        ("empty.json", b"\xef\xbb\xbf \n", "文件“empty.json”无法导入：请求为空。"),
        (
            "long.json",
            b'{"kind": "promotion", "target": "engineer", "year": ' + b"2" * 5000 + b', "records": []}',
            "文件“long.json”无法导入：year: 年度不能晚于9999年，收到 22222222222222222222…（共5000位）。",
        ),
        ("list.json", b"[]", "文件“list.json”内容不是学时自查记录（应为 JSON 对象），未导入。"),
        (
            "shape.json",
            b'{"kind": "promotion", "records": {"year": 2010}}',
            "文件“shape.json”内容不是学时自查记录（缺少 records 列表），未导入。",
        ),
        (
            "rows.json",
            b'{"kind": "cycle", "records": [8]}',
            "文件“rows.json”内容不是学时自查记录（records 中每一项都应为对象），未导入。",
        ),
    ],
)
def test_bad_imports_are_refused(page: Any, name: str, content: bytes, message: str) -> None:
    page.get_by_label("申报年度").fill("2013")
    page.get_by_label("导入 JSON 文件").set_input_files(
        files=[{"name": name, "mimeType": "application/json", "buffer": content}]
    )
    page.wait_for_selector("#ce-import-error:not([hidden])")
    assert text(page, "#ce-import-error") == message
    assert page.get_by_label("申报年度").input_value() == "2013"  # the form is untouched


# --- share link -------------------------------------------------------------------------------


def test_share_link_round_trip(page: Any, base_url: str) -> None:
    fill_user_request(page)
    page.get_by_role("button", name="生成分享链接").click()
    link = page.get_by_label("分享链接（打开后恢复本次自查）").input_value()
    prefix = base_url + "calculator/#r="
    assert link.startswith(prefix)
    encoded = link[len(prefix) :]
    assert set(encoded) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    decoded = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    assert json.loads(decoded) == USER_REQUEST

    clear(page)
    assert rows(page).count() == 0
    page.goto("about:blank")  # leave the page, then follow the link
    page.goto(link)
    page.wait_for_selector("#ce-verdict")
    assert rows(page).count() == 4
    assert page.get_by_label("申报目标").input_value() == "engineer"
    assert (
        text(page, "#ce-total-figures") == "已计入 64.5 学时 / 要求 96 学时，尚差 31.5 学时 未达标"
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


@pytest.mark.parametrize(
    ("fragment", "problem"),
    [
        ("#r=%%%", "无法解码"),
        ("#r=" + _b64(b"\xff\xfe"), "无法解码"),
        ("#r=" + _b64(b'{"kind": "x", "records": []}'), "kind 应为 promotion 或 cycle"),
    ],
)
def test_broken_share_link(page: Any, fragment: str, problem: str) -> None:
    page.evaluate("(fragment) => { location.hash = fragment; }", fragment)
    page.wait_for_selector("#ce-share-error:not([hidden])")
    expected = (
        f"分享链接已损坏，无法打开（{problem}）。请向分享者重新索取链接。"
        if problem == "无法解码"
        else f"分享链接已损坏，无法打开（内容不是学时自查记录（{problem}））。请向分享者重新索取链接。"
    )
    assert text(page, "#ce-share-error") == expected


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # Cut short: malformed JSON, with the reason `ceportal hours` prints.
        (
            b'{"kind": "promotion"',
            "分享链接已损坏，无法打开（请求不是有效的JSON（第1行第21列）：此处应为逗号“,”或结束的括号）。"
            "请向分享者重新索取链接。",
        ),
        (
            b'{"kind": "promotion", "target": "engineer", "year": 2011, "records": '
            b'[{"year": 2010, "module": "public", "hours": 8, "module": "other"}]}',
            "分享链接无法打开（records[0].module: 字段重复）。",
        ),
    ],
)
def test_a_link_is_read_as_the_cli_reads_it(
    page: Any, base_url: str, content: bytes, message: str
) -> None:
    page.get_by_label("申报年度").fill("2013")
    page.goto("about:blank")  # follow the link into a fresh page: it waits for the engine
    page.goto(f"{base_url}calculator/#r={_b64(content)}")
    page.wait_for_selector("#ce-share-error:not([hidden])")
    assert text(page, "#ce-share-error") == message
    assert page.get_by_label("申报年度").input_value() == "2013"  # the saved work stays
    assert page.locator("#ce-notice").is_hidden()  # the note that it waited is gone


# --- keyboard, phone, print ---------------------------------------------------------------------


def focused(page: Any) -> str:
    return str(page.evaluate("document.activeElement.id"))


def test_keyboard_only(page: Any) -> None:
    page.locator("h1").click()  # start from the top, as after loading
    order = []
    for _ in range(19):
        page.keyboard.press("Tab")
        order.append(focused(page))
    assert order == [
        "ce-kind-promotion",
        "ce-target",
        "ce-promotion-year",
        "ce-specialty",
        "ce-county",  # the first target is a junior one: its county choice is shown
        "ce-pick-year",
        "ce-pick-course",
        "ce-pick-add",
        "ce-add-other",
        "ce-submit",
        "ce-person-name",
        "ce-person-unit",
        "ce-person-specialty",
        "ce-person-title",
        "ce-export",  # 打印学时自查表 sits beside the result, shown with it
        "ce-import",
        "ce-share-make",
        "ce-share-link",
        "ce-clear",  # 复制链接 is disabled until there is a link
    ]
    page.locator("h1").click()
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowRight")  # radio group: 周期验审
    assert page.locator("#ce-cycle").is_visible()
    page.keyboard.press("ArrowLeft")
    assert page.locator("#ce-promotion").is_visible()
    page.keyboard.press("Tab")  # 申报目标 (初次申报初级)
    page.keyboard.press("Tab")
    page.keyboard.type(str(TODAY.year))
    for _ in range(5):  # 专业, 所在县（市、区）, 目录年度, 课程
        page.keyboard.press("Tab")
    assert focused(page) == "ce-pick-add"
    page.keyboard.press("Enter")  # the newest year's first course
    page.keyboard.press("Tab")
    assert focused(page) == "ce-add-other"
    page.keyboard.press("Space")
    assert focused(page) == "ce-r2-year"  # a new row, ready to type in
    page.keyboard.type(str(TODAY.year - 1))
    page.keyboard.press("Tab")  # 类别
    page.keyboard.press("Tab")
    page.keyboard.type("8")
    page.keyboard.press("Tab")
    page.keyboard.type("自学")
    page.keyboard.press("Tab")
    assert focused(page) == ""  # the row's delete button has no id
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "删除第 2 条记录"
    page.keyboard.press("Tab")
    assert focused(page) == "ce-submit"
    page.keyboard.press("Enter")
    page.wait_for_selector("#ce-verdict")
    assert text(page, "#ce-total-figures") == "已计入 32 学时 / 要求 16 学时 达标"
    # 清空本页 asks first; Escape keeps everything.
    page.locator("#ce-clear").focus()
    page.keyboard.press("Enter")
    assert page.get_by_role("dialog").is_visible()
    assert focused(page) == "ce-confirm-no"
    page.keyboard.press("Escape")
    assert rows(page).count() == 2
    assert focused(page) == "ce-clear"


def test_phone_width(page: Any) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    fill_user_request(page)
    submit(page)
    page.wait_for_selector("#ce-verdict")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360


def test_print_view(page: Any) -> None:
    fill_user_request(page)
    submit(page)
    page.wait_for_selector("#ce-verdict")
    page.emulate_media(media="print")
    assert page.locator("#ce-sheet").is_visible()
    assert page.locator("#ce-form").is_hidden()
    assert page.locator("#ce-share").is_hidden()
    sheet = page.locator("#ce-sheet")
    assert sheet.locator("h2").inner_text() == "继续教育学时自查表"
    assert sheet.locator(".ce-sheet-records tbody tr").nth(1).locator("td").all_inner_texts() == [
        "2",
        "2010",
        "专业选修课",
        "16",
        "E-M11 精密制造与检测技术（2010年度目录）",
        "计入",
    ]
    assert sheet.locator(".ce-sheet-records tbody tr").nth(3).locator("td").all_inner_texts() == [
        "4",
        "2012",
        "公共必修课",
        "8",
        "",
        "不计入：不在计算窗口内（2009—2011年度）",
    ]
    # 现任职称 left empty: the title the promotion to 工程师 starts from.
    person = sheet.locator(".ce-sheet-person td").all_inner_texts()
    assert person == ["", "", "", "助理工程师"]
    page.emulate_media(media="screen")
    assert page.locator("#ce-sheet").is_hidden()


# --- integrity -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "ceportal_rules-0.1.0-py3-none-any.whl",
        "pyodide/pyodide.asm.wasm",
        "pyodide/pyodide.asm.js",
        "snapshot.bin",
        "snapdelta.js",
    ],
)
def test_a_changed_byte_is_refused(
    shared: tuple[Any, Watch], watch: Watch, site_dir: Path, tmp_path: Path, name: str
) -> None:
    context, _watch = shared
    watch.expect_console_errors = True  # the browser reports the failed digest
    tampered = tampered_copy(site_dir, tmp_path / "site", name)
    expected = (
        f"计算引擎文件校验失败：{name} 的 sha256 与发布清单不符，已拒绝加载。"
        "请刷新页面重试；若仍出现，请联系网站管理员。"
    )
    with preview.serve(tampered) as url:
        page = context.new_page()
        page.goto(url + "calculator/")
        outcome = page.evaluate("window.ceHours.ready.then(() => 'loaded', (e) => e.message)")
        assert outcome == expected
        assert text(page, "#ce-engine-status") == expected
        assert text(page, "#ce-notice") == expected
        rejected = page.evaluate(
            "window.ceHours.evaluate({kind: 'promotion', target: 'engineer', year: 2011, records: []})"
            ".then(() => 'evaluated', (e) => e.message)"
        )
        assert rejected == expected
        # A file or a link cannot be read without the engine: said where it was asked for.
        page.get_by_label("导入 JSON 文件").set_input_files(
            files=[{"name": "a.json", "mimeType": "application/json", "buffer": b"{}"}]
        )
        page.wait_for_selector("#ce-import-error:not([hidden])")
        assert text(page, "#ce-import-error") == "文件“a.json”无法导入：计算引擎未能启动，无法读取文件。"
        page.evaluate("(f) => { location.hash = f; }", "#r=" + _b64(b"{}"))
        page.wait_for_selector("#ce-share-error:not([hidden])")
        assert text(page, "#ce-share-error") == "分享链接无法打开（计算引擎未能启动，无法读取链接）。"
        assert text(page, "#ce-notice") == expected
        page.close()
    # Chromium may or may not log the failed digest; nothing else may be logged.
    assert all("integrity" in e or "digest" in e for e in watch.console_errors), (
        watch.console_errors
    )


# --- the start: from the snapshot, or the long way -----------------------------------------------

REQUEST = {
    "kind": "promotion",
    "target": "engineer",
    "year": 2011,
    "records": [{"year": 2010, "module": "elective", "hours": 90}],
}


def start_and_evaluate(browser: Any, site: Path, policy: dict[str, Any]) -> list[str]:
    """Open the calculator in a new profile, evaluate REQUEST; the requests it made."""
    context = browser.new_context(locale="zh-CN")
    seen = watch_context(context, block=False)
    try:
        with preview.serve(site) as url:
            page = context.new_page()
            page.goto(url + "calculator/")
            response = page.evaluate("(request) => window.ceHours.evaluate(request)", REQUEST)
            assert text(page, "#ce-engine-status") == "计算引擎已就绪"
        seen.check()
    finally:
        context.close()
    assert response == json.loads(json.dumps(evaluate(policy, REQUEST)))
    return [r.removeprefix(url).split("?")[0] for r in seen.requests]


# Every value the engine's progress bar shows, from the first one on.
RECORD_PROGRESS = """
window.__ceProgress = [];
new MutationObserver((changes) => {
  for (const change of changes) {
    if (change.target.id === "ce-engine-progress") window.__ceProgress.push(Number(change.target.value));
  }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ["value"] });
"""


def test_the_progress_follows_the_start_and_never_waits_at_99(browser: Any, base_url: str) -> None:
    """Files as they arrive, then the restore stages (snapshot rebuilt, Python restored,
    rules installed): it only grows, shows the stages past 85 %, and ends at 100 % from at
    most 96 %, never sitting at 99 %."""
    context = browser.new_context(locale="zh-CN")
    try:
        page = context.new_page()
        page.add_init_script(RECORD_PROGRESS)
        page.goto(base_url + "calculator/")
        page.evaluate("window.ceHours.ready")
        shown = page.evaluate("window.__ceProgress")
    finally:
        context.close()
    assert shown == sorted(shown), shown
    assert shown[-1] == 100, shown
    loading = [value for value in shown if value < 100]
    assert len(set(loading)) >= 5, shown  # not one jump: the files, then the stages
    assert max(loading) <= 96 and max(loading) >= 88, shown


def with_manifest(site_dir: Path, copy: Path, change: Any) -> Path:
    """A copy of the site whose calculator page carries the manifest as ``change`` leaves it,
    as does its manifest.json (the page probes it: another manifest there would be a
    newer deployment)."""
    shutil.copytree(site_dir, copy, copy_function=os.link)
    index = copy / "calculator" / "index.html"
    page_text = index.read_text(encoding="utf-8")
    index.unlink()  # a hard link: do not change the shared site
    found = re.search(r'<meta name="ceportal-calculator" content="([^"]*)">', page_text)
    assert found
    manifest = json.loads(html.unescape(found.group(1)))
    change(manifest)
    index.write_text(
        page_text.replace(found.group(1), html.escape(json.dumps(manifest))), encoding="utf-8"
    )
    served = copy / "calculator" / "manifest.json"
    served.unlink()
    served.write_text(json.dumps(manifest), encoding="utf-8")
    return copy


def test_a_rebuilt_snapshot_unlike_the_manifest_is_refused(
    shared: tuple[Any, Watch], site_dir: Path, tmp_path: Path
) -> None:
    """snapshot.bin passes its own check, but what it rebuilds with the wasm is not the
    snapshot the build made: refused before Pyodide restores it."""
    context, _watch = shared
    wrong = "sha256-" + base64.b64encode(bytes(32)).decode()
    copy = with_manifest(
        site_dir, tmp_path / "site", lambda manifest: manifest["snapshot_restored"].update(integrity=wrong)
    )
    with preview.serve(copy) as url:
        page = context.new_page()
        page.goto(url + "calculator/")
        outcome = page.evaluate("window.ceHours.ready.then(() => 'loaded', (e) => e.message)")
        page.close()
    assert outcome == (
        "计算引擎文件校验失败：snapshot.bin 的 sha256 与发布清单不符，已拒绝加载。"
        "请刷新页面重试；若仍出现，请联系网站管理员。"
    )


def test_the_engine_starts_from_the_snapshot(
    browser: Any, site_dir: Path, policy: dict[str, Any]
) -> None:
    requests = start_and_evaluate(browser, site_dir, policy)
    assert "calculator/snapshot.bin" in requests
    assert "calculator/ceportal_rules-0.1.0-py3-none-any.whl" in requests
    # The snapshot has imported every module of the standard library the calculator
    # imports: neither archive is downloaded (the trimmed one waits for a module of it).
    assert not [r for r in requests if "python_stdlib" in r], requests


def test_without_a_snapshot_the_engine_starts_the_long_way(
    browser: Any, site_dir: Path, tmp_path: Path, policy: dict[str, Any]
) -> None:
    """As where crypto.subtle is missing or the visitor asked to save data."""
    copy = with_manifest(site_dir, tmp_path / "site", lambda manifest: manifest.pop("snapshot"))
    requests = start_and_evaluate(browser, copy, policy)
    assert "calculator/snapshot.bin" not in requests
    assert "calculator/ceportal_rules-0.1.0-py3-none-any.whl" in requests


# --- a new deployment ------------------------------------------------------------------------------


def wasm_with_custom_section(wasm: bytes, payload: bytes) -> bytes:
    """``wasm`` plus a custom section (id 0): another valid module, other bytes."""

    def leb128(n: int) -> bytes:
        out = bytearray()
        while True:
            byte, n = n & 0x7F, n >> 7
            out.append(byte | (0x80 if n else 0))
            if not n:
                return bytes(out)

    name = b"ceportal-test"
    body = leb128(len(name)) + name + payload
    return wasm + b"\x00" + leb128(len(body)) + body


def test_a_new_deployment_reaches_a_returning_visitor(
    browser: Any,
    catalog: Any,
    site_dir: Path,
    tmp_path: Path,
    policy: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The host lets browsers keep every file but the pages for an hour (README,
    Deployment); a new build then changes the scripts, the wheel and the wasm. A
    returning visitor must get the new engine, not a refusal (a kept file would fail its
    digest) nor a blocked script."""
    live = tmp_path / "live"
    shutil.copytree(site_dir, live)  # a real copy: the new build overwrites it
    # The new build: every script, the wheel (another date) and the runtime's wasm differ.
    assets = tmp_path / "assets"
    shutil.copytree(ROOT / "generator" / "browser" / "web", assets)
    for name in ("engine.js", "main.js", "format.js", "worker.js", "calculator.css"):
        with (assets / name).open("a", encoding="utf-8") as file:
            file.write("/* the next release */\n")
    runtime = tmp_path / "pyodide"
    shutil.copytree(ROOT / "node_modules" / "pyodide", runtime)
    wasm = runtime / "pyodide.asm.wasm"
    wasm.write_bytes(wasm_with_custom_section(wasm.read_bytes(), b"next release"))
    monkeypatch.setattr(page_module, "ASSETS_DIR", assets)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1577836800")
    monkeypatch.setenv("CEPORTAL_CACHE_DIR", str(tmp_path / "cache"))
    produced = files(catalog, pyodide_dir=runtime)

    context = browser.new_context(locale="zh-CN")
    seen = watch_context(context, block=False)
    try:
        with preview.serve(live, max_age=3600) as url:
            page = context.new_page()
            page.goto(url + "calculator/")
            first = page.evaluate("(r) => window.ceHours.evaluate(r)", REQUEST)
            assert first == json.loads(json.dumps(evaluate(policy, REQUEST)))
            page.close()
            old = set(seen.requests)
            preview.write(live, produced)
            page = context.new_page()
            page.goto(url + "calculator/")
            response = page.evaluate("(r) => window.ceHours.evaluate(r)", REQUEST)
            assert text(page, "#ce-engine-status") == "计算引擎已就绪"
            page.close()
        seen.check()
    finally:
        context.close()
    assert response == json.loads(json.dumps(evaluate(policy, REQUEST)))
    # The changed files came from their new URLs; the unchanged ones kept theirs.
    new = {r.removeprefix(url) for r in seen.requests} - {r.removeprefix(url) for r in old}
    changed = {
        "engine.js",
        "main.js",
        "format.js",
        # Unchanged themselves, but they import format.js: a new URL too.
        "result-view.js",
        "sheet-view.js",
        "form-view.js",
        "worker.js",
        "calculator.css",
        "ceportal_rules-0.1.0-py3-none-any.whl",
        "pyodide/pyodide.asm.wasm",
    }
    assert {r.split("?")[0].removeprefix("calculator/") for r in new} >= changed
    assert not any(r.startswith("calculator/pyodide/python_stdlib.zip") for r in new)
    assert not any(r.startswith(("calculator/store.js", "calculator/base64url.js")) for r in new)


# --- accessibility -------------------------------------------------------------------------------


def test_axe_finds_nothing_serious(page: Any, root: Path) -> None:
    """axe-core (npm) on the page with a result, the planner and a field error shown."""
    fill_user_request(page)
    submit(page)
    page.wait_for_selector("#ce-verdict")
    add_other(page, "2010", "公共必修课", "八")
    submit(page)
    page.wait_for_selector("#ce-r5-hours-error:not([hidden])")
    # Evaluated through the DevTools protocol, so the page's CSP does not apply to it.
    page.evaluate((root / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8"))
    results = page.evaluate(
        """() => axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] })
            .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })))"""
    )
    assert [v for v in results if v["impact"] in {"serious", "critical"}] == []


# Messages from the worker are held until the test releases them: the engine is "still
# loading" for as long as the test likes.
HOLD_ENGINE = """
(() => {
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  window.__releaseEngine = release;
  const Native = window.Worker;
  window.Worker = class extends Native {
    set onmessage(listener) {
      super.onmessage = (event) => released.then(() => listener(event));
    }
  };
})();
"""


def test_a_file_and_a_link_wait_for_the_engine(shared: Any, base_url: str) -> None:
    context, _watch = shared
    page = context.new_page()
    try:
        page.add_init_script(HOLD_ENGINE)
        page.goto(base_url + "calculator/")
        page.evaluate("localStorage.clear()")
        twice = b'{"kind": "cycle", "kind": "promotion", "records": []}'
        page.get_by_label("导入 JSON 文件").set_input_files(
            files=[{"name": "twice.json", "mimeType": "application/json", "buffer": twice}]
        )
        page.wait_for_selector("#ce-import-error.ce-waiting:not([hidden])")
        assert text(page, "#ce-import-error") == "正在读取文件“twice.json”：计算引擎加载完成后即导入……"
        page.evaluate("(f) => { location.hash = f; }", "#r=" + _b64(b'{"kind": []]'))
        page.wait_for_selector("#ce-notice.ce-waiting:not([hidden])")
        assert text(page, "#ce-notice") == "正在读取分享链接：计算引擎加载完成后即打开……"
        assert page.locator("#ce-share-error").is_hidden()

        page.evaluate("window.__releaseEngine()")
        page.wait_for_selector("#ce-share-error:not([hidden])")
        assert text(page, "#ce-share-error") == (
            "分享链接已损坏，无法打开（请求不是有效的JSON（第1行第12列）：此处应为逗号“,”或结束的括号）。"
            "请向分享者重新索取链接。"
        )
        assert page.locator("#ce-notice").is_hidden()
        page.wait_for_selector("#ce-import-error:not(.ce-waiting)")
        assert text(page, "#ce-import-error") == "文件“twice.json”无法导入：kind: 字段重复。"
    finally:
        page.close()


def test_what_is_typed_while_a_link_waits_is_kept(shared: Any, base_url: str) -> None:
    context, _watch = shared
    page = context.new_page()
    try:
        page.add_init_script(HOLD_ENGINE)
        page.goto(base_url + "calculator/")
        page.evaluate("localStorage.clear()")
        page.goto("about:blank")  # the link opens the page (not a hash change on it)
        page.goto(base_url + "calculator/#r=" + _b64(b'{"kind": "promotion", "kind": "cycle"}'))
        page.wait_for_selector("#ce-notice.ce-waiting:not([hidden])")
        page.get_by_label("申报年度").fill("2014")
        page.evaluate("window.__releaseEngine()")
        page.wait_for_selector("#ce-share-error:not([hidden])")
        assert text(page, "#ce-share-error") == "分享链接无法打开（kind: 字段重复）。"
        saved = json.loads(page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')"))
        assert saved["year"] == 2014
    finally:
        page.evaluate("localStorage.clear()")
        page.close()
