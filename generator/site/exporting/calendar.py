"""A year's classes as an iCalendar file (RFC 5545), written with the ``icalendar`` package.

One all-day event per class session (a class without ``sessions`` has one), busy time
with a reminder the day before, ``STATUS:CANCELLED`` once the class is cancelled; and one
all-day event per class on its registration deadline (报名截止：<班次>, with a reminder
three days before while the class takes applicants): the date people miss.
Events are in date order; UIDs depend only on the year and the class code, so a calendar
that subscribed to the file updates its events instead of doubling them.
"""

from __future__ import annotations

import datetime as dt
import logging

import icalendar

from generator.catalog.format import STATUSES
from generator.catalog.model import YearCatalog
from generator.catalog.policy_model import Policy
from generator.common.reproducible import build_time
from generator.site.rendering import urls
from generator.site.rendering.markup import cn_date, cn_periods, hours

log = logging.getLogger(__name__)

PRODID = "-//ceportal//温州市工程技术继续教育门户//ZH"
UID_DOMAIN = "ceportal.wzjmpx"
REMIND_BEFORE = dt.timedelta(days=3)
# A class's reminder: the day before its first day, at 09:00 (15 hours before midnight).
CLASS_REMINDER = dt.timedelta(hours=15)


def uid(year: int, code: str) -> str:
    """The class's event: stable across builds and edits as long as its year and code are."""
    return f"{year}-{code}@{UID_DOMAIN}"


def deadline_uid(year: int, code: str) -> str:
    """The class's registration-deadline event."""
    return f"{year}-{code}-registration@{UID_DOMAIN}"


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


def session_uid(year: int, code: str, n: int) -> str:
    """The class's ``n``-th session (1-based); the first is the class's own event, so a
    class that gains sessions keeps its event."""
    return uid(year, code) if n == 1 else f"{year}-{code}-s{n}@{UID_DOMAIN}"


# What a calendar says of a class's events and its deadline, by the class's status.
_EVENT_STATUS = {"open": "CONFIRMED", "full": "CONFIRMED", "cancelled": "CANCELLED",
                 "postponed": "TENTATIVE"}


def _alarm(description: str, before: dt.timedelta) -> icalendar.Alarm:
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", description)
    alarm.add("trigger", -before)
    return alarm


def year_ics(year: YearCatalog, policy: Policy, epoch: int,
             site_url: str | None = None) -> bytes:
    """The year's calendar: class sessions and their registration deadlines, in date order."""
    stamp = build_time(epoch)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{year.year}年度工程技术（一）系列继续教育办班计划")
    cal.add("x-wr-timezone", "Asia/Shanghai")
    events: list[tuple[tuple[dt.date, int, dt.date, str, int], icalendar.Event]] = []
    for s in year.classes:
        url = class_url(site_url, year.year, s.code) if site_url else None
        courses = [year.course(code) for code in s.courses]
        closes = year.deadline(s)
        state = "" if s.status == "open" else STATUSES[s.status]
        periods = s.periods
        details = []
        if state:
            details.append(f"状态：{state}" + (f"（{s.status_note}）" if s.status_note else ""))
        if len(periods) > 1:
            details.append(f"上课时段：{cn_periods(periods)}")
        details.append("课程：" + "；".join(
            f"{c.title}（{policy.modules[c.module]}，{hours(c.hours)}学时）"
            for c in courses))
        if closes:
            details.append(f"报名截止：{cn_date(closes)}")
        if s.organizer:
            details.append(f"主办单位：{s.organizer}")
        contact = s.contact or (year.registration.contact if year.registration else None)
        if contact:
            details.append(f"联系方式：{contact}")
        if s.note:
            details.append(f"备注：{s.note.strip()}")
        if year.notes:
            details.append(year.notes.strip())
        prefix = f"【{state}】" if state else ""
        for n, period in enumerate(periods, start=1):
            summary = s.name if len(periods) == 1 else f"{s.name}（第{n}段，共{len(periods)}段）"
            event = _event(session_uid(year.year, s.code, n), stamp, period.start, period.end,
                           prefix + summary, "\n".join(details), s.location, url)
            event.add("status", _EVENT_STATUS[s.status])
            # Time at a class is busy time; the day before, a reminder (09:00 local).
            event["transp"] = icalendar.vText("OPAQUE")
            if s.status != "cancelled":
                event.add_component(_alarm(f"明天上课：{summary}", CLASS_REMINDER))
            events.append(((period.start, 1, s.start, s.code, n), event))
        if closes:
            lines = [f"{s.name}（{cn_periods(periods)}）的报名截止日。"]
            if state:
                lines.append(f"本班次{state}" + (f"：{s.status_note}" if s.status_note else "。"))
            if contact:
                lines.append(f"报名方式：{contact}")
            deadline = _event(deadline_uid(year.year, s.code), stamp, closes, closes,
                              f"{prefix}报名截止：{s.name}", "\n".join(lines), None, url)
            deadline.add("status", _EVENT_STATUS[s.status])
            if s.takes_registrations:  # no reminder to register for a class that takes no one
                deadline.add_component(
                    _alarm(f"报名截止：{s.name}（{cn_date(closes)}）", REMIND_BEFORE)
                )
            # A deadline sorts before a class starting the same day.
            events.append(((closes, 0, s.start, s.code, 0), deadline))
    for _, event in sorted(events, key=lambda pair: pair[0]):
        cal.add_component(event)
    return cal.to_ical()
