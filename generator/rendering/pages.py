"""The generated pages: model in, ``{source path: Markdown}`` out.

Each function computes what a page shows (plain dicts and strings, links already made
relative to the page) and hands it to a logic-light Jinja template in
``generator/templates/``. Templates put catalog text only inside HTML blocks, with
autoescape on, so it is shown as the text it is.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from typing import Any

import jinja2
from markupsafe import Markup

from ..model import Catalog, ClassSession, Course, YearCatalog
from ..rules import cycle_requirement, promotion_requirement, start_year
from ..validating import LEVELS
from . import urls
from .changes import year_changes
from .markup import (
    cn_date,
    cn_span,
    contact_html,
    date_html,
    front_matter,
    hours,
    html_attr,
    md_inline,
    span_html,
)
from .notice import Notice, parse_notice

log = logging.getLogger(__name__)


_env = jinja2.Environment(
    loader=jinja2.PackageLoader("generator", "templates"),
    autoescape=True,  # every template emits HTML blocks
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


# How catalogs and the notice name the registration form (附件2); each is linked to it.
_FORM_NAMES = ("《报名表》", "报名表")


def _render(template: str, url: str, meta: dict[str, Any], *, form_title: str = "",
            **context: Any) -> str:
    def link(to: str) -> str:
        return urls.relative(url, to)

    def md(text: str) -> Markup:
        # Already escaped for Markdown and HTML: autoescape must not escape it twice.
        return Markup(md_inline(text))

    def contact(text: str) -> Markup:
        # Escaped by contact_html; the form's name becomes a link to the form.
        names = (f"《{form_title}》", form_title, *_FORM_NAMES) if form_title else _FORM_NAMES
        return Markup(contact_html(text, names, link(urls.FORM_DOCX)))

    body = _env.get_template(template).render(link=link, url=url, md=md, contact=contact,
                                              form_title=form_title, **context)
    return front_matter(meta) + "\n" + body


def _meta(title: str, description: str | None = None, **extra: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {"title": html_attr(title)}
    if description:
        meta["description"] = html_attr(" ".join(description.split()))
    meta.update(extra)
    return meta


# --- names -------------------------------------------------------------------


class Names:
    """Chinese names of the policy's ids (modules, forms, specialties, titles)."""

    def __init__(self, policy: Mapping[str, Any]) -> None:
        self.policy = policy

    def module(self, module_id: str) -> str:
        return str(self.policy["modules"][module_id]["name"])

    def form(self, form_id: str | None) -> str:
        return str(self.policy["forms"][form_id]) if form_id else ""

    def specialty(self, specialty_id: str) -> str:
        return str(self.policy["specialties"][specialty_id])

    def specialties(self, ids: tuple[str, ...]) -> str:
        if not ids:
            return "各专业"
        return "、".join(str(self.policy["specialties"][s]) for s in ids)


def _course_row(names: Names, year: int, course: Course) -> dict[str, Any]:
    return {
        "code": course.code,
        "title": course.title,
        "url": urls.course(year, course.code),
        "module": course.module,
        "module_name": names.module(course.module),
        "hours": hours(course.hours),
        "specialties": " ".join(course.specialties),
        "specialty_names": names.specialties(course.specialties),
        "form": course.form or "",
        "form_name": names.form(course.form),
        "teacher": course.teacher or "",
        "description": course.description or "",
        "specialty_links": [(names.specialty(s), urls.specialty(year, s))
                            for s in course.specialties],
        "add": urls.calculator_add(year, course.code),
    }


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _deadline(year: YearCatalog, session: ClassSession) -> dt.date | None:
    if session.registration_closes:
        return session.registration_closes
    return year.registration.closes if year.registration else None


