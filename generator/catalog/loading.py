"""The strict YAML loader: catalog text in, a tree of marked text nodes out.

PyYAML's own loaders retype values silently (``0123`` -> 83, ``NO`` -> False,
``10:30`` -> 630), keep the last of two duplicate keys, expand alias bombs and fail on a
GBK file with a byte offset. This loader reads the parser's *events* (libyaml's C parser
when present, PyYAML's pure one otherwise) and composes its own tree, so that:

- every scalar stays text (:class:`Scalar`); the validator converts what the schema asks;
- every node keeps its file, line and column (1-based) as :class:`generator.catalog.model.Mark`;
- duplicate keys, anchors, aliases and tags are refused, naming the place(s);
- the bytes must be UTF-8 (a BOM is fine); GBK, UTF-16, control characters, files
  over 5 MB and deep nesting get a message an editor can act on.

:func:`parse_yaml` returns the tree and every problem it found (it goes on past
duplicate keys and the like, and stops only at a syntax error); :func:`load_yaml`
raises :class:`generator.catalog.problems.CatalogError` instead.

One module of some 500 lines on purpose: the byte checks, the composer and the syntax
error messages are one reader, and each needs the others' marks and limits.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from generator.common.inputs import InputRefused, open_regular, outside
from generator.common.textcodec import looks_like_gbk
from generator.resources import package_dir

from .model import Mark
from .problems import MAX_LISTED, CatalogError, Problem

log = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 32  # a year file needs 4 levels; anything near this is a mistake or an attack
# Values (scalars, lists, mappings) in one file: 10,000 courses (5 MB) hold some 140,000;
# a file of 2 million one-letter list items is refused here, in a second or two, before
# it costs memory and a checker's time.
MAX_NODES = 200_000

try:  # libyaml's parser is several times faster; the pure one gives the same events.
    from yaml._yaml import CParser as _CParser

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    HAVE_LIBYAML = False


class _PyParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    """PyYAML's pure-Python reader, scanner and parser, without composer or constructor."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)

    def dispose(self) -> None:
        pass


# --- the tree --------------------------------------------------------------------------


class _Located:
    """Where a node was written. The :class:`Mark` is made on demand: a big file has
    hundreds of thousands of nodes and only the few that are reported need one."""

    __slots__ = ("source", "line", "column")

    source: str
    line: int
    column: int

    @property
    def mark(self) -> Mark:
        """File, 1-based line and column of the node."""
        return Mark(self.source, self.line, self.column)

    def _at(self, mark: Mark) -> None:
        self.source, self.line, self.column = mark.file, mark.line, mark.column


class Scalar(_Located):
    """A scalar, always as text. ``plain`` is False for quoted and block scalars.

    ``broken`` marks a node that stands in for something already reported (an alias):
    the validator skips it rather than reporting a second, confusing problem.
    """

    __slots__ = ("value", "plain", "broken")

    def __init__(self, value: str, mark: Mark, plain: bool = True, broken: bool = False) -> None:
        self._at(mark)
        self.value, self.plain, self.broken = value, plain, broken

    def __repr__(self) -> str:
        return f"Scalar({self.value!r}, {self.mark}, plain={self.plain})"


class Mapping(_Located):
    """A mapping with text keys, in file order; ``keys`` keeps each key's own node."""

    __slots__ = ("items", "keys")

    def __init__(self, mark: Mark) -> None:
        self._at(mark)
        self.items: dict[str, Node] = {}
        self.keys: dict[str, Scalar] = {}

    def __repr__(self) -> str:
        return f"Mapping({self.mark}, {list(self.items)})"


class Sequence(_Located):
    """A sequence of nodes."""

    __slots__ = ("items",)

    def __init__(self, mark: Mark) -> None:
        self._at(mark)
        self.items: list[Node] = []

    def __repr__(self) -> str:
        return f"Sequence({self.mark}, {len(self.items)} items)"


def _scalar(value: str, source: str, line: int, column: int, plain: bool) -> Scalar:
    # The composer's fast path: no Mark object, no keyword handling.
    node = Scalar.__new__(Scalar)
    node.source, node.line, node.column = source, line, column
    node.value, node.plain, node.broken = value, plain, False
    return node


Node = Scalar | Mapping | Sequence


def kind_name(node: Node) -> str:
    """How a node is called in messages: 文本, 映射 or 列表."""
    if isinstance(node, Mapping):
        return "映射"
    if isinstance(node, Sequence):
        return "列表"
    return "文本"


def to_plain(node: Node | None) -> Any:
    """The tree as plain ``str``/``list``/``dict`` values (marks dropped)."""
    if node is None:
        return None
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Sequence):
        return [to_plain(n) for n in node.items]
    return {k: to_plain(v) for k, v in node.items.items()}


