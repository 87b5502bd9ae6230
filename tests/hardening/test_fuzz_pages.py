"""Fuzzing the loader, the validator and page generation with the naughty-strings corpus.

A year file whose every text field is a naughty string goes the real way: YAML text ->
``generator.catalog.validating`` (which uses ``generator.catalog.loading``) -> model -> the generation core
(``render_pages``) -> Markdown -> HTML with the Markdown extensions of mkdocs.yml. The
invariants: only :class:`CatalogError` escapes the loader and validator; the HTML has no
element or attribute that came from the data (no <script>, no on* attributes, no
``javascript:`` URL, no tag the templates do not write) and every text comes back as
the text it was; front-matter titles and descriptions are escaped for the theme.
"""

from __future__ import annotations

import html
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.utils.meta import get_data

from generator.catalog.loading import _NOT_PRINTABLE
from generator.catalog.model import Catalog, YearCatalog
from generator.catalog.problems import CatalogError
from generator.catalog.validating import check_year_text, load_catalog, load_year_text
from generator.site.adapters.material_compat import markdown_source
from generator.site.exporting import registration_form
from generator.site.model import Page
from generator.site.rendering import notice_text, render_pages, year_pages
from generator.site.rendering import pages as pages_module
from tests.conftest import CATALOG, ROOT
from tests.hardening.common import REPORT
from tests.hardening.naughty import NAUGHTY

pytestmark = pytest.mark.slow  # hundreds of generated catalogs, rendered

