"""``ceportal serve`` while the catalog is invalid (issue 19, item 6): the preview keeps
answering, shows the check lines in the browser, and recovers by itself; a busy port is
one Chinese line that says how to pick another."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

from generator.commands.serve import BANNER_ID

pytestmark = pytest.mark.serve

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "catalog"
BAD_LINE = "2009.yaml:25:12: error: courses[1].hours: 学时必须是大于0的数字，收到“十六”"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str:
    # The timeout keeps a preview that stalls (as MkDocs' own does here) from hanging the
    # suite: a stall fails the test.
    try:
        with urllib.request.urlopen(url, timeout=300) as r:
            return str(r.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:  # the error page comes as a 404
        return str(exc.read().decode("utf-8"))


def _epoch(body: str) -> int:
    """The version of the site a served page belongs to (from its live-reload script)."""
    found = re.search(r"livereload\((\d+), \d+\)", body)
    assert found, body[:500]
    return int(found[1])


def _until(url: str, want: bool) -> str:
    """The page ``url`` once it has the banner (``want``) or not: read again after each
    rebuild, waited for as the page's live-reload script does (the preview answers
    ``/livereload/EPOCH/…`` once a version newer than EPOCH is built, or after a minute)."""
    root = url[:url.index("/", len("http://")) + 1]
    body = _get(url)
    for _ in range(10):
        if (BANNER_ID in body) == want:
            return body
        _get(f"{root}livereload/{_epoch(body)}/0")  # a newer version, or a minute passed
        body = _get(url)
    raise AssertionError(f"ten rebuilds without the banner {'shown' if want else 'gone'}: "
                         + body[:500])


def _break(catalog: Path) -> None:
    path = catalog / "2009.yaml"
    path.write_text(path.read_text("utf-8").replace("hours: 16", "hours: 十六"), "utf-8")


def _fix(catalog: Path) -> None:
    path = catalog / "2009.yaml"
    path.write_text(path.read_text("utf-8").replace("hours: 十六", "hours: 16"), "utf-8")


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    folder = tmp_path / "catalog"
    shutil.copytree(GOLDEN, folder)
    return folder


def _serve(catalog: Path, port: int) -> subprocess.Popen[str]:
    with (catalog.parent / "serve.log").open("w") as log:  # the child keeps its own copy
        return _popen(catalog, port, log)


def _popen(catalog: Path, port: int, log: IO[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "serve", "--catalog", str(catalog),
         "-a", f"127.0.0.1:{port}"],
        cwd=ROOT, text=True, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1238544000", "PYTHONPATH": str(ROOT)},
    )


@pytest.fixture
def preview(catalog: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = _free_port()
    process = _serve(catalog, port)
    try:
        yield f"http://127.0.0.1:{port}/", process
    finally:
        process.terminate()
        process.wait(timeout=30)



def _wait_up(url: str, process: subprocess.Popen[str]) -> None:
    """Wait until the preview listens (it then answers a page once its first build is done,
    however long that takes on a loaded machine); fail if it stops first."""
    address = urllib.parse.urlsplit(url)
    for _ in range(3000):  # each attempt waits up to 0.2 s for the preview to stop
        try:
            socket.create_connection((address.hostname, address.port)).close()
            return
        except ConnectionRefusedError:
            try:
                process.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                continue
            raise AssertionError("serve stopped (see serve.log)") from None
    raise AssertionError("serve never listened (see serve.log)")


def test_an_invalid_catalog_shows_in_the_browser_and_recovers(
    catalog: Path, preview: tuple[str, subprocess.Popen[str]]
) -> None:
    url, process = preview
    _wait_up(url, process)
    good = _until(url + "catalog/2009/", want=False)
    assert "2009年度" in good
    _break(catalog)
    page = _until(url + "catalog/2009/", want=True)
    # The last good page, with the banner naming the check line, HTML-escaped.
    assert "网站未能重新生成：目录文件有错误" in page
    assert BAD_LINE in page
    assert "预览中显示的是上一次成功生成的网站" in page
    assert page.count(BANNER_ID) == 1
    _fix(catalog)
    _until(url + "catalog/2009/", want=False)


def test_a_preview_that_starts_with_an_invalid_catalog(
    catalog: Path, tmp_path: Path
) -> None:
    _break(catalog)
    port = _free_port()
    process = _serve(catalog, port)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_up(url, process)
        page = _until(url, want=True)
        assert "网站未能生成：目录文件有错误" in page and BAD_LINE in page
        assert "还没有可以显示的网站" in page
        _fix(catalog)
        assert "首页" in _until(url, want=False)
    finally:
        process.terminate()
        process.wait(timeout=30)



def test_a_busy_port_is_one_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "generator.cli", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    assert done.returncode == 3  # refused, as a build's
    assert done.stderr == (
        f"ceportal serve: 端口 {port} 已被占用（127.0.0.1:{port}），可能另一个预览还在运行："
        f"请先关掉它，或用 -a 127.0.0.1:{port + 1}（即 --dev-addr）换一个端口\n"
    )


def test_an_invalid_source_date_epoch_stops_serve_first() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", "serve"], cwd=ROOT, capture_output=True,
        text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "abc"},
    )
    assert done.returncode == 3  # refused, as a build's
    assert done.stderr == (
        "ceportal serve: 环境变量 SOURCE_DATE_EPOCH 应为 0 到 4102444799 之间的整数秒数"
        "（1970-01-01 至 2099-12-31），现在是“abc”：未生成网站；"
        "请改正或删除它（unset SOURCE_DATE_EPOCH）\n"
    )
