"""A year file's tree typed as YAML 1.2's core schema does, as editors read it.

Written from the spec's tag-resolution table (https://yaml.org/spec/1.2.2/#1032-tag-
resolution), apart from the checker's own reading (generator.catalog.format.scalars),
so that the tests comparing the checker with the JSON Schema compare two readings.
"""

from __future__ import annotations

import math
import re
from typing import Any

from generator.catalog.loading import Node, Scalar, Sequence


def as_vscode_reads(node: Node | None) -> Any:
    """The tree typed like YAML 1.2's core schema, as VS Code's YAML extension reads it."""
    if node is None:
        return None
    if isinstance(node, Sequence):
        return [as_vscode_reads(n) for n in node.items]
    if not isinstance(node, Scalar):
        return {k: as_vscode_reads(v) for k, v in node.items.items()}
    text = node.value
    if not node.plain:
        return text
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return text.lower() == "true"
    if re.fullmatch(r"[-+]?[0-9]+", text):
        return int(text)
    if re.fullmatch(r"0o[0-7]+", text):
        return int(text[2:], 8)
    if re.fullmatch(r"0x[0-9a-fA-F]+", text):
        return int(text[2:], 16)
    if re.fullmatch(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?", text):
        return float(text)
    if re.fullmatch(r"[-+]?\.(inf|Inf|INF)", text):
        return -math.inf if text[0] == "-" else math.inf
    if re.fullmatch(r"\.(nan|NaN|NAN)", text):
        return math.nan
    return text
