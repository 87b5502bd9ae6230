"""``ceportal build``: strict, atomic (a failed build changes nothing), reproducible."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from generator.cli import main
from generator.site.publishing import swap_in
from tests.portal.site_helpers import GOLDEN_CATALOG, ROOT, build

pytestmark = pytest.mark.slow


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def bad_catalog(tmp_path: Path) -> Path:
    folder = tmp_path / "bad"
    shutil.copytree(GOLDEN_CATALOG, folder)
    text = (folder / "2009.yaml").read_text("utf-8")
    (folder / "2009.yaml").write_text(text.replace("hours: 16", "hours: 十六"), "utf-8")
    return folder


def test_two_builds_are_byte_identical(bundled_site: Path, tmp_path: Path) -> None:
    again = build(tmp_path / "site", ROOT / "catalog")
    first, second = snapshot(bundled_site), snapshot(again)
    assert list(first) == list(second)
    assert [p for p in first if first[p] != second[p]] == []
    assert "sitemap.xml.gz" in first and "search/search_index.json" in first


def test_failed_build_leaves_previous_site_untouched(payload_site: Path, bad_catalog: Path,
                                                     tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(payload_site, site)
    before = snapshot(site)
    with pytest.raises(Abort) as failure:
        build(site, bad_catalog)
    message = str(failure.value)
    assert message.startswith("课程目录有错误，未生成网站：\n")
    assert f"{bad_catalog}/2009.yaml:25:12: error: courses[1].hours:" in message
    assert snapshot(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad", "site"]  # no temp folder left


def test_build_replaces_an_existing_site(payload_site: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "catalog" / "2008").mkdir(parents=True)
    (site / "index.html").write_text("old", "utf-8")  # an earlier site, from before manifests
    (site / "catalog" / "2008" / "index.html").write_text("old", "utf-8")  # a page since gone
    build(site, GOLDEN_CATALOG)
    assert not (site / "catalog" / "2008").exists()
    assert snapshot(site) == snapshot(payload_site)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_cli_build_reports_and_keeps_site(bad_catalog: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "out"
    site.mkdir()
    (site / "index.html").write_text("previous", "utf-8")
    code = main(["build", "--catalog", str(bad_catalog), "--site-dir", str(site),
                 "--config", str(ROOT / "mkdocs.yml")])
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert err[0] == "ceportal build: 课程目录有错误，未生成网站："
    assert err[1].endswith("/2009.yaml:25:12: error: courses[1].hours: 学时必须是大于0的数字，收到“十六”")
    assert err[-1] == "ceportal build: 网站未更新（原有网站保持不变）"
    assert (site / "index.html").read_text("utf-8") == "previous"


def test_cli_build_catalog_wins_over_the_environment(bad_catalog: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    # CEPORTAL_CATALOG once silently replaced --catalog; now nothing but the option does.
    monkeypatch.setenv("CEPORTAL_CATALOG", str(GOLDEN_CATALOG))
    code = main(["build", "--catalog", str(bad_catalog), "--site-dir", str(tmp_path / "out"),
                 "--config", str(ROOT / "mkdocs.yml")])
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert err[1].startswith(f"{bad_catalog}/2009.yaml:25:12: error: courses[1].hours:")
    assert not (tmp_path / "out").exists()


def test_swap_in_without_previous_site(tmp_path: Path) -> None:
    new = tmp_path / "new"
    new.mkdir()
    (new / "a.txt").write_text("a", "utf-8")
    swap_in(new, tmp_path / "site")
    assert (tmp_path / "site" / "a.txt").read_text("utf-8") == "a"
    assert not new.exists()


def test_swap_in_exchanges_folders(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "old.txt").write_text("old", "utf-8")
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "new.txt").write_text("new", "utf-8")
    swap_in(tmp_path / "new", tmp_path / "site")
    assert [p.name for p in (tmp_path / "site").iterdir()] == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
