"""The Content-Security-Policy every page carries as a ``<meta http-equiv>`` tag.

Static hosts differ in what headers they let us set, so the policy travels inside each
page. Scripts may come only from the site itself or be one of the theme's own inline
scripts, allowed by their sha256 hash; text that came from the page's content (the
catalog) is never hashed, so even a script that slipped through escaping would not run.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re

log = logging.getLogger(__name__)

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
_SRC = re.compile(r"\bsrc\s*=", re.IGNORECASE)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.IGNORECASE)
# Types a browser executes; anything else (application/json…) is inert data.
_JS_TYPES = {"", "text/javascript", "application/javascript", "module"}

# Pages whose front matter says `csp: calculator` run Pyodide (WebAssembly) in a worker.
CALCULATOR = "calculator"


def inline_scripts(html: str) -> list[str]:
    """The bodies of the executable inline scripts of ``html``, in document order."""
    found = []
    for match in _SCRIPT.finditer(html):
        attrs, body = match.group(1), match.group(2)
        if _SRC.search(attrs):
            continue
        kind = _TYPE.search(attrs)
        if (kind.group(1).lower() if kind else "") in _JS_TYPES:
            found.append(body)
    return found


def script_hash(body: str) -> str:
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def policy(hashes: list[str], kind: str | None = None) -> str:
    """The policy text; ``kind == "calculator"`` adds what Pyodide needs and nothing else."""
    script_src = ["'self'"]
    if kind == CALCULATOR:
        script_src.append("'wasm-unsafe-eval'")
    script_src += sorted(set(hashes))
    directives = [
        "default-src 'self'",
        "script-src " + " ".join(script_src),
        # Styles: the theme sets style attributes; styles cannot run code.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
    if kind == CALCULATOR:
        directives.append("worker-src 'self'")
    return "; ".join(directives)


def add_csp(html: str, content: str = "", kind: str | None = None) -> str:
    """``html`` with the CSP meta tag right after ``<meta charset>`` (before any script).

    Inline scripts that also occur in ``content`` (the page's own rendered Markdown) are
    not allowed: only the theme's are.
    """
    untrusted = set(inline_scripts(content)) if content else set()
    hashes = [script_hash(s) for s in inline_scripts(html) if s not in untrusted]
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(hashes, kind)}">'
    charset = _CHARSET.search(html)
    if charset is None:
        head = html.lower().find("<head>")
        if head < 0:
            raise ValueError("页面缺少 <head>，无法加入 Content-Security-Policy")
        at = head + len("<head>")
    else:
        at = charset.end()
    return html[:at] + tag + html[at:]
