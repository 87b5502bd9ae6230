"""Fixtures of the calculator suite: the built ``calculator/`` folder served on
127.0.0.1, one headless Chromium per session, and a fresh context (new profile
storage) per test that fails the test on any console error, CSP violation or
request leaving 127.0.0.1."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.calculator import files, preview
from generator.model import Catalog, ClassSession, Course, YearCatalog
from generator.validating import load_catalog

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "vectors" / "hours.json"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TODAY = dt.date.today()
# The newest catalog of the suite: a year after the bundled ones, with one class
# still to come and one already over, for the gap planner.
PLAN_YEAR = YearCatalog(
    year=TODAY.year,
    title=f"{TODAY.year}年度继续教育选修课目录（测试）",
    courses=(
        Course("E-1", "数控机床维护", "elective", 24, ("mechanical",), "training"),
        Course("P-1", "专业技术人员职业道德", "public", 8, (), "lecture"),
        Course("P-2", "知识产权保护", "public", 16, (), "lecture"),
        Course("E-2", "电气安全规范", "elective", 12.5, ("electrical",), "seminar"),
    ),
    classes=(
        ClassSession(
            "C-NEXT",
            "公共必修课集中培训班",
            TODAY + dt.timedelta(days=30),
            TODAY + dt.timedelta(days=32),
            ("P-1", "P-2"),
            location="温州市继续教育学院",
            registration_closes=TODAY + dt.timedelta(days=20),
        ),
        ClassSession(
            "C-PAST",
            "已结束的培训班",
            TODAY - dt.timedelta(days=40),
            TODAY - dt.timedelta(days=38),
            ("P-1",),
        ),
    ),
)


def vectors() -> list[dict[str, Any]]:
    return list(json.loads(VECTORS.read_text(encoding="utf-8"))["vectors"])


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The bundled catalogs plus PLAN_YEAR as the newest year."""
    bundled, _warnings = load_catalog(ROOT / "catalog")
    return dataclasses.replace(bundled, years=(*bundled.years, PLAN_YEAR))


@pytest.fixture(scope="session")
def produced(catalog: Catalog) -> dict[str, bytes | Path]:
    return files(catalog)


@pytest.fixture(scope="session")
def site_dir(produced: dict[str, bytes | Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("calculator-site")
    preview.write(out, produced)
    return out


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    with preview.serve(site_dir) as url:
        yield url


def tampered_copy(site_dir: Path, out: Path, name: str) -> Path:
    """A copy of the site (hard links) where one byte of ``calculator/<name>`` differs."""
    shutil.copytree(site_dir, out, copy_function=os.link)
    target = out / "calculator" / name
    data = bytearray(target.read_bytes())
    target.unlink()
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    return out


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run make setup")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


# Reported to the test through console.error, which the console listener collects
# (CSP violations in the worker also reach the console as errors).
WATCH_CSP = """
addEventListener("securitypolicyviolation", (e) => {
  (self.__ceViolations = self.__ceViolations || []).push(e.violatedDirective + " " + e.blockedURI);
  console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI);
});
"""


@dataclasses.dataclass
class Watch:
    """What a context saw that a well-behaved page never causes."""

    console_errors: list[str] = dataclasses.field(default_factory=list)
    page_errors: list[str] = dataclasses.field(default_factory=list)
    outside: list[str] = dataclasses.field(default_factory=list)
    requests: list[str] = dataclasses.field(default_factory=list)
    expect_console_errors: bool = False

    def check(self) -> None:
        assert self.outside == [], "requests left 127.0.0.1"
        assert self.page_errors == []
        if not self.expect_console_errors:
            assert self.console_errors == []


@pytest.fixture
def watched(browser: Any) -> Iterator[tuple[Any, Watch]]:
    """A fresh browser context (own storage) and what it saw; checked at teardown."""
    watch = Watch()
    context = browser.new_context(accept_downloads=True, locale="zh-CN")
    context.add_init_script(WATCH_CSP)

    def route(route: Any) -> None:
        url = route.request.url
        watch.requests.append(url)
        if url.startswith("http://127.0.0.1:") or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            watch.outside.append(url)
            route.abort()

    context.route("**/*", route)

    def on_page(page: Any) -> None:
        page.on(
            "console",
            lambda m: watch.console_errors.append(m.text) if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: watch.page_errors.append(str(e)))

    context.on("page", on_page)
    yield context, watch
    context.close()
    watch.check()


@pytest.fixture
def page(watched: tuple[Any, Watch], base_url: str) -> Any:
    """A fresh page on the calculator with its engine ready."""
    context, _watch = watched
    page = context.new_page()
    page.goto(base_url + "calculator/")
    page.evaluate("window.ceHours.ready")
    return page
