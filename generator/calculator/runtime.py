"""The Pyodide runtime, vendored from the npm package that ``make setup`` installs.

Only the four files a page needs are published. The two ES modules are renamed
``.mjs`` -> ``.js``: many static servers (Python's ``http.server`` before 3.12, hence
``mkdocs serve``; older nginx ``mime.types``) send ``.mjs`` as
``application/octet-stream``, which browsers refuse for module scripts. The worker
imports both modules itself (``createPyodideModule``), so Pyodide never asks for
the original names.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent.parent
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"

# site name (under calculator/pyodide/) -> file in the npm package
RUNTIME_FILES = {
    "pyodide.js": "pyodide.mjs",
    "pyodide.asm.js": "pyodide.asm.mjs",
    "pyodide.asm.wasm": "pyodide.asm.wasm",
    "python_stdlib.zip": "python_stdlib.zip",
}


class RuntimeMissing(RuntimeError):
    """The Pyodide npm package is not installed (or incomplete)."""


def runtime_files(pyodide_dir: Path | None = None) -> dict[str, Path]:
    """The runtime files to publish: site name -> source file."""
    base = pyodide_dir or PYODIDE_DIR
    out = {name: base / source for name, source in RUNTIME_FILES.items()}
    missing = [str(path) for path in out.values() if not path.is_file()]
    if missing:
        raise RuntimeMissing(
            f"找不到 Pyodide 运行环境文件：{'、'.join(missing)}。请先运行 make setup（npm ci）"
        )
    return out


def runtime_info(pyodide_dir: Path | None = None) -> dict[str, Any]:
    """The npm package version and the lock file's ``info`` block.

    The worker hands Pyodide a lock file with this ``info`` and no packages: the
    rules need only the standard library, and it saves fetching the 120 KB list of
    packages this site does not serve.
    """
    base = pyodide_dir or PYODIDE_DIR
    try:
        package = json.loads((base / "package.json").read_text(encoding="utf-8"))
        lock = json.loads((base / "pyodide-lock.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RuntimeMissing(
            f"无法读取 Pyodide 包信息（{exc}）。请先运行 make setup（npm ci）"
        ) from exc
    return {"version": package["version"], "lock_info": lock["info"]}
