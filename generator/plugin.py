"""The MkDocs adapter: loads the catalog, adds the generated files, secures every page.

Thin on purpose: everything the site contains is computed by plain functions
(:func:`generator.assembling.site_files`), so another site builder could take the same
core. MkDocs specifics stay in this module.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path, PurePosixPath
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from .assembling import site_files
from .calculator import RuntimeMissing, WheelError
from .csp import add_csp
from .model import Catalog
from .problems import CatalogError
from .validating import load_catalog

log = logging.getLogger(__name__)

# Overrides the `catalog_dir` option (used by `ceportal serve --catalog`, which cannot
# reach the plugin instances MkDocs re-creates on every rebuild).
CATALOG_ENV = "CEPORTAL_CATALOG"


class CeportalConfig(Config):
    catalog_dir = c.Type(str, default="catalog")


def _in_nav(path: str) -> bool:
    # Only the section front pages (index.md, notice/index.md…) are in the navigation;
    # a year's pages and its courses are reached from the year page and the archives.
    return len(PurePosixPath(path).parts) <= 2


class CeportalPlugin(BasePlugin[CeportalConfig]):
    """``plugins: [ceportal]`` in mkdocs.yml; option ``catalog_dir`` (default ``catalog``)."""

    def __init__(self) -> None:
        self.catalog: Catalog | None = None
        self.catalog_dir: Path | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # jieba (the search plugin's segmenter) sets itself to DEBUG when imported.
        logging.getLogger("jieba").setLevel(logging.WARNING)
        base = Path(config.config_file_path or ".").parent
        self.catalog_dir = base / os.environ.get(CATALOG_ENV, self.config.catalog_dir)
        try:
            self.catalog, warnings = load_catalog(self.catalog_dir)
        except CatalogError as exc:
            raise Abort(f"课程目录有错误，未生成网站：\n{exc}") from None
        for problem in warnings:
            log.warning("%s", problem.format())
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        assert self.catalog is not None  # on_config ran
        try:
            generated = site_files(self.catalog)
        except (RuntimeMissing, WheelError) as exc:
            # The calculator's runtime (npm) or rules wheel is missing: say what to do.
            raise Abort(f"无法生成自查计算页面：{exc}") from None
        except ValueError as exc:  # e.g. a course code that would take another page's URL
            raise Abort(f"无法生成网站：{exc}") from None
        for path, content in generated.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"{path}：手写页面与自动生成的文件同名，请改名或删除 {config.docs_dir}/{path}")
            inclusion = InclusionLevel.UNDEFINED if _in_nav(path) else InclusionLevel.NOT_IN_NAV
            if isinstance(content, Path):
                file = File.generated(config, path, abs_src_path=str(content), inclusion=inclusion)
            else:
                file = File.generated(config, path, content=content, inclusion=inclusion)
            files.append(file)
        return files

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        kind = page.meta.get("csp")
        return add_csp(output, content=page.content or "", kind=kind if isinstance(kind, str) else None)

    def on_post_template(self, output_content: str, /, *, template_name: str,
                         config: MkDocsConfig) -> str:
        # Theme pages that are not Markdown pages (404.html) need the policy too.
        if template_name.endswith(".html"):
            return add_csp(output_content)
        return output_content

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        if self.catalog_dir is not None:
            server.watch(str(self.catalog_dir))
        return server
