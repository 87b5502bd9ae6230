"""No broken internal link or anchor anywhere in the built site, and nothing loads from
another origin."""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.portal.site_helpers import Html, parse

pytestmark = pytest.mark.slow

LINK_ATTRS = {"a": "href", "link": "href", "script": "src", "img": "src", "iframe": "src",
              "source": "src"}


def _target(site: Path, page: Path, ref: str) -> tuple[Path, str]:
    parts = urlsplit(ref)
    base = posixpath.dirname("/" + page.relative_to(site).as_posix())
    path = posixpath.normpath(posixpath.join(base, unquote(parts.path))) if parts.path else (
        "/" + page.relative_to(site).as_posix())
    target = site / path.lstrip("/")
    if target.is_dir() or parts.path.endswith("/"):
        target = target / "index.html"
    return target, parts.fragment


def check_site(site: Path) -> list[str]:
    """Every broken link as ``page: reference``."""
    pages: dict[Path, Html] = {p: parse(p) for p in site.rglob("*.html")}
    broken = []
    for page, html in pages.items():
        for tag, attrs in html.elements:
            ref = attrs.get(LINK_ATTRS.get(tag, ""))
            if not ref or ref.startswith(("mailto:", "tel:", "data:")):
                continue
            if urlsplit(ref).scheme or ref.startswith("//"):
                if tag != "a":
                    broken.append(f"{page}: external resource {ref}")
                continue
            target, fragment = _target(site, page, ref)
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {ref} (no file)")
            elif fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if fragment not in ids:
                    broken.append(f"{page.relative_to(site)}: {ref} (no anchor)")
    return broken


def test_no_broken_links_in_bundled_site(bundled_site: Path) -> None:
    assert check_site(bundled_site) == []


def test_no_broken_links_in_payload_site(payload_site: Path) -> None:
    assert check_site(payload_site) == []


def test_checker_finds_broken_links(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<p id="x"></p>', "utf-8")
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a><a href="a/#x">ok</a><a href="a/#y">bad anchor</a>'
        '<a href="b/">no page</a><script src="https://cdn.example/x.js"></script>', "utf-8")
    assert check_site(tmp_path) == [
        "index.html: a/#y (no anchor)",
        "index.html: b/ (no file)",
        f"{tmp_path / 'index.html'}: external resource https://cdn.example/x.js",
    ]


def test_notice_anchors_used_by_the_policy_page_exist(bundled_site: Path) -> None:
    ids = parse(bundled_site / "notice/index.html").ids
    assert {"s1", "s2", "s2-1", "s2-2", "s2-3", "s3", "s3-1", "s3-2", "s3-3", "s4", "s5",
            "s5-1", "s5-2", "attachments"} <= ids
