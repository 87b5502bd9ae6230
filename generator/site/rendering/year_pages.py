"""A catalog year's pages: its catalog, changes, specialty, schedule and course pages.

A year's pages depend only on the policy, the form's name and the year (its changes page
also on the year before), which is what :func:`render_year` keys them by in a
:class:`~generator.site.cache.BuildCache`.
"""

from __future__ import annotations

import logging
from typing import Any

from generator.catalog.format.scalars import RESERVED_CODES
from generator.catalog.model import Catalog, ClassSession, Course, YearCatalog
from generator.site.cache import BuildCache, digest, templates_key
from generator.site.model import Page

from . import urls
from .changes import ClassChanged, class_changes, year_changes
from .context import (
    Names,
    class_entry,
    course_row,
    lines,
    meta,
    render,
    schedule_order,
    year_summary,
)
from .markup import cn_periods, hours

log = logging.getLogger(__name__)


def _specialty_choices(catalog: Catalog, year: YearCatalog) -> list[dict[str, Any]]:
    """The specialties some course of ``year`` is for, in policy order, with their pages."""
    used = {s for c in year.courses for s in c.specialties}
    return [{"id": k, "name": v, "url": urls.specialty(year.year, k),
             "count": sum(1 for c in year.courses if k in c.specialties)}
            for k, v in catalog.policy.specialties.items() if k in used]


def course_rows(catalog: Catalog, year: YearCatalog) -> dict[str, dict[str, Any]]:
    """What the year's pages show of each course (:func:`course_row`), by code: made once
    for the catalog page, the specialty pages and the course pages of the year."""
    names = Names(catalog.policy)
    return {c.code: course_row(names, year.year, c) for c in year.courses}


def year_page(catalog: Catalog, year: YearCatalog, form_title: str = "",
              rows_by_code: dict[str, dict[str, Any]] | None = None) -> Page:
    names = Names(catalog.policy)
    policy = catalog.policy
    by_code = rows_by_code if rows_by_code is not None else course_rows(catalog, year)
    rows = [by_code[c.code] for c in year.courses]
    return render(
        "year.md.j2",
        urls.year_catalog(year.year),
        meta("year-catalog", f"{year.year}年度课程目录", f"{year.year}年度继续教育课程目录（公共必修课、专业选修课及其他形式）：{year.title}",
              wide=True, toc=False),
        form_title=form_title,
        summary=year_summary(names, year),
        rows=rows,
        teachers=any(r["teacher"] for r in rows),
        modules=[(k, v) for k, v in policy.modules.items()
                 if any(c.module == k for c in year.courses)],
        forms=[(k, v) for k, v in policy.forms.items() if any(c.form == k for c in year.courses)],
        specialties=_specialty_choices(catalog, year),
        u=urls,
    )


