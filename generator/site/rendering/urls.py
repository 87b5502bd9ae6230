"""The site's URLs (DESIGN.md, "Site URLs") in one place, and relative links between them.

Every URL here is site-relative without a leading slash and, for pages, ends with ``/``
(MkDocs' ``use_directory_urls``). Generated HTML links are written relative to the page
that holds them, so the site works under any prefix (``site_url`` need not be known).
"""

from __future__ import annotations

import posixpath

from generator.catalog.format.scalars import SPECIALTY_SEGMENT

HOME = ""
NOTICE = "notice/"
POLICY = "policy/"
CATALOG_ARCHIVE = "catalog/"
SCHEDULE_ARCHIVE = "schedule/"
CALCULATOR = "calculator/"
DOWNLOADS = "downloads/"
SCHEMA = "catalog/schema.json"
NOTICE_TXT = "downloads/notice.txt"
NOTICE_DOCX = "downloads/notice.docx"
FORM_DOCX = "downloads/registration-form.docx"
FORM_XLSX = "downloads/registration-form.xlsx"
# v3: a PDF beside the notice, the form (from its Word file) and each class plan.
NOTICE_PDF = "downloads/notice.pdf"
FORM_PDF = "downloads/registration-form.pdf"

# The specialty folder and the reserved codes are the catalog format's (a code may not take
# a URL segment the site uses), declared in generator.catalog.format.scalars.


def year_catalog(year: int) -> str:
    return f"catalog/{year}/"


def course(year: int, code: str) -> str:
    return f"catalog/{year}/{code}/"


def changes(year: int) -> str:
    return f"catalog/{year}/changes/"


def specialty(year: int, specialty_id: str) -> str:
    """A year's courses for one specialty (and those open to all), a page without scripts."""
    return f"catalog/{year}/{SPECIALTY_SEGMENT}/{specialty_id}/"


def calculator_add(year: int, code: str) -> str:
    """The self-check with this course added (the calculator reads ``?add=<year>/<code>``)."""
    return f"{CALCULATOR}?add={year}/{code}"


def year_json(year: int) -> str:
    return f"catalog/{year}.json"


def year_csv(year: int) -> str:
    return f"catalog/{year}.csv"


def schedule(year: int) -> str:
    return f"schedule/{year}/"


def schedule_csv(year: int) -> str:
    return f"schedule/{year}.csv"


def schedule_ics(year: int) -> str:
    return f"schedule/{year}.ics"


def class_anchor(code: str) -> str:
    """The id of a class's section on its year's schedule page."""
    return f"class-{code}"


def assumption_anchor(assumption_id: str) -> str:
    """The id of an assumption's entry on the policy page."""
    return f"assumption-{assumption_id}"


def class_plan_xlsx(year: int) -> str:
    return f"downloads/class-plan-{year}.xlsx"


def class_plan_pdf(year: int) -> str:
    return f"downloads/class-plan-{year}.pdf"


def source_path(url: str) -> str:
    """The Markdown source path that MkDocs turns into ``url`` (``a/b/`` -> ``a/b/index.md``)."""
    return f"{url}index.md" if url.endswith("/") or url == "" else url


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at ``from_url`` to ``to_url`` (may carry ``#fragment``).

    >>> relative("catalog/2009/", "catalog/2009/M-01/")
    'M-01/'
    >>> relative("catalog/2009/M-01/", "schedule/2009.ics")
    '../../../schedule/2009.ics'
    >>> relative("notice/", "")
    '../'
    >>> relative("catalog/2010/E-M11/", "calculator/?add=2010/E-M11")
    '../../../calculator/?add=2010/E-M11'
    """
    target, hash_, fragment = to_url.partition("#")
    target, mark, query = target.partition("?")
    is_dir = target == "" or target.endswith("/")
    base = from_url if from_url == "" or from_url.endswith("/") else posixpath.dirname(from_url)
    # posixpath.relpath's result for these normalised site paths, without its abspath
    # calls (a link per table row: 72,000 links on a 10 x 500 catalog; issue 26).
    start = [p for p in base.split("/") if p]
    parts = [p for p in target.split("/") if p]
    common = 0
    for a, b in zip(start, parts, strict=False):
        if a != b:
            break
        common += 1
    rel = "/".join([".."] * (len(start) - common) + parts[common:]) or "."
    if is_dir:
        rel = "./" if rel == "." else rel + "/"
    return rel + mark + query + hash_ + fragment