FUZZ = settings(max_examples=100, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
YEAR = 2011  # after the bundled years: the home page shows it as the current year
SOURCE = f"{YEAR}.yaml"

# Text the loader accepts (it refuses control characters, naming them); anything else.
printable = st.text(st.characters(exclude_categories=("Cs",)), max_size=40).filter(
    lambda s: not _NOT_PRINTABLE.search(s))
naughty = st.sampled_from([s for s in NAUGHTY if not _NOT_PRINTABLE.search(s)])
text = st.one_of(naughty, printable, st.builds(lambda a, b: a + " " + b, naughty, naughty))
required = text.filter(lambda s: s.strip() != "")

# Where each field's text must come back, as text: (page, field) -> value.
COURSE_FIELDS = ("title", "description", "teacher")
CLASS_FIELDS = ("name", "location", "organizer", "fee", "contact")


@st.composite
def year_files(draw: st.DrawFn) -> dict[str, Any]:
    """A year file (as data) with naughty text in every free-text field."""
    courses = [
        {"code": code, "title": draw(required), "module": module, "hours": 8,
         "form": "lecture", "description": draw(required), "teacher": draw(required)}
        for code, module in (("N-01", "public"), ("N-02", "elective"))
    ]
    session = {"code": "N-C1", "name": draw(required), "start": "2011-05-10",
               "end": "2011-05-12", "courses": ["N-01", "N-02"], "level": "county",
               "county": draw(required), "location": draw(required),
               "organizer": draw(required), "fee": draw(required), "contact": draw(required)}
    return {
        "year": YEAR, "title": draw(required), "publisher": draw(required),
        "registration": {"opens": "2011-03-01", "closes": "2011-04-30",
                         "contact": draw(required)},
        "notes": draw(required), "courses": courses, "classes": [session],
    }


def as_yaml(data: dict[str, Any]) -> str:
    # Dates as the files write them (plain scalars), text always quoted by the dumper.
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
    return re.sub(r"'(\d{4}-\d\d-\d\d)'", r"\1", text)


@cache
def bundled() -> Catalog:
    return load_catalog(CATALOG)[0]


@cache
def converter() -> markdown.Markdown:
    """Python-Markdown with exactly the extensions (and options) of mkdocs.yml."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.Markdown(extensions=config["markdown_extensions"],
                             extension_configs=config["mdx_configs"])


def to_html(page: Page) -> tuple[str, dict[str, Any]]:
    """The page's HTML and front matter as the MkDocs adapter hands it to MkDocs."""
    body, meta = get_data(markdown_source(page))
    md = converter()
    md.reset()
    return md.convert(body), meta


class Parsed(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        raise AssertionError(f"a comment from the data: <!--{data}-->")

    def plain(self) -> str:
        return squash("".join(self.text))


def squash(text: str) -> str:
    return " ".join(text.split())


@cache
def template_markup() -> dict[str, set[str]]:
    """Each tag the templates write, with the attribute names it gets: from the pages of
    the bundled catalogs, whose text is plain."""
    seen: dict[str, set[str]] = {}
    catalog = bundled()
    for page in render_pages(catalog, notice_text(), registration_form().title).values():
        for tag, attrs in Parsed(to_html(page)[0]).elements:
            seen.setdefault(tag, set()).update(attrs)
    return seen


def check_markup(path: str, page_html: str) -> Parsed:
    parsed = Parsed(page_html)
    allowed = template_markup()
    for tag, attrs in parsed.elements:
        assert tag != "script", f"{path}: <script>"
        assert tag in allowed, f"{path}: <{tag}> from the data"
        assert set(attrs) <= allowed[tag], f"{path}: <{tag} {attrs}>"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"{path}: {name}= on <{tag}>"
            if name in {"href", "src", "action", "formaction", "data"}:
                squashed = re.sub(r"[\s\x00-\x1f]", "", html.unescape(value)).lower()
                assert not squashed.startswith(("javascript:", "vbscript:", "data:")), path
    return parsed


def check_meta(path: str, meta: dict[str, Any]) -> None:
    # The theme prints these unescaped into <title> and <meta content="…">.
    for key in ("title", "description"):
        if key in meta:
            value = str(meta[key])
            assert html.escape(html.unescape(value), quote=True) == value, f"{path}: {key}"


def pages_of(year_data: dict[str, Any]) -> tuple[dict[str, Page], YearCatalog]:
    """The pages that show the fuzzed year (the generation core's page functions, as
    ``render_pages`` calls them; the bundled years' pages are left out for speed)."""
    model, _problems = load_year_text(as_yaml(year_data), bundled().policy, source=SOURCE)
    catalog = Catalog(bundled().policy, (*bundled().years, model))
    pages = {
        "index.md": pages_module.home_page(catalog),
        f"catalog/{YEAR}/index.md": year_pages.year_page(catalog, model),
        f"catalog/{YEAR}/changes/index.md": year_pages.changes_page(catalog, model),
        f"schedule/{YEAR}/index.md": year_pages.schedule_page(catalog, model),
        "catalog/index.md": pages_module.catalog_archive_page(catalog),
        "downloads/index.md": pages_module.downloads_page(catalog, registration_form().title),
    }
    for course in model.courses:
        pages[f"catalog/{YEAR}/{course.code}/index.md"] = year_pages.course_page(
            catalog, model, course)
    return pages, model


@settings(FUZZ, max_examples=200)
@given(year_files())
def test_pages_from_naughty_catalog_text(year_data: dict[str, Any]) -> None:
    REPORT["fuzz_examples"]["pages"] += 1
    try:
        pages, model = pages_of(year_data)
    except CatalogError as exc:
        # The validator may refuse a value (none is known to): not a page-generation case.
        assert exc.problems
        REPORT["fuzz_examples"]["pages (refused by the validator)"] += 1
        assume(False)
    rendered = {}
    for path, page in pages.items():
        page_html, meta = to_html(page)
        check_meta(path, meta)
        rendered[path] = check_markup(path, page_html).plain()
    course_page = rendered[f"catalog/{YEAR}/N-01/index.md"]
    for field in COURSE_FIELDS:
        assert squash(year_data["courses"][0][field]) in course_page, field
    schedule = rendered[f"schedule/{YEAR}/index.md"]
    for field in CLASS_FIELDS:
        assert squash(year_data["classes"][0][field]) in schedule, field
    catalog_page = rendered[f"catalog/{YEAR}/index.md"]
    assert squash(year_data["title"]) in catalog_page
    assert squash(year_data["courses"][1]["title"]) in catalog_page
    assert squash(year_data["notes"]) in squash(" ".join(rendered["index.md"].split()))


@FUZZ
@given(year_files(), st.sampled_from(["title", "notes", "publisher"]), st.sampled_from(NAUGHTY))
def test_loader_and_validator_with_any_naughty_field(
    year_data: dict[str, Any], field: str, value: str
) -> None:
    """Any naughty value, control characters included: a model or CatalogError."""
    REPORT["fuzz_examples"]["loader+validator"] += 1
    year_data[field] = value
    text = as_yaml(year_data)
    policy = bundled().policy
    model, problems = check_year_text(text, policy, source=SOURCE)
    assert (model is None) == any(p.severity == "error" for p in problems)
    try:
        load_year_text(text.encode("utf-8"), policy, source=SOURCE)
    except CatalogError as exc:
        assert model is None and exc.problems


@FUZZ
@given(st.lists(st.sampled_from(NAUGHTY), min_size=1, max_size=6))
def test_naughty_text_as_a_whole_file(parts: list[str]) -> None:
    REPORT["fuzz_examples"]["loader (whole file)"] += 1
    text = "\n".join(parts)
    try:
        load_year_text(text, bundled().policy, source=SOURCE)
    except CatalogError as exc:
        assert all(p.mark.line >= 1 and p.mark.column >= 1 for p in exc.problems)


def test_markup_allowlist_is_from_real_pages() -> None:
    tags = template_markup()
    assert {"table", "a", "h1", "p"} <= set(tags) and "script" not in tags
    assert Path(ROOT / "mkdocs.yml").is_file()