def _class_entry(names: Names, year: YearCatalog, session: ClassSession) -> dict[str, Any]:
    courses = [year.course(code) for code in session.courses]
    deadline = _deadline(year, session)
    opens = year.registration.opens if year.registration else None
    reg_contact = (year.registration.contact or "") if year.registration else ""
    level = LEVELS.get(session.level or "", "")
    if session.county:
        level = f"{level}：{session.county}" if level else session.county
    return {
        "code": session.code,
        "name": session.name,
        "anchor": urls.class_anchor(session.code),
        "url": urls.schedule(year.year) + "#" + urls.class_anchor(session.code),
        "dates": cn_span(session.start, session.end),
        "dates_html": Markup(span_html(session.start, session.end)),
        "start": session.start.isoformat(),
        "deadline": cn_date(deadline),
        "deadline_html": Markup(date_html(deadline)),
        # What the visitor's browser computes the status from (registration-status.js):
        # registration closes at the end of the deadline day, else of the first day (as
        # `ceportal plan` reads it, DESIGN.md).
        "status_opens": opens.isoformat() if opens else "",
        "status_closes": (deadline or session.start).isoformat(),
        "location": session.location or "",
        "organizer": session.organizer or "",
        "level": level,
        "capacity": str(session.capacity) if session.capacity else "",
        "fee": session.fee or "",
        "contact": session.contact or "",
        "registration_contact": reg_contact,
        "courses": [_course_row(names, year.year, c) for c in courses],
        "course_count": len(courses),
        "total_hours": hours(sum(c.hours for c in courses)),
    }


def _schedule_order(year: YearCatalog) -> list[ClassSession]:
    # Deadline first (a class without one sorts by its start), then start date, then code.
    def key(session: ClassSession) -> tuple[dt.date, dt.date, str]:
        return (_deadline(year, session) or session.start, session.start, session.code)

    return sorted(year.classes, key=key)


def _registration(year: YearCatalog) -> dict[str, Any]:
    reg = year.registration
    return {
        "opens": cn_date(reg.opens) if reg else "",
        "opens_html": Markup(date_html(reg.opens)) if reg else "",
        "closes": cn_date(reg.closes) if reg else "",
        "closes_html": Markup(date_html(reg.closes)) if reg else "",
        "contact": (reg.contact or "") if reg else "",
    }


def _year_links(year: int) -> dict[str, str]:
    return {
        "catalog": urls.year_catalog(year),
        "schedule": urls.schedule(year),
        "changes": urls.changes(year),
        "json": urls.year_json(year),
        "csv": urls.year_csv(year),
        "ics": urls.schedule_ics(year),
        "plan": urls.class_plan_xlsx(year),
    }


def _year_summary(names: Names, year: YearCatalog) -> dict[str, Any]:
    return {
        "year": year.year,
        "title": year.title,
        "publisher": year.publisher or "",
        "published": cn_date(year.published),
        "published_html": Markup(date_html(year.published)),
        "notes": _lines(year.notes),
        "registration": _registration(year),
        "courses": len(year.courses),
        "classes": len(year.classes),
        "hours": hours(sum(c.hours for c in year.courses)),
        "links": _year_links(year.year),
    }


# --- pages --------------------------------------------------------------------


def home_page(catalog: Catalog, form_title: str = "") -> str:
    names = Names(catalog.policy)
    latest = catalog.latest
    current = None
    if latest is not None:
        current = _year_summary(names, latest)
        current["sessions"] = [_class_entry(names, latest, s) for s in _schedule_order(latest)]
    return _render(
        "home.md.j2",
        urls.HOME,
        _meta(
            "首页",
            "温州市工程技术（一）系列专业技术人员继续教育：报名截止日期与联系方式、通知、学时政策、课程目录、办班计划与报名表下载。",
            hide=["navigation", "toc"],
        ),
        form_title=form_title,
        current=current,
        years=[y.year for y in reversed(catalog.years)],
        document=catalog.policy["document"],
        u=urls,
    )


def notice_page(notice: Notice) -> str:
    return _render(
        "notice.md.j2",
        urls.NOTICE,
        _meta(notice.title, f"{notice.number}《{notice.title}》全文。"),
        notice=notice,
        u=urls,
    )


def _figure(entry: Any) -> Any:
    return entry["value"] if isinstance(entry, Mapping) else entry


