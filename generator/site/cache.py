"""What a build remembers while it runs, owned by whoever runs it.

A full build makes one :class:`BuildCache` and drops it; ``ceportal serve`` keeps one for
its whole session, so a rebuild after a one-course edit re-reads one catalog file and
renders and exports one year again. Nothing here is global: two builds in one process
never see each other's results.

Every slot is keyed by a sha256 of all it was made from, taken over ``repr`` rather
than compared with ``==``: two policies that list the same specialties in another order
are equal dicts but give other pages, and 1, 1.0 and True are equal but print
differently.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from generator import resources
from generator.catalog.memo import digest, file_sha256
from generator.catalog.validating import YearCache

__all__ = ["BuildCache", "digest", "templates_key"]

log = logging.getLogger(__name__)

T = TypeVar("T")


def templates_key() -> str:
    """The page templates' contents: an edited template (Jinja reloads it) re-renders."""
    sha = hashlib.sha256()
    folder = resources.templates_dir()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            sha.update(path.relative_to(folder).as_posix().encode() + b"\0")
            sha.update(file_sha256(path) + b"\0")
    return sha.hexdigest()


class BuildCache:
    """The catalog files already checked, and per catalog year the last output of each
    kind (a year's pages, its changes page, its downloads, its part of the calculator's
    catalogs) with the key of its inputs; and the outputs made for the whole site (the
    notice's and the form's documents, the audit's input templates).

    One slot per kind and year (year ``None``: the site's), replaced when the key
    differs: the cache holds one generation of the site, however long the preview runs.
    It is a :class:`generator.catalog.memo.Slots`.
    """

    def __init__(self) -> None:
        self.catalog_files = YearCache()
        # How this build's PDFs are made, when not as a build makes them
        # (generator.site.exporting.pdf.convert_to_pdf): the preview's PreviewPdfs.
        self.pdfs: Callable[[dict[str, bytes], int], dict[str, bytes]] | None = None
        self._slots: dict[tuple[str, int | None], tuple[str, Any]] = {}
        self.hits = 0
        self.misses = 0

    def year(self, kind: str, year: int, key: str, make: Callable[[], T]) -> T:
        """The output of ``kind`` for ``year`` made from inputs whose :func:`digest` is
        ``key``: the remembered one, else ``make()`` (remembered in its place)."""
        return self._slot(kind, year, key, make)

    def site(self, kind: str, key: str, make: Callable[[], T]) -> T:
        """The output of ``kind`` for the whole site made from inputs whose :func:`digest`
        is ``key``: the remembered one, else ``make()`` (remembered in its place)."""
        return self._slot(kind, None, key, make)

    def _slot(self, kind: str, year: int | None, key: str, make: Callable[[], T]) -> T:
        slot = self._slots.get((kind, year))
        if slot is not None and slot[0] == key:
            self.hits += 1
            value: T = slot[1]
            return value
        self.misses += 1
        value = make()
        self._slots[(kind, year)] = (key, value)
        return value

    def keep_years(self, years: set[int]) -> None:
        """Forget the outputs of the years that are gone (the site's stay)."""
        self._slots = {slot: v for slot, v in self._slots.items()
                       if slot[1] is None or slot[1] in years}