# --- bytes to text ---------------------------------------------------------------------

# Characters YAML does not allow in a stream (C0/C1 controls except tab, LF, CR, NEL;
# surrogates; U+FFFE/U+FFFF). Checked up front so the message can name line and column.
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _too_large(size: int, source: str) -> Problem:
    return Problem(
        Mark(source, 1, 1),
        f"文件过大（{size / 1024 / 1024:.1f} MB），上限为 5 MB：请按年度拆分或精简内容",
    )


def _decode(data: bytes, source: str) -> str:
    """Strict UTF-8 (a leading BOM is dropped); raises CatalogError with the place."""
    if len(data) > MAX_BYTES:
        raise CatalogError([_too_large(len(data), source)])
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CatalogError(
            [Problem(Mark(source, 1, 1), "不是 UTF-8 编码（看起来是 UTF-16）：请另存为 UTF-8")]
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start
        line = data.count(b"\n", 0, start) + 1
        line_start = data.rfind(b"\n", 0, start) + 1
        column = len(data[line_start:start].decode("utf-8", "replace")) + 1
        guess = "（看起来是 GBK）" if looks_like_gbk(data, start) else ""
        raise CatalogError(
            [Problem(Mark(source, line, column), f"不是 UTF-8 编码{guess}：请另存为 UTF-8")]
        ) from None


def _check_text(text: str, source: str) -> None:
    if len(text) > MAX_BYTES:  # characters, for text given directly; bytes were checked
        raise CatalogError(
            [Problem(Mark(source, 1, 1), "文件过大，上限为 5 MB：请按年度拆分或精简内容")]
        )
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        line, column = _line_col(text, bad.start())
        raise CatalogError(
            [
                Problem(
                    Mark(source, line, column),
                    f"含有不可见的控制字符 U+{ord(bad.group()):04X}：请删除该字符（常见于从 Excel 或网页复制的文字）",
                )
            ]
        )


# --- syntax errors in Chinese ------------------------------------------------------------

_CLOSERS = {"]": "流式列表“[ … ]”", "}": "流式映射“{ … }”"}


def _after_quote(text: str, line: int, column: int) -> bool:
    """Whether the text before (line, column) on its line ends with a closing quote."""
    lines = text.splitlines()
    before = lines[line][:column].rstrip() if line < len(lines) else ""
    return before.endswith(("'", '"')) and before.count(before[-1]) >= 2


def _syntax_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[Any, str]:
    """Where to point and a Chinese message, for libyaml's and PyYAML's syntax errors.

    The two parsers word their errors differently; both are recognised. An unclosed
    bracket or quote is reported where it opens (the parser notices only later).
    """
    problem = exc.problem or ""
    context = exc.context or ""
    mark, opened = exc.problem_mark, exc.context_mark
    ch = ""
    if mark is not None:
        lines = text.splitlines()
        if mark.line < len(lines) and mark.column < len(lines[mark.line]):
            ch = lines[mark.line][mark.column]
    if "tab" in problem or (ch == "\t" and "cannot start any token" in problem):
        return mark, "不能用制表符（Tab）缩进：请改用空格"
    if "cannot start any token" in problem:
        return mark, f"“{ch}”不能作为值的开头：请给整个值加引号"
    for closer, what in _CLOSERS.items():
        if f"',' or '{closer}'" in problem and opened is not None:
            return opened, (
                f"{what}没有正确结束：缺少“{closer}”，或项之间缺少“,”；"
                f"值中含有“,”“:”“[”等符号时请给整个值加引号"
            )
    if "quoted scalar" in context and opened is not None:
        return opened, "引号没有闭合：请在值的末尾补上同样的引号"
    if "mapping values are not allowed" in problem:
        return mark, "这里不能出现“: ”：值中含有冒号时请给整个值加引号，或检查缩进"
    block = "block mapping" in context or "block collection" in context or "block end" in problem
    if block and mark is not None and _after_quote(text, mark.line, mark.column):
        return mark, "引号后面不能再有文字：请把整个值都放在引号内"
    if block:
        align = f"与第{opened.line + 1}行" if opened is not None else ""
        return mark, f"缩进不一致：同一层的键或列表项（“- ”）必须{align}左对齐"
    if "could not find expected ':'" in problem or "simple key" in context:
        return mark, "缺少“: ”：每个键后面要有冒号和空格，或检查上一行的引号"
    if "tag" in problem:
        return mark, "不支持 YAML 标签（以“!”开头）：直接写出值即可"
    if "anchor" in context or "alias" in context:
        return mark, "不支持锚点（&）和别名（*）：请直接写出内容，如果“&”“*”是值的一部分请加引号"
    detail = f"{context}: {problem}" if context else problem
    return mark, f"YAML 语法错误：{detail}"


# --- composing events into the tree ---------------------------------------------------------

_NO_KEY = object()  # a mapping frame waiting for a key
_BAD_KEY = object()  # the key was refused: drop the value that follows


class _Frame:
    __slots__ = ("node", "key")

    def __init__(self, node: Mapping | Sequence) -> None:
        self.node = node
        self.key: Any = _NO_KEY


def _tag_text(tag: str) -> str:
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix) :] if tag.startswith(prefix) else tag


