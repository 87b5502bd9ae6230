"""The calculator's memory snapshot: a Pyodide that has already started.

Starting Python inside Pyodide (importing the ~200 modules its runtime needs) is most
of the time between opening ``/calculator/`` and the first result. The build starts
Pyodide once, in Node, from the same npm package the site publishes
(``generator/browser/web/snapshot.mjs``), and keeps its memory; the worker restores that
memory instead of starting again, then installs the rules wheel as before.

The snapshot is published as its difference from the memory the wasm's own data
segments give (``delta.py``: 31 MB of memory, 7.5 MB of difference, about 2.4 MB as the
brotli sibling the host sends), and rebuilt in the worker from that and the wasm it
fetches anyway (``generator/browser/web/snapdelta.js``). It uses
Pyodide's ``_makeSnapshot``/``_loadSnapshot`` options, which Pyodide marks private:
that is why the runtime is pinned to one version in ``package-lock.json``, why the
worker starts without the snapshot where it cannot be used, and why the parity tests
run the rules through it in Chromium.

The same runtime and script give the same bytes (the clock, the time zone, the
randomness and the hash seed are fixed while it is made), so builds stay reproducible; the clock is a
constant rather than ``SOURCE_DATE_EPOCH`` so that a new deployment of the same runtime
publishes the same file, which visitors then need not fetch again. Making one takes a few seconds, so it is kept in the user's cache
folder, keyed by everything it depends on.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from generator import resources
from generator.catalog.memo import file_sha256

from . import delta
from .runtime import RuntimeMissing, default_pyodide_dir, missing_message

log = logging.getLogger(__name__)

SCRIPT = resources.web_dir() / "snapshot.mjs"
# What the snapshot depends on in the npm package (the worker loads the same files).
INPUTS = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
FORMAT = "8"  # bump when the way the snapshot is made or packed changes
TIMEOUT_S = 300
_ERROR_LINE = re.compile(r"^[A-Za-z]*Error\b")

_cache: dict[str, Path] = {}


class SnapshotError(RuntimeError):
    """The snapshot could not be made; ``str()`` says why, in Chinese."""


def _key(pyodide_dir: Path, stdlib: Path, imports: Sequence[str] = ()) -> str:
    digest = hashlib.sha256(FORMAT.encode())
    digest.update(file_sha256(stdlib))
    digest.update(json.dumps(list(imports)).encode())
    digest.update(SCRIPT.read_bytes())
    for name in INPUTS:
        path = pyodide_dir / name
        if not path.is_file():
            raise RuntimeMissing(missing_message(pyodide_dir))
        digest.update(name.encode())
        digest.update(file_sha256(path))
    return digest.hexdigest()


def cache_dir() -> Path:
    """Where made snapshots are kept: ``$CEPORTAL_CACHE_DIR``, else the user's cache."""
    configured = os.environ.get("CEPORTAL_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ceportal"


def _reason(stderr: bytes) -> str:
    """The line of Node's output that says what went wrong."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    for line in lines:
        if _ERROR_LINE.match(line):
            return line
    return lines[-1] if lines else "无输出"


def make(pyodide_dir: Path, stdlib: Path, imports: Sequence[str] = ()) -> bytes:
    """Run ``snapshot.mjs`` in Node, importing ``imports`` (standard-library modules of the
    archive ``stdlib``) into the snapshot; return it as published (``delta.encode``)."""
    node = shutil.which("node")
    if node is None:
        raise SnapshotError("无法生成计算引擎快照：找不到 node。请先运行 make setup（安装 Node.js 与 npm 包）")
    with tempfile.TemporaryDirectory(prefix="ceportal-snapshot-") as work:
        out = Path(work) / "snapshot.bin"
        env = {
            "PATH": os.environ.get("PATH", ""),
            "CEPORTAL_PYODIDE_URL": pyodide_dir.resolve().as_uri() + "/",
            "CEPORTAL_SNAPSHOT_OUT": str(out),
            "CEPORTAL_STDLIB_URL": stdlib.resolve().as_uri(),
            "CEPORTAL_SNAPSHOT_IMPORTS": json.dumps(list(imports)),
        }
        try:
            proc = subprocess.run(
                [node, "--input-type=module", "-"],
                input=SCRIPT.read_bytes(), env=env, cwd=work,
                capture_output=True, timeout=TIMEOUT_S, check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SnapshotError(f"无法生成计算引擎快照：{exc}") from exc
        if proc.returncode != 0 or not out.is_file():
            raise SnapshotError(
                f"无法生成计算引擎快照（node 退出码 {proc.returncode}）：{_reason(proc.stderr)}"
            )
        memory = out.read_bytes()
    return delta.encode(memory, (pyodide_dir / "pyodide.asm.wasm").read_bytes())


def build_snapshot(stdlib: Path, pyodide_dir: Path | None = None,
                   imports: Sequence[str] = ()) -> Path:
    """The file of the published snapshot (``delta.encode``) for the runtime in
    ``pyodide_dir``, with ``imports`` imported (``stdlib.snapshot_imports()``).

    Made once and kept in :func:`cache_dir` (or, where that cannot be written, in a
    temporary folder for this process): a file, not bytes, so a build copies it
    rather than holding 8 MB in memory. Raises :class:`SnapshotError` when it cannot be
    made and :class:`~generator.browser.RuntimeMissing` when the runtime is not
    installed.
    """
    base = pyodide_dir or default_pyodide_dir()
    key = _key(base, stdlib, imports)
    if key in _cache and _cache[key].is_file():
        return _cache[key]
    name = f"snapshot-{key}.bin"
    stored = cache_dir() / name
    if not stored.is_file():
        data = make(base, stdlib, imports)
        log.debug("made the calculator snapshot (%d bytes)", len(data))
        try:
            write_atomically(stored, data)
        except OSError as exc:  # a read-only home still builds, only slower next time
            log.debug("cannot keep the snapshot in %s: %s", stored.parent, exc)
            stored = _process_dir() / name
            write_atomically(stored, data)
    _cache[key] = stored
    return stored


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` at once (a rename), so no reader sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    partial.write_bytes(data)
    partial.replace(target)


_process_tmp: list[Path] = []


def _process_dir() -> Path:
    """A temporary folder removed when this process ends (or with the build's own
    temporary folder it was made in: then a new one, never that path made again)."""
    if not _process_tmp or not _process_tmp[-1].is_dir():
        folder = Path(tempfile.mkdtemp(prefix="ceportal-snapshot-cache-"))
        atexit.register(shutil.rmtree, folder, True)
        _process_tmp.append(folder)
    return _process_tmp[-1]