def specialty_page(catalog: Catalog, year: YearCatalog, specialty_id: str,
                   rows_by_code: dict[str, dict[str, Any]] | None = None) -> Page:
    """One specialty's courses in ``year``, and the courses open to every specialty."""
    names = Names(catalog.policy)
    name = names.specialty(specialty_id)
    by_code = rows_by_code if rows_by_code is not None else course_rows(catalog, year)
    own = [by_code[c.code] for c in year.courses if specialty_id in c.specialties]
    common = [by_code[c.code] for c in year.courses if not c.specialties]
    url = urls.specialty(year.year, specialty_id)
    return render(
        "specialty.md.j2",
        url,
        meta("specialty", f"{year.year}年度{name}专业课程",
              f"{year.year}年度继续教育课程目录中适用于{name}专业的课程，以及各专业均可选的课程。",
              wide=True, toc=False),
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
    return [(s, class_entry(names, year, s)) for s in year.classes]


def course_page(
    catalog: Catalog,
    year: YearCatalog,
    course: Course,
    entries: list[tuple[ClassSession, dict[str, Any]]] | None = None,
    form_title: str = "",
    row: dict[str, Any] | None = None,
) -> Page:
    """One course's page. ``entries`` (:func:`class_entries` of ``year``) and ``row``
    (its :func:`course_row`) save computing every class and the course's row again for
    each of the year's courses."""
    names = Names(catalog.policy)
    if entries is None:
        entries = class_entries(catalog, year)
    sessions = [entry for s, entry in entries if course.code in s.courses]
    sessions.sort(key=lambda e: (e["status_closes"], e["start"], e["code"]))
    return render(
        "course.md.j2",
        urls.course(year.year, course.code),
        meta("course", f"{course.title}（{year.year}年度）", course.description or
              f"{year.year}年度继续教育课程 {course.code} {course.title}，{hours(course.hours)}学时。",
              wide=True, search_boost=2),
        form_title=form_title,
        c=row if row is not None else course_row(names, year.year, course),
        year=year.year,
        notes=lines(year.notes),
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
        elif name == "form":
            notes.append(f"形式由{names.form(before.form) or '未注明'}改为"
                         f"{names.form(after.form) or '未注明'}")
        elif name == "teacher":
            notes.append(f"授课教师由“{before.teacher or '未注明'}”改为“{after.teacher or '未注明'}”")
    return notes


def _class_change_notes(ch: ClassChanged) -> list[str]:
    """Each difference of a class against the previous year's as a short phrase."""
    notes = []
    if "location" in ch.fields:
        notes.append(f"地点由“{ch.before.location or '未注明'}”改为“{ch.after.location or '未注明'}”")
    if "dates" in ch.fields:
        notes.append(f"日期由{cn_periods(ch.before.periods)}改为{cn_periods(ch.after.periods)}")
    return notes


def _class_link(names: Names, year: YearCatalog, klass: ClassSession) -> dict[str, Any]:
    entry = class_entry(names, year, klass)
    return {"name": klass.name, "code": klass.code, "url": entry["url"], "dates": entry["dates"],
            "location": klass.location or "", "state_name": entry["state_name"],
            "status_note": klass.status_note or ""}


def changes_page(catalog: Catalog, year: YearCatalog) -> Page:
    names = Names(catalog.policy)
    index = catalog.years.index(year)
    previous = catalog.years[index - 1] if index > 0 else None
    diff = year_changes(previous, year)
    classes = class_changes(previous, year)
    before_year = diff.previous or year.year

    def entry(ch: Any) -> dict[str, Any]:
        return {"after": course_row(names, year.year, ch.after),
                "before": course_row(names, before_year, ch.before),
                "notes": _change_notes(names, ch)}

    return render(
        "changes.md.j2",
        urls.changes(year.year),
        meta("changes", f"{year.year}年度课程目录变化",
              f"{year.year}年度课程目录相对上一年度：编号调整、学时类别或专业调整、新增及取消的课程；"
              "办班的新增、取消、地点和日期调整。",
              wide=True),
        year=year.year,
        previous=diff.previous,
        added=[course_row(names, year.year, c) for c in diff.added],
        removed=[course_row(names, before_year, c) for c in diff.removed],
        renumbered=[entry(ch) for ch in diff.renumbered],
        adjusted=[entry(ch) for ch in diff.adjusted],
        classes_added=[_class_link(names, year, c) for c in classes.added],
        classes_removed=[_class_link(names, previous, c) for c in classes.removed]
        if previous else [],
        classes_changed=[{"after": _class_link(names, year, ch.after),
                          "before": _class_link(names, previous, ch.before),
                          "notes": _class_change_notes(ch)}
                         for ch in classes.changed] if previous else [],
        classes_not_open=[_class_link(names, year, c) for c in classes.not_open],
        classes_total=len(year.classes),
        u=urls,
    )


def schedule_page(catalog: Catalog, year: YearCatalog, form_title: str = "") -> Page:
    names = Names(catalog.policy)
    return render(
        "schedule.md.j2",
        urls.schedule(year.year),
        meta("schedule", f"{year.year}年度办班计划", f"{year.year}年度继续教育办班计划：报名截止日期、开班日期、地点与课程。",
              wide=True),
        form_title=form_title,
        summary=year_summary(names, year),
        sessions=[class_entry(names, year, s) for s in schedule_order(year)],
        u=urls,
    )


def reserved_code_problem(year: int, code: str) -> str | None:
    """Why ``code`` cannot be a course code of ``year`` (it would take a page's URL), or None."""
    if code in RESERVED_CODES:
        return (f"{year}年度课程编号“{code}”与网站自身的网址 catalog/{year}/{code}/ 冲突"
                f"（{'、'.join(RESERVED_CODES)} 为保留名称），请改用其他编号")
    return None


def render_year(catalog: Catalog, previous: YearCatalog | None, year: YearCatalog,
                form_title: str = "", cache: BuildCache | None = None) -> dict[str, Page]:
    """The catalog, changes, specialty, schedule and course pages of ``year``, in the
    order of a full build. With ``cache`` (the build's or the preview session's), pages
    made from the same inputs are not made again: `ceportal serve` renders the whole site
    on every change, and a one-course edit changes one year."""
    if cache is None:
        changes = changes_page(catalog, year)
        pages = _own_pages(catalog, year, form_title)
    else:
        templates = templates_key()
        before = previous.fingerprint if previous else None
        changes = cache.year("changes", year.year,
                             digest(catalog.policy.as_rules_data(), before, year.fingerprint, templates),
                             lambda: changes_page(catalog, year))
        pages = cache.year("pages", year.year,
                           digest(catalog.policy.as_rules_data(), form_title, year.fingerprint, templates),
                           lambda: _own_pages(catalog, year, form_title, cache, templates))
    year_url = urls.source_path(urls.year_catalog(year.year))
    result = {year_url: pages[year_url], urls.source_path(urls.changes(year.year)): changes}
    result.update(pages)
    return result


def _own_pages(catalog: Catalog, year: YearCatalog, form_title: str,
               cache: BuildCache | None = None, templates: str = "") -> dict[str, Page]:
    """The pages of ``year`` that depend on it alone (every one but the changes page).
    With ``cache`` (and ``templates``, the :func:`templates_key`), a course page whose
    inputs did not change is taken from it: a one-course edit changes one course page
    (and those of the courses sharing a class with it), not the year's hundreds."""
    for course in year.courses:
        problem = reserved_code_problem(year.year, course.code)
        if problem:
            raise ValueError(problem)
    entries = class_entries(catalog, year)
    rows = course_rows(catalog, year)
    pages = {urls.source_path(urls.year_catalog(year.year)): year_page(catalog, year, form_title, rows)}
    for choice in _specialty_choices(catalog, year):
        pages[urls.source_path(choice["url"])] = specialty_page(catalog, year, choice["id"], rows)
    pages[urls.source_path(urls.schedule(year.year))] = schedule_page(catalog, year, form_title)
    # What every course page of the year reads: the policy (names), the templates, the
    # form's title, the year's number and notes (taken once: the policy is large).
    shared = digest(catalog.policy.as_rules_data(), templates, form_title, year.year, year.notes)
    # Each class's key once (its entry lists the rows of every course it teaches): a
    # course's key names the keys of its classes rather than writing them out again.
    class_keys = {id(entry): digest(entry) for _, entry in entries} if cache is not None else {}
    for course in year.courses:
        def make(course: Course = course) -> Page:
            return course_page(catalog, year, course, entries, form_title, rows[course.code])

        path = urls.source_path(urls.course(year.year, course.code))
        if cache is None:
            pages[path] = make()
            continue
        # And its own: the course and the classes that teach it.
        sessions = [class_keys[id(entry)] for s, entry in entries if course.code in s.courses]
        key = digest(shared, course, sessions)
        pages[path] = cache.year(f"course-page {course.code}", year.year, key, make)
    return pages
