"""The Content-Security-Policy of every built page, read from the page itself: strict
everywhere, and the calculator's differs from the others' by exactly two additions
('wasm-unsafe-eval' for Pyodide and worker-src 'self'). Complements tests/portal/test_site_csp.py
(one policy per page, hashes match the theme's inline scripts); the browser side is in
test_no_outside_requests.py (no violation while each page kind is used)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
CALCULATOR_ONLY = {("script-src", "'wasm-unsafe-eval'"), ("worker-src", "'self'")}


def policy_of(path: Path) -> set[tuple[str, str]]:
    """(directive, source) pairs of the page's policy, script hashes left out."""
    (text,) = META.findall(path.read_text("utf-8"))
    pairs = set()
    for directive in text.split(";"):
        name, *sources = directive.split()
        pairs |= {(name, s) for s in sources if not s.startswith("'sha256-")} or {(name, "")}
    return pairs


def test_policies_are_strict_and_the_calculator_adds_only_two_sources(bundled_site: Path) -> None:
    pages = sorted(bundled_site.rglob("*.html"))
    policies = {p.relative_to(bundled_site).as_posix(): policy_of(p) for p in pages}
    calculator = policies.pop("calculator/index.html")
    # The batch audit runs on the calculator's engine, under the calculator's policy.
    assert policies.pop("audit/index.html") == calculator
    assert len(policies) == len(pages) - 2 >= 54
    common = next(iter(policies.values()))
    for path, policy in policies.items():
        assert policy == common, path
    assert calculator - common == CALCULATOR_ONLY
    assert common - calculator == set()
    for policy in (common, calculator):
        sources = {s for _, s in policy}
        assert "'unsafe-eval'" not in sources
        assert ("script-src", "'unsafe-inline'") not in policy
        assert ("script-src", "*") not in policy and ("default-src", "*") not in policy
        assert ("object-src", "'none'") in policy
        assert ("base-uri", "'self'") in policy
        # Nothing may load from another origin, whatever the directive.
        assert all(s in {"'self'", "'none'", "data:", "'unsafe-inline'", "'wasm-unsafe-eval'"}
                   for s in sources), sources
