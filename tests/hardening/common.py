"""What the hardening tests share: the page kinds they visit and the figures they report
(imported as ``tests.hardening.common`` by the tests and the conftest alike, so there is
one REPORT; a conftest is imported under another module name)."""

from __future__ import annotations

from collections import Counter
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
