"""Keys of what a build makes, and values derived from files remembered within the process.

In the catalog layer, the lowest below the site that the browser's wheel does not ship
(``generator/common`` goes into it whole): the model keys its years with :func:`digest`,
the browser's producers and the site use the rest.

:func:`digest` is the key of plain data (the slots of :class:`generator.site.cache.BuildCache`
are keyed by it); :class:`Slots` is what a producer below the site (``generator.browser``)
asks of that cache, so it can keep its own outputs there without knowing the site.

:func:`from_files` remembers a value derived from files (a digest of an 8 MB runtime file,
the imports a source file names) for as long as each file keeps its path, size,
modification time and inode: ``ceportal serve`` rebuilds the site after every edit, and
hashing or parsing unchanged files again is most of what some of its steps cost. A file
that changes gets a new modification time (or a new inode, when replaced), and the value
is made again; nothing is kept across processes.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

T = TypeVar("T")

Stamp = tuple[int, int, int]

_derived: dict[tuple[str, tuple[str, ...]], tuple[tuple[Stamp, ...], Any]] = {}


def digest(*parts: Any) -> str:
    """The key of what ``parts`` (plain data, model objects) make: sha256 of their reprs."""
    sha = hashlib.sha256()
    for part in parts:
        sha.update(repr(part).encode("utf-8", "surrogatepass"))
        sha.update(b"\0")
    return sha.hexdigest()


class Slots(Protocol):
    """A build's cache as a producer sees it (:class:`generator.site.cache.BuildCache`):
    the output of ``kind`` made from inputs whose :func:`digest` is ``key``, for one
    catalog year or for the whole site."""

    def year(self, kind: str, year: int, key: str, make: Callable[[], T]) -> T: ...

    def site(self, kind: str, key: str, make: Callable[[], T]) -> T: ...


def _stamp(path: Path) -> Stamp:
    status = os.stat(path)
    return (status.st_size, status.st_mtime_ns, status.st_ino)


def from_files(what: str, paths: Sequence[Path], make: Callable[[], T]) -> T:
    """``make()``, remembered as ``what`` of ``paths`` until one of them changes (its
    size, modification time or inode). ``make`` must depend on nothing but the contents
    of ``paths``. A missing file raises :class:`OSError`, as reading it would."""
    key = (what, tuple(str(Path(p).absolute()) for p in paths))
    stamps = tuple(_stamp(Path(p)) for p in paths)
    held = _derived.get(key)
    if held is not None and held[0] == stamps:
        value: T = held[1]
        return value
    value = make()
    _derived[key] = (stamps, value)
    return value


def file_sha256(path: Path) -> bytes:
    """The sha256 of the file's bytes (remembered while the file is unchanged)."""
    return from_files("sha256", [path], lambda: hashlib.sha256(Path(path).read_bytes()).digest())