def _assumed(entry: Any) -> str | None:
    return entry.get("assumption") if isinstance(entry, Mapping) else None


class _Notes:
    """The policy's assumptions, numbered in policy order; ``mark`` gives the link that a
    cell or a sentence resting on one carries (and nothing for a stated figure)."""

    def __init__(self, policy: Mapping[str, Any]) -> None:
        self.items = [
            {"id": aid, "anchor": f"assumption-{aid}", "n": str(n), "text": str(a["text"]),
             "reason": str(a["reason"]), "clause": str(a["clause"])}
            for n, (aid, a) in enumerate(policy["assumptions"].items(), start=1)
        ]
        self._by_id = {item["id"]: item for item in self.items}
        self.used: set[str] = set()

    def mark(self, *ids: str | None) -> list[dict[str, str]]:
        marks = []
        for aid in dict.fromkeys(i for i in ids if i):
            self.used.add(aid)
            marks.append(self._by_id[aid])
        return marks


def _figure_cell(value: Any, marks: list[dict[str, str]]) -> dict[str, Any]:
    return {"value": hours(value) if isinstance(value, (int, float)) else str(value),
            "notes": marks}


def policy_page(policy: Mapping[str, Any]) -> str:
    """The rules explained, every figure computed by :mod:`generator.rules` from the policy;
    exactly the cells and sentences that rest on an assumption carry its mark."""
    notes = _Notes(policy)
    first = start_year(policy)
    cycles = []
    for title_id, title in policy["titles"].items():
        req = cycle_requirement(policy, title_id, first)
        cycles.append({
            "id": title_id,
            "name": title["name"],
            "years": _figure_cell(_figure(title["cycle_years"]), notes.mark(_assumed(title["cycle_years"]))),
            "total": _figure_cell(req.total, notes.mark(_assumed(title["cycle_hours"]))),
            "public": _figure_cell(req.public, notes.mark(_assumed(title["public_hours"]))),
        })
    targets = policy["promotion"]["targets"]
    longest = max(int(_figure(t["cycle_years"])) for t in policy["titles"].values())
    years = list(range(first, first + longest))
    promotion = []
    windows: dict[str, list[str]] = {}  # window rule -> the assumptions it rests on
    for target_id, spec in targets.items():
        current = spec.get("current_title")
        window = _assumed(spec["window"])
        windows.setdefault(spec["window"]["rule"], [])
        if window and window not in windows[spec["window"]["rule"]]:
            windows[spec["window"]["rule"]].append(window)
        row = {"id": target_id, "name": spec["name"], "clause": spec.get("clause", ""),
               "current": policy["titles"][current]["name"] if current else "—", "cells": []}
        for year in years:
            req = promotion_requirement(policy, target_id, year)
            text = hours(req.total) + (f"（{hours(req.public)}）" if req.public else "")
            # The cell shows figures: the window's assumption belongs to the window's sentence.
            row["cells"].append(_figure_cell(text, notes.mark(*(a for a in req.assumptions if a != window))))
        promotion.append(row)
    modules = [
        {"id": m_id, "name": m["name"], "public": bool(m.get("counts_toward_public")),
         "clause": m.get("clause", ""), "notes": notes.mark(_assumed(m))}
        for m_id, m in policy["modules"].items()
    ]
    example = promotion_requirement(policy, "engineer", first + 2)
    later_spec = targets["senior_engineer"]
    later_year = first + longest + 1  # after the transition: the window slides
    later = promotion_requirement(policy, "senior_engineer", later_year)
    cycle_window = policy["cycle"]["window"]
    page = _render(
        "policy.md.j2",
        urls.POLICY,
        _meta("学时政策解读", "各级职称继续教育周期、学时要求及2009—2013年过渡办法，数据与学时自查使用同一规则；通知未规定之处标明本门户的推定及理由。"),
        document=policy["document"],
        first=first,
        cycles=cycles,
        years=years,
        promotion=promotion,
        modules=modules,
        per_year=hours(_figure(policy["promotion"]["public_per_year"])),
        example={"year": first + 2, "from": example.window_from, "to": example.window_to,
                 "total": hours(example.total), "public": hours(example.public),
                 "name": targets["engineer"]["applies_for"]},
        later={"year": later_year, "from": later.window_from, "to": later.window_to,
               "name": later_spec["applies_for"], "current": policy["titles"][later_spec["current_title"]]["name"],
               "years": later.window_to - later.window_from + 1},
        sliding=notes.mark(*windows.get("last_cycle", [])),
        since_start=notes.mark(*windows.get("since_start", [])),
        since_start_names="、".join(t["name"] for t in targets.values() if t["window"]["rule"] == "since_start"),
        cycle_window=notes.mark(_assumed(cycle_window)),
        notes=[n for n in notes.items if n["id"] in notes.used],
        u=urls,
    )
    return page


