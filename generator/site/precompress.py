"""Precompressed siblings: ``name.gz`` and ``name.br`` beside every large published file.

A host that serves them (nginx ``gzip_static on`` / ``brotli_static on``, a CDN or an
object store that keeps ``Content-Encoding`` per object; README, Deployment) sends the
smaller encoding the browser accepts without compressing anything per request, and at
levels too slow to use on the fly (gzip 9, brotli 11 for files up to 1 MB, brotli 9 with a
16 MB window above that: brotli 11 on the 9.6 MB wasm takes 35 s of CPU; but brotli 11 for
the calculator's snapshot, 2.53 instead of 2.81 MB, made once per runtime and kept).

Deterministic: gzip with no name and mtime 0, brotli with fixed parameters; the same file
gives the same siblings. A sibling is written only where it saves at least a tenth of the
file (an already compressed wheel or zip gets none). Siblings of large files are
kept in the build cache (``~/.cache/ceportal``, as the snapshot), keyed by the file's
digest, so a rebuild does not compress the runtime again.

``brotli`` (PyPI, the reference implementation's binding): Python's standard library has
no brotli encoder, and browsers accept brotli only as a ``Content-Encoding``.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
from collections.abc import Iterator
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
# Worth brotli's slowest setting whatever their size: the calculator's snapshot, the
# largest file of a first visit after the wasm, and the same for every build of a runtime.
BEST = frozenset({".bin"})
ENCODINGS = (".gz", ".br")
_LARGE = 1 << 20
_CACHED = 256 * 1024  # siblings of files at least this large are kept in the cache
FORMAT = "1"


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def brotli_bytes(data: bytes, best: bool = False) -> bytes:
    if best:
        return bytes(brotli.compress(data, quality=11, lgwin=24))
    if len(data) <= _LARGE:
        return bytes(brotli.compress(data, quality=11))
    return bytes(brotli.compress(data, quality=9, lgwin=24))


def _siblings(data: bytes, best: bool = False) -> dict[str, bytes]:
    if len(data) < _CACHED:
        return {".gz": gzip_bytes(data), ".br": brotli_bytes(data, best)}
    key = hashlib.sha256(FORMAT.encode() + (b"best" if best else b"") + data).hexdigest()
    out = {}
    for suffix, encode in ((".gz", gzip_bytes), (".br", lambda data: brotli_bytes(data, best))):
        stored = cache_dir() / "precompressed" / f"{key}{suffix}"
        if stored.is_file():
            out[suffix] = stored.read_bytes()
            continue
        out[suffix] = encode(data)
        try:
            write_atomically(stored, out[suffix])
        except OSError as exc:  # a read-only cache only makes the next build slower
            log.debug("cannot keep %s: %s", stored, exc)
    return out


def candidates(site_dir: Path) -> Iterator[Path]:
    """The published files that get siblings (by type and size), in path order."""
    for root, dirs, names in os.walk(site_dir):
        dirs.sort()
        for name in sorted(names):
            path = Path(root) / name
            if path.suffix in SUFFIXES and path.stat().st_size >= MIN_SIZE:
                yield path


def precompress_site(site_dir: Path) -> int:
    """Write ``.gz``/``.br`` siblings in ``site_dir``; return how many were written."""
    written = 0
    for path in list(candidates(site_dir)):
        data = path.read_bytes()
        for suffix, packed in _siblings(data, path.suffix in BEST).items():
            sibling = path.with_name(path.name + suffix)
            # A sibling the site already has is its own (MkDocs' sitemap.xml.gz): kept.
            if len(packed) <= len(data) * 0.9 and not sibling.exists():
                sibling.write_bytes(packed)
                written += 1
    log.debug("wrote %d precompressed files", written)
    return written
