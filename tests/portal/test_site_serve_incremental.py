"""``ceportal serve`` rebuilds incrementally: after each catalog edit the preview holds
exactly the files a clean ``ceportal build`` of the edited catalog makes, and only the
pages whose content changed were rewritten."""

from __future__ import annotations

import argparse
import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from generator.catalog.problems import CatalogError
from generator.catalog.validating import load_catalog
from generator.commands import serve as serve_command
from generator.site.adapters.mkdocs_plugin import catalog_folder, use_catalog
from tests.portal.site_helpers import ROOT, build

pytestmark = pytest.mark.build

# Written on every build whatever changed (theme templates, the search index).
# robots.txt is a template rendered with the configuration on every build, as 404.html.
ALWAYS_WRITTEN = {"404.html", "robots.txt", "sitemap.xml", "sitemap.xml.gz",
                  "search/search_index.json"}

Snapshot = dict[str, tuple[str, int]]  # site path -> (sha256, mtime_ns)


def snapshot(site: Path) -> Snapshot:
    return {p.relative_to(site).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(),
                                             p.stat().st_mtime_ns)
            for p in sorted(site.rglob("*")) if p.is_file()}


def contents(snap: Snapshot) -> dict[str, str]:
    return {path: digest for path, (digest, _) in snap.items()}


class Preview:
    """What ``mkdocs serve --dirty`` (``ceportal serve``) does, without the server: one
    ``on_startup``, then a dirty build per change into the same folder."""

    def __init__(self, site: Path, catalog: Path) -> None:
        self.site, self.catalog = site, catalog
        config = self._config()
        config.plugins.on_startup(command="serve", dirty=True)
        self.rebuild()

    def _config(self) -> Any:
        config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(self.site))
        use_catalog(config, self.catalog)  # on every configuration, as `ceportal serve` does
        return config

    def rebuild(self) -> None:
        mkdocs_build(self._config(), serve_url="http://127.0.0.1:8000/", dirty=True)


@dataclass
class Step:
    name: str
    catalog: Path  # a copy of the catalog as it was at this step
    site: Snapshot
    error: str | None = None


def _edit(catalog: Path, name: str, change: Callable[[str], str]) -> None:
    year_file = catalog / f"{name}.yaml"
    text = year_file.read_text(encoding="utf-8")
    changed = change(text)
    assert changed != text
    year_file.write_text(changed, encoding="utf-8")


NEW_COURSE = """  - code: G-14
    title: 增量预览测试课程
    module: public
    hours: 4
    form: lecture
"""


@pytest.fixture(scope="module")
def steps(tmp_path_factory: pytest.TempPathFactory) -> list[Step]:
    """A preview taken through a title change, a course added, a course removed, an
    invalid edit and its fix; the catalog and the preview's files after each step."""
    work = tmp_path_factory.mktemp("serve-incremental")
    catalog = work / "catalog"
    shutil.copytree(ROOT / "catalog", catalog)
    result: list[Step] = []

    def record(name: str, error: str | None = None) -> None:
        copy = work / f"catalog-{len(result)}"
        shutil.copytree(catalog, copy)
        result.append(Step(name, copy, snapshot(work / "site"), error))

    preview = Preview(work / "site", catalog)
    record("initial")
    _edit(catalog, "2010", lambda t: t.replace("title: 信息技术与电子政务基础",
                                               "title: 信息技术与电子政务新编", 1))
    preview.rebuild()
    record("title")
    _edit(catalog, "2010", lambda t: t.replace("\n  # 专业选修课\n", f"{NEW_COURSE}\n  # 专业选修课\n", 1))
    preview.rebuild()
    record("added")
    _edit(catalog, "2010", lambda t: t.replace(NEW_COURSE, "", 1))
    preview.rebuild()
    record("removed")
    _edit(catalog, "2010", lambda t: t.replace("    hours: 8\n", "    hours: 八\n", 1))
    with pytest.raises(Abort) as raised:
        preview.rebuild()
    record("invalid", str(raised.value))
    _edit(catalog, "2010", lambda t: t.replace("    hours: 八\n", "    hours: 6\n", 1))
    preview.rebuild()
    record("fixed")
    return result


@pytest.fixture(scope="module")
def clean_builds(steps: list[Step], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Snapshot]:
    """``ceportal build`` of each step's catalog (after the preview: a build resets it)."""
    work = tmp_path_factory.mktemp("serve-clean")
    return {step.name: snapshot(build(work / step.name, step.catalog))
            for step in steps if step.error is None}


