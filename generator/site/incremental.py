"""Incremental preview rebuilds: what changed between two generations of the site.

``ceportal serve`` regenerates every file on each change, then re-renders only the
pages whose generated content differs from the previous generation (everything else in
the preview is left as it was). :class:`PreviewSession` is what the preview keeps
between its rebuilds: the build cache, the content diff, the compiled theme templates,
the search index by page and the outputs to remove when their file is gone. Nothing
here knows MkDocs' events (:mod:`generator.site.adapters.mkdocs_plugin` translates them into these calls) or
Material's internals (:mod:`generator.site.adapters.material_compat`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from .cache import BuildCache
from .exporting.pdf import PreviewPdfs

log = logging.getLogger(__name__)

Content = str | bytes | Path
SearchEntry = dict[str, Any]


def changed_paths(previous: Mapping[str, Content] | None, current: Mapping[str, Content]) -> set[str]:
    """The paths of ``current`` that are new or whose content differs from ``previous``
    (all of them when there is no previous generation)."""
    if previous is None:
        return set(current)
    return {path for path, content in current.items()
            if path not in previous or previous[path] != content}


def page_of(location: str) -> str:
    """The page URL a search entry belongs to (``a/b/#sec`` -> ``a/b/``)."""
    return location.partition("#")[0]


def group_entries(entries: Iterable[SearchEntry]) -> dict[str, list[SearchEntry]]:
    """Search entries grouped by the URL of their page, in their order."""
    grouped: dict[str, list[SearchEntry]] = {}
    for entry in entries:
        grouped.setdefault(page_of(str(entry["location"])), []).append(entry)
    return grouped


@dataclass
class SearchIndexState:
    """The whole site's search entries by page URL, kept between preview rebuilds."""

    by_page: dict[str, list[SearchEntry]] = field(default_factory=dict)

    def merge(self, pages: Iterable[str], rebuilt: set[str],
              new_entries: Iterable[SearchEntry]) -> list[SearchEntry]:
        """The complete index after a rebuild: for every page URL in ``pages`` (site
        order), its ``new_entries`` if it was ``rebuilt``, else its previous ones. Pages
        not in ``pages`` (removed) are dropped. Updates the state."""
        fresh = group_entries(new_entries)
        by_page: dict[str, list[SearchEntry]] = {}
        merged: list[SearchEntry] = []
        for url in pages:
            entries = fresh.get(url, []) if url in rebuilt else self.by_page.get(url, [])
            by_page[url] = entries
            merged.extend(entries)
        self.by_page = by_page
        return merged


def global_key(config_file: str | Path | None, theme_dirs: Iterable[str | Path | None],
               nav_paths: Iterable[str]) -> str:
    """What every page's HTML depends on besides its own Markdown: the configuration
    file, the theme folders' files (by path, mtime and size) and the navigation. A change
    here re-renders every page."""
    digest = hashlib.sha256()
    if config_file:
        digest.update(Path(config_file).read_bytes())
    for folder in theme_dirs:
        if not folder:
            continue
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path}\0{stat.st_mtime_ns}\0{stat.st_size}\0".encode())
    digest.update("\0".join(nav_paths).encode())
    return digest.hexdigest()


def remove_output(path: Path, site_dir: Path) -> None:
    """Delete a stale output file and the folders it leaves empty (up to ``site_dir``)."""
    path.unlink(missing_ok=True)
    folder = path.parent
    while folder != site_dir and folder.is_relative_to(site_dir):
        try:
            folder.rmdir()
        except OSError:  # not empty
            break
        folder = folder.parent


