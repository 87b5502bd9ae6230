"""Fixtures of the calculator suite: the built ``calculator/`` folder, served on
127.0.0.1 and opened in the session's watched context (tests/pages.py), and the
calculator page, engine ready, emptied per test."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.browser import calculator_files as files
from generator.catalog.model import Catalog, ClassSession, Course, YearCatalog
from generator.catalog.validating import load_catalog
from generator.site import calculator_preview as preview
from tests.browser import Watch
from tests.pages import base_url as base_url
from tests.pages import shared as shared
from tests.pages import watch as watch

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "vectors" / "hours.json"
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
        # Two counties' classes (notice 第四条: for junior titles of that county only).
        ClassSession(
            "C-RA",
            "瑞安市初级职称继续教育培训班",
            TODAY + dt.timedelta(days=25),
            TODAY + dt.timedelta(days=25),
            ("P-1",),
            level="county",
            county="瑞安市",
            registration_closes=TODAY + dt.timedelta(days=15),
        ),
        ClassSession(
            "C-YQ",
            "乐清市初级职称继续教育培训班",
            TODAY + dt.timedelta(days=26),
            TODAY + dt.timedelta(days=26),
            ("P-2",),
            level="county",
            county="乐清市",
            registration_closes=TODAY + dt.timedelta(days=15),
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
def produced(catalog: Catalog, fixed_epoch: None) -> dict[str, bytes | Path]:
    """Built at SOURCE_DATE_EPOCH (tests/conftest.py): the manifest's deployment date is
    the same in every run."""
    return files(catalog)


@pytest.fixture(scope="session")
def site_dir(produced: dict[str, bytes | Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("calculator-site")
    preview.write(out, produced)
    return out


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
def app_page(shared: tuple[Any, Watch], base_url: str) -> Any:
    context, _watch = shared
    page = context.new_page()
    page.goto(base_url + "calculator/")
    page.evaluate("window.ceHours.ready")
    return page


@pytest.fixture
def page(app_page: Any, watch: Watch, base_url: str) -> Any:
    """The calculator, engine ready, emptied as a user would (清空本页) and with no
    saved work: one Pyodide boot serves most tests."""
    page = app_page
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1280, "height": 720})
    if page.url != base_url + "calculator/":
        page.goto(base_url + "calculator/")
    page.evaluate("window.ceHours.ready")
    clear(page)
    page.evaluate("localStorage.clear()")
    page.get_by_label("目录年度").select_option(index=0)
    page.get_by_label("专业（用于建议本专业的选修课）").select_option("")
    for field in ("name", "unit", "specialty", "title"):
        page.locator(f"#ce-person-{field}").fill("")
    return page


def clear(page: Any) -> None:
    """清空本页, confirmed in the page's dialog; returns once the page has cleared."""
    # The page clears after the dialog's promise settles, then announces it. The live
    # region may still say 已清空 from an earlier clear: the announcement is awaited as a
    # change (the page alternates "已清空" and "已清空 " so a repeat is read again).
    before = page.locator("#ce-live").text_content()
    page.get_by_role("button", name="清空本页").click()
    page.get_by_role("dialog").get_by_role("button", name="清空").click()
    page.wait_for_selector("#ce-confirm:not([open])", state="attached")
    page.wait_for_function(
        "(before) => { const live = document.getElementById('ce-live').textContent;"
        " return live !== before && live.trim() === '已清空'; }",
        arg=before,
    )
