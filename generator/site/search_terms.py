"""Search in the engineer's words: synonyms and the newest year, applied to the index.

The site's search index (built by the builder's search plugin: a list of entries with
``location``, ``title``, ``text`` and an optional ``boost``) names things as the notice
does (公共必修课, 专业选修课, 工程师); people type 公需课, 选修课, 中级, 高工. At index time
every entry whose title or text holds a site's word also gets the words people use for
it (``generator/data/search_synonyms.yaml`` and the policy's ``aliases`` of modules and
titles), a specialty's page and a year's schedule weigh more than a page that merely
names the word, and the pages of the newest catalog year are boosted above the same pages
of older years, so a match in this year's catalog or schedule ranks first.

Builder-neutral: entries in, entries out; the MkDocs adapter calls :func:`enrich` before
Material writes the index.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

import yaml

from generator import resources

SYNONYMS_FILE = "search_synonyms.yaml"
# How much more a page of the newest catalog year weighs than the same page of an older one.
NEWEST_YEAR_BOOST = 2.0
# A year's pages: its catalog (courses, specialties) and its schedule.
_YEAR_PAGE = re.compile(r"^(?:catalog|schedule)/(\d{4})(?:/|\.|$)")
# Pages that answer a one-word search better than the pages that merely name the word:
# a specialty's courses (机械 -> the mechanical page, not each course that says 机械) and a
# year's schedule (报名, 截止). Course pages carry their own boost (2, year_pages.py).
_HUB_BOOST = (
    (re.compile(r"^catalog/\d{4}/specialty/[^/#]+/"), 3.0),
    (re.compile(r"^schedule/\d{4}/"), 2.0),
)
# Material joins the words it segmented with U+200B: the text as written, for matching.
_JOINER = "\u200b"


@cache
def shipped_synonyms() -> dict[str, tuple[str, ...]]:
    """The shipped synonyms file: the site's word -> the words people type for it."""
    data = yaml.safe_load((resources.data_dir() / SYNONYMS_FILE).read_text(encoding="utf-8"))
    return {str(k): tuple(str(w) for w in v) for k, v in data["synonyms"].items()}


def synonyms(policy: Mapping[str, Any] | None = None) -> dict[str, tuple[str, ...]]:
    """The shipped synonyms, with the policy's ``aliases`` of its modules and titles
    added under their names (each word once, in order)."""
    out = {k: list(v) for k, v in shipped_synonyms().items()}
    for section in ("modules", "titles"):
        for item in ((policy or {}).get(section) or {}).values():
            if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
                continue
            words = out.setdefault(item["name"], [])
            for alias in item.get("aliases") or ():
                if isinstance(alias, str) and alias != item["name"] and alias not in words:
                    words.append(alias)
    return {k: tuple(v) for k, v in out.items() if v}


def _holds(text: str, word: str, longer: Iterable[str]) -> bool:
    """Whether ``text`` holds ``word`` other than inside a longer site's word
    (工程师 inside 高级工程师 is not 工程师)."""
    for other in longer:
        text = text.replace(other, "")
    return word in text


def entry_year(location: str) -> int | None:
    """The catalog year of a year's page (``catalog/2027/E-1/`` -> 2027), else None."""
    found = _YEAR_PAGE.match(location)
    return int(found.group(1)) if found else None


def enrich(entries: list[dict[str, Any]], words: Mapping[str, Iterable[str]]) -> list[dict[str, Any]]:
    """``entries`` with each site's word's synonyms added to the text of the entries that
    hold it, and the newest year's pages boosted; new dicts, the input is left alone."""
    table = {word: tuple(others) for word, others in words.items()}
    longer = {w: [o for o in table if w in o and o != w] for w in table}
    years = [y for e in entries if (y := entry_year(str(e.get("location", "")))) is not None]
    newest = max(years, default=None)
    out = []
    for entry in entries:
        entry = dict(entry)
        plain = (str(entry.get("title", "")) + " " + str(entry.get("text", ""))).replace(_JOINER, "")
        added = [o for w, others in table.items() if _holds(plain, w, longer[w]) for o in others]
        if added:
            # Separated as the index's separator splits them (a space, and U+200B).
            entry["text"] = f"{entry.get('text', '')} {_JOINER}{(' ' + _JOINER).join(dict.fromkeys(added))}"
        location = str(entry.get("location", ""))
        for pattern, boost in _HUB_BOOST:
            if pattern.match(location) and not entry.get("boost"):
                entry["boost"] = boost
        if newest is not None and entry_year(location) == newest:
            entry["boost"] = float(entry.get("boost") or 1) * NEWEST_YEAR_BOOST
        out.append(entry)
    return out