class CompiledTemplates(jinja2.BytecodeCache):
    """The theme's compiled templates, kept in memory between the preview's rebuilds:
    the site builder makes a new Jinja environment for each build, which would compile
    the theme's templates again every time. Jinja stores each template with its source's
    checksum, so an edited template is compiled anew."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


class TextMemo:
    """What a pure function made of each text in the last two rebuilds: the search
    plugin's segmentation of a section's Chinese text (the same text gives the same
    words), which a rebuild asks again for every section of every page it re-renders,
    though an edit changes few of them. Texts no rebuild asked for since the one before
    are forgotten, so it holds about two generations."""

    def __init__(self) -> None:
        self._current: dict[str, str] = {}
        self._previous: dict[str, str] = {}

    def get(self, text: str, make: Callable[[str], str]) -> str:
        """``make(text)``, remembered."""
        made = self._current.get(text)
        if made is None:
            made = self._previous.get(text)
            if made is None:
                made = make(text)
            self._current[text] = made
        return made

    def next_generation(self) -> None:
        """A rebuild finished: what it did not ask for is forgotten at the next one."""
        self._previous, self._current = self._current, {}


class PreviewSession:
    """The state of one preview across its rebuilds. Each rebuild calls :meth:`begin`
    with the generated files, then :meth:`finish` (or :meth:`failed`)."""

    def __init__(self) -> None:
        # Checked catalog files and each year's pages and downloads; PDFs made on the side.
        self.cache = BuildCache()
        self.pdfs = PreviewPdfs()
        self.cache.pdfs = self.pdfs
        self.search = SearchIndexState()
        # The last successful build: generated contents, global key, every output path.
        self._previous: dict[str, str | bytes] | None = None
        self._previous_key = ""
        self._previous_outputs: set[str] = set()
        # Compiled theme templates, with the global key they were compiled under.
        self._templates = CompiledTemplates()
        self._templates_key = ""
        # The search plugin's Chinese segmentation of each section's text.
        self.segmented = TextMemo()
        # The build in progress.
        self._current: dict[str, str | bytes] = {}
        self._current_key = ""
        self._writing = False

    def begin(self, generated: Mapping[str, Content], key: str) -> set[str]:
        """Start a rebuild of the ``generated`` files under the :func:`global_key`
        ``key``; returns the paths to write again (new, or content changed; all of them
        when the key changed or no build has succeeded yet)."""
        self._writing = True
        self._current = {p: c for p, c in generated.items() if not isinstance(c, Path)}
        self._current_key = key
        previous = self._previous if key == self._previous_key else None
        changed = changed_paths(previous, self._current)
        log.info("ceportal: %d of %d generated files changed", len(changed), len(self._current))
        return changed

    def bytecode_cache(self) -> CompiledTemplates:
        """The compiled templates for this rebuild's environment."""
        if self._current_key != self._templates_key:
            # The configuration or the theme changed: the environment may compile
            # differently (theme, locale); start afresh.
            self._templates, self._templates_key = CompiledTemplates(), self._current_key
        return self._templates

    def finish(self, outputs: set[str], site_dir: Path) -> None:
        """The rebuild wrote ``outputs`` (absolute paths): remove the outputs of files
        that are gone (a dirty build leaves them) and remember this generation."""
        for stale in sorted(self._previous_outputs - outputs):
            remove_output(Path(stale), site_dir)
        self._previous, self._previous_key = self._current, self._current_key
        self._previous_outputs = outputs
        self.segmented.next_generation()
        self._writing = False
        self.pdfs.flush()  # the PDFs this rebuild did not wait for

    def publish(self, site_dir: Path, files: Mapping[str, bytes]) -> None:
        """Put ``files`` (site path -> bytes: PDFs made after their rebuild) into the
        preview's folder, each replaced at once (a reader never sees half of one). The
        next rebuild that has them publishes the same bytes."""
        for path, data in files.items():
            target = site_dir / path
            try:
                temp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
                temp.write_bytes(data)
                temp.replace(target)
            except OSError as exc:  # the preview stopped and its folder is gone
                log.debug("not published: %s: %s", path, exc)
                continue
            log.info("ceportal: %s 已更新", path)

    def failed(self) -> None:
        """The rebuild stopped: if it had started writing, the preview may hold part of
        it, so the next one re-renders everything."""
        self.pdfs.forget()
        if self._writing:
            self._previous, self._previous_key, self._writing = None, "", False
            self.search = SearchIndexState()
