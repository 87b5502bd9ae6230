"""Every place ceportal reads its own files from: package data, named once.

The tool is whole when installed from its wheel (``pip install ceportal``): the browser
side of the calculator and the audit page (``web/``), the theme overrides and the site's
own assets (``theme/``), the page templates (``templates/``), the shipped data
(``data/``) and what ``ceportal new`` writes (``skeleton/``) are all files of the package,
found through :mod:`importlib.resources`, never through the checkout's layout. What a
portal folder provides (mkdocs.yml, catalog/, node_modules/pyodide) is found from that
folder instead (:mod:`generator.site.portal`).
"""

from __future__ import annotations

import atexit
import contextlib
import logging
from importlib import resources
from pathlib import Path

log = logging.getLogger(__name__)

PACKAGE = "generator"

_kept = contextlib.ExitStack()
atexit.register(_kept.close)


def _folder(name: str = "") -> Path:
    """The package's folder ``name`` as a real directory (MkDocs, Jinja, hatchling and
    Node read these by path). An installed wheel and a checkout give the folder itself;
    a zipped package is extracted once, for the life of the process."""
    found = resources.files(PACKAGE).joinpath(name) if name else resources.files(PACKAGE)
    if isinstance(found, Path):
        return found
    return _kept.enter_context(resources.as_file(found))  # pragma: no cover - zipped install


def package_dir() -> Path:
    """The ``generator`` package itself."""
    return _folder()


def source_root() -> Path:
    """The folder that holds the package (the checkout, or ``site-packages``): module
    names of the package's files are their paths relative to it."""
    return package_dir().parent


def web_dir() -> Path:
    """The browser side: the calculator's scripts, the worker, the audit page's scripts
    (``audit/``), the Node scripts of the build and the rules wheel's project (``wheel/``)."""
    return _folder("browser/web")


def theme_dir() -> Path:
    """The theme overrides (Material's ``custom_dir``) with the site's own assets."""
    return _folder("site/theme")


def templates_dir() -> Path:
    """The Jinja templates of the generated pages."""
    return _folder("site/templates")


def data_dir() -> Path:
    """The shipped data: the notice, the registration form, the policy."""
    return _folder("data")


def skeleton_dir() -> Path:
    """What ``ceportal new`` writes into a new portal folder (mostly links to this
    repository's own portal files, which the wheel holds as files)."""
    return _folder("skeleton")
