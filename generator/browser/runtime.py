"""The Pyodide runtime, vendored from the npm package installed in the portal folder.

``npm ci`` in the portal folder installs the version its ``package-lock.json`` pins into
``node_modules/pyodide``; ``--pyodide DIR`` names another copy (see
:mod:`generator.site.portal`). Only the four files a page needs are published. The two ES
modules are renamed ``.mjs`` -> ``.js``: many static servers (Python's ``http.server``
before 3.12, hence ``mkdocs serve``; older nginx ``mime.types``) send ``.mjs`` as
``application/octet-stream``, which browsers refuse for module scripts. The worker
imports both modules itself (``createPyodideModule``), so Pyodide never asks for
the original names.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from generator.catalog.memo import from_files
from generator.catalog.problems import display_path

log = logging.getLogger(__name__)

PYODIDE_ENV = "CEPORTAL_PYODIDE"
RUNTIME = Path("node_modules") / "pyodide"


def default_pyodide_dir(project: Path | None = None) -> Path:
    """The Pyodide npm package a build publishes: ``--pyodide``'s folder, else
    ``node_modules/pyodide`` of the portal folder ``project`` (default: the current one)."""
    chosen = os.environ.get(PYODIDE_ENV)
    if chosen:
        return Path(chosen)
    return (project or Path.cwd()) / RUNTIME


# site name (under calculator/pyodide/) -> file in the npm package
RUNTIME_FILES = {
    "pyodide.js": "pyodide.mjs",
    "pyodide.asm.js": "pyodide.asm.mjs",
    "pyodide.asm.wasm": "pyodide.asm.wasm",
    "python_stdlib.zip": "python_stdlib.zip",
}

__all__ = ["RUNTIME_FILES", "RuntimeMissing", "default_pyodide_dir", "missing_message",
           "runtime_files", "runtime_info"]


class RuntimeMissing(RuntimeError):
    """The Pyodide npm package is not installed (or incomplete); ``str()`` is the one
    Chinese line that says how to get it."""


def missing_message(folder: Path) -> str:
    """The one line for a missing runtime: where it was looked for and how to get it."""
    return (
        f"找不到 Pyodide 运行环境（{display_path(str(folder))}）：请在门户文件夹（mkdocs.yml 所在的文件夹）中运行 "
        "npm ci 安装，或用 --pyodide DIR 指定已安装的 pyodide 包所在的文件夹"
    )


def runtime_files(pyodide_dir: Path | None = None) -> dict[str, Path]:
    """The runtime files to publish: site name -> source file."""
    base = pyodide_dir or default_pyodide_dir()
    out = {name: base / source for name, source in RUNTIME_FILES.items()}
    if not all(path.is_file() for path in out.values()):
        raise RuntimeMissing(missing_message(base))
    return out


def runtime_info(pyodide_dir: Path | None = None) -> dict[str, Any]:
    """The npm package version and the lock file's ``info`` block.

    The worker hands Pyodide a lock file with this ``info`` and no packages: the
    rules need only the standard library, and it saves fetching the 120 KB list of
    packages this site does not serve.
    """
    base = pyodide_dir or default_pyodide_dir()
    files = [base / "package.json", base / "pyodide-lock.json"]

    def read() -> dict[str, Any]:
        package = json.loads(files[0].read_text(encoding="utf-8"))
        lock = json.loads(files[1].read_text(encoding="utf-8"))
        return {"version": package["version"], "lock_info": lock["info"]}

    try:
        # Remembered while both files are unchanged (the preview asks on every rebuild).
        info: dict[str, Any] = from_files("runtime-info", files, read)
    except (OSError, ValueError, KeyError) as exc:
        raise RuntimeMissing(missing_message(base)) from exc
    return {"version": info["version"], "lock_info": dict(info["lock_info"])}
