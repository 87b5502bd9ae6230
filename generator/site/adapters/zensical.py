"""The Zensical adapter: the site model written to a staged docs folder, built by Zensical.

Zensical (by Material for MkDocs' authors) reads ``mkdocs.yml`` but has no plugin API:
a plugin it does not know, such as ``ceportal``, is silently ignored, and pages must
exist before the build. So :func:`build` does what the MkDocs plugin does in MkDocs'
events, before and after ``zensical build``:

1. load the catalog and make the site model (:func:`generator.site.producers.site_files`);
2. stage a project folder beside the output: ``mkdocs.yml`` (the portal's, with the
   staged folders, the package's theme and assets, and the ``ceportal`` plugin left
   out), ``docs/`` (the portal's docs folder plus every generated page, with Material's
   front matter, which Zensical reads, and every generated file), ``overrides/`` (the
   package's theme, then the portal's own ``custom_dir`` over it);
3. run ``zensical build`` (the one next to the running Python, else on ``PATH``);
4. make the 404 page's links relative to the root its script finds (:func:`root_relative`),
   then run the post-steps (:mod:`generator.site.poststeps`) on the HTML folder it made.

Zensical's search index takes at most :data:`SEARCH_FIELD_LIMIT` bytes of text per
section; a page whose Markdown is larger (a year's catalog or changes page of a large
catalog: one table under one heading) is left out of the index (``search.exclude``), as
its courses each have their own, indexed, page.

``serve`` stays on MkDocs (its incremental rebuilds are MkDocs events).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from generator import resources
from generator.browser import RuntimeMissing, SnapshotError, WheelError
from generator.browser.runtime import default_pyodide_dir as pyodide_dir
from generator.catalog.problems import CatalogError
from generator.catalog.validating import load_catalog
from generator.site import model, poststeps
from generator.site.drafts import page_banner, with_drafts
from generator.site.exporting import PdfUnavailable
from generator.site.portal import EXTRA_CSS, EXTRA_JAVASCRIPT
from generator.site.producers import site_files

from . import material_compat

log = logging.getLogger(__name__)

PLUGIN = "ceportal"
# Zensical's search index file, made from the pages.
SEARCH_INDEX = "search.json"
# The largest text of one section Zensical's search index takes (0.0.73: "exceeds the
# search index limit"); measured on the 10 x 500 synthetic catalog.
SEARCH_FIELD_LIMIT = 65_536


class ZensicalFailed(Exception):
    """The Zensical build did not run or failed; ``str()`` is the Chinese reason."""


# --- the portal's mkdocs.yml, tags and all ------------------------------------------


@dataclasses.dataclass(frozen=True)
class Tagged:
    """A YAML value with a tag Zensical resolves itself (``!ENV``): written back as it was."""

    tag: str
    node: yaml.Node


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tagged:
    return Tagged("!" + suffix, node)


def resolved(value: Any) -> Any:
    """``value`` with an ``!ENV`` tag resolved as MkDocs and Zensical do: the first of the
    named environment variables that is set, else the last item (the default)."""
    if not (isinstance(value, Tagged) and value.tag == "!ENV"):
        return value
    node = value.node
    names = [item.value for item in node.value] if isinstance(node, yaml.SequenceNode) else [node.value]
    fallback = names.pop() if isinstance(node, yaml.SequenceNode) and len(names) > 1 else None
    for name in names:
        if name in os.environ:
            return os.environ[name]
    return fallback


def _represent_tagged(dumper: yaml.SafeDumper, value: Tagged) -> yaml.Node:
    # The node as it was read (its tag, its scalar or its items), written again.
    return value.node


_Loader.add_multi_constructor("!", _tagged)
_Dumper.add_representer(Tagged, _represent_tagged)


def read_config(config_file: Path) -> dict[str, Any]:
    """The portal's ``mkdocs.yml`` as data; tagged values kept as :class:`Tagged`."""
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506
    except (OSError, yaml.YAMLError) as exc:
        raise ZensicalFailed(f"无法读取配置文件 {config_file}：{exc}") from None
    if not isinstance(data, dict):
        raise ZensicalFailed(f"配置文件 {config_file} 应为键值映射（如 site_name: …）")
    return data


def _plugin_name(entry: Any) -> str | None:
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict) and len(entry) == 1:
        name = next(iter(entry))
        return name if isinstance(name, str) else None
    return None


