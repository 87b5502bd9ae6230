"""Classes as they really run (issue 29): a catalog with a two-session class, a full, a
cancelled and a postponed one, and a draft year — through the pages, the calendar (read
with icalendar and vobject), the schedule CSV, the JSON and the planner's data; the draft
in no built file, and `build --drafts` a preview that says so on every page."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
from pathlib import Path

import brotli
import icalendar
import pytest
import vobject

from generator.catalog.validating import load_catalog
from generator.site.drafts import page_banner, with_drafts
from generator.site.exporting.calendar import deadline_uid, session_uid, uid, year_ics
from generator.site.publishing import build_site
from tests.portal.site_helpers import ROOT, Html, build

pytestmark = pytest.mark.build  # its fixtures build sites

CATALOG = Path(__file__).parent / "classes_catalog"
YEAR = 2026
DRAFT_WORDS = ("草拟", "2027年度", "2027-1", "catalog/2027", "schedule/2027")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("classes") / "site", CATALOG)


def _section(html: str, anchor: str) -> str:
    start = html.index(f'<section class="ce-class" aria-labelledby="{anchor}"')
    return html[start:html.index("</section>", start)]


def test_schedule_shows_each_status_and_keeps_the_anchor(site: Path) -> None:
    page = (site / f"schedule/{YEAR}/index.html").read_text(encoding="utf-8")
    assert f"class-{YEAR}-3" in Html(page).ids  # a cancelled class keeps its bookmark
    cancelled = _section(page, f"class-{YEAR}-3")
    assert 'data-ce-state="cancelled"' in cancelled
    assert '<span class="ce-state ce-state--cancelled">已取消</span>' in cancelled
    assert "<dt>状态</dt><dd><strong>已取消</strong>：报名人数不足，本期取消</dd>" in cancelled
    assert "data-ce-closes" not in cancelled  # never computed into 报名中
    full = _section(page, f"class-{YEAR}-2")
    assert '<span class="ce-state ce-state--full">名额已满</span>' in full
    assert "data-ce-closes" not in full
    assert '<span class="ce-state ce-state--postponed">已延期</span>' in _section(
        page, f"class-{YEAR}-4")
    weekends = _section(page, f"class-{YEAR}-1")
    assert "data-ce-closes" in weekends and "ce-state" not in weekends
    assert ('<dt>办班日期</dt><dd><span class="ce-date">2026年5月15日—16日</span>、'
            '<span class="ce-date">22日—23日</span>（分2段上课）</dd>') in weekends
    assert '<dt>备注</dt><dd class="ce-class-note">两个周末上课，请自带计算器。</dd>' in weekends


def test_home_is_the_newest_published_year_with_the_statuses(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    assert f"{YEAR}年度班次报名" in home
    assert home.count('<span class="ce-state ce-state--cancelled">已取消</span>') == 1
    assert "已取消：报名人数不足，本期取消" in home


def _events_icalendar(raw: bytes) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(raw).walk("VEVENT")}


def test_calendar_has_one_event_per_session_and_the_statuses(site: Path) -> None:
    raw = (site / f"schedule/{YEAR}.ics").read_bytes()
    events = _events_icalendar(raw)
    assert len(events) == 5 + 4  # five sessions, four deadlines
    first, second = events[session_uid(YEAR, f"{YEAR}-1", 1)], events[session_uid(YEAR, f"{YEAR}-1", 2)]
    assert session_uid(YEAR, f"{YEAR}-1", 1) == uid(YEAR, f"{YEAR}-1")
    assert (first["DTSTART"].dt, first["DTEND"].dt) == (dt.date(2026, 5, 15), dt.date(2026, 5, 17))
    assert (second["DTSTART"].dt, second["DTEND"].dt) == (dt.date(2026, 5, 22), dt.date(2026, 5, 24))
    assert str(second["SUMMARY"]) == "2026年第一期培训班（两个周末）（第2段，共2段）"
    for event in (first, second):
        assert str(event["TRANSP"]) == "OPAQUE"
        [alarm] = event.walk("VALARM")
        assert alarm["TRIGGER"].dt == -dt.timedelta(hours=15)
    cancelled = events[uid(YEAR, f"{YEAR}-3")]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["SUMMARY"]) == "【已取消】2026年第三期培训班"
    assert cancelled.walk("VALARM") == []
    assert str(events[deadline_uid(YEAR, f"{YEAR}-3")]["STATUS"]) == "CANCELLED"
    assert events[deadline_uid(YEAR, f"{YEAR}-2")].walk("VALARM") == []  # full: no reminder
    assert str(events[uid(YEAR, f"{YEAR}-4")]["STATUS"]) == "TENTATIVE"
    # A second, independent parser reads the same events.
    cal = vobject.readOne(raw.decode("utf-8"))
    by_uid = {e.uid.value: e for e in cal.vevent_list}
    assert set(by_uid) == set(events)
    assert by_uid[session_uid(YEAR, f"{YEAR}-1", 2)].dtstart.value == dt.date(2026, 5, 22)
    assert by_uid[uid(YEAR, f"{YEAR}-3")].status.value == "CANCELLED"
    assert by_uid[uid(YEAR, f"{YEAR}-1")].transp.value == "OPAQUE"
    assert by_uid[uid(YEAR, f"{YEAR}-1")].valarm.trigger.value == -dt.timedelta(hours=15)


def test_calendar_links_each_event_to_its_class() -> None:
    catalog, _ = load_catalog(CATALOG)
    raw = year_ics(catalog.year(YEAR), catalog.policy, 0, "https://example.gov.cn/jxjy/")
    events = _events_icalendar(raw)
    assert str(events[session_uid(YEAR, f"{YEAR}-1", 2)]["URL"]) == (
        "https://example.gov.cn/jxjy/schedule/2026/#class-2026-1")
    assert str(events[deadline_uid(YEAR, f"{YEAR}-3")]["URL"]) == (
        "https://example.gov.cn/jxjy/schedule/2026/#class-2026-3")


def test_schedule_csv_has_one_row_per_class(site: Path) -> None:
    raw = (site / f"schedule/{YEAR}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["班次编号"] for r in rows] == ["2026-2", "2026-3", "2026-4", "2026-1"]  # deadline first
    weekends = rows[3]
    assert weekends["上课时段"] == "2026-05-15至2026-05-16、2026-05-22至2026-05-23"
    assert (weekends["上课天数"], weekends["报名截止"], weekends["状态"]) == ("4", "2026-05-08", "正常")
    assert weekends["课程编号"] == "G-01、E-01"
    cancelled = rows[1]
    assert (cancelled["状态"], cancelled["状态说明"]) == ("已取消", "报名人数不足，本期取消")
    assert (cancelled["级别"], cancelled["县（市、区）"]) == ("县（市、区）", "瑞安市")
    assert cancelled["报名截止"] == "2026-04-30"  # the year's deadline, resolved


def test_json_resolves_deadline_sessions_and_status(site: Path) -> None:
    data = json.loads((site / f"catalog/{YEAR}.json").read_text(encoding="utf-8"))
    classes = {c["code"]: c for c in data["classes"]}
    assert classes["2026-1"]["registration_closes"] == "2026-05-08"
    assert classes["2026-2"]["registration_closes"] == "2026-04-30"
    assert classes["2026-1"]["sessions"] == [
        {"start": "2026-05-15", "end": "2026-05-16"}, {"start": "2026-05-22", "end": "2026-05-23"}]
    assert classes["2026-4"]["sessions"] == [{"start": "2026-10-11", "end": "2026-10-13"}]
    assert [classes[c]["status"] for c in ("2026-1", "2026-2", "2026-3", "2026-4")] == [
        "open", "full", "cancelled", "postponed"]
    assert "draft" not in data


def test_planner_data_carries_status_and_sessions(site: Path) -> None:
    data = json.loads((site / "calculator/catalogs.json").read_text(encoding="utf-8"))
    assert [y["year"] for y in data["years"]] == [2025, 2026]  # no draft
    classes = {c["code"]: c for c in data["years"][1]["classes"]}
    assert classes["2026-3"]["status"] == "cancelled"
    assert classes["2026-1"]["sessions"][1] == {"start": "2026-05-22", "end": "2026-05-23"}


def _texts(site: Path) -> dict[str, str]:
    """Every built file's text (compressed copies decompressed), by path."""
    out: dict[str, str] = {}
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        elif path.suffix == ".br":
            data = brotli.decompress(data)
        out[path.relative_to(site).as_posix()] = data.decode("utf-8", errors="ignore")
    return out


