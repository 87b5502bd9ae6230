"""What the browser benchmarks share: one built site, a logging static server, Chromium.

- :func:`built_site`: ``ceportal build`` of the bundled catalog into a temporary folder,
  once per process, plus a bare Pyodide page (``bench-bare/``) that imports the npm
  package's runtime (served as is under ``/bare-runtime/``) and only calls
  ``loadPyodide()``: the naive page the calculator is compared with; and
  ``bench-bare-worker/``, the same call in a module Web Worker.
- :class:`StaticServer`: ``http.server`` on 127.0.0.1 that records every response's
  path, status and body size. Caching as README's Deployment advises, for the
  calculator and the bare page alike: pages ``Cache-Control: no-cache`` (revalidated
  on every visit), every other file ``max-age=3600``.
- :func:`browser`: Debian's Chromium through Playwright, a fresh profile each time.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The same Chromium and flags as the browser tests.
from tests.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

BIN = Path(sys.executable).parent
PYODIDE_NPM = ROOT / "node_modules" / "pyodide"

BARE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bare loadPyodide</title></head>
<body><p id="out">loading…</p>
<script type="module">
import { loadPyodide } from "/bare-runtime/pyodide.mjs";
const pyodide = await loadPyodide();
document.getElementById("out").textContent = pyodide.runPython("1 + 1");
window.bareDone = performance.now();
</script>
</body></html>
"""


# The same, with loadPyodide() in a module Web Worker as the calculator does: the floor
# for a page that keeps Pyodide off the main thread.
BARE_WORKER_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bare loadPyodide in a worker</title></head>
<body><p id="out">loading…</p>
<script type="module">
const worker = new Worker("worker.js", { type: "module" });
worker.onmessage = (event) => {
  document.getElementById("out").textContent = event.data;
  window.bareDone = performance.now();
};
</script>
</body></html>
"""
BARE_WORKER = """import { loadPyodide } from "/bare-runtime/pyodide.mjs";
const pyodide = await loadPyodide();
postMessage(pyodide.runPython("1 + 1"));
"""


@functools.cache
def built_site() -> Path:
    """The portal built from the bundled catalog (once per process), with ``bench-bare/``."""
    work = Path(tempfile.mkdtemp(prefix="ceportal-bench-site-"))
    atexit.register(shutil.rmtree, work, True)
    site = work / "site"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1238544000", "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [str(BIN / "ceportal"), "build", "--site-dir", str(site)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        sys.exit(f"ceportal build failed:\n{proc.stdout}\n{proc.stderr}")
    (site / "bench-bare").mkdir()
    (site / "bench-bare" / "index.html").write_text(BARE_PAGE, encoding="utf-8")
    (site / "bench-bare-worker").mkdir()
    (site / "bench-bare-worker" / "index.html").write_text(BARE_WORKER_PAGE, encoding="utf-8")
    (site / "bench-bare-worker" / "worker.js").write_text(BARE_WORKER, encoding="utf-8")
    return site


@dataclass
class Hit:
    path: str
    status: int
    size: int  # body bytes sent
    encoding: str | None = None  # Content-Encoding of a precompressed sibling sent


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".whl": "application/octet-stream",
        ".zip": "application/zip",
    }

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's name
        pass

    def translate_path(self, path: str) -> str:
        prefix = "/bare-runtime/"
        if path.startswith(prefix):
            name = path[len(prefix):].split("?", 1)[0].split("#", 1)[0]
            if "/" not in name and name:
                return str(PYODIDE_NPM / name)
        return super().translate_path(path)

    def send_head(self) -> Any:
        """Serve ``name.br`` / ``name.gz`` (the build's precompressed siblings) with
        ``Content-Encoding`` where the browser accepts it, as nginx's ``brotli_static`` /
        ``gzip_static`` do (README, Deployment)."""
        self._encoding = None
        path = self.translate_path(self.path)
        accepted = {part.split(";")[0].strip() for part in self.headers.get("Accept-Encoding", "").split(",")}
        if os.path.isfile(path):
            for name, suffix in (("br", ".br"), ("gzip", ".gz")):
                if name in accepted and os.path.isfile(path + suffix):
                    self._encoding = name
                    break
        if self._encoding is None:
            return super().send_head()
        suffix = ".br" if self._encoding == "br" else ".gz"
        file = open(path + suffix, "rb")  # noqa: SIM115 - closed by http.server's copyfile
        size = os.fstat(file.fileno()).st_size
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", self._encoding)
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        return file

    def send_response(self, code: int, message: str | None = None) -> None:
        self._status = code
        self._length = 0
        super().send_response(code, message)

    def send_header(self, keyword: str, value: str) -> None:
        if keyword.lower() == "content-length":
            self._length = int(value)
        super().send_header(keyword, value)

    def end_headers(self) -> None:
        page = self.path.split("?", 1)[0].endswith(("/", ".html"))
        self.send_header("Cache-Control", "no-cache" if page else "max-age=3600")
        super().end_headers()

    def do_GET(self) -> None:
        super().do_GET()
        server: StaticServer = self.server.owner  # type: ignore[attr-defined]
        size = self._length if self._status == 200 else 0
        with server.lock:
            server.hits.append(Hit(self.path, self._status, size, getattr(self, "_encoding", None)))


class StaticServer:
    """Serves ``root`` on a free 127.0.0.1 port in a thread; ``hits`` lists responses."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        handler = functools.partial(_Handler, directory=str(root))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.owner = self  # type: ignore[attr-defined]
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> StaticServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def take_hits(self) -> list[Hit]:
        with self.lock:
            hits, self.hits = self.hits, []
        return hits


@contextlib.contextmanager
def browser() -> Iterator[Any]:
    """A Chromium context with a new, empty profile (a first-time visitor)."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="ceportal-bench-profile-") as profile, \
            sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield context
        finally:
            context.close()
