"""A Content-Security-Policy meta tag on every page: no eval, no inline scripts other than
the theme's own (by hash), and the calculator alone may compile WebAssembly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.site.csp import add_csp, inline_scripts, script_hash

pytestmark = pytest.mark.slow

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def directives(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in policy.split("; ")}


def test_every_page_has_one_strict_policy(bundled_site: Path) -> None:
    pages = sorted(bundled_site.rglob("*.html"))
    assert len(pages) == 72  # 8 sections + 3 per year + 8 specialties per year + 41 courses + 404
    for path in pages:
        html = path.read_text("utf-8")
        found = META.findall(html)
        assert len(found) == 1, path
        # Before any script, or the policy would not cover it.
        assert html.index("Content-Security-Policy") < html.index("<script"), path
        d = directives(found[0])
        assert d["default-src"] == ["'self'"]
        assert d["object-src"] == ["'none'"]
        assert d["base-uri"] == ["'self'"]
        assert "'unsafe-eval'" not in found[0] and "'unsafe-inline'" not in d["script-src"]
        hashes = {s for s in d["script-src"] if s.startswith("'sha256-")}
        assert hashes == {script_hash(s) for s in inline_scripts(html)}, path
        # The batch audit runs on the calculator's engine, under the same policy.
        calculator = path.relative_to(bundled_site).as_posix() in (
            "calculator/index.html", "audit/index.html")
        assert ("'wasm-unsafe-eval'" in d["script-src"]) is calculator, path
        assert (d.get("worker-src") == ["'self'"]) is calculator, path


def test_policy_text_for_a_page() -> None:
    html = '<html><head><meta charset="utf-8"><script>var a=1;</script></head></html>'
    out = add_csp(html)
    assert out == html.replace('<meta charset="utf-8">', '<meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; '
        "script-src 'self' 'sha256-gaaMFNHZyRta8zB2VHkWLMP4tMxJ+d8v3dTW7nw2r6M='; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'\">")


def test_scripts_from_page_content_are_never_allowed() -> None:
    content = "<p>x</p><script>alert(1)</script>"
    html = f'<head><meta charset="utf-8"><script>theme()</script></head><body>{content}</body>'
    policy = META.search(add_csp(html, content=content))
    assert policy is not None
    assert script_hash("theme()") in policy.group(1)
    assert script_hash("alert(1)") not in policy.group(1)


def test_json_data_blocks_are_not_scripts() -> None:
    html = '<script id="__config" type="application/json">{"a":1}</script><script src="x.js"></script>'
    assert inline_scripts(html) == []
