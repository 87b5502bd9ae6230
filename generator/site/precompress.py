"""Precompressed siblings: ``name.gz`` and ``name.br`` beside every large published file.

A host that serves them (nginx ``gzip_static on`` / ``brotli_static on``, a CDN or an
object store that keeps ``Content-Encoding`` per object; README, Deployment) sends the
smaller encoding the browser accepts without compressing anything per request.

A post-step on the built folder, whichever builder made it (:mod:`.poststeps`). Two
levels: the runtime (Pyodide, the standard library, the wheel, the snapshot, the theme's
scripts and styles: the same bytes build after build, and the largest files of a first
visit) gets the slowest and smallest: gzip 9 and brotli 11 with a 16 MB window, also for
the 9.6 MB wasm (2.77 MB against 3.13 MB at brotli 9: the largest single saving of a
first visit; about 50 s of CPU, once per runtime version, since siblings are cached by
content) and the calculator's snapshot (2.53 instead of 2.81 MB). What the catalog
makes (the pages, the search index, open data) changes with every edit and gets gzip 6
and brotli 6: brotli 11 takes about 50 times as long for 10 % fewer bytes (15.7 s against
0.33 s for 1.9 MB of pages; brotli 11 on the 103 large pages and indexes of a 10 x 500
catalog was 16 s of a 60 s build).

Every sibling is kept in the cache (``~/.cache/ceportal/precompressed``, or
``$CEPORTAL_CACHE_DIR``), keyed by the sha256 of the file's bytes and the encoding's
parameters, so a rebuild compresses only what changed; entries no build used for
:data:`KEEP_DAYS` days are removed.

Deterministic: gzip with no name and mtime 0, brotli with fixed parameters; the same file
gives the same siblings. A sibling is written only where it saves at least a tenth of the
file (an already compressed wheel or zip gets none).

``brotli`` (PyPI, the reference implementation's binding): Python's standard library has
no brotli encoder, and browsers accept brotli only as a ``Content-Encoding``.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import logging
import os
import time
from collections.abc import Callable, Collection, Iterator
from pathlib import Path

import brotli

from generator.browser.snapshot import cache_dir, write_atomically

log = logging.getLogger(__name__)

# Smallest file worth a sibling. Pages (10-30 kB) are left to the host's on-the-fly
# compression: brotli 11 on every page of a 10 x 500 catalog made the build 3.4x plain
# MkDocs (make bench); the files that matter on a first visit (the runtime, the search
# index, the calculator's data) are all far larger.
MIN_SIZE = 64 * 1024
# Types a host would compress (text and wasm); images, zips and gzip files are not.
SUFFIXES = frozenset({
    ".html", ".css", ".js", ".mjs", ".json", ".wasm", ".xml", ".txt", ".svg", ".csv",
    ".ics", ".map", ".webmanifest",
    ".bin",  # the calculator's snapshot (calculator/delta.py): sent only as a sibling
})
# The calculator's snapshot: brotli's slowest setting, like the runtime's files.
BEST = frozenset({".bin"})
ENCODINGS = (".gz", ".br")
FORMAT = "2"
# Cache entries no build used for this long are removed.
KEEP_DAYS = 7


def gzip_bytes(data: bytes, level: int = 9) -> bytes:
    return gzip.compress(data, compresslevel=level, mtime=0)


def brotli_bytes(data: bytes) -> bytes:
    """Brotli's smallest: quality 11 with a 16 MB window (the largest a browser accepts)."""
    return bytes(brotli.compress(data, quality=11, lgwin=24))


def _encoders(level: str) -> dict[str, tuple[str, Callable[[bytes], bytes]]]:
    """Suffix -> (parameters, encoder) for ``level``: ``best`` (the snapshot), ``runtime``
    or ``quick`` (what the catalog makes)."""
    if level == "quick":
        return {".gz": ("gz6", lambda d: gzip_bytes(d, 6)),
                ".br": ("br6", lambda d: bytes(brotli.compress(d, quality=6)))}
    # ``best`` and ``runtime`` are one setting today; the snapshot keeps its own level
    # so that either can change alone.
    return {".gz": ("gz9", gzip_bytes), ".br": ("br11w24", brotli_bytes)}


def _cache() -> Path:
    return cache_dir() / "precompressed"


def _siblings(data: bytes, level: str) -> dict[str, bytes]:
    digest = hashlib.sha256(data).hexdigest()
    out = {}
    for suffix, (params, encode) in _encoders(level).items():
        stored = _cache() / digest[:2] / f"{digest}-{FORMAT}-{params}{suffix}"
        try:
            out[suffix] = stored.read_bytes()
            os.utime(stored)  # used: kept by prune()
        except OSError:
            out[suffix] = encode(data)
            try:
                write_atomically(stored, out[suffix])
            except OSError as exc:  # a read-only cache only makes the next build slower
                log.debug("cannot keep %s: %s", stored, exc)
    return out


def prune(now: float | None = None) -> int:
    """Remove the cache entries no build used for :data:`KEEP_DAYS` days; how many."""
    limit = (time.time() if now is None else now) - KEEP_DAYS * 86400
    removed = 0
    for path in _cache().glob("*/*"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except OSError:
            continue
    return removed


def candidates(site_dir: Path) -> Iterator[Path]:
    """The published files that get siblings (by type and size), in path order."""
    for root, dirs, names in os.walk(site_dir):
        dirs.sort()
        for name in sorted(names):
            path = Path(root) / name
            if path.suffix in SUFFIXES and path.stat().st_size >= MIN_SIZE:
                yield path


def precompress_site(site_dir: Path, quick: Collection[str] = ()) -> int:
    """Write ``.gz``/``.br`` siblings in ``site_dir``; return how many were written.
    ``quick``: the site-relative paths made from the catalog (open data, the search
    index), compressed at the quick level like every page (``.html``)."""
    written = 0
    quick = frozenset(quick)
    for path in list(candidates(site_dir)):
        data = path.read_bytes()
        rel = path.relative_to(site_dir).as_posix()
        if path.suffix in BEST:
            level = "best"
        elif path.suffix == ".html" or rel in quick:
            level = "quick"
        else:
            level = "runtime"
        for suffix, packed in _siblings(data, level).items():
            sibling = path.with_name(path.name + suffix)
            # A sibling the site already has is its own (MkDocs' sitemap.xml.gz): kept.
            if len(packed) <= len(data) * 0.9 and not sibling.exists():
                sibling.write_bytes(packed)
                written += 1
    log.debug("wrote %d precompressed files", written)
    with contextlib.suppress(OSError):
        prune()
    return written