def catalog_archive_page(catalog: Catalog) -> str:
    names = Names(catalog.policy)
    return _render(
        "catalog_archive.md.j2",
        urls.CATALOG_ARCHIVE,
        _meta("课程目录", "历年工程技术（一）系列继续教育专业选修课目录。"),
        years=[_year_summary(names, y) for y in reversed(catalog.years)],
        u=urls,
    )


def _specialty_choices(catalog: Catalog, year: YearCatalog) -> list[dict[str, Any]]:
    """The specialties some course of ``year`` is for, in policy order, with their pages."""
    used = {s for c in year.courses for s in c.specialties}
    return [{"id": k, "name": v, "url": urls.specialty(year.year, k),
             "count": sum(1 for c in year.courses if k in c.specialties)}
            for k, v in catalog.policy["specialties"].items() if k in used]


def year_page(catalog: Catalog, year: YearCatalog, form_title: str = "") -> str:
    names = Names(catalog.policy)
    policy = catalog.policy
    rows = [_course_row(names, year.year, c) for c in year.courses]
    return _render(
        "year.md.j2",
        urls.year_catalog(year.year),
        _meta(f"{year.year}年度课程目录", f"{year.year}年度继续教育课程目录（公共必修课、专业选修课及其他形式）：{year.title}",
              hide=["navigation", "toc"]),
        form_title=form_title,
        summary=_year_summary(names, year),
        rows=rows,
        teachers=any(r["teacher"] for r in rows),
        modules=[(k, v["name"]) for k, v in policy["modules"].items()
                 if any(c.module == k for c in year.courses)],
        forms=[(k, v) for k, v in policy["forms"].items() if any(c.form == k for c in year.courses)],
        specialties=_specialty_choices(catalog, year),
        u=urls,
    )


def specialty_page(catalog: Catalog, year: YearCatalog, specialty_id: str) -> str:
    """One specialty's courses in ``year``, and the courses open to every specialty."""
    names = Names(catalog.policy)
    name = names.specialty(specialty_id)
    own = [_course_row(names, year.year, c) for c in year.courses if specialty_id in c.specialties]
    common = [_course_row(names, year.year, c) for c in year.courses if not c.specialties]
    url = urls.specialty(year.year, specialty_id)
    return _render(
        "specialty.md.j2",
        url,
        _meta(f"{year.year}年度{name}专业课程",
              f"{year.year}年度继续教育课程目录中适用于{name}专业的课程，以及各专业均可选的课程。",
              hide=["navigation", "toc"]),
        year=year.year,
        name=name,
        specialty=specialty_id,
        own=own,
        common=common,
        own_hours=hours(sum(c.hours for c in year.courses if specialty_id in c.specialties)),
        teachers=any(r["teacher"] for r in own + common),
        specialties=_specialty_choices(catalog, year),
        u=urls,
    )


def class_entries(catalog: Catalog, year: YearCatalog) -> list[tuple[ClassSession, dict[str, Any]]]:
    """Every class of ``year`` with what a page shows of it, in catalog order."""
    names = Names(catalog.policy)
    return [(s, _class_entry(names, year, s)) for s in year.classes]


