"""The caches of a build belong to the build (or the preview session) that passes them in.

They used to be module globals keyed by the catalog year and compared with ``==``: two
builds in one process whose policies list the specialties in different orders (equal
dicts, different pages) got the first build's pages for the second.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from generator.catalog.model import Catalog
from generator.site.cache import BuildCache, digest
from generator.site.exporting import export_files
from generator.site.model import Page
from generator.site.rendering import notice_text, render_pages
from generator.site.rendering.year_pages import year_page


def _reordered(policy: dict[str, Any]) -> dict[str, Any]:
    changed = dict(policy)
    changed["specialties"] = dict(reversed(list(policy["specialties"].items())))
    assert changed == policy  # equal as dicts: only the order differs
    return changed


def _specialty_links(page: Page) -> list[str]:
    return re.findall(r'href="specialty/([a-z_]+)/"', page.body)


def test_two_builds_with_reordered_specialties_each_list_their_own_order(
        golden_catalog: Catalog) -> None:
    year = golden_catalog.years[0]
    path = f"catalog/{year.year}/index.md"
    first = render_pages(golden_catalog, notice_text(), "报名表")
    other = Catalog(_reordered(dict(golden_catalog.policy.as_rules_data())), golden_catalog.years)
    second = render_pages(other, notice_text(), "报名表")
    order = _specialty_links(first[path])
    assert len(order) > 1  # the fixture year offers several specialties
    assert _specialty_links(second[path]) == list(reversed(order))
    assert second[path] == year_page(other, year, "报名表")


def test_one_cache_passed_to_both_builds_still_keys_by_the_policy_order(
        golden_catalog: Catalog) -> None:
    cache = BuildCache()
    year = golden_catalog.years[0]
    path = f"catalog/{year.year}/index.md"
    first = render_pages(golden_catalog, notice_text(), "报名表", cache)
    other = Catalog(_reordered(dict(golden_catalog.policy.as_rules_data())), golden_catalog.years)
    second = render_pages(other, notice_text(), "报名表", cache)
    assert second[path] == year_page(other, year, "报名表") != first[path]


def test_a_rebuild_with_the_same_inputs_takes_every_year_from_the_cache(
        golden_catalog: Catalog) -> None:
    cache = BuildCache()
    pages = render_pages(golden_catalog, notice_text(), "报名表", cache)
    exports = export_files(golden_catalog, notice_text(), 0, None, cache)
    made = cache.misses
    # Per year its pages, changes page, downloads and each course's page; once, the
    # notice's and form's documents.
    slots = 3 * len(golden_catalog.years) + 1
    assert made == slots + sum(len(year.courses) for year in golden_catalog.years)
    assert render_pages(golden_catalog, notice_text(), "报名表", cache) == pages
    assert export_files(golden_catalog, notice_text(), 0, None, cache) == exports
    assert (cache.misses, cache.hits) == (made, slots)
    assert pages == render_pages(golden_catalog, notice_text(), "报名表")  # same as uncached
    assert exports == export_files(golden_catalog, notice_text(), 0, None)
    # Another site address changes the calendar's links: the downloads are made again
    # (the documents do not name it).
    export_files(golden_catalog, notice_text(), 0, "https://example.org/", cache)
    assert cache.misses == made + len(golden_catalog.years)


def test_an_edited_year_is_made_again_and_its_successors_changes_page_too(
        golden_catalog: Catalog) -> None:
    cache = BuildCache()
    render_pages(golden_catalog, notice_text(), "报名表", cache)
    first, *rest = golden_catalog.years
    edited = replace(first, title=first.title + "（修订）")
    catalog = Catalog(golden_catalog.policy, (edited, *rest))
    before = cache.misses
    pages = render_pages(catalog, notice_text(), "报名表", cache)
    # The edited year's pages and changes page, and the next year's changes page.
    assert cache.misses - before == 2 + (1 if rest else 0)
    assert pages == render_pages(catalog, notice_text(), "报名表")


def test_an_edited_course_renders_its_page_and_those_sharing_a_class_with_it(
        golden_catalog: Catalog) -> None:
    cache = BuildCache()
    render_pages(golden_catalog, notice_text(), "报名表", cache)
    first, *rest = golden_catalog.years
    taught = next(s for s in first.classes if len(s.courses) > 1)
    edited_course = first.course(taught.courses[0])
    edited = replace(first, courses=tuple(
        replace(c, title=c.title + "（修订）") if c.code == edited_course.code else c
        for c in first.courses))
    catalog = Catalog(golden_catalog.policy, (edited, *rest))
    before = cache.misses
    pages = render_pages(catalog, notice_text(), "报名表", cache)
    assert pages == render_pages(catalog, notice_text(), "报名表")  # same as uncached
    # The course's page and those of the courses it shares a class with (their class
    # lists its title), beside the year's pages and changes page and the next year's.
    sharing = {code for s in first.classes if edited_course.code in s.courses for code in s.courses}
    assert len(sharing) > 1
    assert cache.misses - before == 2 + (1 if rest else 0) + len(sharing)
    assert edited_course.title + "（修订）" in pages[f"catalog/{first.year}/{edited_course.code}/index.md"].title


def test_the_years_that_are_gone_are_forgotten() -> None:
    cache = BuildCache()
    for year in (2009, 2010):
        cache.year("pages", year, "k", lambda: {"a": "b"})
    cache.keep_years({2010})
    made: list[int] = []
    cache.year("pages", 2009, "k", lambda: made.append(2009) or {})
    cache.year("pages", 2010, "k", lambda: made.append(2010) or {})
    assert made == [2009]


def test_the_sites_outputs_outlive_the_years_that_are_gone() -> None:
    cache = BuildCache()
    cache.site("documents", "k", lambda: {"a": b"b"})
    cache.year("pages", 2009, "k", lambda: {"a": "b"})
    cache.keep_years(set())
    made: list[str] = []
    assert cache.site("documents", "k", lambda: made.append("documents") or {}) == {"a": b"b"}
    cache.year("pages", 2009, "k", lambda: made.append("pages") or {})
    assert made == ["pages"]
    # A site slot and a year slot of one kind are two slots.
    assert cache.site("pages", "k", lambda: "site") == "site"


def test_digest_tells_apart_what_equality_does_not() -> None:
    assert {"a": 1, "b": 2} == {"b": 2, "a": 1}
    assert digest({"a": 1, "b": 2}) != digest({"b": 2, "a": 1})
    assert digest(1) != digest(1.0) != digest(True)
    assert digest("a", "b") != digest("ab")
