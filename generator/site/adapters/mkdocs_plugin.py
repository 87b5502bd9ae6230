"""The MkDocs adapter: loads the catalog, hands MkDocs the site model, runs the post-steps.

Thin on purpose: everything the site contains is computed by plain functions
(:func:`generator.site.producers.site_files`: typed pages and files), which the Zensical
adapter (:mod:`.zensical`) takes too. This module only translates: a
:class:`~generator.site.model.Page` becomes a generated Markdown file with Material's
front matter (:func:`.material_compat.markdown_source`), its ``nav`` field MkDocs'
inclusion level. The post-steps (:mod:`generator.site.poststeps`): each page gets its
policy as MkDocs writes it (the same function the Zensical build runs over its folder),
and after a build the folder gets its precompressed siblings (not under ``serve``).
"""

from __future__ import annotations

import functools
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from generator import resources
from generator.browser import RuntimeMissing, SnapshotError, WheelError
from generator.browser.runtime import default_pyodide_dir as pyodide_dir
from generator.catalog.model import Catalog
from generator.catalog.problems import CatalogError, listed_lines
from generator.catalog.validating import load_catalog
from generator.common.excerpt import excerpt, safe_line
from generator.common.inputs import outside
from generator.site import model, poststeps, search_terms
from generator.site.cache import BuildCache
from generator.site.drafts import page_banner, with_drafts
from generator.site.exporting import PdfUnavailable
from generator.site.incremental import PreviewSession, TextMemo, global_key
from generator.site.portal import add_theme, project_dir
from generator.site.producers import site_files

from . import material_compat

log = logging.getLogger(__name__)

PLUGIN = "ceportal"
DRAFT_MODES = ("hide", "mark", "preview")


class CeportalConfig(Config):
    # The one way the catalog folder reaches a build: mkdocs.yml's option, which
    # `ceportal build/serve --catalog DIR` set on the loaded configuration (use_catalog).
    catalog_dir = c.Type(str, default="catalog")
    # Which builder `ceportal build` uses when no --builder is given (README, "Builders");
    # MkDocs itself ignores it.
    builder = c.Choice(("mkdocs", "zensical"), default="mkdocs")
    # Draft years (DESIGN.md, v3): ``hide`` (a build: not published), ``mark`` (the
    # preview: shown, a 草稿 banner on each of their pages), ``preview`` (`build --drafts`:
    # published as if final, a banner on every page saying the site is a preview).
    drafts = c.Choice(DRAFT_MODES, default="hide")


def use_drafts(config: MkDocsConfig, mode: str) -> None:
    """Build ``config`` with draft years handled as ``mode`` (:data:`DRAFT_MODES`)."""
    config.plugins[PLUGIN].config.drafts = mode


def use_catalog(config: MkDocsConfig, catalog_dir: str | Path) -> None:
    """Build ``config`` from ``catalog_dir`` (made absolute) instead of mkdocs.yml's
    ``catalog_dir``; set it again on every configuration loaded (MkDocs reloads
    mkdocs.yml, and the plugin's options, on each of the preview's rebuilds)."""
    config.plugins[PLUGIN].config.catalog_dir = str(Path(catalog_dir).absolute())


def catalog_folder(config: MkDocsConfig) -> Path:
    """The catalog folder ``config`` builds from (relative to mkdocs.yml's folder)."""
    base = Path(config.config_file_path or ".").parent
    return base / config.plugins[PLUGIN].config.catalog_dir


# Material's search index, made from the pages (precompressed at the quick level).
SEARCH_INDEX = "search/search_index.json"


def source_of(entry: model.Entry) -> str | bytes | Path:
    """What MkDocs reads for a generated page or file."""
    if isinstance(entry, model.Page):
        return material_compat.markdown_source(entry)
    return entry.content


