"""``ceportal build --builder zensical``: the same site as the MkDocs build, from the same
site model (generator/site/adapters/zensical.py): the same pages and generated files,
one strict Content-Security-Policy per page, a search index that finds Chinese text.

Zensical is a dependency (pyproject.toml): a missing ``zensical`` fails these tests, it
never skips them. The browser side is tests/hardening/test_zensical_browser.py.
"""

from __future__ import annotations

import html as html_text
import json
import re
import shutil
from pathlib import Path

import pytest

from generator.site import model
from generator.site.adapters import zensical
from generator.site.csp import inline_scripts, script_hash
from generator.site.precompress import SUFFIXES
from generator.site.publishing import BuildRefused, build_site
from tests.conftest import CATALOG, ROOT

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def _files(site: Path, suffix: str) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob(f"*{suffix}") if p.is_file())


@pytest.mark.slow
def test_the_two_builders_publish_the_same_pages(bundled_site: Path, zensical_site: Path) -> None:
    pages = _files(zensical_site, ".html")
    assert len(pages) == 72
    assert pages == _files(bundled_site, ".html")


@pytest.mark.slow
def test_the_generated_files_are_the_same_bytes(bundled_site: Path, zensical_site: Path) -> None:
    """Downloads, open data and the calculator's and audit's files do not depend on the
    builder (only the HTML and the search index do)."""
    skipped = (".html", ".gz", ".br")
    ours = {p for p in _files(zensical_site, "") if not p.endswith(skipped)}
    theirs = {p for p in _files(bundled_site, "") if not p.endswith(skipped)}
    for path in sorted(p for p in ours & theirs if p.startswith(("downloads/", "calculator/",
                                                                 "audit/", "catalog/", "schedule/"))):
        assert (zensical_site / path).read_bytes() == (bundled_site / path).read_bytes(), path
    # Only the builders' own files differ: their search index, theme assets and sitemap.
    for path in ours ^ theirs:
        assert path.startswith(("assets/", "search")) or path.startswith("sitemap"), path


@pytest.mark.slow
def test_every_zensical_page_has_one_strict_policy(zensical_site: Path) -> None:
    for path in sorted(zensical_site.rglob("*.html")):
        html = path.read_text("utf-8")
        found = META.findall(html)
        assert len(found) == 1, path
        assert html.index("Content-Security-Policy") < html.index("<script"), path
        directives = {d.split()[0]: d.split()[1:] for d in found[0].split("; ")}
        assert directives["default-src"] == ["'self'"]
        assert directives["object-src"] == ["'none'"]
        hashes = {s for s in directives["script-src"] if s.startswith("'sha256-")}
        assert hashes == {script_hash(s) for s in inline_scripts(html)}, path
        engine = path.relative_to(zensical_site).as_posix() in ("calculator/index.html",
                                                                "audit/index.html")
        assert ("'wasm-unsafe-eval'" in directives["script-src"]) is engine, path
        assert (directives.get("worker-src") == ["'self'"]) is engine, path


@pytest.mark.slow
def test_zensical_search_index_holds_the_courses(zensical_site: Path) -> None:
    index = json.loads((zensical_site / zensical.SEARCH_INDEX).read_text("utf-8"))
    assert index["config"]["lang"] == ["zh"]
    titles = {item["title"] for item in index["items"] if item["level"] == 1}
    assert "数控加工技术及其新进展（2009年度）" in titles
    assert "2010年度课程目录变化" in titles  # small enough to be indexed
    assert (zensical_site / "search.json.br").is_file()  # precompressed by the post-steps


@pytest.mark.slow
def test_zensical_engine_pages_carry_the_manifest(zensical_site: Path) -> None:
    for folder in ("calculator", "audit"):
        html = (zensical_site / folder / "index.html").read_text("utf-8")
        manifest = json.loads((zensical_site / folder / "manifest.json").read_text("utf-8"))
        (content,) = re.findall(r'<meta name="ceportal-calculator" content="([^"]*)">', html)
        assert json.loads(html_text.unescape(content)) == manifest


@pytest.mark.slow
def test_two_zensical_builds_are_byte_identical(zensical_site: Path, tmp_path: Path) -> None:
    """SOURCE_DATE_EPOCH is fixed for the session (tests/conftest.py)."""
    again = build_site(tmp_path / "site", CATALOG, ROOT / "mkdocs.yml", builder="zensical")
    files = _files(zensical_site, "")
    assert files == _files(again, "")
    for path in files:
        assert (zensical_site / path).read_bytes() == (again / path).read_bytes(), path


def test_an_unknown_builder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BuildRefused) as error:
        build_site(tmp_path / "site", CATALOG, ROOT / "mkdocs.yml", builder="hugo")
    assert str(error.value) == "未知的生成器“hugo”：可选 mkdocs、zensical"
    assert not (tmp_path / "site").exists()


def test_an_invalid_catalog_stops_the_zensical_build_before_anything_is_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from generator.cli import main

    catalog = tmp_path / "catalog"
    shutil.copytree(CATALOG, catalog)
    year = sorted(catalog.glob("20*.yaml"))[-1]
    year.write_text(year.read_text("utf-8").replace("hours: ", "hours: -", 1), "utf-8")
    site = tmp_path / "site"
    code = main(["build", "--builder", "zensical", "--catalog", str(catalog),
                 "--site-dir", str(site), "--config", str(ROOT / "mkdocs.yml")])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("ceportal build: 课程目录有错误，未生成网站：\n")
    assert err.endswith("\nceportal build: 网站未更新（原有网站保持不变）\n")
    assert f"{year.name}:" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog"]