def course_page(
    catalog: Catalog,
    year: YearCatalog,
    course: Course,
    entries: list[tuple[ClassSession, dict[str, Any]]] | None = None,
    form_title: str = "",
) -> str:
    """One course's page. ``entries`` (:func:`class_entries` of ``year``) saves computing
    every class again for each of the year's courses."""
    names = Names(catalog.policy)
    if entries is None:
        entries = class_entries(catalog, year)
    sessions = [entry for s, entry in entries if course.code in s.courses]
    sessions.sort(key=lambda e: (e["status_closes"], e["start"], e["code"]))
    return _render(
        "course.md.j2",
        urls.course(year.year, course.code),
        _meta(f"{course.title}（{year.year}年度）", course.description or
              f"{year.year}年度继续教育课程 {course.code} {course.title}，{hours(course.hours)}学时。",
              hide=["navigation"], search={"boost": 2}),
        form_title=form_title,
        c=_course_row(names, year.year, course),
        year=year.year,
        notes=_lines(year.notes),
        sessions=sessions,
        u=urls,
    )


def _change_notes(names: Names, ch: Any) -> list[str]:
    """Each difference of a changed course as a short Chinese phrase."""
    before, after = ch.before, ch.after
    notes = []
    for name in ch.fields:
        if name == "code":
            notes.append(f"编号由 {before.code} 改为 {after.code}")
        elif name == "title":
            notes.append(f"名称由“{before.title}”改为“{after.title}”")
        elif name == "hours":
            notes.append(f"学时由 {hours(before.hours)} 改为 {hours(after.hours)}")
        elif name == "module":
            notes.append(f"类别由{names.module(before.module)}改为{names.module(after.module)}")
        elif name == "specialties":
            notes.append(f"适用专业由{names.specialties(before.specialties)}改为"
                         f"{names.specialties(after.specialties)}")
    return notes


def changes_page(catalog: Catalog, year: YearCatalog) -> str:
    names = Names(catalog.policy)
    index = catalog.years.index(year)
    previous = catalog.years[index - 1] if index > 0 else None
    diff = year_changes(previous, year)
    before_year = diff.previous or year.year

    def entry(ch: Any) -> dict[str, Any]:
        return {"after": _course_row(names, year.year, ch.after),
                "before": _course_row(names, before_year, ch.before),
                "notes": _change_notes(names, ch)}

    return _render(
        "changes.md.j2",
        urls.changes(year.year),
        _meta(f"{year.year}年度课程目录变化",
              f"{year.year}年度课程目录相对上一年度：编号调整、学时类别或专业调整、新增及取消的课程。",
              hide=["navigation"]),
        year=year.year,
        previous=diff.previous,
        added=[_course_row(names, year.year, c) for c in diff.added],
        removed=[_course_row(names, before_year, c) for c in diff.removed],
        renumbered=[entry(ch) for ch in diff.renumbered],
        adjusted=[entry(ch) for ch in diff.adjusted],
        u=urls,
    )


def schedule_archive_page(catalog: Catalog) -> str:
    names = Names(catalog.policy)
    return _render(
        "schedule_archive.md.j2",
        urls.SCHEDULE_ARCHIVE,
        _meta("办班计划", "历年工程技术（一）系列继续教育办班计划。"),
        years=[_year_summary(names, y) for y in reversed(catalog.years)],
        u=urls,
    )


def schedule_page(catalog: Catalog, year: YearCatalog, form_title: str = "") -> str:
    names = Names(catalog.policy)
    return _render(
        "schedule.md.j2",
        urls.schedule(year.year),
        _meta(f"{year.year}年度办班计划", f"{year.year}年度继续教育办班计划：报名截止日期、开班日期、地点与课程。",
              hide=["navigation"]),
        form_title=form_title,
        summary=_year_summary(names, year),
        sessions=[_class_entry(names, year, s) for s in _schedule_order(year)],
        u=urls,
    )


