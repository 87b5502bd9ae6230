"""Registration first: every class with its own deadline, a status computed in the
visitor's browser at fixed dates (before, during and after registration), the dates alone
without JavaScript, contacts from the catalog and the form linked where it is named."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.site.rendering.markup import contact_html
from tests.portal.site_helpers import page, parse
from tests.portal.subpath import serve_under_subpath


def test_contact_links_the_form_mail_and_phone() -> None:
    names = ("《温州市工程技术人员继续教育培训班报名表》", "报名表")
    text = "填写《温州市工程技术人员继续教育培训班报名表》，电话 0577-88881234，邮箱 jxjy@example.cn <b>"
    assert contact_html(text, names, "../f.docx") == (
        '填写<a href="../f.docx">《温州市工程技术人员继续教育培训班报名表》</a>，'
        '电话 <a class="ce-nowrap" href="tel:057788881234">0577-88881234</a>，'
        '邮箱 <a href="mailto:jxjy@example.cn">jxjy@example.cn</a> &lt;b&gt;')


@pytest.mark.slow
def test_home_lists_every_class_with_its_deadline_and_contact(bundled_site: Path) -> None:
    html = page(bundled_site, "").read_text("utf-8")
    register = html[html.index('id="ce-register-title"'):html.index('id="ce-quick-title"')]
    # 2010's three classes, by deadline, each with its own date (not the earliest one).
    assert [d for d in ("2010-03-31", "2010-04-30", "2010-05-31")
            if f'datetime="{d}"' in register] == ["2010-03-31", "2010-04-30", "2010-05-31"]
    assert register.index("2010-03-31") < register.index("2010-04-30") < register.index("2010-05-31")
    assert register.count('class="ce-status"') == 3
    # Where to register, with the form linked where the contact names it.
    assert ('填写<a href="downloads/registration-form.docx">《温州市工程技术人员继续教育培训班报名表》</a>'
            '，报温州市工业科学研究院') in register


@pytest.mark.slow
def test_schedule_and_course_pages_link_the_form(bundled_site: Path) -> None:
    for url, href in (("schedule/2010/", "../../downloads/registration-form.docx"),
                      ("catalog/2010/E-M11/", "../../../downloads/registration-form.docx")):
        hrefs = [a.get("href") for tag, a in parse(page(bundled_site, url)).elements if tag == "a"]
        assert href in hrefs, url


@pytest.fixture(scope="module")
def site_url(bundled_site: Path) -> Iterator[str]:
    with serve_under_subpath(bundled_site) as url:
        yield url


def _statuses(browser: Any, url: str, when: str | None, *, javascript: bool = True) -> dict[str, Any]:
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 390, "height": 844})
    try:
        tab = context.new_page()
        if when:
            tab.clock.set_fixed_time(when)
        tab.goto(url)
        return dict(tab.evaluate("""() => ({
          cards: [...document.querySelectorAll('.ce-register [data-ce-class]')].map(c => [
            c.querySelector('time').getAttribute('datetime'),
            c.querySelector('.ce-status').hidden ? null : c.querySelector('.ce-status').textContent]),
          summary: document.querySelector('[data-ce-summary]').hidden ? null
                   : document.querySelector('[data-ce-summary]').textContent,
        })"""))
    finally:
        context.close()


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize(("when", "expected", "summary"), [
    # 2010: registration opens on 1 March; the classes close on 31 March, 30 April, 31 May.
    ("2010-02-15T12:00:00+08:00", ["未开始", "未开始", "未开始"],
     "报名尚未开始：3 个班次将于2010年3月1日起接受报名。"),
    ("2010-03-31T23:30:00+08:00", ["报名中", "报名中", "报名中"],
     "今天可报名的班次有 3 个，请在各自的截止日期前报名。"),
    # 00:30 on 1 April in Wenzhou is still 31 March in UTC: Wenzhou's date counts.
    ("2010-03-31T16:30:00Z", ["已截止", "报名中", "报名中"],
     "今天可报名的班次有 2 个，请在各自的截止日期前报名。"),
    ("2010-06-01T09:00:00+08:00", ["已截止", "已截止", "已截止"], "本年度各班次的报名均已截止。"),
])
def test_status_at_fixed_dates(browser: Any, site_url: str, when: str, expected: list[str],
                               summary: str) -> None:
    seen = _statuses(browser, site_url, when)
    assert seen["cards"] == [[d, s] for d, s in zip(("2010-03-31", "2010-04-30", "2010-05-31"),
                                                    expected, strict=True)]
    assert seen["summary"] == summary


@pytest.mark.slow
@pytest.mark.browser
def test_without_javascript_only_the_dates(browser: Any, site_url: str) -> None:
    seen = _statuses(browser, site_url, None, javascript=False)
    assert seen["cards"] == [["2010-03-31", None], ["2010-04-30", None], ["2010-05-31", None]]
    assert seen["summary"] is None
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        for url in ("schedule/2010/", "catalog/2010/E-M11/"):
            tab.goto(site_url + url)
            shown = tab.evaluate("[...document.querySelectorAll('.ce-status')]"
                                 ".filter(e => e.offsetParent !== null).length")
            assert shown == 0, url
            assert "2010年3月31日" in tab.inner_text("article")
    finally:
        context.close()