class _Composer:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.stack: list[_Frame] = []
        self.root: Node | None = None
        self.nodes = 0

    def mark(self, event: Event) -> Mark:
        m = event.start_mark
        assert m is not None  # both parsers mark every event
        return Mark(self.source, m.line + 1, m.column + 1)

    def path(self) -> str:
        """The field path of the node being composed, e.g. ``courses[3].hours``."""
        parts: list[str] = []
        for frame in self.stack:
            if isinstance(frame.node, Sequence):
                parts.append(f"[{len(frame.node.items)}]")
            elif isinstance(frame.key, Scalar):
                parts.append(("." if parts else "") + frame.key.value)
        return "".join(parts)

    def problem(self, mark: Mark, message: str) -> None:
        path = self.path()
        self.problems.append(Problem(mark, message, path=path))

    def check_props(self, event: Any, mark: Mark) -> None:
        if event.anchor is not None:
            self.problem(mark, f"不支持锚点“&{event.anchor}”：请直接写出内容")
        tag = event.tag
        if tag is not None and not (isinstance(event, ScalarEvent) and tag == "!"):
            self.problem(mark, f"不支持 YAML 标签“{_tag_text(tag)}”：直接写出值即可")

    def attach(self, node: Node) -> None:
        if not self.stack:
            self.root = node
            return
        frame = self.stack[-1]
        parent = frame.node
        if isinstance(parent, Sequence):
            parent.items.append(node)
            return
        if frame.key is _NO_KEY:
            if isinstance(node, Scalar) and not node.broken:
                frame.key = node
            else:
                if not (isinstance(node, Scalar) and node.broken):
                    self.problem(node.mark, f"键必须是简单文本，收到{kind_name(node)}")
                frame.key = _BAD_KEY
            return
        key = frame.key
        frame.key = _NO_KEY
        if key is _BAD_KEY:
            return
        assert isinstance(key, Scalar)
        first = parent.keys.get(key.value)
        if first is not None:
            frame.key = key  # so that the path names the duplicate key
            self.problem(
                key.mark,
                f"重复的键“{key.value}”（第{first.mark.line}行已有同名键）：请删除或合并其中一个",
            )
            frame.key = _NO_KEY
            return
        parent.keys[key.value] = key
        parent.items[key.value] = node

    def too_many(self, mark: Mark) -> None:
        raise CatalogError([*self.problems[:MAX_LISTED], Problem(
            mark, f"内容过多：一个文件最多 {MAX_NODES:,} 项（值、列表和映射），"
                  "已停止读取：请检查是否有异常长的列表，或按年度拆分")])

    def open(self, node: Mapping | Sequence, event: Event) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self.too_many(node.mark)
        if len(self.stack) >= MAX_DEPTH:
            raise CatalogError(
                [*self.problems, Problem(node.mark, f"嵌套超过 {MAX_DEPTH} 层：请检查缩进或括号")]
            )
        self.stack.append(_Frame(node))

    def close(self) -> None:
        frame = self.stack.pop()
        self.attach(frame.node)

    def compose(self, parser: Any) -> Node | None:
        """Build the tree from the parser's events (a hot loop: scalars take a fast path)."""
        get = parser.get_event
        source = self.source
        stack = self.stack
        documents = 0
        while True:
            event = get()
            cls = type(event)
            if cls is ScalarEvent:
                m = event.start_mark
                if event.anchor is not None or event.tag is not None:
                    self.check_props(event, self.mark(event))
                node = _scalar(event.value, source, m.line + 1, m.column + 1, not event.style)
                self.nodes += 1
                if self.nodes > MAX_NODES:
                    self.too_many(node.mark)
                if stack:  # the common cases inline; the rest (and problems) in attach()
                    frame = stack[-1]
                    parent = frame.node
                    if isinstance(parent, Sequence):
                        parent.items.append(node)
                        continue
                    key = frame.key
                    if key is _NO_KEY:
                        frame.key = node
                        continue
                    if isinstance(key, Scalar) and key.value not in parent.keys:
                        frame.key = _NO_KEY
                        parent.keys[key.value] = key
                        parent.items[key.value] = node
                        continue
                self.attach(node)
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                mark = self.mark(event)
                if event.anchor is not None or event.tag is not None:
                    self.check_props(event, mark)
                self.open(Mapping(mark) if cls is MappingStartEvent else Sequence(mark), event)
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                self.close()
            elif cls is AliasEvent:
                mark = self.mark(event)
                self.problem(mark, f"不支持别名“*{event.anchor}”：请直接写出内容")
                self.attach(Scalar("", mark, plain=False, broken=True))
            elif cls is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    self.problems.append(
                        Problem(
                            self.mark(event),
                            "一个文件只能有一个 YAML 文档：请删除第二个“---”及其后的内容，或拆成两个文件",
                        )
                    )
                    break
            elif cls is StreamEndEvent:
                break
        return self.root


