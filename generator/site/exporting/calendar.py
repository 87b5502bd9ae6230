"""A year's classes as an iCalendar file (RFC 5545), written with the ``icalendar`` package.

One all-day event per class, and one all-day event per class on its registration
deadline (报名截止：<班次>, with a reminder three days before): the date people miss.
Events are in date order; UIDs depend only on the year and the class code, so a calendar
that subscribed to the file updates its events instead of doubling them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

import icalendar

from generator.catalog.model import ClassSession, YearCatalog
from generator.common.reproducible import build_time
from generator.site.rendering import urls
from generator.site.rendering.markup import cn_date, cn_span, hours

log = logging.getLogger(__name__)

PRODID = "-//ceportal//温州市工程技术继续教育门户//ZH"
UID_DOMAIN = "ceportal.wzjmpx"
REMIND_BEFORE = dt.timedelta(days=3)


def uid(year: int, code: str) -> str:
    """The class's event: stable across builds and edits as long as its year and code are."""
    return f"{year}-{code}@{UID_DOMAIN}"


def deadline_uid(year: int, code: str) -> str:
    """The class's registration-deadline event."""
    return f"{year}-{code}-registration@{UID_DOMAIN}"


def registration_closes(year: YearCatalog, session: ClassSession) -> dt.date | None:
    """The class's own deadline, else the year's."""
    if session.registration_closes:
        return session.registration_closes
    return year.registration.closes if year.registration else None


def class_url(site_url: str, year: int, code: str) -> str:
    """The class's section on its year's schedule page, absolute."""
    return site_url.rstrip("/") + "/" + urls.schedule(year) + "#" + urls.class_anchor(code)


def _event(event_uid: str, stamp: dt.datetime, start: dt.date, end: dt.date, summary: str,
           description: str, location: str | None, url: str | None) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", event_uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", end + dt.timedelta(days=1))  # all-day: DTEND is the day after
    event.add("summary", summary)
    if location:
        event.add("location", location)
    event.add("description", description)
    if url:
        event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event


def year_ics(year: YearCatalog, policy: Mapping[str, Any], epoch: int,
             site_url: str | None = None) -> bytes:
    """The year's calendar: classes and their registration deadlines, in date order."""
    stamp = build_time(epoch)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{year.year}年度工程技术（一）系列继续教育办班计划")
    cal.add("x-wr-timezone", "Asia/Shanghai")
    events: list[tuple[tuple[dt.date, int, dt.date, str], icalendar.Event]] = []
    for s in year.classes:
        url = class_url(site_url, year.year, s.code) if site_url else None
        courses = [year.course(code) for code in s.courses]
        closes = registration_closes(year, s)
        details = ["课程：" + "；".join(
            f"{c.title}（{policy['modules'][c.module]['name']}，{hours(c.hours)}学时）"
            for c in courses)]
        if closes:
            details.append(f"报名截止：{cn_date(closes)}")
        if s.organizer:
            details.append(f"主办单位：{s.organizer}")
        contact = s.contact or (year.registration.contact if year.registration else None)
        if contact:
            details.append(f"联系方式：{contact}")
        if year.notes:
            details.append(year.notes.strip())
        events.append(((s.start, 1, s.start, s.code), _event(
            uid(year.year, s.code), stamp, s.start, s.end, s.name, "\n".join(details),
            s.location, url)))
        if closes:
            lines = [f"{s.name}（{cn_span(s.start, s.end)}）的报名截止日。"]
            if contact:
                lines.append(f"报名方式：{contact}")
            deadline = _event(deadline_uid(year.year, s.code), stamp, closes, closes,
                              f"报名截止：{s.name}", "\n".join(lines), None, url)
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"报名截止：{s.name}（{cn_date(closes)}）")
            alarm.add("trigger", -REMIND_BEFORE)
            deadline.add_component(alarm)
            # A deadline sorts before a class starting the same day.
            events.append(((closes, 0, s.start, s.code), deadline))
    for _, event in sorted(events, key=lambda pair: pair[0]):
        cal.add_component(event)
    return cal.to_ical()