@pytest.mark.parametrize("name", ["initial", "title", "added", "removed", "fixed"])
def test_preview_equals_clean_build(name: str, steps: list[Step],
                                    clean_builds: dict[str, Snapshot]) -> None:
    step = next(s for s in steps if s.name == name)
    preview, built = contents(step.site), contents(clean_builds[name])
    # The precompressed .gz/.br siblings are a publishing step of `ceportal build` only
    # (generator/site/precompress.py); the rest must be the same.
    # (MkDocs' own sitemap.xml.gz is in both.)
    siblings = {p for p in built if p.endswith((".gz", ".br")) and p[:-3] in built
                and p not in preview}
    assert siblings
    clean = {p: d for p, d in built.items() if p not in siblings}
    assert sorted(preview) == sorted(clean)
    assert [p for p in preview if preview[p] != clean[p]] == []


@pytest.mark.parametrize(("name", "expected"), [
    ("title", {"catalog/2010/G-12/index.html", "catalog/2010/index.html"}),
    ("added", {"catalog/2010/G-14/index.html", "catalog/2010/index.html"}),
    ("fixed", {"catalog/2010/index.html"}),
])
def test_only_changed_pages_rewritten(name: str, expected: set[str], steps: list[Step]) -> None:
    index = next(i for i, s in enumerate(steps) if s.name == name)
    before, after = steps[index - 1].site, steps[index].site
    rewritten = {p for p in after if p not in before or after[p][1] != before[p][1]}
    changed = {p for p in after if p not in before or after[p][0] != before[p][0]}
    assert rewritten - ALWAYS_WRITTEN == changed - ALWAYS_WRITTEN
    assert expected <= changed
    pages = [p for p in after if p.endswith(".html")]
    assert len([p for p in rewritten if p.endswith(".html")]) < len(pages) / 2


def test_removed_course_page_is_gone(steps: list[Step]) -> None:
    added, removed = (next(s for s in steps if s.name == n) for n in ("added", "removed"))
    assert "catalog/2010/G-14/index.html" in added.site
    assert not any(p.startswith("catalog/2010/G-14/") for p in removed.site)
    assert contents(removed.site) == contents(steps[1].site)  # as before the course was added


def test_invalid_edit_keeps_last_good_site(steps: list[Step]) -> None:
    index = next(i for i, s in enumerate(steps) if s.name == "invalid")
    step = steps[index]
    assert step.site == steps[index - 1].site  # not a byte nor an mtime changed
    with pytest.raises(CatalogError) as problems:
        load_catalog(step.catalog)  # what `ceportal check` prints
    lines = str(problems.value).replace(str(step.catalog), str(step.catalog.parent / "catalog"))
    assert step.error == f"课程目录有错误，未生成网站：\n{lines}"


def test_serve_command_uses_dirty_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    builds: list[dict[str, Any]] = []
    served: list[Any] = []
    monkeypatch.setattr("mkdocs.commands.build.build",
                        lambda config, **kwargs: builds.append(kwargs))
    monkeypatch.setattr(serve_command, "serve_until_stopped", served.append)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = argparse.Namespace(catalog=None, config="mkdocs.yml", pyodide=None,
                              dev_addr=f"127.0.0.1:{port}")
    assert serve_command.run(args) == 0
    assert builds == [{"serve_url": f"http://127.0.0.1:{port}/", "dirty": True}]
    assert len(served) == 1 and served[0].url == f"http://127.0.0.1:{port}/"


def test_serve_catalog_reaches_every_rebuild_whatever_the_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    folders: list[Path] = []
    served: list[Any] = []
    monkeypatch.setattr("mkdocs.commands.build.build",
                        lambda config, **kwargs: folders.append(catalog_folder(config)))
    monkeypatch.setattr(serve_command, "serve_until_stopped", served.append)
    monkeypatch.setenv("CEPORTAL_CATALOG", str(tmp_path / "elsewhere"))
    monkeypatch.chdir(tmp_path)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = argparse.Namespace(catalog="mine", config=str(ROOT / "mkdocs.yml"), pyodide=None,
                              dev_addr=f"127.0.0.1:{port}")
    assert serve_command.run(args) == 0
    served[0].builder()  # a rebuild after a change: mkdocs.yml is loaded again
    assert folders == [tmp_path / "mine", tmp_path / "mine"]


def test_compiled_templates_follow_an_edited_template(tmp_path: Path) -> None:
    from generator.site.incremental import CompiledTemplates

    cache = CompiledTemplates()
    template = tmp_path / "page.html"

    def render() -> str:
        # A new environment per build, as MkDocs makes one, sharing the compiled code.
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)),
                                 bytecode_cache=cache)
        return env.get_template("page.html").render(name="预览")

    template.write_text("<p>{{ name }}</p>", encoding="utf-8")
    assert render() == "<p>预览</p>"
    assert len(cache._code) == 1
    assert render() == "<p>预览</p>"
    template.write_text("<h1>{{ name }}</h1>", encoding="utf-8")
    assert render() == "<h1>预览</h1>"
