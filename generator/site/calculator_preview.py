"""A stand-alone preview of ``/calculator/`` without the rest of the site.

Writes :func:`~generator.browser.files` into a folder, turns each page
(an :class:`~generator.browser.EnginePage`) into a bare HTML page carrying the same Content-Security-Policy the site gives the
calculator, and serves the folder on 127.0.0.1. The calculator tests use
it; it also helps when working on the page alone.
"""

from __future__ import annotations

import html
import http.server
import logging
import shutil
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from generator import resources
from generator.browser import EnginePage

from .csp import CALCULATOR, policy
from .model import Page

log = logging.getLogger(__name__)

# The calculator page's policy, as the site gives it (the site-wide policy plus only
# 'wasm-unsafe-eval' and worker-src 'self'); the bare page has no inline script to allow.
CSP = policy([], CALCULATOR)
# The theme overrides: the calculator's <head> partial comes from there.
OVERRIDES = resources.theme_dir()
# What the browser needs that Python's mimetypes (3.11) may not know.
TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".wasm": "application/wasm",
    ".json": "application/json",
}


def _head(meta: Mapping[str, Any]) -> str:
    """What the site's theme override puts in ``<head>`` for this page."""
    if not meta.get("calculator"):
        return ""
    env = Environment(loader=FileSystemLoader(OVERRIDES), autoescape=False, undefined=StrictUndefined)
    partial = env.get_template("partials/calculator-head.html")
    return partial.render(calculator=meta["calculator"]).strip() + "\n"


def page_html(page: Page | EnginePage) -> str:
    """The page as a bare HTML document with the calculator's CSP."""
    import markdown

    meta, body = page.data, page.body
    return (
        '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n<link rel="icon" href="data:,">\n'
        f"<title>{html.escape(page.title)}</title>\n{_head(meta)}</head>\n<body>\n<main>\n"
        f"{markdown.markdown(body)}\n</main>\n</body>\n</html>\n"
    )


def write(out: Path, produced: Mapping[str, bytes | Path | Page | EnginePage]) -> Path:
    """Write ``files(catalog)`` under ``out``; each page (``calculator/index.md``) becomes
    its ``index.html``. Returns the ``calculator`` folder."""
    for name, content in produced.items():
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Page | EnginePage):
            target.with_suffix(".html").write_text(page_html(content), encoding="utf-8")
        elif isinstance(content, Path):
            shutil.copyfile(content, target)
        else:
            target.write_bytes(content)
    return out / "calculator"


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}
    csp_header = True
    max_age: int | None = None

    def end_headers(self) -> None:
        # A strict host also sends the policy as a header, which (unlike the meta
        # tag) reaches the worker too; tests run that way.
        if self.csp_header:
            self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        if self.max_age is not None:
            # As README's Deployment advises: pages revalidated, other files kept.
            page = self.path.split("?")[0].endswith(("/", ".html"))
            self.send_header("Cache-Control", "no-cache" if page else f"max-age={self.max_age}")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
        log.debug("%s " + format, self.address_string(), *args)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A page that is closed, or a worker that is terminated, mid-download resets
        # its connection: normal for a browser, not worth a traceback.
        log.debug("connection from %s ended early", client_address, exc_info=True)


@contextmanager
def serve(
    directory: Path, *, csp_header: bool = True, max_age: int | None = None
) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) in a thread; yields the base URL.

    ``max_age`` adds ``Cache-Control`` as README's Deployment advises a host to:
    ``no-cache`` for pages, ``max-age=…`` for every other file.
    """
    handler = type("Handler", (_Handler,), {"csp_header": csp_header, "max_age": max_age})
    server = _Server(("127.0.0.1", 0), partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
