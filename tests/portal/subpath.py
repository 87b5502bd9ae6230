"""The built site served on 127.0.0.1 under a sub-path (``/sub/``), as a government host
would publish it (``/jxjy/``): a missing address gets ``404.html`` with status 404, as an
``error_page 404 /sub/404.html`` of nginx does. Files are sent with their types, text with
``charset=utf-8``."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

PREFIX = "/sub/"


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".wasm": "application/wasm",
                      ".json": "application/json", ".ics": "text/calendar"}

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        pass

    def _file(self) -> Path | None:
        path = unquote(urlsplit(self.path).path)
        if not path.startswith(PREFIX):
            return None
        target = Path(self.directory) / path[len(PREFIX):]
        if target.is_dir():
            target = target / "index.html" if path.endswith("/") else target
        return target if target.is_file() else None

    def _missing(self, head: bool) -> bool:
        """Answers a folder without its slash (301) or a missing file (404.html, 404)."""
        path = urlsplit(self.path).path
        folder = Path(self.directory) / unquote(path[len(PREFIX):]) if path.startswith(PREFIX) else None
        if folder is not None and folder.is_dir() and not path.endswith("/"):
            self.send_response(301)
            self.send_header("Location", path + "/")
            self.end_headers()
            return True
        if self._file() is not None:
            return False
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)
        return True

    def do_GET(self) -> None:
        if not self._missing(head=False):
            super().do_GET()

    def do_HEAD(self) -> None:
        if not self._missing(head=True):
            super().do_HEAD()

    def translate_path(self, path: str) -> str:
        found = self._file()
        return str(found) if found else str(Path(self.directory) / "404.html")

    def guess_type(self, path: Any) -> str:
        kind = super().guess_type(path)
        return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind.endswith("json") else kind


@contextmanager
def serve_under_subpath(site: Path) -> Iterator[str]:
    """Yields the site's address, ``http://127.0.0.1:PORT/sub/``."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
