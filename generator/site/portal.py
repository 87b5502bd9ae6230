"""The portal folder: what a build takes from it, and what the tool itself brings.

A portal folder is the folder that holds ``mkdocs.yml`` (this repository is one):
the site's configuration, ``catalog/`` and, after ``npm ci`` there, the Pyodide runtime
in ``node_modules/pyodide`` (or the folder ``--pyodide DIR`` names, which reaches every
build of the process through :data:`generator.browser.runtime.PYODIDE_ENV`). Everything else a site needs, the
theme overrides and the site's own scripts and style, comes from the installed package
(:mod:`generator.resources`), so a portal folder holds only its own data.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from generator import resources

log = logging.getLogger(__name__)

# Set by `ceportal build/serve --pyodide DIR`; MkDocs re-creates the plugin on each of
# the preview's rebuilds, so the choice travels with the process, not with one object.

# The site's own assets (in the theme folder, published as theme files), in page order.
EXTRA_CSS = ("assets/stylesheets/ceportal.css",)
EXTRA_JAVASCRIPT = ("assets/javascripts/registration-status.js",
                    "assets/javascripts/catalog-filter.js",
                    "assets/javascripts/wechat-note.js")


def project_dir(config_file: str | Path | None) -> Path:
    """The portal folder of ``config_file`` (the current folder when there is none)."""
    return Path(config_file).absolute().parent if config_file else Path.cwd()


def add_theme(config: Any) -> None:
    """Put the package's theme overrides and assets into a MkDocs configuration.

    The overrides come after the portal's own ``custom_dir`` (which may override them
    in turn) and before Material; the assets are theme files there, published as they
    are, and listed before any the portal's mkdocs.yml adds.
    """
    theme = resources.theme_dir()
    dirs = config.theme.dirs
    if str(theme) not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, str(theme))
    for key, names in (("extra_css", EXTRA_CSS), ("extra_javascript", EXTRA_JAVASCRIPT)):
        listed = config[key]
        present = {str(item) for item in listed}
        for i, name in enumerate(n for n in names if n not in present):
            listed.insert(i, name)