def downloads_page(catalog: Catalog, form_title: str) -> str:
    names = Names(catalog.policy)
    return _render(
        "downloads.md.j2",
        urls.DOWNLOADS,
        _meta("下载专区", "通知原文、继续教育培训班报名表、办班计划及课程目录数据下载。"),
        document=catalog.policy["document"],
        form_title=form_title,
        years=[_year_summary(names, y) for y in reversed(catalog.years)],
        u=urls,
    )


PageFunction = Callable[[], str]

# The last pages of each year, with what they were made from: `ceportal serve` renders
# the whole site again on every change, and a one-course edit changes one year. A year's
# pages depend only on the policy, the form's name and the year; its changes page also on
# the year before.
_YearKey = tuple[dict[str, Any], str, YearCatalog]
_ChangesKey = tuple[dict[str, Any], YearCatalog | None, YearCatalog]
_year_cache: dict[int, tuple[_YearKey, dict[str, str]]] = {}
_changes_cache: dict[int, tuple[_ChangesKey, str]] = {}


def reserved_code_problem(year: int, code: str) -> str | None:
    """Why ``code`` cannot be a course code of ``year`` (it would take a page's URL), or None."""
    if code in urls.RESERVED_CODES:
        return (f"{year}年度课程编号“{code}”与网站自身的网址 catalog/{year}/{code}/ 冲突"
                f"（{'、'.join(urls.RESERVED_CODES)} 为保留名称），请改用其他编号")
    return None


def _year_pages(catalog: Catalog, previous: YearCatalog | None, year: YearCatalog,
                form_title: str = "") -> dict[str, str]:
    """The catalog, changes, specialty, schedule and course pages of ``year`` (remembered:
    see above)."""
    changes_key: _ChangesKey = (catalog.policy, previous, year)
    cached_changes = _changes_cache.get(year.year)
    if cached_changes is None or cached_changes[0] != changes_key:
        cached_changes = (changes_key, changes_page(catalog, year))
        _changes_cache[year.year] = cached_changes
    key: _YearKey = (catalog.policy, form_title, year)
    cached = _year_cache.get(year.year)
    if cached is None or cached[0] != key:
        for course in year.courses:
            problem = reserved_code_problem(year.year, course.code)
            if problem:
                raise ValueError(problem)
        entries = class_entries(catalog, year)
        pages = {urls.source_path(urls.year_catalog(year.year)): year_page(catalog, year, form_title)}
        for choice in _specialty_choices(catalog, year):
            pages[urls.source_path(choice["url"])] = specialty_page(catalog, year, choice["id"])
        pages[urls.source_path(urls.schedule(year.year))] = schedule_page(catalog, year, form_title)
        for course in year.courses:
            pages[urls.source_path(urls.course(year.year, course.code))] = course_page(
                catalog, year, course, entries, form_title
            )
        cached = (key, pages)
        _year_cache[year.year] = cached
    year_url = urls.source_path(urls.year_catalog(year.year))
    # The order of a full build: catalog, changes, specialties, schedule, then the courses.
    result = {year_url: cached[1][year_url],
              urls.source_path(urls.changes(year.year)): cached_changes[1]}
    result.update(cached[1])
    return result


def render_pages(catalog: Catalog, notice_text: str, form_title: str) -> dict[str, str]:
    """Every generated page, keyed by its Markdown source path, in a stable order."""
    notice = parse_notice(notice_text)
    pages: dict[str, str] = {
        urls.source_path(urls.HOME): home_page(catalog, form_title),
        urls.source_path(urls.NOTICE): notice_page(notice),
        urls.source_path(urls.POLICY): policy_page(catalog.policy),
        urls.source_path(urls.CATALOG_ARCHIVE): catalog_archive_page(catalog),
        urls.source_path(urls.SCHEDULE_ARCHIVE): schedule_archive_page(catalog),
        urls.source_path(urls.DOWNLOADS): downloads_page(catalog, form_title),
    }
    previous: YearCatalog | None = None
    for year in catalog.years:
        pages.update(_year_pages(catalog, previous, year, form_title))
        previous = year
    return pages