def plugin_option(config: dict[str, Any], name: str, default: str) -> str:
    """The ``ceportal`` plugin's option ``name`` in mkdocs.yml (``default`` when unset)."""
    for entry in config.get("plugins") or []:
        if _plugin_name(entry) == PLUGIN and isinstance(entry, dict):
            options = entry[PLUGIN] or {}
            if isinstance(options, dict) and isinstance(options.get(name), str):
                return str(options[name])
    return default


def catalog_option(config: dict[str, Any]) -> str:
    """The ``ceportal`` plugin's ``catalog_dir`` (default ``catalog``)."""
    return plugin_option(config, "catalog_dir", "catalog")


def builder_option(config_file: str | Path) -> str:
    """The ``ceportal`` plugin's ``builder`` in ``config_file`` (default ``mkdocs``):
    which builder ``ceportal build`` uses when ``--builder`` is not given."""
    return plugin_option(read_config(Path(config_file)), "builder", "mkdocs")


@dataclasses.dataclass(frozen=True)
class Portal:
    """What a build reads of a portal folder's ``mkdocs.yml``."""

    config_file: Path
    config: dict[str, Any]
    docs_dir: Path
    catalog_dir: Path

    @property
    def project(self) -> Path:
        return self.config_file.parent

    @property
    def site_url(self) -> str | None:
        url = resolved(self.config.get("site_url"))
        return url if isinstance(url, str) and url else None

    @property
    def directory_urls(self) -> bool:
        return self.config.get("use_directory_urls", True) is not False

    @property
    def custom_dir(self) -> Path | None:
        theme = self.config.get("theme")
        if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
            return self.project / theme["custom_dir"]
        return None


def portal(config_file: str | Path, catalog_dir: str | Path | None = None) -> Portal:
    """The portal of ``config_file``; ``catalog_dir`` replaces the plugin's option."""
    path = Path(config_file).absolute()
    config = read_config(path)
    docs = config.get("docs_dir", "docs")
    catalog = Path(catalog_dir).absolute() if catalog_dir is not None else (
        path.parent / catalog_option(config))
    return Portal(path, config, path.parent / str(docs), catalog)


# --- staging -------------------------------------------------------------------------


def _place(target: Path, content: model.Content) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, Path):
        try:  # the runtime's large files: a link when on the same file system
            os.link(content, target)
        except OSError:
            shutil.copyfile(content, target)
    elif isinstance(content, str):
        target.write_text(content, encoding="utf-8")
    else:
        target.write_bytes(content)


def for_zensical(page: model.Page) -> model.Page:
    """``page`` as Zensical indexes it: left out of the search when a section of it could
    exceed :data:`SEARCH_FIELD_LIMIT`."""
    if not page.search_exclude and len(page.body.encode("utf-8")) > SEARCH_FIELD_LIMIT:
        return dataclasses.replace(page, search_exclude=True)
    return page


def staged_config(found: Portal) -> dict[str, Any]:
    """The portal's configuration for the staged project: its folders, the package's
    theme and assets before the portal's own, the ``ceportal`` plugin left out."""
    config = dict(found.config)
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    theme = dict(config.get("theme") or {}) if isinstance(config.get("theme"), dict) else {
        "name": config.get("theme") or "material"}
    theme["custom_dir"] = "overrides"
    config["theme"] = theme
    plugins = [p for p in config.get("plugins") or [] if _plugin_name(p) != PLUGIN]
    config["plugins"] = plugins
    for key, names in (("extra_css", EXTRA_CSS), ("extra_javascript", EXTRA_JAVASCRIPT)):
        listed = list(config.get(key) or [])
        present = {str(item) for item in listed}
        config[key] = [n for n in names if n not in present] + listed
    return config


def stage(found: Portal, site: model.Site, folder: Path) -> Path:
    """Write the staged project into ``folder``; returns its config file."""
    docs = folder / "docs"
    if found.docs_dir.is_dir():
        shutil.copytree(found.docs_dir, docs, symlinks=False)
    else:
        docs.mkdir(parents=True)
    for path, entry in site.items():
        target = docs / path
        if target.exists():
            raise ZensicalFailed(f"{path}：手写页面与自动生成的文件同名，请改名或删除 "
                                 f"{found.docs_dir}/{path}")
        if isinstance(entry, model.Page):
            _place(target, material_compat.markdown_source(for_zensical(entry)))
        else:
            _place(target, entry.content)
    overrides = folder / "overrides"
    shutil.copytree(resources.theme_dir(), overrides)
    if found.custom_dir is not None and found.custom_dir.is_dir():
        shutil.copytree(found.custom_dir, overrides, dirs_exist_ok=True)
    config_file = folder / "mkdocs.yml"
    config_file.write_text(
        yaml.dump(staged_config(found), Dumper=_Dumper, allow_unicode=True, sort_keys=False),
        encoding="utf-8")
    return config_file


