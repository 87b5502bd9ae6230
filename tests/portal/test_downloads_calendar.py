"""The schedule's .ics: classes and registration deadlines, read back by two independent
parsers (``icalendar``, which also writes it, and ``vobject``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import icalendar
import vobject

from generator.catalog.model import Catalog
from generator.site.exporting.calendar import deadline_uid, uid, year_ics
from generator.site.model import File
from generator.site.producers import downloads
from tests.conftest import EPOCH

SITE_URL = "https://example.org/ceportal/"
# The golden fixture's 2009: class 2009-1 closes on its own date, 2009-2 on the year's.
EXPECTED_2009 = [
    (dt.date(2009, 4, 25), "报名截止：第一期 <i>培训班</i>, 含逗号; 分号\\反斜杠",
     deadline_uid(2009, "2009-1")),
    (dt.date(2009, 4, 30), "报名截止：第二期培训班", deadline_uid(2009, "2009-2")),
    (dt.date(2009, 5, 21), "第一期 <i>培训班</i>, 含逗号; 分号\\反斜杠", uid(2009, "2009-1")),
    (dt.date(2009, 6, 18), "第二期培训班", uid(2009, "2009-2")),
]


def _ics(catalog: Catalog, site_url: str | None = None, epoch: int = int(EPOCH)) -> bytes:
    return year_ics(catalog.year(2009), catalog.policy, epoch, site_url)


def test_events_and_deadlines_in_date_order(golden_catalog: Catalog) -> None:
    events = icalendar.Calendar.from_ical(_ics(golden_catalog)).walk("VEVENT")
    assert [(e["DTSTART"].dt, str(e["SUMMARY"]), str(e["UID"])) for e in events] == EXPECTED_2009
    deadline = events[0]
    assert deadline["DTEND"].dt == dt.date(2009, 4, 26)  # all day: the day after
    assert str(deadline["DESCRIPTION"]).splitlines() == [
        "第一期 <i>培训班</i>, 含逗号; 分号\\反斜杠（2009年5月21日至23日）的报名截止日。",
        "报名方式：李老师 0577-0000"]
    alarm = deadline.walk("VALARM")[0]
    assert (str(alarm["ACTION"]), alarm["TRIGGER"].dt) == ("DISPLAY", -dt.timedelta(days=3))


def test_a_second_parser_reads_the_same_events(golden_catalog: Catalog) -> None:
    cal: Any = vobject.readOne(_ics(golden_catalog, SITE_URL).decode("utf-8"))
    events = cal.vevent_list
    assert [(e.dtstart.value, e.summary.value, e.uid.value) for e in events] == EXPECTED_2009
    assert [e.dtend.value for e in events] == [
        dt.date(2009, 4, 26), dt.date(2009, 5, 1), dt.date(2009, 5, 24), dt.date(2009, 6, 19)]
    assert events[2].location.value == golden_catalog.year(2009).classes[0].location
    assert events[0].url.value == "https://example.org/ceportal/schedule/2009/#class-2009-1"
    assert cal.prodid.value == "-//ceportal//温州市工程技术继续教育门户//ZH"


def test_url_to_the_class_only_with_a_site_url(golden_catalog: Catalog) -> None:
    with_url = icalendar.Calendar.from_ical(_ics(golden_catalog, SITE_URL)).walk("VEVENT")
    assert [str(e["URL"]) for e in with_url] == [
        "https://example.org/ceportal/schedule/2009/#class-2009-1",
        "https://example.org/ceportal/schedule/2009/#class-2009-2",
        "https://example.org/ceportal/schedule/2009/#class-2009-1",
        "https://example.org/ceportal/schedule/2009/#class-2009-2"]
    without = icalendar.Calendar.from_ical(_ics(golden_catalog)).walk("VEVENT")
    assert [e.get("URL") for e in without] == [None] * 4


def test_the_site_producer_passes_the_site_url(golden_catalog: Catalog) -> None:
    files = downloads(golden_catalog, "https://example.org/")
    calendar = files["schedule/2009.ics"]
    assert isinstance(calendar, File) and calendar.kind == "data"
    assert b"URL:https://example.org/schedule/2009/#class-2009-1\r\n" in calendar.data()


def test_reproducible_and_uids_stable(golden_catalog: Catalog) -> None:
    assert _ics(golden_catalog) == _ics(golden_catalog)
    later = _ics(golden_catalog, epoch=int(EPOCH) + 86400)
    changed = set(_ics(golden_catalog).split(b"\r\n")) ^ set(later.split(b"\r\n"))
    assert changed == {b"DTSTAMP:20090401T000000Z", b"DTSTAMP:20090402T000000Z"}


def test_a_class_without_a_deadline_has_no_deadline_event(golden_catalog: Catalog) -> None:
    year = golden_catalog.year(2009)
    year = replace(year, registration=None,
                   classes=tuple(replace(s, registration_closes=None) for s in year.classes))
    cal = icalendar.Calendar.from_ical(year_ics(year, golden_catalog.policy, int(EPOCH)))
    assert [str(e["UID"]) for e in cal.walk("VEVENT")] == [uid(2009, "2009-1"), uid(2009, "2009-2")]