def staged(site: model.Site, folder: Path) -> dict[str, str | Path]:
    """What a build hands MkDocs for each entry of ``site``: a page's Markdown, a file's
    path (its bytes written under ``folder``, or the runtime's own file).

    Peak memory (the row of ``make bench``): MkDocs keeps a generated file's content for
    the whole build, so the downloads and data (about 8 MB on 10 x 500) go to disk, as a
    plain MkDocs project has them, and MkDocs copies them. A page's Markdown (26 MB) is
    read once, when MkDocs reads the page; the plugin drops it then
    (:meth:`CeportalPlugin.on_page_markdown`). Writing the 5,000 pages to disk instead
    cost about 1.6 s CPU (and more wall time) a build for no memory a build keeps.
    """
    out: dict[str, str | Path] = {}
    for path, entry in site.items():
        if isinstance(entry, model.Page):
            out[path] = material_compat.markdown_source(entry)
        elif isinstance(entry.content, Path):
            out[path] = entry.content
        else:
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(entry.data())
            out[path] = target
    return out


class _Sources:
    """The Markdown of each page, kept while the page object is: the build cache hands
    the preview's rebuilds the very same pages of each unchanged year, whose front matter
    need not be written again."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[model.Page, str]] = {}

    def of(self, site: model.Site) -> dict[str, str | bytes | Path]:
        known, self._known = self._known, {}
        out: dict[str, str | bytes | Path] = {}
        for path, entry in site.items():
            if isinstance(entry, model.Page):
                kept = known.get(id(entry))
                text = kept[1] if kept is not None and kept[0] is entry else source_of(entry)
                assert isinstance(text, str)
                self._known[id(entry)] = (entry, text)
                out[path] = text
            else:
                out[path] = entry.content
        return out


class _Generated(File):
    """A generated file whose "modified since the last build" the plugin decides from the
    content diff (MkDocs' dirty builds otherwise treat in-memory content as always new)."""

    modified = True

    def is_modified(self) -> bool:
        return self.modified


def _refuse_links_out(files: Files, config: MkDocsConfig) -> None:
    """A file of the docs folder that resolves outside the portal folder (a link to
    ``~/.ssh/id_rsa``) is never published: the build stops, naming its path only."""
    portal = project_dir(config.config_file_path)
    docs = Path(config.docs_dir)
    for file in files:
        if file.abs_src_path and file.abs_src_path.startswith(str(docs)) \
                and outside(file.abs_src_path, portal, docs):
            raise Abort(f"{excerpt(os.path.relpath(file.abs_src_path), 200)}：链接到门户文件夹"
                              "之外，未发布：网站源文件夹中的文件须在门户文件夹之内，请改为文件夹内的文件或删除该链接")


class CeportalPlugin(BasePlugin[CeportalConfig]):
    """``plugins: [ceportal]`` in mkdocs.yml; option ``catalog_dir`` (default ``catalog``).

    Under ``ceportal serve`` (MkDocs' dirty builds) a rebuild re-renders only the pages
    whose generated Markdown changed, removes the output of files that are gone and keeps
    the search index whole: a :class:`~generator.site.incremental.PreviewSession` does that,
    this class only passes it MkDocs' events. Having ``on_startup`` makes MkDocs keep
    this instance across the serve's rebuilds, which is where the session lives.
    """

    def __init__(self) -> None:
        self.catalog: Catalog | None = None
        self.banners: dict[str, str] = {}
        self.catalog_dir: Path | None = None
        self.pyodide_dir: Path | None = None
        self.command = "build"
        self.site: model.Site = {}
        self._engine_pages: set[str] = set()
        self._file_kinds: dict[str, model.FileKind] = {}
        self._sources = _Sources()
        self._reset(incremental=False)

    def _reset(self, *, incremental: bool) -> None:
        # Only the preview is incremental, and only it keeps a cache.
        self.session = PreviewSession() if incremental else None
        # A full build makes everything once: it has no cache (no keys worked out).
        self._cache: BuildCache | None = self.session.cache if self.session else None
        self._files: Files | None = None
        self._handed: set[str] = set()  # pages whose Markdown MkDocs has not read yet
        self._staging: tempfile.TemporaryDirectory[str] | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Only the preview is incremental; `ceportal build` stays a full, clean build.
        self.command = command
        self._reset(incremental=command == "serve" and dirty)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # jieba (the search plugin's segmenter) sets itself to DEBUG when imported.
        logging.getLogger("jieba").setLevel(logging.WARNING)
        # The theme and the runtime: the package's, and the portal folder's (portal.py).
        add_theme(config)
        self.pyodide_dir = pyodide_dir(project_dir(config.config_file_path))
        self.catalog_dir = Path(config.config_file_path or ".").parent / self.config.catalog_dir
        try:
            self.catalog, warnings = load_catalog(
                self.catalog_dir, cache=self._cache.catalog_files if self._cache else None)
        except CatalogError as exc:
            raise Abort(f"课程目录有错误，未生成网站：\n{exc}") from None
        for line in listed_lines(warnings):
            log.warning("%s", safe_line(line))
        self.catalog, self.banners = with_drafts(self.catalog, self.config.drafts)
        return config

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        # The banner main.html shows above a draft year's pages (or every preview page).
        text = page_banner(self.banners, page.file.src_uri)
        if text:
            page.meta["ce_banner"] = text
        if page.file.src_uri in self._handed:
            # MkDocs has read the page (Page.read_source) and keeps its Markdown as
            # page.markdown: the generated copy is dropped (peak memory, see staged()).
            self._handed.discard(page.file.src_uri)
            page.file.content_string = ""
        return markdown

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        assert self.catalog is not None  # on_config ran
        _refuse_links_out(files, config)
        try:
            generated = site_files(self.catalog, site_url=config.site_url or None,
                                   pyodide_dir=self.pyodide_dir, cache=self._cache)
        except (RuntimeMissing, SnapshotError, WheelError) as exc:
            # The calculator's runtime (npm), rules wheel or snapshot is missing: say what to do.
            raise Abort(f"无法生成自查计算页面：{exc}") from None
        except PdfUnavailable as exc:  # LibreOffice missing or failing: say what to install
            raise Abort(f"无法生成下载文件的 PDF 版本：{exc}") from None
        except ValueError as exc:  # e.g. a course code that would take another page's URL
            raise Abort(f"无法生成网站：{exc}") from None
        self._engine_pages = {p for p, e in generated.items()
                              if isinstance(e, model.Page) and e.runs_engine}
        self._file_kinds = {p: e.kind for p, e in generated.items() if isinstance(e, model.File)}
        # Only the section front pages are in the navigation; a year's pages and its
        # courses are reached from the year page and the archives.
        nav = {p for p, e in generated.items() if isinstance(e, model.Page) and e.nav}
        if self.session is not None:
            # The preview keeps the pages (and their Markdown) for its next rebuild.
            self.site = generated
            sources = self._sources.of(generated)
        else:
            # A build hands MkDocs the pages' Markdown and the files on disk, and keeps
            # no copy of them (peak memory, make bench). The folder is a temporary one
            # (inside the build-owned folder under `ceportal build`).
            self.site = {}
            self._drop_staging()
            self._staging = tempfile.TemporaryDirectory(prefix="ceportal-files-")
            handed = staged(generated, Path(self._staging.name))
            del generated
            self._handed = {path for path, source in handed.items() if isinstance(source, str)}
            sources = dict[str, str | bytes | Path](handed)
        changed: set[str] = set()
        if self.session is not None:
            # The portal's own overrides and the package's theme (portal.add_theme put it there).
            key = global_key(config.config_file_path,
                             (config.theme.custom_dir, resources.theme_dir()), sorted(nav))
            changed = self.session.begin(sources, key)
            # PDFs LibreOffice finishes after this rebuild go straight into the preview.
            self.session.pdfs.publish = functools.partial(self.session.publish,
                                                          Path(config.site_dir))
        # Every search plugin's on_config has made this build's index by now: each run of
        # Chinese characters is segmented once (a build's memo, or the preview session's).
        material_compat.remember_segmentation(
            material_compat.search_plugin(config),
            self.session.segmented if self.session is not None else TextMemo())
        for path, content in sources.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"{path}：手写页面与自动生成的文件同名，请改名或删除 {config.docs_dir}/{path}")
            inclusion = InclusionLevel.UNDEFINED if path in nav else InclusionLevel.NOT_IN_NAV
            if isinstance(content, Path):
                # MkDocs compares the mtimes of the source and the copy.
                file = File.generated(config, path, abs_src_path=str(content), inclusion=inclusion)
            elif self.session is not None:
                file = _Generated.generated(config, path, content=content, inclusion=inclusion)
                assert isinstance(file, _Generated)
                file.modified = path in changed
            else:
                file = File.generated(config, path, content=content, inclusion=inclusion)
            files.append(file)
        self._files = files
        return files

    @event_priority(100)  # before any other plugin loads a template
    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig,
               files: Files) -> jinja2.Environment:
        if self.session is not None:
            env.bytecode_cache = self.session.bytecode_cache()
        # The banner of pages that are not Markdown pages (404.html) in a preview.
        env.globals["ce_site_banner"] = self.banners.get("", "")
        return env

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        # The post-steps' policy (generator/site/poststeps.py), given to each page as
        # MkDocs writes it rather than by reading the folder back afterwards: the same
        # function and inputs, without reading and writing every page a second time.
        # What the page's author wrote: its Markdown (a generated page's body, as MkDocs
        # read it back without its front matter); the engine pages by the model's kind.
        engine = page.file.src_uri in self._engine_pages
        return poststeps.secure_html(output, poststeps.Source(page.markdown or "", engine))

    def on_post_template(self, output_content: str, /, *, template_name: str,
                         config: MkDocsConfig) -> str:
        # Theme pages that are not Markdown pages (404.html) need the policy too.
        if template_name.endswith(".html"):
            return poststeps.secure_html(output_content, None)
        return output_content

    @event_priority(50)  # before Material's search plugin writes its index
    def _merge_search(self, *, config: MkDocsConfig) -> None:
        search = material_compat.search_plugin(config)
        material_compat.forget_previous_index(search)
        entries = material_compat.search_entries(search)
        if entries is not None:
            # The engineer's words (公需课, 中级…) and the newest year first (search_terms.py).
            policy = self.catalog.policy.as_rules_data() if self.catalog is not None else None
            entries = search_terms.enrich(entries, search_terms.synonyms(policy))
        if self.session is None or self._files is None:
            if entries is not None:
                material_compat.set_search_entries(search, entries)
            return
        files = self._files
        pages = [f.page for f in files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
                 if f.page is not None]
        if entries is not None:
            # Pages a dirty build skipped were never read: they have no content.
            rebuilt = {page.url for page in pages if page.content is not None}
            material_compat.set_search_entries(
                search, self.session.search.merge([page.url for page in pages], rebuilt, entries))
        self.session.finish({f.abs_dest_path for f in files}, Path(config.site_dir))

    @event_priority(-100)  # after every other plugin wrote its files (the search index)
    def _post_steps(self, *, config: MkDocsConfig) -> None:
        if self.command == "serve":
            return
        poststeps.precompress(Path(config.site_dir), self._file_kinds, search_index=[SEARCH_INDEX])

    @event_priority(-200)  # after the post-steps: MkDocs has copied every staged file
    def _clean_staging(self, *, config: MkDocsConfig) -> None:
        self._drop_staging()

    def _drop_staging(self) -> None:
        if self._staging is not None:
            self._staging.cleanup()
            self._staging = None

    on_post_build = CombinedEvent(_merge_search, _post_steps, _clean_staging)

    def on_build_error(self, *, error: Exception) -> None:
        self._drop_staging()
        if self.session is not None:
            self.session.failed()

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        if self.catalog_dir is not None:
            server.watch(str(self.catalog_dir))
        return server