# --- what Zensical writes differently ----------------------------------------------------

# A link from the site's root (href="/catalog/"), not from another host ("//…").
_ROOT_LINK = re.compile(r'(\b(?:href|src)=")/(?!/)')
NOT_FOUND = "404.html"


def root_relative(html: str) -> str:
    """``html`` with its links from the server's root (``/catalog/``) made relative
    (``catalog/``). Zensical 0.0.73 writes the 404 page's navigation that way; the page's
    root finder (the theme's 404.html) sets ``<base>`` to the site's root, found at any
    depth under any sub-path, which these links then follow, as MkDocs' do."""
    return _ROOT_LINK.sub(r"\1", html)


def fix_not_found(site_dir: Path) -> None:
    page = site_dir / NOT_FOUND
    if page.is_file():
        page.write_text(root_relative(page.read_text(encoding="utf-8")), encoding="utf-8")


# --- running it ------------------------------------------------------------------------


def executable() -> str:
    """``zensical`` next to the running Python (the same environment), else on ``PATH``."""
    beside = Path(sys.executable).parent / "zensical"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("zensical")
    if found is None:
        raise ZensicalFailed("找不到 zensical 命令：请在 ceportal 所在的 Python 环境中安装"
                             "（pip install 'zensical==0.0.73'），或改用 --builder mkdocs")
    return found


def run_zensical(config_file: Path, strict: bool) -> None:
    command = [executable(), "build", "--config-file", str(config_file)]
    if strict:
        command.append("--strict")
    done = subprocess.run(command, cwd=config_file.parent, capture_output=True, text=True,
                          errors="replace", check=False)
    for line in (done.stdout + done.stderr).splitlines():
        log.debug("zensical: %s", line)
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip().splitlines()
        tail = "\n".join(output[-15:])
        raise ZensicalFailed(f"Zensical 生成失败（退出码 {done.returncode}）：\n{tail}")


def build(found: Portal, stage_dir: Path, out: Path, *, strict: bool = True,
          drafts: str = "hide") -> model.Site:
    """Build ``found``'s site with Zensical into the new folder ``out``, staging in
    ``stage_dir`` (beside ``out``, removed afterwards); returns the site model."""
    logging.getLogger("jieba").setLevel(logging.WARNING)
    try:
        catalog, warnings = load_catalog(found.catalog_dir)
    except CatalogError as exc:
        raise ZensicalFailed(f"课程目录有错误，未生成网站：\n{exc}") from None
    for problem in warnings:
        log.warning("%s", problem.format())
    # Draft years as the MkDocs plugin handles them (generator/site/drafts.py): left out,
    # or published with the banner main.html shows (the page's ``ce_banner``).
    catalog, banners = with_drafts(catalog, drafts)
    try:
        site = site_files(catalog, site_url=found.site_url, pyodide_dir=pyodide_dir(found.project))
    except (RuntimeMissing, SnapshotError, WheelError) as exc:
        raise ZensicalFailed(f"无法生成自查计算页面：{exc}") from None
    except PdfUnavailable as exc:
        raise ZensicalFailed(f"无法生成下载文件的 PDF 版本：{exc}") from None
    except ValueError as exc:
        raise ZensicalFailed(f"无法生成网站：{exc}") from None
    for path, entry in list(site.items()):
        text = page_banner(banners, path)
        if text and isinstance(entry, model.Page):
            site[path] = dataclasses.replace(entry, data={**entry.data, "ce_banner": text})
    try:
        config_file = stage(found, site, stage_dir)
        run_zensical(config_file, strict)
        (stage_dir / "site").rename(out)
    finally:
        shutil.rmtree(stage_dir, ignore_errors=True)
    fix_not_found(out)
    poststeps.finish(out, site, docs_dir=found.docs_dir, directory_urls=found.directory_urls,
                     search_index=[SEARCH_INDEX])
    return site
