"""Offline after one visit (generator/browser/web/sw.js): a first visit, then no network, and
the calculator still evaluates; a new deployment is picked up online and replaces the
offline copy; a changed byte in the offline copy is refused as a downloaded one is, and
fetched again at the next online start. Whenever the network did not confirm the page
(offline, or the host down while the browser is online) the status names the offline
copy and its deployment date (issue 24, item 6)."""

from __future__ import annotations

import copy
import dataclasses
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.browser import calculator_files as files
from generator.rules import evaluate
from generator.site import calculator_preview as preview
from tests.offline import (
    CACHED_POLICY,
    CHANGE_CACHED_POLICY,
    COMPLETE_CACHE,
    DEPLOYED,
    INCOMPLETE_CACHE,
    ONLY_A_NEWER_CACHE,
    REFUSED_POLICY,
    forget_http_cache,
    offline,
    offline_copy,
    text_of,
    wait_for_text,
)

REQUEST = {
    "kind": "promotion",
    "target": "engineer",
    "year": 2011,
    "records": [{"year": 2010, "module": "elective", "hours": 90}],
}
READY = "计算引擎已就绪"
OFFLINE_TEXT = offline("计算引擎")
HOST_DOWN = offline_copy("计算引擎")
OUTDATED = f"计算引擎已就绪（网站已发布新版本，请刷新页面；本页是{DEPLOYED}的旧版本）"


STATUS = "#ce-engine-status"


def status(page: Any) -> str:
    return text_of(page, STATUS)


def wait_for_status(page: Any, wanted: str) -> None:
    wait_for_text(page, STATUS, wanted)


def first_result(page: Any) -> Any:
    return page.evaluate("(r) => window.ceHours.evaluate(r)", REQUEST)


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", service_workers="allow")
    yield context
    context.close()


def expected(policy: dict[str, Any]) -> Any:
    return json.loads(json.dumps(evaluate(policy, REQUEST)))


def test_offline_after_one_visit(context: Any, site_dir: Path, tmp_path: Path, policy: dict[str, Any]) -> None:
    live = tmp_path / "live"
    shutil.copytree(site_dir, live)
    page = context.new_page()
    with preview.serve(live, max_age=3600) as url:
        page.goto(url + "calculator/")
        assert first_result(page) == expected(policy)
        assert status(page) == "计算引擎已就绪"
        page.evaluate(COMPLETE_CACHE)
    # The server is gone and the browser is offline.
    forget_http_cache(page)
    context.set_offline(True)
    page.reload()
    assert first_result(page) == expected(policy)
    assert status(page) == OFFLINE_TEXT
    # Back online, but the host is still down: still the offline copy, unconfirmed.
    context.set_offline(False)
    wait_for_status(page, HOST_DOWN)


def test_the_offline_copy_says_so_when_the_host_is_down(
    context: Any, site_dir: Path, tmp_path: Path, policy: dict[str, Any]
) -> None:
    live = tmp_path / "live"
    shutil.copytree(site_dir, live)
    page = context.new_page()
    with preview.serve(live, max_age=3600) as url:
        page.goto(url + "calculator/")
        assert first_result(page) == expected(policy)
        page.evaluate(COMPLETE_CACHE)
        # Again, now through the service worker, the network fine: confirmed, plain.
        page.reload()
        assert page.evaluate("navigator.serviceWorker.controller !== null")
        assert first_result(page) == expected(policy)
        assert status(page) == READY
    # The host is down (the server stopped), the phone online; nothing in its HTTP cache:
    # the page and every file come from the offline copy, and the page says so.
    forget_http_cache(page)
    page.reload()
    assert page.evaluate("navigator.onLine")
    assert first_result(page) == expected(policy)
    assert status(page) == HOST_DOWN


