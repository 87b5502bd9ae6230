"""Writing a year catalog (:class:`generator.catalog.model.YearCatalog`) as YAML text.

The import and new-year tools write year files with it, so its output must read like
the hand-written ones and load back (``ceportal check``) to an equal model:

- deterministic: the same model always gives the same bytes;
- the field order of the format (``generator.catalog.format``'s field tables, which follow
  DESIGN.md), except that the year's own fields come before the long ``courses`` and
  ``classes`` lists, as in the bundled files;
- text is written plain when every YAML reader takes it as that same text, and quoted
  otherwise: ``"0123"``, ``"NO"``, ``"10:30"``, ``"2010-1"`` stay text in editors and
  other tools too; multi-line text is a literal block (``|``);
- dates are written ``2009-05-11``; the file starts with the schema modeline.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

import yaml

from .format import Field, Format
from .format.kinds import Periods, Record, Records
from .model import FORMAT, YearCatalog

log = logging.getLogger(__name__)

MODELINE = "# yaml-language-server: $schema=./schema.json"
INDENT = "  "

_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()
# First characters that are YAML indicators (or could start one) in a plain scalar.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_INDICATORS = frozenset(",[]{}")
# YAML 1.1 also has y/n booleans, which PyYAML's resolver leaves out but other tools keep.
_EXTRA_KEYWORDS = frozenset({"y", "n", "Y", "N"})
# What YAML lets appear unescaped (see generator.catalog.loading); everything else is escaped.
_PRINTABLE = re.compile(
    "[\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*"
)
_ESCAPES = {
    "\0": "\\0",
    "\a": "\\a",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\v": "\\v",
    "\f": "\\f",
    "\r": "\\r",
    "\x1b": "\\e",
    '"': '\\"',
    "\\": "\\\\",
    "\x85": "\\N",
    "\xa0": "\\_",
    "\u2028": "\\L",
    "\u2029": "\\P",
}


def _plain_ok(text: str, flow: bool) -> bool:
    """Whether ``text`` can be written without quotes and still read back as itself."""
    if not text or text != text.strip() or not _PRINTABLE.fullmatch(text):
        return False
    if "\n" in text or "\t" in text or "\xa0" in text:
        return False
    if text[0] in _INDICATORS or ": " in text or " #" in text or text.endswith(":"):
        return False
    if flow and any(ch in _FLOW_INDICATORS for ch in text):
        return False
    if text in _EXTRA_KEYWORDS:
        return False
    if _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) != _STR_TAG:
        return False
    # Numbers, dates and times are ASCII in every YAML version; YAML 1.2 readers (the
    # editor's language server) also take 0o17 or 1e3 for numbers, so ASCII text that
    # starts like a number is quoted. "2009年度…" cannot be one and stays plain.
    return not (text.isascii() and text[0] in "0123456789+.")


def double_quoted(text: str) -> str:
    """``text`` as a double-quoted YAML scalar, escaping what YAML cannot show as is."""
    out = ['"']
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif _PRINTABLE.fullmatch(ch):
            out.append(ch)
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


def scalar(text: str, *, flow: bool = False) -> str:
    """One line of text as a YAML scalar: plain when safe, else double-quoted."""
    return text if _plain_ok(text, flow) else double_quoted(text)


def _literal_ok(text: str) -> bool:
    # A literal block keeps text exactly when lines need no escaping, the first line
    # does not start with a space (that would need an indentation indicator) and at
    # most one newline ends it (more would need "keep" chomping and careful endings).
    return (
        "\n" in text.rstrip("\n")
        and _PRINTABLE.fullmatch(text) is not None
        and not text.startswith((" ", "\n", "\t"))
        and not text.endswith("\n\n")
        and "\xa0" not in text
    )


def _text_value(key: str, text: str, indent: str) -> list[str]:
    """``key: value`` for a text field; a literal block when the text has several lines."""
    if _literal_ok(text):
        chomp = "" if text.endswith("\n") else "-"
        lines = [f"{indent}{key}: |{chomp}"]
        for line in text.rstrip("\n").split("\n"):
            lines.append(f"{indent}{INDENT}{line}" if line else "")
        return lines
    return [f"{indent}{key}: {scalar(text)}"]


def _flow_item(text: str) -> str:
    return scalar(text, flow=True)


def _field(f: Field, value: Any, lead: str) -> list[str]:
    """``key: value`` of a scalar or list field: text (codes and ids too) plain when safe,
    other values written by their kind."""
    if isinstance(value, str):
        return _text_value(f.name, value, lead)
    return [f"{lead}{f.name}: {f.kind.yaml(value, _flow_item)}"]


def _fields(obj: Any, spec: dict[str, Field], indent: str, first_prefix: str = "") -> list[str]:
    """The given fields of a record, in ``spec`` order (an optional field left empty is
    left out: no specialties means every specialty); ``first_prefix`` starts a list item."""
    lines: list[str] = []
    for name, f in spec.items():
        value = getattr(obj, name)
        if f.left_out(value):
            continue
        lead = first_prefix if not lines and first_prefix else indent
        if isinstance(f.kind, Periods):  # one flow mapping a line, as people write them
            lines.append(f"{lead}{name}:")
            lines += [f"{indent}{INDENT}- {f.kind.flow(p)}" for p in value]
            continue
        lines += _field(f, value, lead)
    return lines


def _records(key: str, records: Iterable[Any], spec: dict[str, Field]) -> list[str]:
    items = list(records)
    if not items:
        return [f"{key}: []"]
    lines = [f"{key}:"]
    for record in items:
        lines += _fields(record, spec, INDENT * 2, first_prefix=f"{INDENT}- ")
    return lines


def year_to_yaml(year: YearCatalog, fmt: Format = FORMAT) -> str:
    """The YAML text of one year file (``catalog/<year>.yaml``), ending with a newline."""
    lines = [
        MODELINE,
        f"# {year.year}年度课程目录。格式见 DESIGN.md“Catalog files”；修改后运行 ceportal check。",
    ]
    # The year's own fields first (format order), then the long lists.
    lists: list[Field] = []
    for name, f in fmt["year"].items():
        value = getattr(year, name)
        if isinstance(f.kind, Records):
            lists.append(f)
        elif f.left_out(value):
            continue
        elif isinstance(f.kind, Record):
            body = _fields(value, fmt[f.kind.record], INDENT)
            lines += [f"{name}:", *body] if body else []
        else:
            lines += _field(f, value, "")
    for f in lists:
        assert isinstance(f.kind, Records)
        lines.append("")
        lines += _records(f.name, getattr(year, f.name), fmt[f.kind.record])
    return "\n".join(lines) + "\n"