# --- the adapter's parts, without a build ---------------------------------------------


def test_a_page_larger_than_the_search_field_limit_is_left_out_of_the_index() -> None:
    small = model.Page("catalog/2010/changes/index.md", "changes", "变化", "x" * 100)
    large = model.Page("catalog/2010/changes/index.md", "changes", "变化",
                       "课" * (zensical.SEARCH_FIELD_LIMIT // 3 + 1))
    assert zensical.for_zensical(small) is small
    assert zensical.for_zensical(large).search_exclude is True
    assert "search:\n  exclude: true\n" in zensical.material_compat.front_matter(
        zensical.for_zensical(large))


def test_staged_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The portal's mkdocs.yml with the staged folders, the package's theme and assets,
    without the plugin; a tag Zensical resolves itself (!ENV) is written back as it was."""
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: 门户\n"
        "site_url: !ENV [SITE_URL, 'https://example.org/jxjy/']\n"
        "docs_dir: pages\n"
        "theme:\n  name: material\n  custom_dir: mine\n"
        "extra_css: [extra.css]\n"
        "plugins:\n  - search:\n      lang: zh\n  - ceportal:\n      catalog_dir: data\n",
        encoding="utf-8")
    monkeypatch.delenv("SITE_URL", raising=False)
    found = zensical.portal(config)
    assert found.docs_dir == tmp_path / "pages"
    assert found.catalog_dir == tmp_path / "data"
    assert found.custom_dir == tmp_path / "mine"
    assert zensical.portal(config, "elsewhere").catalog_dir == Path("elsewhere").absolute()
    staged = zensical.staged_config(found)
    assert staged["docs_dir"] == "docs" and staged["site_dir"] == "site"
    assert staged["theme"] == {"name": "material", "custom_dir": "overrides"}
    assert staged["plugins"] == [{"search": {"lang": "zh"}}]
    assert staged["extra_css"] == ["assets/stylesheets/ceportal.css", "extra.css"]
    written = zensical.yaml.dump(staged, Dumper=zensical._Dumper, allow_unicode=True,
                                 sort_keys=False)
    assert "site_url: !ENV [SITE_URL, 'https://example.org/jxjy/']\n" in written
    assert found.site_url == "https://example.org/jxjy/"
    monkeypatch.setenv("SITE_URL", "https://example.net/")
    assert found.site_url == "https://example.net/"


def test_a_portal_configuration_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(zensical.ZensicalFailed) as error:
        zensical.portal(config)
    assert str(error.value) == f"配置文件 {config} 应为键值映射（如 site_name: …）"


def test_zensical_is_found_beside_the_running_python() -> None:
    """Installed with ceportal (pyproject.toml pins it): a missing one fails here."""
    found = Path(zensical.executable())
    assert found.name == "zensical" and found.is_file()


def test_a_missing_zensical_says_how_to_install_it(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zensical.sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(zensical.ZensicalFailed) as error:
        zensical.executable()
    assert str(error.value) == ("找不到 zensical 命令：请在 ceportal 所在的 Python 环境中安装"
                                "（pip install 'zensical==0.0.73'），或改用 --builder mkdocs")


def test_the_not_found_pages_links_follow_its_base() -> None:
    html = ('<a href="/" class="md-tabs__link"><a href="/catalog/"><a href="//example.org/">'
            '<script src="/x.js"></script><a href="catalog/">')
    assert zensical.root_relative(html) == (
        '<a href="" class="md-tabs__link"><a href="catalog/"><a href="//example.org/">'
        '<script src="x.js"></script><a href="catalog/">')


def test_precompressed_types_cover_the_search_index() -> None:
    assert Path(zensical.SEARCH_INDEX).suffix in SUFFIXES


def test_mkdocs_yml_chooses_the_builder_in_one_line(tmp_path: Path) -> None:
    from generator.commands._common import Failed
    from generator.commands.build import _configured_builder

    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: t\nplugins:\n  - ceportal:\n      catalog_dir: catalog\n", "utf-8")
    assert _configured_builder(str(config)) == "mkdocs"
    config.write_text("site_name: t\nplugins:\n  - ceportal:\n      builder: zensical\n", "utf-8")
    assert _configured_builder(str(config)) == "zensical"
    config.write_text("site_name: t\nplugins:\n  - ceportal:\n      builder: hugo\n", "utf-8")
    with pytest.raises(Failed) as error:
        _configured_builder(str(config))
    assert str(error.value) == f"{config}：ceportal 插件的 builder 选项应为 mkdocs 或 zensical，现在是“hugo”"
    # The repository's own mkdocs.yml names the option, commented out.
    assert "      # builder: zensical\n" in (ROOT / "mkdocs.yml").read_text("utf-8")


def test_every_page_kind_is_made() -> None:
    """The kinds the model declares are the kinds the core makes (the smoke sets load one
    page of each: tests/hardening/common.py PAGE_KINDS)."""
    from generator.catalog.validating import load_catalog
    from generator.site.exporting import registration_form
    from generator.site.rendering import notice_text, render_pages

    catalog, _ = load_catalog(CATALOG)
    pages = render_pages(catalog, notice_text(), registration_form().title)
    made = {page.kind for page in pages.values()} | {"calculator", "audit"}  # generator/browser
    assert made == set(model.PAGE_KINDS)
    assert {p.url for p in pages.values() if p.nav} == {
        "", "notice/", "policy/", "catalog/", "schedule/", "downloads/"}
