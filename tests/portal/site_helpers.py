"""Helpers shared by the site tests: building, parsing built pages."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from generator.site.publishing import build_site
from tests.conftest import EPOCH  # noqa: F401 - re-exported for the site tests

ROOT = Path(__file__).resolve().parents[2]
GOLDEN_CATALOG = ROOT / "tests" / "golden" / "catalog"


def build(site_dir: Path, catalog_dir: Path) -> Path:
    """Build with the repository's mkdocs.yml (strict), as ``ceportal build`` does."""
    return build_site(site_dir, catalog_dir, ROOT / "mkdocs.yml")


class Html(HTMLParser):
    """A parsed page: elements with their attributes, ids, and text per element."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.texts: dict[str, list[str]] = {}
        self._open: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))
        if attributes.get("name") and tag == "a":
            self.ids.add(str(attributes["name"]))
        if tag not in {"meta", "link", "img", "br", "input", "hr", "source", "wbr"}:
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            while self._open and self._open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        for tag in set(self._open):
            self.texts.setdefault(tag, []).append(data)

    def text(self, tag: str) -> str:
        return "".join(self.texts.get(tag, []))


def parse(path: Path) -> Html:
    return Html(path.read_text(encoding="utf-8"))


def page(site: Path, url: str) -> Path:
    """The HTML file of a site URL (``catalog/2009/`` -> ``catalog/2009/index.html``)."""
    return site / url / "index.html" if url.endswith("/") or url == "" else site / url
