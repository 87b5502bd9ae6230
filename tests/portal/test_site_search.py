"""Chinese search: the built index is segmented by jieba, so a word finds its course."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def tokens(text: str, separator: str) -> set[str]:
    # What lunr does with the index's separator (Material's search worker).
    return {t for t in re.split(separator, text) if t}


def test_chinese_word_finds_its_course(bundled_site: Path) -> None:
    index = json.loads((bundled_site / "search/search_index.json").read_text("utf-8"))
    separator = index["config"]["separator"]
    assert index["config"]["lang"] == ["zh"]
    hits = [d["location"] for d in index["docs"]
            if "数控" in tokens(d["title"], separator) or "数控" in tokens(d["text"], separator)]
    assert "catalog/2009/E-M01/" in hits
    course = next(d for d in index["docs"] if d["location"] == "catalog/2009/E-M01/")
    # Without segmentation the whole title would be one token and "数控" would match nothing.
    assert tokens(course["title"], separator) >= {"数控", "加工", "技术"}


def test_unsegmented_text_would_not_match() -> None:
    assert "数控" not in tokens("数控加工技术及其新进展", r"[\s\-]+")