def test_a_new_deployment_replaces_the_offline_copy(
    context: Any, catalog: Any, site_dir: Path, tmp_path: Path, policy: dict[str, Any]
) -> None:
    live = tmp_path / "live"
    shutil.copytree(site_dir, live)
    changed = copy.deepcopy(dict(catalog.policy.as_rules_data()))
    changed["titles"]["assistant_engineer"]["cycle_hours"]["value"] = 100
    assert expected(changed) != expected(policy)
    page = context.new_page()
    with preview.serve(live, max_age=3600) as url:
        page.goto(url + "calculator/")
        assert first_result(page) == expected(policy)
        old_cache = page.evaluate(COMPLETE_CACHE)
        preview.write(live, files(dataclasses.replace(catalog, policy=changed)))
        # The open page learns of the new deployment when the browser comes back online.
        context.set_offline(True)
        context.set_offline(False)
        wait_for_status(page, OUTDATED)
        for _reload in range(2):  # within two reloads
            page.reload()
            if first_result(page) == expected(changed):
                break
        assert first_result(page) == expected(changed)
        # The new deployment's cache replaces the old one.
        names = page.evaluate(ONLY_A_NEWER_CACHE, old_cache)
        assert old_cache not in names and len(names) == 1, names
        new_cache = page.evaluate(COMPLETE_CACHE)
    assert new_cache != old_cache
    context.set_offline(True)
    page.reload()
    assert first_result(page) == expected(changed)  # the new deployment, offline
    assert status(page) == OFFLINE_TEXT


def test_a_changed_cached_file_is_refused(context: Any, site_dir: Path, tmp_path: Path) -> None:
    live = tmp_path / "live"
    shutil.copytree(site_dir, live)
    page = context.new_page()
    with preview.serve(live, max_age=3600) as url:
        page.goto(url + "calculator/")
        page.evaluate("window.ceHours.ready")
        name = page.evaluate(COMPLETE_CACHE)
    changed = page.evaluate(CHANGE_CACHED_POLICY, name)
    assert changed
    context.set_offline(True)
    page.reload()
    wait_for_status(page, REFUSED_POLICY)


def test_a_refused_cached_file_is_fetched_again_at_the_next_online_start(
    context: Any, site_dir: Path, tmp_path: Path, policy: dict[str, Any]
) -> None:
    live = tmp_path / "live"
    shutil.copytree(site_dir, live)
    page = context.new_page()
    with preview.serve(live, max_age=3600) as url:
        page.goto(url + "calculator/")
        page.evaluate("window.ceHours.ready")
        name = page.evaluate(COMPLETE_CACHE)
        assert page.evaluate(CHANGE_CACHED_POLICY, name)
        context.set_offline(True)
        page.reload()
        wait_for_status(page, REFUSED_POLICY)
        # The worker dropped the changed file; its copy is incomplete until the next online start.
        assert page.evaluate(INCOMPLETE_CACHE, name) == []
        context.set_offline(False)
        page.reload()
        assert first_result(page) == expected(policy)
        assert status(page) == READY
        assert page.evaluate(COMPLETE_CACHE) == name
        assert page.evaluate(CACHED_POLICY, name) == (live / "calculator" / "policy.json").read_text("utf-8")
    # The visit after that works offline, from the repaired copy alone.
    forget_http_cache(page)
    context.set_offline(True)
    page.reload()
    assert first_result(page) == expected(policy)
    assert status(page) == OFFLINE_TEXT


def test_a_server_error_is_answered_from_the_offline_copy(
    context: Any, site_dir: Path, tmp_path: Path, policy: dict[str, Any]
) -> None:
    """The host answers, but with 503 (a proxy in front of a stopped server): the service
    worker's requests get it (Playwright routes them at the context), and the page, its
    files and its manifest come from the offline copy."""
    live = tmp_path / "live"
    shutil.copytree(site_dir, live)
    page = context.new_page()
    with preview.serve(live, max_age=3600) as url:
        page.goto(url + "calculator/")
        assert first_result(page) == expected(policy)
        page.evaluate(COMPLETE_CACHE)
        answered: list[str] = []

        def unavailable(route: Any) -> None:
            answered.append(route.request.url)
            route.fulfill(status=503, content_type="text/plain; charset=utf-8", body="服务暂时不可用")

        context.route(url + "**", unavailable)
        forget_http_cache(page)
        page.reload()
        assert first_result(page) == expected(policy)
        assert status(page) == HOST_DOWN
        # The navigation and the probe met the 503 (as the service worker's requests).
        assert {url + "calculator/", url + "calculator/manifest.json"} <= set(answered)
