"""The MkDocs adapter: loads the catalog, adds the generated files, secures every page.

Thin on purpose: everything the site contains is computed by plain functions
(:func:`generator.assembling.site_files`), so another site builder could take the same
core. MkDocs specifics stay in this module.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from . import resources
from .assembling import site_files
from .buildcache import BuildCache
from .calculator import RuntimeMissing, SnapshotError, WheelError
from .csp import add_csp
from .incremental import SearchIndexState, changed_paths
from .model import Catalog
from .portal import add_theme, project_dir, pyodide_dir
from .problems import CatalogError
from .validating import load_catalog

log = logging.getLogger(__name__)

# Overrides the `catalog_dir` option (used by `ceportal serve --catalog`, which cannot
# reach the plugin instances MkDocs re-creates on every rebuild).
CATALOG_ENV = "CEPORTAL_CATALOG"


class CeportalConfig(Config):
    catalog_dir = c.Type(str, default="catalog")


def _remove_output(path: Path, site_dir: Path) -> None:
    """Delete a stale output file and the folders it leaves empty (up to ``site_dir``)."""
    path.unlink(missing_ok=True)
    folder = path.parent
    while folder != site_dir and folder.is_relative_to(site_dir):
        try:
            folder.rmdir()
        except OSError:  # not empty
            break
        folder = folder.parent


def _in_nav(path: str) -> bool:
    # Only the section front pages (index.md, notice/index.md…) are in the navigation;
    # a year's pages and its courses are reached from the year page and the archives.
    return len(PurePosixPath(path).parts) <= 2


class _Generated(File):
    """A generated file whose "modified since the last build" the plugin decides from the
    content diff (MkDocs' dirty builds otherwise treat in-memory content as always new)."""

    modified = True

    def is_modified(self) -> bool:
        return self.modified


def _global_key(config: MkDocsConfig, nav_paths: list[str]) -> str:
    """What every page's HTML depends on besides its own Markdown: the configuration, the
    theme overrides and the navigation. A change here re-renders every page."""
    digest = hashlib.sha256()
    if config.config_file_path:
        digest.update(Path(config.config_file_path).read_bytes())
    # The portal's own overrides and the package's theme (portal.add_theme put it there).
    for folder in (config.theme.custom_dir, str(resources.theme_dir())):
        if not folder:
            continue
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path}\0{stat.st_mtime_ns}\0{stat.st_size}\0".encode())
    digest.update("\0".join(nav_paths).encode())
    return digest.hexdigest()


