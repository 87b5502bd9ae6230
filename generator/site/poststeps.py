"""What every build does to the HTML folder its builder made, whichever builder it was.

Where the builder ends and the core takes over again: a builder (MkDocs + Material through
the plugin, or Zensical on a staged docs folder; :mod:`generator.site.adapters`) turns the
site model's pages into HTML; then :func:`finish` gives every HTML file its
Content-Security-Policy (:mod:`.csp`) and every large file its precompressed siblings
(:mod:`.precompress`), and :mod:`.publishing` swaps the folder in. The offline copy's
manifests (``calculator/manifest.json``, ``audit/manifest.json``) are generated files of
the model, published as they are by either builder.

The post-steps read the built files and the site model only, never a builder's objects:
which page runs the calculator's engine (its policy adds WebAssembly and a worker) and
what its author wrote (its Markdown: a script that occurs there is content, never allowed
by hash) come from the :class:`~generator.site.model.Page`, or from the hand-written
Markdown of the docs folder.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .csp import CALCULATOR, add_csp
from .model import Entry, FileKind, files_of, pages_of
from .precompress import precompress_site

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Source:
    """What the CSP step needs of a page: what its author wrote and whether it runs the
    engine."""

    content: str
    engine: bool = False


def output_of(source_path: str, directory_urls: bool = True) -> str:
    """The HTML file a builder writes for the Markdown file ``source_path``
    (``a/b.md`` -> ``a/b/index.html``; ``a/index.md``, ``a/README.md`` -> ``a/index.html``)."""
    path = PurePosixPath(source_path)
    parent = "" if path.parent.as_posix() == "." else f"{path.parent.as_posix()}/"
    stem = path.stem
    if stem in ("index", "README"):
        return f"{parent}index.html"
    return f"{parent}{stem}/index.html" if directory_urls else f"{parent}{stem}.html"


def _docs(docs_dir: Path | None, suffix: str) -> dict[str, Path]:
    """The docs folder's files ending in ``suffix``, by path relative to it."""
    found: dict[str, Path] = {}
    if docs_dir is None or not docs_dir.is_dir():
        return found
    for root, dirs, names in os.walk(docs_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.endswith(suffix):
                path = Path(root) / name
                found[path.relative_to(docs_dir).as_posix()] = path
    return found


def hand_written(docs_dir: Path | None, directory_urls: bool = True) -> dict[str, Source]:
    """The Markdown pages a portal wrote itself (its docs folder), by HTML output."""
    return {output_of(rel, directory_urls): Source(path.read_text(encoding="utf-8", errors="replace"))
            for rel, path in _docs(docs_dir, ".md").items()}


def sources(site: Mapping[str, Entry], docs_dir: Path | None = None,
            directory_urls: bool = True) -> dict[str, Source]:
    """Every page's :class:`Source`, by the HTML file it becomes."""
    found = hand_written(docs_dir, directory_urls)
    for page in pages_of(site).values():
        found[page.output] = Source(page.body, page.runs_engine)
    return found


def secure_html(html: str, source: Source | None) -> str:
    """``html`` with its Content-Security-Policy (:func:`generator.site.csp.add_csp`)."""
    if source is None:  # a theme page (404.html): no content of its own
        return add_csp(html)
    return add_csp(html, content=source.content, kind=CALCULATOR if source.engine else None)


def secure_site(site_dir: Path, pages: Mapping[str, Source], skip: Collection[str] = ()) -> int:
    """Add the policy to every HTML file of ``site_dir`` except ``skip`` (generated files
    published as they are); returns how many."""
    skip = frozenset(skip)
    count = 0
    for root, dirs, names in os.walk(site_dir):
        dirs.sort()
        for name in sorted(names):
            if not name.endswith(".html"):
                continue
            path = Path(root) / name
            rel = path.relative_to(site_dir).as_posix()
            if rel in skip:
                continue
            html = path.read_text(encoding="utf-8")
            path.write_text(secure_html(html, pages.get(rel)), encoding="utf-8")
            count += 1
    return count


def precompress(site_dir: Path, file_kinds: Mapping[str, FileKind], *,
                search_index: Collection[str] = ()) -> int:
    """The precompressed siblings: the runtime's at the best level, what the catalog makes
    (pages, open data, ``search_index``: the builder's index files) at the quick one."""
    quick = {p for p, kind in file_kinds.items() if kind != "runtime"} | set(search_index)
    return precompress_site(site_dir, quick)


def finish(site_dir: Path, site: Mapping[str, Entry], *, docs_dir: Path | None = None,
           directory_urls: bool = True, search_index: Collection[str] = ()) -> None:
    """The post-steps on a built folder: the policy on every page, then the precompressed
    siblings. (The MkDocs adapter gives each page :func:`secure_html` as MkDocs writes it,
    then calls :func:`precompress`.)"""
    generated = files_of(site)
    # HTML published as it is (generated files, the docs folder's own .html) is no page.
    copied = [p for p in generated if p.endswith(".html")] + list(_docs(docs_dir, ".html"))
    count = secure_site(site_dir, sources(site, docs_dir, directory_urls), skip=copied)
    written = precompress(site_dir, {p: f.kind for p, f in generated.items()},
                          search_index=search_index)
    log.info("post-steps: %d pages secured, %d precompressed files", count, written)