def parse_yaml(
    data: bytes | str, source: str = "<text>", *, pure: bool = False
) -> tuple[Node | None, list[Problem]]:
    """Parse one YAML document strictly: ``(tree, problems)``; tree is None when empty.

    Problems that leave the rest readable (a duplicate key, an alias, a tag) are
    collected and parsing goes on; an unreadable file (encoding, a syntax error, too
    large or too deep) gives ``(None, [that problem, …])``. ``pure`` forces PyYAML's
    pure-Python parser (for tests; libyaml is used when present).
    """
    try:
        if isinstance(data, bytes):
            text = _decode(data, source)
            raw = data.removeprefix(b"\xef\xbb\xbf")
        else:
            text = data.removeprefix("\ufeff")
            raw = None
        _check_text(text, source)
    except CatalogError as exc:
        return None, exc.problems
    composer = _Composer(source)
    if pure or not HAVE_LIBYAML:
        parser: Any = _PyParser(text)
    else:
        # libyaml reads UTF-8 bytes faster than str (which it would encode first);
        # its columns count characters either way.
        parser = _CParser(raw if raw is not None else text.encode("utf-8"))
    try:
        root = composer.compose(parser)
    except CatalogError as exc:
        return None, exc.problems
    except yaml.MarkedYAMLError as exc:
        m, message = _syntax_error(exc, text)
        mark = Mark(source, m.line + 1, m.column + 1) if m is not None else Mark(source, 1, 1)
        return None, [*composer.problems, Problem(mark, message)]
    except yaml.YAMLError as exc:  # ReaderError: excluded by _check_text, kept as a guard
        return None, [*composer.problems, Problem(Mark(source, 1, 1), f"YAML 读取错误：{exc}")]
    finally:
        parser.dispose()
    return root, composer.problems


def load_yaml(data: bytes | str, source: str = "<text>") -> Node | None:
    """:func:`parse_yaml`, raising :class:`CatalogError` when it found any problem."""
    root, problems = parse_yaml(data, source)
    if problems:
        raise CatalogError(problems)
    return root


def _portal_of(folder: Path) -> list[Path]:
    """The portal folder that holds ``folder`` (the nearest one with ``mkdocs.yml``), if any:
    a catalog folder kept deeper inside a portal (``--catalog tests/x``) may link to the
    portal's own files."""
    for candidate in (folder, *folder.parents):
        if (candidate / "mkdocs.yml").is_file():
            return [candidate]
    return []


def read_bytes(path: str | Path) -> tuple[bytes | None, list[Problem]]:
    """A catalog file's bytes, or ``(None, [why not])`` when it cannot be read, is too
    large, is not a regular file or resolves outside the portal folder (a link out of it:
    the catalog folder or the folder that holds it); the problem's mark names the path as
    given, and nothing of an unread file is ever shown."""
    source = str(path)
    folder = Path(os.path.abspath(path)).parent
    # ceportal's own data (the shipped policy, a link to catalog/policy.yaml in a
    # checkout) is not a portal's file: the boundary is the portal folder's.
    shipped = folder.is_relative_to(package_dir())
    if not shipped and outside(path, folder, folder.parent, *_portal_of(folder)):
        return None, [Problem(Mark(source, 1, 1), "文件链接到门户文件夹之外，未读取：目录文件和 "
                                                  "policy.yaml 须在门户文件夹之内，请改为文件夹内的文件")]
    try:
        with open_regular(path) as f:
            size = os.fstat(f.fileno()).st_size
            if size > MAX_BYTES:  # refused unread
                return None, [_too_large(size, source)]
            return f.read(MAX_BYTES + 1), []  # a file still growing is cut here and refused
    except InputRefused as exc:
        return None, [Problem(Mark(source, 1, 1), f"文件{exc}")]
    except OSError as exc:
        return None, [Problem(Mark(source, 1, 1), f"无法读取文件：{exc.strerror}")]


def read_yaml(path: str | Path) -> tuple[Node | None, list[Problem]]:
    """:func:`parse_yaml` of a file; the marks name the path as given."""
    data, problems = read_bytes(path)
    if data is None:
        return None, problems
    return parse_yaml(data, str(path))