class _CompiledTemplates(jinja2.BytecodeCache):
    """The theme's compiled templates, kept in memory between the preview's rebuilds:
    MkDocs makes a new Jinja environment for each build, which would compile Material's
    templates again every time. Jinja stores each template with its source's checksum, so
    an edited template is compiled anew."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


def _search_plugin(config: MkDocsConfig) -> Any:
    return config.plugins.get("material/search") or config.plugins.get("search")


class CeportalPlugin(BasePlugin[CeportalConfig]):
    """``plugins: [ceportal]`` in mkdocs.yml; option ``catalog_dir`` (default ``catalog``).

    Under ``ceportal serve`` (MkDocs' dirty builds) a rebuild re-renders only the pages
    whose generated Markdown changed, removes the output of files that are gone and keeps
    the search index whole. Having ``on_startup`` makes MkDocs keep this instance across
    the serve's rebuilds, which is where that state lives.
    """

    def __init__(self) -> None:
        self.catalog: Catalog | None = None
        self.catalog_dir: Path | None = None
        self.pyodide_dir: Path | None = None
        self._reset(incremental=False)

    def _reset(self, *, incremental: bool) -> None:
        self.incremental = incremental
        # The last successful build: generated contents, global key, every output path.
        self._previous: dict[str, str | bytes] | None = None
        self._previous_key = ""
        self._previous_outputs: set[str] = set()
        self._search = SearchIndexState()
        # Checked catalog files and each year's pages and downloads: the build's own,
        # kept for the whole preview session (an edit redoes only the year it changed).
        self._cache = BuildCache()
        # Compiled theme templates, with the global key they were compiled under.
        self._templates = _CompiledTemplates()
        self._templates_key = ""
        # The build in progress.
        self._current: dict[str, str | bytes] = {}
        self._current_key = ""
        self._files: Files | None = None
        self._writing = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Only the preview is incremental; `ceportal build` stays a full, clean build.
        self._reset(incremental=command == "serve" and dirty)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # jieba (the search plugin's segmenter) sets itself to DEBUG when imported.
        logging.getLogger("jieba").setLevel(logging.WARNING)
        # The theme and the runtime: the package's, and the portal folder's (portal.py).
        add_theme(config)
        self.pyodide_dir = pyodide_dir(project_dir(config.config_file_path))
        base = Path(config.config_file_path or ".").parent
        self.catalog_dir = base / os.environ.get(CATALOG_ENV, self.config.catalog_dir)
        try:
            self.catalog, warnings = load_catalog(self.catalog_dir, cache=self._cache.catalog_files)
        except CatalogError as exc:
            raise Abort(f"课程目录有错误，未生成网站：\n{exc}") from None
        for problem in warnings:
            log.warning("%s", problem.format())
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        assert self.catalog is not None  # on_config ran
        try:
            generated = site_files(self.catalog, site_url=config.site_url or None,
                                   pyodide_dir=self.pyodide_dir, cache=self._cache)
        except (RuntimeMissing, SnapshotError, WheelError) as exc:
            # The calculator's runtime (npm), rules wheel or snapshot is missing: say what to do.
            raise Abort(f"无法生成自查计算页面：{exc}") from None
        except ValueError as exc:  # e.g. a course code that would take another page's URL
            raise Abort(f"无法生成网站：{exc}") from None
        changed: set[str] = set()
        if self.incremental:
            self._writing = True
            self._current = {p: c for p, c in generated.items() if not isinstance(c, Path)}
            self._current_key = _global_key(config, sorted(p for p in generated if _in_nav(p)))
            previous = self._previous if self._current_key == self._previous_key else None
            changed = changed_paths(previous, self._current)
        for path, content in generated.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"{path}：手写页面与自动生成的文件同名，请改名或删除 {config.docs_dir}/{path}")
            inclusion = InclusionLevel.UNDEFINED if _in_nav(path) else InclusionLevel.NOT_IN_NAV
            if isinstance(content, Path):
                # MkDocs compares the mtimes of the source and the copy.
                file = File.generated(config, path, abs_src_path=str(content), inclusion=inclusion)
            elif self.incremental:
                file = _Generated.generated(config, path, content=content, inclusion=inclusion)
                assert isinstance(file, _Generated)
                file.modified = path in changed
            else:
                file = File.generated(config, path, content=content, inclusion=inclusion)
            files.append(file)
        self._files = files
        if self.incremental:
            log.info("ceportal: %d of %d generated files changed", len(changed), len(self._current))
        return files

    @event_priority(100)  # before any other plugin loads a template
    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig,
               files: Files) -> jinja2.Environment:
        if self.incremental:
            if self._current_key != self._templates_key:
                # mkdocs.yml or the overrides changed: the environment may compile
                # differently (theme, locale); start afresh.
                self._templates, self._templates_key = _CompiledTemplates(), self._current_key
            env.bytecode_cache = self._templates
        return env

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        kind = page.meta.get("csp")
        return add_csp(output, content=page.content or "", kind=kind if isinstance(kind, str) else None)

    def on_post_template(self, output_content: str, /, *, template_name: str,
                         config: MkDocsConfig) -> str:
        # Theme pages that are not Markdown pages (404.html) need the policy too.
        if template_name.endswith(".html"):
            return add_csp(output_content)
        return output_content

    @event_priority(50)  # before Material's search plugin writes its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        search = _search_plugin(config)
        if search is not None and hasattr(search, "search_index_prev"):
            # Material's own dirty-reload merge (by the first entry's URL prefix) would
            # mix indexes; the index below is merged per page instead.
            search.search_index_prev = None
        if not self.incremental or self._files is None:
            return
        files = self._files
        pages = [f.page for f in files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
                 if f.page is not None]
        if search is not None and getattr(search, "search_index", None) is not None:
            index = search.search_index
            # Pages a dirty build skipped were never read: they have no content.
            rebuilt = {page.url for page in pages if page.content is not None}
            index.entries = self._search.merge([page.url for page in pages], rebuilt, index.entries)
        # Outputs of files that are gone (a course removed): a dirty build leaves them.
        outputs = {f.abs_dest_path for f in files}
        for stale in sorted(self._previous_outputs - outputs):
            _remove_output(Path(stale), Path(config.site_dir))
        self._previous, self._previous_key = self._current, self._current_key
        self._previous_outputs = outputs
        self._writing = False

    def on_build_error(self, *, error: Exception) -> None:
        if self._writing:
            # The preview may hold part of this build: the next one re-renders everything.
            self._previous, self._previous_key, self._writing = None, "", False
            self._search = SearchIndexState()

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        if self.catalog_dir is not None:
            server.watch(str(self.catalog_dir))
        return server
