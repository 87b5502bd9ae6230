"""The batch audit offline after one visit (generator/browser/web/sw.js, scope /audit/): a first
visit, then no network (or the host down), and a small CSV is still audited, exactly as
online, the status naming the offline copy and its deployment date; a changed byte in
the offline copy is refused with the usual message."""

from __future__ import annotations

import base64
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.site import calculator_preview as preview
from tests.audit.conftest import HELPED, HELPER_BYTES, ZH, bench_rows, run_cli, write_csv
from tests.offline import (
    CHANGE_CACHED_POLICY,
    COMPLETE_CACHE,
    REFUSED_POLICY,
    forget_http_cache,
    offline,
    offline_copy,
    text_of,
    wait_for_text,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

READY = "核查引擎已就绪"
OFFLINE = offline("核查引擎")
HOST_DOWN = offline_copy("核查引擎")
ROWS = [
    ["A01", "张三", "申报晋升", "工程师", "", 2011, "", 2009, "公共必修课", 8],
    ["A01", "", "", "", "", "", "", 2010, "专业选修课", 40.5],
    ["A02", "李四", "周期验审", "", "工程师", 2013, 2009, 2009, "公共必修课", 32],
]
AUDIT = """async (bytes) => {
  const result = await window.ceAudit.run("申报人.csv", new Uint8Array(bytes));
  return [result.csv, result.summary];
}"""


STATUS = "#ce-audit-engine-status"


def wait_for_status(page: Any, wanted: str) -> None:
    wait_for_text(page, STATUS, wanted)


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", service_workers="allow")
    yield context
    context.close()


@pytest.fixture
def small_csv(tmp_path: Path) -> list[int]:
    return list(write_csv(tmp_path / "申报人.csv", ZH, ROWS).read_bytes())


def first_visit(page: Any, site: Path) -> tuple[Any, str]:
    """Audit once online; the result and the name of the complete offline cache."""
    with preview.serve(site, max_age=3600) as url:
        page.goto(url + "audit/")
        page.evaluate("window.ceAudit.ready")
        wait_for_status(page, READY)
        name = page.evaluate(COMPLETE_CACHE)
        return url, name


def test_the_audit_works_offline_after_one_visit(
    context: Any, site_dir: Path, tmp_path: Path, small_csv: list[int]
) -> None:
    live = tmp_path / "live"
    shutil.copytree(site_dir, live)
    page = context.new_page()
    with preview.serve(live, max_age=3600) as url:
        page.goto(url + "audit/")
        online = page.evaluate(AUDIT, small_csv)
        wait_for_status(page, READY)
        page.evaluate(COMPLETE_CACHE)
        scope = page.evaluate("navigator.serviceWorker.controller && navigator.serviceWorker.controller.scriptURL")
    assert online[1].startswith("共核算")
    # The server is gone and the browser is offline.
    forget_http_cache(page)
    context.set_offline(True)
    page.reload()
    assert page.evaluate(AUDIT, small_csv) == online
    assert text_of(page, STATUS) == OFFLINE
    assert scope is None or scope.endswith("/audit/sw.js")
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL").endswith("/audit/sw.js")
    # Back online, but the host is still down: still the offline copy, unconfirmed.
    context.set_offline(False)
    wait_for_status(page, HOST_DOWN)


def test_the_offline_copy_says_so_when_the_host_is_down(
    context: Any, site_dir: Path, tmp_path: Path, small_csv: list[int]
) -> None:
    live = tmp_path / "live"
    shutil.copytree(site_dir, live)
    page = context.new_page()
    with preview.serve(live, max_age=3600) as url:
        page.goto(url + "audit/")
        online = page.evaluate(AUDIT, small_csv)
        page.evaluate(COMPLETE_CACHE)
        # Again, through the service worker, the network fine: confirmed, plain.
        page.reload()
        assert page.evaluate(AUDIT, small_csv) == online
        wait_for_status(page, READY)
        assert text_of(page, STATUS) == READY
    # The host is down, the browser online, its HTTP cache empty.
    forget_http_cache(page)
    page.reload()
    assert page.evaluate("navigator.onLine")
    assert page.evaluate(AUDIT, small_csv) == online
    wait_for_status(page, HOST_DOWN)


def test_a_changed_cached_file_is_refused(context: Any, site_dir: Path, tmp_path: Path) -> None:
    live = tmp_path / "live"
    shutil.copytree(site_dir, live)
    page = context.new_page()
    _url, name = first_visit(page, live)
    changed = page.evaluate(CHANGE_CACHED_POLICY, name)
    assert changed
    context.set_offline(True)
    page.reload()
    wait_for_status(page, REFUSED_POLICY)


def test_a_large_file_offline_still_has_its_second_engine(
    context: Any, site_dir: Path, tmp_path: Path
) -> None:
    """The second engine a large file gets (audit-worker.js) starts from the offline copy
    too: the same report as the CLI, every applicant answered there."""
    live = tmp_path / "live"
    shutil.copytree(site_dir, live)
    big = write_csv(tmp_path / "大表.csv", ZH, bench_rows(2600, 10, seed=23))
    assert big.stat().st_size >= HELPER_BYTES
    page = context.new_page()
    first_visit(page, live)
    forget_http_cache(page)
    context.set_offline(True)
    page.reload()
    page.evaluate("window.ceAudit.ready")
    got = page.evaluate(HELPED, [big.name, base64.b64encode(big.read_bytes()).decode("ascii")])
    cli = run_cli(big)
    assert got["csv"].encode("utf-8") == cli.csv
    assert got["helped"] == 2600
