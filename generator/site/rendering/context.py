"""What every generated page shares: the Jinja environment, the page frame (front matter,
links made relative to the page) and the rows a catalog, course or schedule shows.

:class:`Names` is the one place the pages turn the policy's ids into Chinese names.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import jinja2
from markupsafe import Markup

from generator.catalog.format import LEVELS, STATUSES, Field, Format, View
from generator.catalog.format.kinds import Record, Records
from generator.catalog.model import FORMAT, ClassSession, Course, YearCatalog
from generator.catalog.policy_model import Policy
from generator.site.model import Page, PageKind

from . import urls
from .markup import (
    cn_date,
    cn_periods,
    contact_html,
    date_html,
    hours,
    md_inline,
    periods_html,
)

log = logging.getLogger(__name__)


_env = jinja2.Environment(
    loader=jinja2.PackageLoader("generator", "site/templates"),
    autoescape=True,  # every template emits HTML blocks
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


# How catalogs and the notice name the registration form (附件2); each is linked to it.
_FORM_NAMES = ("《报名表》", "报名表")


def render(template: str, url: str, meta: dict[str, Any], *, form_title: str = "",
           **context: Any) -> Page:
    """The page at ``url``: the fields ``meta`` (:func:`meta`), its body ``template``
    rendered with ``context`` and the helpers every template uses (``link``, ``md``,
    ``contact``)."""
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
    return Page(path=urls.source_path(url), body=body, **meta)


def meta(kind: PageKind, title: str, description: str | None = None, *, nav: bool = False,
         wide: bool = False, toc: bool = True, search_boost: float = 1.0) -> dict[str, Any]:
    """A page's fields besides its path and body (:class:`~generator.site.model.Page`):
    its kind, its title, its description on one line, whether the site's navigation lists
    it (the sections' front pages), leaves out the navigation column (``wide``) or its
    table of contents, and its search weight."""
    return {"kind": kind, "title": title,
            "description": " ".join(description.split()) if description else "",
            "nav": nav, "wide": wide, "toc": toc, "search_boost": search_boost}


# --- names -------------------------------------------------------------------


class Names:
    """Chinese names of the policy's ids (modules, forms, specialties), as pages show them."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.enums = policy.enum_names()  # enum -> {id: name}, as the field kinds take them

    def module(self, module_id: str) -> str:
        return self.policy.modules[module_id]

    def form(self, form_id: str | None) -> str:
        return self.policy.forms[form_id] if form_id else ""

    def specialty(self, specialty_id: str) -> str:
        return self.policy.specialties[specialty_id]

    def specialties(self, ids: tuple[str, ...]) -> str:
        if not ids:
            return "各专业"
        return "、".join(self.policy.specialties[s] for s in ids)


# --- rows ---------------------------------------------------------------------


def shown(record: Any, spec: dict[str, Field], names: Names) -> dict[str, Any]:
    """The fields of ``record`` the pages show, walked from the table: each as its kind
    shows it (empty text when not given), and an id's Chinese name as ``<field>_name``.
    The rows below add what pages compute from several fields (links, spans, totals)."""
    out: dict[str, Any] = {}
    for name, f in spec.items():
        if View.PAGES not in f.views or isinstance(f.kind, (Record, Records)):
            continue  # records are shown by rows of their own
        value = getattr(record, name)
        out[name] = f.kind.page(value)
        label = f.kind.label(value, names.enums)
        if label is not None:
            out[f"{name}_name"] = label
    return out


def course_row(names: Names, year: int, course: Course, fmt: Format = FORMAT) -> dict[str, Any]:
    """What a table or a course page shows of ``course``."""
    return {
        **shown(course, fmt["course"], names),
        "url": urls.course(year, course.code),
        "specialty_names": names.specialties(course.specialties),
        "specialty_links": [(names.specialty(s), urls.specialty(year, s))
                            for s in course.specialties],
        "add": urls.calculator_add(year, course.code),
    }


def lines(text: str | None) -> list[str]:
    """The non-blank lines of ``text``, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def class_entry(
    names: Names, year: YearCatalog, session: ClassSession, fmt: Format = FORMAT
) -> dict[str, Any]:
    """What the home page, a schedule or a course page shows of one class."""
    courses = [year.course(code) for code in session.courses]
    deadline = year.deadline(session)
    opens = year.registration.opens if year.registration else None
    reg_contact = (year.registration.contact or "") if year.registration else ""
    level = LEVELS.get(session.level or "", "")
    if session.county:
        level = f"{level}：{session.county}" if level else session.county
    return {
        **shown(session, fmt["class"], names),
        "anchor": urls.class_anchor(session.code),
        "url": urls.schedule(year.year) + "#" + urls.class_anchor(session.code),
        "dates": cn_periods(session.periods),
        "dates_html": Markup(periods_html(session.periods)),
        "session_count": len(session.periods),
        # A status other than open is a fact of the catalog, shown as is (never 报名中);
        # an open class's registration status is the visitor's browser's to compute.
        "state": session.status,
        "state_name": "" if session.takes_registrations else STATUSES[session.status],
        "deadline": cn_date(deadline),
        "deadline_html": Markup(date_html(deadline)),
        # What the visitor's browser computes the status from (registration-status.js):
        # registration closes at the end of the deadline day, else of the first day (as
        # `ceportal plan` reads it, DESIGN.md).
        "status_opens": opens.isoformat() if opens else "",
        "status_closes": (deadline or session.start).isoformat(),
        "level": level,
        "registration_contact": reg_contact,
        "courses": [course_row(names, year.year, c) for c in courses],
        "course_count": len(courses),
        "total_hours": hours(sum(c.hours for c in courses)),
    }


def schedule_order(year: YearCatalog) -> list[ClassSession]:
    """The classes of ``year`` as a schedule lists them."""
    # Deadline first (a class without one sorts by its start), then start date, then code.
    def key(session: ClassSession) -> tuple[dt.date, dt.date, str]:
        return (year.deadline(session) or session.start, session.start, session.code)

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
        "schedule_csv": urls.schedule_csv(year),
        "plan": urls.class_plan_xlsx(year),
        "plan_pdf": urls.class_plan_pdf(year),
    }


def year_summary(names: Names, year: YearCatalog, fmt: Format = FORMAT) -> dict[str, Any]:
    """What the archives, the home page and a year's own pages say about ``year``."""
    return {
        **shown(year, fmt["year"], names),
        "published": cn_date(year.published),
        "published_html": Markup(date_html(year.published)),
        "notes": lines(year.notes),
        "registration": _registration(year),
        "courses": len(year.courses),
        "classes": len(year.classes),
        "hours": hours(sum(c.hours for c in year.courses)),
        "links": _year_links(year.year),
    }
