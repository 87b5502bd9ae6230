"""The ``ceportal`` command line: one sub-command per module in ``generator.commands``.

Each command module has ``NAME``, ``HELP``, ``add_arguments(parser)`` and
``run(args) -> int``, and imports its heavy dependencies (MkDocs, openpyxl…) inside
``run`` so that building the parser, and ``ceportal hours``, stay quick.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType

from . import __version__, commands

# The order commands are listed in ``ceportal --help``; modules found but not listed
# here come after, alphabetically.
ORDER = (
    "hours",
    "plan",
    "check",
    "schema",
    "build",
    "serve",
    "export_xlsx",
    "import_xlsx",
    "new_year",
    "audit",
)


def _commands() -> list[ModuleType]:
    found = [m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_")]
    found.sort(key=lambda name: (ORDER.index(name) if name in ORDER else len(ORDER), name))
    return [importlib.import_module(f"{commands.__name__}.{name}") for name in found]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ceportal",
        description="温州市工程技术（一）系列继续教育门户生成器（温经贸培训〔2009〕74号）",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="输出调试信息")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in _commands():
        p = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        p.set_defaults(_run=module.run)
        module.add_arguments(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s: %(message)s",
    )
    try:
        return int(args._run(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
