"""Precompressed siblings (generator/site/precompress.py): each decompresses to exactly its
original, the same file gives the same bytes, and only files worth it get them."""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path

import brotli
import pytest

from generator.site import precompress

pytestmark = pytest.mark.slow  # brotli at its best on Pyodide's 8 MB wasm

ROOT = Path(__file__).resolve().parents[2]
WASM = ROOT / "node_modules" / "pyodide" / "pyodide.asm.wasm"


def _tree(root: Path) -> None:
    (root / "calculator" / "pyodide").mkdir(parents=True)
    shutil.copyfile(WASM, root / "calculator" / "pyodide" / "pyodide.asm.wasm")
    (root / "index.html").write_text("<p>继续教育学时</p>\n" * 3000, encoding="utf-8")
    (root / "small.css").write_text("body{margin:0}\n", encoding="utf-8")
    (root / "picture.png").write_bytes(b"\x89PNG" + b"\x00" * 10000)
    (root / "random.js").write_bytes(os.urandom(20000))  # does not compress: no sibling
    # The calculator's snapshot difference: brotli at its best setting (precompress.BEST).
    (root / "calculator" / "snapshot.bin").write_bytes(bytes(range(256)) * 300)


def test_siblings_decompress_to_their_originals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEPORTAL_CACHE_DIR", str(tmp_path / "cache"))
    site = tmp_path / "site"
    _tree(site)
    assert precompress.precompress_site(site) == 6
    written = sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.suffix in (".gz", ".br"))
    assert written == [
        "calculator/pyodide/pyodide.asm.wasm.br",
        "calculator/pyodide/pyodide.asm.wasm.gz",
        "calculator/snapshot.bin.br",
        "calculator/snapshot.bin.gz",
        "index.html.br",
        "index.html.gz",
    ]
    for name in written:
        sibling = site / name
        original = sibling.with_suffix("").read_bytes()
        packed = sibling.read_bytes()
        unpacked = gzip.decompress(packed) if sibling.suffix == ".gz" else brotli.decompress(packed)
        assert unpacked == original, name
        assert len(packed) < len(original) * 0.9


def test_the_same_files_give_the_same_siblings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEPORTAL_CACHE_DIR", str(tmp_path / "cache"))
    first, second = tmp_path / "a", tmp_path / "b"
    _tree(first)
    _tree(second)
    shutil.copyfile(first / "random.js", second / "random.js")
    precompress.precompress_site(first)
    shutil.rmtree(tmp_path / "cache")  # made again, not read back from the cache
    precompress.precompress_site(second)
    names = sorted(p.relative_to(first) for p in first.rglob("*"))
    assert names == sorted(p.relative_to(second) for p in second.rglob("*"))
    for name in names:
        if (first / name).is_file():
            assert (first / name).read_bytes() == (second / name).read_bytes(), name
    # gzip names no file and no date.
    assert (first / "index.html.gz").read_bytes()[4:8] == b"\x00\x00\x00\x00"


def test_levels_runtime_best_and_catalog_quick(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """brotli 11 (16 MB window) for the runtime (the same bytes every build), brotli 6 and gzip 6 for
    what the catalog makes: pages, and the paths given as quick (open data, search index)."""
    monkeypatch.setenv("CEPORTAL_CACHE_DIR", str(tmp_path / "cache"))
    site = tmp_path / "site"
    site.mkdir()
    text = "".join(f"课程 {i} 学时 {i % 17}\n" for i in range(9000)).encode()
    for name in ("index.html", "engine.js", "catalogs.json"):
        (site / name).write_bytes(text)
    precompress.precompress_site(site, quick={"catalogs.json"})
    quick_br, best_br = brotli.compress(text, quality=6), brotli.compress(text, quality=11, lgwin=24)
    assert quick_br != best_br
    assert (site / "index.html.br").read_bytes() == quick_br
    assert (site / "catalogs.json.br").read_bytes() == quick_br
    assert (site / "engine.js.br").read_bytes() == best_br
    assert (site / "catalogs.json.gz").read_bytes() == gzip.compress(text, 6, mtime=0)
    assert (site / "engine.js.gz").read_bytes() == gzip.compress(text, 9, mtime=0)


def test_a_rebuild_takes_every_sibling_from_the_cache(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEPORTAL_CACHE_DIR", str(tmp_path / "cache"))
    first, second = tmp_path / "a", tmp_path / "b"
    _tree(first)
    precompress.precompress_site(first)
    shutil.copytree(first, second, ignore=shutil.ignore_patterns("*.gz", "*.br"))

    def refused(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("compressed again")

    monkeypatch.setattr(precompress.brotli, "compress", refused)
    monkeypatch.setattr(precompress.gzip, "compress", refused)
    assert precompress.precompress_site(second) == 6
    for sibling in first.rglob("*.br"):
        assert sibling.read_bytes() == (second / sibling.relative_to(first)).read_bytes()


def test_cache_entries_no_build_used_for_a_week_are_removed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEPORTAL_CACHE_DIR", str(tmp_path / "cache"))
    site = tmp_path / "site"
    _tree(site)
    precompress.precompress_site(site)
    entries = sorted((tmp_path / "cache" / "precompressed").glob("*/*"))
    assert len(entries) == 2 * 3  # gz and br of the page, the wasm and the snapshot
    old = entries[0]
    week = precompress.KEEP_DAYS * 86400
    os.utime(old, (old.stat().st_atime, old.stat().st_mtime - week - 60))
    assert precompress.prune() == 1
    assert not old.exists() and all(e.exists() for e in entries[1:])
