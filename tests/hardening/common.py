"""What the hardening tests share: the page kinds they visit and the figures they report
(imported as ``tests.hardening.common`` by the tests and the conftest alike, so there is
one REPORT; a conftest is imported under another module name)."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

# One page of each kind the site has (DESIGN.md, "Site URLs"), by its URL.
PAGE_KINDS = {
    "home": "",
    "notice": "notice/",
    "policy": "policy/",
    "catalog archive": "catalog/",
    "year catalog": "catalog/2010/",
    "specialty": "catalog/2010/specialty/mechanical/",
    "course": "catalog/2010/G-11/",
    "changes": "catalog/2010/changes/",
    "schedule archive": "schedule/",
    "schedule": "schedule/2010/",
    "downloads": "downloads/",
    "calculator": "calculator/",
    "audit": "audit/",
    "not found": "404.html",
}

# Filled by the tests, printed after the run (the figures issue 6 asks for).
REPORT: dict[str, Any] = {
    "html_files": 0,
    "css_files": 0,
    "kinds_loaded": set(),
    "requests": 0,
    "outside_requests": 0,
    "csp_violations": 0,
    "axe_runs": 0,
    "axe_impacts": Counter(),
    "fuzz_examples": Counter(),
}


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry under ``folder``: file bytes, link targets, and folders, by path."""
    out: dict[str, bytes | str] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        base = Path(dirpath)
        for name in dirnames + filenames:
            path = base / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                out[rel] = "link:" + os.readlink(path)
            elif path.is_dir():
                out[rel] = "dir"
            else:
                out[rel] = path.read_bytes()
    return out
