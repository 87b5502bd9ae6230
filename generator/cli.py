"""The ``ceportal`` command line: one sub-command per module in ``generator.commands``.

Each command module has ``NAME``, ``HELP``, ``add_arguments(parser)`` and
``run(args) -> int``, and imports its heavy dependencies (MkDocs, openpyxl…) inside
``run`` so that building the parser, and ``ceportal hours``, stay quick. The options
several commands share, the exit codes and the one way a command fails
(:class:`~generator.commands._common.Failed`, printed here) are in
:mod:`generator.commands._common`.

The parser speaks Chinese only: :class:`ChineseArgumentParser` sets argparse's own
headings, usage prefix and help texts, and translates its error messages (argparse
formats them in English through ``gettext`` with no Chinese catalogue; they are
recognised here by their English templates, which argparse keeps stable).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import pkgutil
import re
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any, NoReturn

from generator.common.excerpt import safe_line

from . import __version__, commands
from .commands._common import Exit, Failed

# The order commands are listed in ``ceportal --help``; modules found but not listed
# here come after, alphabetically.
ORDER = (
    "hours",
    "plan",
    "new",
    "check",
    "schema",
    "build",
    "serve",
    "export_xlsx",
    "import_xlsx",
    "new_year",
    "audit",
)


# The status a shell reports for a process ended by SIGPIPE (128 + 13).
_SIGPIPE_STATUS = 141

_TYPE_NAMES = {"int": "整数", "float": "数字", "str": "文字"}


def _quoted(text: str) -> str:
    return text.strip("'\"")


# argparse's error templates (CPython 3.11-3.13 ``Lib/argparse.py``) and their Chinese.
_ERRORS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = tuple(
    (re.compile(pattern + "$", re.DOTALL), to) for pattern, to in (
        (r"the following arguments are required: (?P<a>.*)", lambda m: f"缺少必需的参数：{m['a']}"),
        (r"unrecognized arguments: (?P<a>.*)", lambda m: f"无法识别的参数：{m['a']}"),
        (r"invalid choice: (?P<v>.*?) \(choose from (?P<c>.*)\)",
         lambda m: f"无效的选择：{_quoted(m['v'])}（可选：{'、'.join(_quoted(c) for c in m['c'].split(', '))}）"),
        (r"invalid (?P<t>\w+) value: (?P<v>.*)",
         lambda m: f"不是有效的{_TYPE_NAMES.get(m['t'], m['t'])}：{_quoted(m['v'])}"),
        (r"expected one argument", lambda m: "需要一个值"),
        (r"expected at most one argument", lambda m: "最多需要一个值"),
        (r"expected at least one argument", lambda m: "至少需要一个值"),
        (r"expected (?P<n>\d+) arguments?", lambda m: f"需要 {m['n']} 个值"),
        (r"ambiguous option: (?P<o>\S+) could match (?P<c>.*)",
         lambda m: f"选项 {m['o']} 不明确，可能是：{m['c']}"),
        (r"not allowed with argument (?P<a>.*)", lambda m: f"不能与参数 {m['a']} 同时使用"),
        (r"ignored explicit argument (?P<a>.*)", lambda m: f"选项不接受值：{_quoted(m['a'])}"),
        (r"one of the arguments (?P<a>.*) is required", lambda m: f"必须给出以下参数之一：{m['a']}"),
        (r"argument (?P<a>[^:]+): (?P<rest>.*)", lambda m: f"参数 {m['a']}：{translate_error(m['rest'])}"),
    )
)


def translate_error(message: str) -> str:
    """argparse's English error ``message`` in Chinese (unchanged if not one of its own)."""
    for pattern, to in _ERRORS:
        match = pattern.match(message)
        if match:
            return to(match)
    return message


class ChineseHelpFormatter(argparse.HelpFormatter):
    """argparse's help layout with a Chinese usage prefix and headings. A command that
    picks another formatter class (``RawDescriptionHelpFormatter``) gets it mixed in."""

    def add_usage(self, usage: str | None, actions: Any, groups: Any,
                  prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def format_help(self) -> str:
        # Section headings end with a Chinese colon, as the rest of the text.
        return re.sub(r"^(\S[^\n]*):$", r"\1：", super().format_help(), flags=re.MULTILINE)


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose every word is Chinese: headings, ``-h``, errors."""

    def __init__(self, *args: Any, add_help: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        kwargs["add_help"] = False  # ours below, with a Chinese help text
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="显示本帮助并退出")

    def _get_formatter(self) -> argparse.HelpFormatter:
        chosen: Any = self.formatter_class
        if not (isinstance(chosen, type) and issubclass(chosen, ChineseHelpFormatter)):
            chosen = type(f"Chinese{getattr(chosen, '__name__', 'Formatter')}",
                          (ChineseHelpFormatter, chosen), {})
        formatter: argparse.HelpFormatter = chosen(prog=self.prog)
        return formatter

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(Exit.USAGE, f"{self.prog}：错误：{translate_error(message)}\n")


def _commands() -> list[ModuleType]:
    found = [m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_")]
    found.sort(key=lambda name: (ORDER.index(name) if name in ORDER else len(ORDER), name))
    return [importlib.import_module(f"{commands.__name__}.{name}") for name in found]


def _parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog="ceportal",
        description="温州市工程技术（一）系列继续教育门户生成器（温经贸培训〔2009〕74号）",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}",
                        help="显示版本号并退出")
    parser.add_argument("-v", "--verbose", action="store_true", help="输出调试信息")
    sub = parser.add_subparsers(dest="command", metavar="命令", required=True, title="命令",
                                help="用 ceportal 命令 -h 查看各命令的选项")
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
        try:
            code = int(args._run(args))
        except Failed as exc:
            print(safe_line(f"ceportal {args.command}: {exc}"), file=sys.stderr)
            code = exc.code
        sys.stdout.flush()  # here, so that a closed pipe is seen here and not at exit
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _reader_left()
    return code


def _reader_left() -> int:
    """The reader of our output closed the pipe (``ceportal hours - | head -c1``): stop
    quietly, as Unix tools do, with the status of a process ended by SIGPIPE."""
    # Python would flush stdout again at exit and print that error: point it at nothing.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return _SIGPIPE_STATUS


if __name__ == "__main__":
    sys.exit(main())
