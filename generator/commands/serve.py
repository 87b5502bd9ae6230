"""``ceportal serve``: the portal at http://127.0.0.1:8000, rebuilt when a catalog file changes.

MkDocs' own preview stops answering after a failed rebuild ("the server will appear
stuck") and says why only in the terminal. Here a failed build (an invalid catalog, a
broken mkdocs.yml) keeps the last good site served, with a banner at the top of every
page listing the problems (a page of its own when there is no good site yet); the next
good build removes it, and the browser reloads by itself.

The preview always uses MkDocs (its incremental rebuilds are MkDocs' dirty builds, driven
by the plugin's events); ``ceportal build --builder zensical`` builds the same pages with
Zensical.
"""

from __future__ import annotations

import argparse
import errno
import hashlib
import html
import logging
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import webbrowser
from typing import Any

from . import _common
from ._common import Exit, Failed

NAME = "serve"
HELP = "本地预览网站（修改目录文件后自动刷新；预览总是用 MkDocs 生成）"

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    _common.add_catalog(parser, "site")
    _common.add_site_options(parser)
    parser.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT",
                        help="监听地址（默认 127.0.0.1:8000）")


class _QuietDirty(logging.Filter):
    """Drops MkDocs' warning about dirty builds, which the plugin makes accurate."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


BANNER_ID = "ceportal-preview-error"
# How often the preview looks for changed files (MkDocs' default is 0.5 s). MkDocs polls
# rather than asking the kernel (inotify misses edits on network and container mounts);
# what it polls is the catalog folder, the docs folder and mkdocs.yml, a few dozen
# entries: every 0.2 s costs about 1 % of a core while idle (0.5 s: 0.5 %) and shows
# an edit 0.15 s sooner on average.
POLLING_INTERVAL = 0.2
# After a change MkDocs waits this long for more before it rebuilds (its own: 0.1 s). Its
# polling observer reports what one poll found at once, so a save's events (an editor's
# temporary file renamed over the catalog file) arrive within milliseconds of each other
# and the next ones only a poll later: a longer wait only delays the preview.
BUILD_DELAY = 0.02
_ARTICLE = re.compile(rb'<article class="md-content__inner[^"]*"[^>]*>')
_BODY = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)
_INJECTED = re.compile(rb"<script>(\s*var livereload = function.*?)</script>", re.DOTALL)
_SCRIPT_SRC = re.compile(rb"(script-src 'self')")


def banner(error: str, *, have_site: bool) -> bytes:
    """The banner listing the build's problems (HTML-escaped), in the theme's style."""
    lines_in = error.strip().splitlines()
    if len(lines_in) > 1 and lines_in[0].endswith("："):  # "课程目录有错误，未生成网站："
        lines_in = lines_in[1:]
    lines = "\n".join(html.escape(line) for line in lines_in)
    shown = "预览中显示的是上一次成功生成的网站。" if have_site else "还没有可以显示的网站。"
    title = "网站未能重新生成" if have_site else "网站未能生成"
    return (
        f'<div class="admonition danger" id="{BANNER_ID}" role="alert" '
        'style="margin:0 0 1.5em">'
        f'<p class="admonition-title">{title}：目录文件有错误</p>'
        f"<p>{shown}改正以下问题并保存文件后，预览会自动更新（也可运行 ceportal check 查看）。</p>"
        f'<pre style="white-space:pre-wrap;overflow-wrap:anywhere">{lines}</pre></div>'
    ).encode()


def error_page(error: str) -> bytes:
    """A page of its own for when no build has succeeded yet."""
    return (
        '<!doctype html><html lang="zh"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        "<title>目录文件有错误 - 预览</title>"
        "<style>body{font:16px/1.6 system-ui,sans-serif;max-width:60em;margin:2em auto;"
        "padding:0 1em;color:#222;background:#fff}"
        ".admonition{border-left:.3em solid #d32f2f;background:#fdecea;padding:.5em 1em}"
        ".admonition-title{font-weight:bold;color:#b71c1c}"
        "pre{background:#fff;padding:.75em;border:1px solid #f5c6cb}"
        "@media (prefers-color-scheme: dark){body{color:#eee;background:#1e1e1e}"
        ".admonition{background:#3b1f1f}.admonition-title{color:#ff8a80}"
        "pre{background:#141414;border-color:#5a2a2a}}</style>"
        "</head><body>" + banner(error, have_site=False).decode() + "</body></html>"
    ).encode()


def with_banner(content: bytes, error: str) -> bytes:
    """``content`` (a page) with the banner at the top of its article (or its body)."""
    where = _ARTICLE.search(content) or _BODY.search(content)
    if where is None:
        return banner(error, have_site=True) + content
    return content[: where.end()] + banner(error, have_site=True) + content[where.end():]


def allow_livereload(content: bytes) -> bytes:
    """Let the page's Content-Security-Policy run the preview's reload script (and only
    it: by its hash), so the browser reloads when a rebuild is done."""
    found = _INJECTED.search(content)
    if found is None:
        return content
    import base64

    digest = base64.b64encode(hashlib.sha256(found[1]).digest())
    return _SCRIPT_SRC.sub(rb"\1 'sha256-" + digest + b"'", content, count=1)


def serve_until_stopped(server: Any) -> None:
    """Answer requests and rebuild on changes until Ctrl+C (the tests replace this)."""
    server.serve()


def _busy_message(host: str, port: int) -> str:
    return (
        f"端口 {port} 已被占用（{host}:{port}），可能另一个预览还在运行："
        f"请先关掉它，或用 -a {host}:{port + 1}（即 --dev-addr）换一个端口"
    )


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from generator.site.publishing import BuildRefused, check_source_date_epoch

    try:
        check_source_date_epoch()
    except BuildRefused as exc:
        raise Failed(Exit.REFUSED, str(exc)) from None
    with _common.runtime(args):
        return _serve(args)


def _serve(args: argparse.Namespace) -> int:
    # One date for the whole preview session (downloads, calendar, sitemap): otherwise
    # every rebuild would stamp every download anew and redo each year's exports.
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(time.time())))
    from urllib.parse import urlsplit

    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException
    from mkdocs.livereload import LiveReloadServer, _serve_url

    from generator.site.adapters.mkdocs_plugin import use_catalog, use_drafts

    # Dirty builds: a change re-renders only the pages whose generated content changed
    # (generator/site/adapters/mkdocs_plugin.py decides which, keeps the search index whole and removes the
    # output of files that are gone).
    logging.getLogger("mkdocs.commands.build").addFilter(_QuietDirty())

    site_dir = tempfile.mkdtemp(prefix="ceportal-serve-")
    state: dict[str, Any] = {"error": None, "built": False}
    lock = threading.Lock()

    class Preview(LiveReloadServer):
        def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
            content = allow_livereload(super()._inject_js_into_html(content, epoch))
            with lock:
                error = state["error"]
            return with_banner(content, error) if error else content

        def bind(self) -> None:
            self.server_bind()
            self.server_activate()

        def serve(self, *, open_in_browser: bool = False) -> None:
            # MkDocs' serve() without the bind, done (and its failure reported) earlier.
            if self._watched_paths:
                self.observer.start()
            log.info("Serving on %s", self.url)
            self.serve_thread.start()
            if open_in_browser:  # pragma: no cover - never asked for
                webbrowser.open(self.url)
            self._build_loop()

    def get_config() -> Any:
        # Loaded again for every rebuild: --catalog is set on each configuration.
        config = load_config(config_file=args.config, site_dir=site_dir, dev_addr=args.dev_addr)
        if args.catalog:
            use_catalog(config, args.catalog)
        use_drafts(config, "mark")  # draft years shown, each of their pages marked 草稿
        return config

    try:
        config = get_config()
    except MkDocsException as exc:
        shutil.rmtree(site_dir, ignore_errors=True)
        raise Failed(Exit.INVALID, str(exc)) from None
    config.plugins.on_startup(command="serve", dirty=True)
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path
    config.site_url = serve_url = _serve_url(host, port, mount_path)

    def builder(cfg: Any = None) -> None:
        log.info("Building documentation...")
        try:
            if cfg is None:
                cfg = get_config()
                cfg.site_url = serve_url
            build(cfg, serve_url=serve_url, dirty=True)
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - any failure goes to the page
            message = str(exc) or type(exc).__name__
            with lock:
                state["error"] = message
                built = state["built"]
            kept = "预览保留上一次成功生成的网站" if built else "预览显示错误页"
            print(f"ceportal serve: {message}\nceportal serve: {kept}（页面顶部列出以上问题），"
                  "改正后保存文件即可自动更新", file=sys.stderr)
            return
        with lock:
            recovered = state["error"] is not None
            state["error"], state["built"] = None, True
        if recovered:
            print("ceportal serve: 目录已改正，网站已重新生成", file=sys.stderr)

    server = Preview(builder=builder, host=host, port=port, root=site_dir, mount_path=mount_path,
                     polling_interval=POLLING_INTERVAL)
    server.build_delay = BUILD_DELAY

    def error_handler(code: int) -> bytes | None:
        with lock:
            error, built = state["error"], state["built"]
        if error and not built:
            # The reload script only: the page has the banner already.
            page = LiveReloadServer._inject_js_into_html(
                server, error_page(error), server._visible_epoch
            )
            return allow_livereload(page)
        if code in (404, 500):
            page = os.path.join(site_dir, f"{code}.html")
            if os.path.isfile(page):
                with open(page, "rb") as f:
                    content = f.read()
                return with_banner(content, error) if error else content
        return None

    server.error_handler = error_handler
    try:
        try:
            server.bind()
        except OSError as exc:
            server.server_close()
            if exc.errno == errno.EADDRINUSE:
                raise Failed(Exit.REFUSED, _busy_message(host, port)) from None
            raise Failed(Exit.REFUSED, f"无法在 {host}:{port} 上监听：{exc.strerror}") from None
        builder(config)
        server.watch(config.docs_dir)
        if config.config_file_path:
            server.watch(config.config_file_path)
        server = config.plugins.on_serve(server, config=config, builder=builder)
        for item in config.watch:
            server.watch(item)
        print(f"预览地址：{server.url}（按 Ctrl+C 停止）", file=sys.stderr)
        try:
            serve_until_stopped(server)
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        config.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
    return Exit.OK
