"""What every command shares: the common options, the exit codes and how a failure is
said (MkDocs' ``common_config_options`` and ``Abort`` are the model).

A command raises :class:`Failed` with one of the :class:`Exit` codes; :func:`generator.cli.main`
prints its message once, as ``ceportal COMMAND: MESSAGE`` on standard error, and exits
with the code. The same kind of failure has the same code in every command (README,
"Exit codes").
"""

from __future__ import annotations

import argparse
import contextlib
import enum
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.catalog.model import Catalog


class Exit(enum.IntEnum):
    """The exit codes of every ``ceportal`` command."""

    OK = 0
    # The data has errors, each printed at its place: the catalog folder (policy.yaml, a
    # year file), the workbook being imported, an applicant's records in a batch audit.
    INVALID = 1
    # The command as given cannot run: an option or argument (argparse's own code), a
    # request (hours, plan), an input file that cannot be read as such (audit).
    USAGE = 2
    # Nothing was written, to keep files safe or because the place does not allow it: an
    # output that exists (without --force) or is the input, a site folder that is not a
    # site, a file that cannot be written, the Pyodide runtime missing, a busy port.
    REFUSED = 3


class Failed(Exception):
    """The command stops: ``str()`` is the one-line Chinese reason, ``code`` the exit code."""

    def __init__(self, code: Exit, message: str) -> None:
        super().__init__(message)
        self.code = code


# --- the common options -------------------------------------------------------------

_CATALOG_HELP = {
    "folder": "目录文件夹（默认 catalog）",
    "site": "目录文件夹（默认按 mkdocs.yml，即 catalog）",
    "policy": "使用 DIR/policy.yaml 中的规则（默认使用 ceportal 自带的温经贸培训〔2009〕74号规则）",
}


def add_catalog(parser: argparse.ArgumentParser, use: str = "folder") -> None:
    """``--catalog DIR``: the catalog folder (``folder``: default ``catalog``), the site's
    (``site``: default as mkdocs.yml says) or only its policy (``policy``: default the
    policy shipped with ceportal, so the command works from any folder)."""
    default = "catalog" if use == "folder" else None
    parser.add_argument("--catalog", default=default, metavar="DIR", help=_CATALOG_HELP[use])


def add_site_options(parser: argparse.ArgumentParser) -> None:
    """``--config FILE`` and ``--pyodide DIR``: what a command that builds the site reads."""
    parser.add_argument("--config", default="mkdocs.yml", metavar="FILE",
                        help="MkDocs 配置文件（默认 mkdocs.yml；它所在的文件夹即门户文件夹）")
    parser.add_argument("--pyodide", metavar="DIR",
                        help="Pyodide 运行环境所在的文件夹（默认门户文件夹的 node_modules/pyodide）")


def add_site_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site-dir", default="site", metavar="DIR", help="输出文件夹（默认 site）")


def add_force(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help="输出文件已存在时替换它（默认不覆盖）")


# --- what several commands do alike ---------------------------------------------------

@contextlib.contextmanager
def runtime(args: argparse.Namespace) -> Iterator[Path]:
    """While the command builds: the Pyodide runtime its builds publish (``--pyodide``,
    else the portal folder's); :class:`Failed` with the one line that says how to get it
    when it is not installed, or when ``--config`` names no file (the command is not run
    in a portal folder)."""
    from generator.browser.runtime import PYODIDE_ENV, RuntimeMissing, runtime_files
    from generator.browser.runtime import default_pyodide_dir as pyodide_dir
    from generator.site.portal import project_dir

    if not Path(args.config).is_file():
        raise Failed(Exit.USAGE, f"找不到 MkDocs 配置文件 {args.config}：请在门户文件夹"
                                 "（mkdocs.yml 所在的文件夹，可用 ceportal new 新建）中运行，"
                                 "或用 --config 指定")
    folder = Path(args.pyodide) if args.pyodide else pyodide_dir(project_dir(args.config))
    try:
        runtime_files(folder)
    except RuntimeMissing as exc:
        raise Failed(Exit.REFUSED, str(exc)) from None
    # The PDFs beside the downloads need LibreOffice: like a missing runtime, say so before
    # anything is built (exit 3), not halfway through.
    from generator.site.exporting.pdf import PdfUnavailable, soffice

    try:
        soffice()
    except PdfUnavailable as exc:
        raise Failed(Exit.REFUSED, str(exc)) from None
    if not args.pyodide:  # the plugin finds the portal folder's runtime itself
        yield folder
        return
    # MkDocs re-creates the plugin for each of the preview's rebuilds: the environment
    # reaches them all; it is put back afterwards (tests run commands in one process).
    before = os.environ.get(PYODIDE_ENV)
    os.environ[PYODIDE_ENV] = str(folder.absolute())
    try:
        yield folder
    finally:
        if before is None:
            os.environ.pop(PYODIDE_ENV, None)
        else:
            os.environ[PYODIDE_ENV] = before


def policy(catalog: str | None) -> dict[str, Any]:
    """``DIR/policy.yaml`` (the shipped policy when ``catalog`` is None)."""
    from generator.catalog.policy import PolicyError, policy_for

    try:
        return policy_for(catalog)
    except (OSError, PolicyError) as exc:
        raise Failed(Exit.INVALID, f"无法读取规则文件 {catalog}/policy.yaml：{exc}") from None


def catalog(folder: str, not_done: str) -> Catalog:
    """The valid catalog in ``folder``; else every problem on standard error and
    :class:`Failed` saying what was ``not_done`` (e.g. 未导出)."""
    from generator.catalog.problems import CatalogError, print_problems
    from generator.catalog.validating import load_catalog

    try:
        found, _warnings = load_catalog(folder)
    except CatalogError as exc:
        counted = print_problems(exc.problems, sys.stderr)
        raise Failed(Exit.INVALID, f"目录文件夹 {folder} 未通过检查（{counted}），{not_done}："
                                   "请先改正以上错误") from None
    return found


def checked_output(output: str | Path, inputs: list[Path] | list[str], *, force: bool) -> None:
    """:class:`Failed` (``REFUSED``) when writing ``output`` could hurt a file."""
    from generator.common.safefiles import WriteRefused, check_output

    try:
        check_output(output, inputs, force=force)
    except WriteRefused as exc:
        raise Failed(Exit.REFUSED, str(exc)) from None


def write_failed(output: str | Path, exc: OSError) -> Failed:
    """The failure for an ``output`` that could not be written (nothing was)."""
    from generator.common.safefiles import os_error_text

    return Failed(Exit.REFUSED, f"无法写入 {output}：{os_error_text(exc)}；未写入任何文件")