def test_a_draft_year_is_in_no_built_file(site: Path) -> None:
    found = {path: word for path, text in _texts(site).items()
             for word in DRAFT_WORDS if word in text}
    assert found == {}
    assert not (site / "catalog/2027").exists() and not (site / "schedule/2027.ics").exists()


def test_build_drafts_is_a_preview_that_says_so_on_every_page(
    tmp_path: Path,
) -> None:
    site = build_site(tmp_path / "site", CATALOG, ROOT / "mkdocs.yml", drafts="preview")
    assert (site / "schedule/2027/index.html").exists()
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    banner = "预览版：本网站含尚未发布的草稿（2027年度），仅供审阅，不是正式发布的网站。"
    assert [p.relative_to(site).as_posix() for p in pages
            if banner not in p.read_text(encoding="utf-8")] == []
    assert "2027年度班次报名" in (site / "index.html").read_text(encoding="utf-8")


def test_serve_marks_each_page_of_a_draft_year() -> None:
    catalog, _ = load_catalog(CATALOG)
    shown, banners = with_drafts(catalog, "mark")
    assert [y.year for y in shown.years] == [2025, 2026, 2027]
    assert shown.current is not None and shown.current.year == 2026  # the home page's year
    text = ("草稿：2027年度目录尚未发布（年度文件中写有 draft: true），"
            "ceportal build 不会发布本页；发布时删去该行。")
    for page in ("catalog/2027/index.md", "catalog/2027/changes/index.md",
                 "catalog/2027/E-09/index.md", "schedule/2027/index.md"):
        assert page_banner(banners, page) == text, page
    for page in ("index.md", "catalog/2026/index.md", "schedule/index.md"):
        assert page_banner(banners, page) == "", page
    published, none = with_drafts(catalog, "hide")
    assert ([y.year for y in published.years], none) == ([2025, 2026], {})


def test_changes_page_tells_the_classes_and_the_teacher(site: Path) -> None:
    page = (site / f"catalog/{YEAR}/changes/index.html").read_text(encoding="utf-8")
    text = page
    assert "授课教师由“张老师”改为“李老师”" in text
    assert "新增 2 期，地点或日期调整 2 期，2025年度有而本年度未开办 0 期" in text
    assert "日期由2025年5月11日至13日改为2026年5月15日—16日、22日—23日" in text
    assert "地点由“瑞安市职业中专”改为“温州市工业科学研究院”；日期由2025年9月7日至9日改为2026年6月7日至9日" in text
    assert ('<a href="../../../schedule/2026/#class-2026-3">2026年第三期培训班</a>'
            '（<span class="ce-nowrap">2026-3</span>，2026年9月6日至8日，瑞安市职业中专）：'
            "<strong>已取消</strong>，报名人数不足，本期取消") in text


def test_check_names_the_draft_year(capsys: pytest.CaptureFixture[str]) -> None:
    from generator.cli import main

    assert main(["check", "--catalog", str(CATALOG)]) == 0
    assert capsys.readouterr().out == (
        "检查通过：年度目录 2025、2026、2027（草稿），共 7 门课程、7 期办班\n")
