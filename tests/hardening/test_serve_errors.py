"""``ceportal serve`` while the catalog is invalid (issue 19, item 6): the preview keeps
answering, shows the check lines in the browser, and recovers by itself; a busy port is
one Chinese line that says how to pick another."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
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


def _get(url: str) -> tuple[str, float]:
    start = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            body = r.read().decode("utf-8")
    except urllib.error.HTTPError as exc:  # the error page comes as a 404
        body = exc.read().decode("utf-8")
    return body, time.monotonic() - start


def _until(url: str, want: bool, limit: float = 60) -> str:
    """Poll ``url`` until its page has the banner (``want``) or not; each answer must
    come within seconds (MkDocs' own preview stalls here)."""
    deadline = time.monotonic() + limit
    while True:
        body, seconds = _get(url)
        assert seconds < 10
        if (BANNER_ID in body) == want:
            return body
        assert time.monotonic() < deadline, body[:500]
        time.sleep(0.5)


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
    deadline = time.monotonic() + 90
    while True:
        assert process.poll() is None, "serve stopped (see serve.log)"
        try:
            _get(url)
            return
        except OSError:
            assert time.monotonic() < deadline
            time.sleep(0.5)


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
