"""Checking the fields of a year file's mappings against the format's declaration.

:class:`FieldChecker` walks a mapping by a field table of :mod:`generator.catalog.format`
(unknown keys, missing and empty fields) and has each value read by its field's kind
(:mod:`generator.catalog.format.kinds`); lists of ids and codes are walked here, item by
item. Each refusal is a :class:`generator.catalog.problems.Problem` at the value's mark,
with its field path. The records and the checks across them are
:mod:`generator.catalog.year_checker`'s.
"""

from __future__ import annotations

import difflib
import logging
from typing import Any

from .format import Field, Format, ReadContext, Refused
from .format.kinds import Choices, Codes, finite
from .format.scalars import NULL_WORDS, yaml_number
from .loading import Mapping, Node, Scalar, Sequence, kind_name
from .model import FORMAT, Mark
from .policy_model import Policy, as_policy, enum_names
from .problems import Problem

log = logging.getLogger(__name__)

MISSING = object()  # a field left out (or left empty): distinct from a refused value


class FieldChecker:
    """Checks the fields of one year file's mappings, by the format's declaration:
    reporting (``error``/``warning``), a mapping's fields (:meth:`fields`), and one
    converter per kind of scalar (:attr:`scalars`) and list (:attr:`nested`)."""

    def __init__(
        self,
        source: str,
        policy: Policy | dict[str, Any] | None,
        year: int | None,
        fmt: Format = FORMAT,
    ) -> None:
        self.source = source
        self.year = year
        self.format = fmt
        self.enums = enum_names(policy)  # the ids each choice allows
        self.context = ReadContext(self.enums, year, source)
        # The modules whose courses only classes teach (policy.yaml's taught_in_classes).
        self.class_modules = frozenset() if policy is None else as_policy(policy).class_modules
        self.problems: list[Problem] = []

    # -- reporting ----------------------------------------------------------------------

    def error(self, mark: Mark, path: str, message: str) -> None:
        self.problems.append(Problem(mark, message, path=path))

    def warning(self, mark: Mark, path: str, message: str) -> None:
        self.problems.append(Problem(mark, message, "warning", path))

    # -- fields -------------------------------------------------------------------------

    def fields(self, node: Node, path: str, spec: dict[str, Field]) -> dict[str, Any] | None:
        """Convert a mapping's fields by ``spec``; missing/empty fields map to MISSING."""
        if not isinstance(node, Mapping):
            if not (isinstance(node, Scalar) and node.broken):
                self.error(node.mark, path, f"应为映射（“键: 值”的形式），收到{self._got(node)}")
            return None
        for key, key_node in node.keys.items():
            if key not in spec:
                close = difflib.get_close_matches(key, spec, n=1, cutoff=0.6)
                hint = (
                    f"（是否应为“{close[0]}”？）" if close else f"，可用的字段：{'、'.join(spec)}"
                )
                self.error(key_node.mark, join_path(path, key), f"未知字段{hint}")
        values: dict[str, Any] = {}
        for name, f in spec.items():
            child = node.items.get(name)
            field_path = join_path(path, name)
            if child is None or is_empty(child, f):
                if f.required:
                    self.error(
                        child.mark if child is not None else node.mark,
                        field_path,
                        f"缺少必填字段（{f.title}）" if child is None else f"{f.title}不能为空",
                    )
                values[name] = MISSING
                continue
            values[name] = self.value(child, field_path, f)
        return values

    def value(self, node: Node, path: str, f: Field) -> Any:
        """The converted value, or None when refused (after reporting why)."""
        if isinstance(node, Scalar) and node.broken:
            return None
        if isinstance(f.kind, (Choices, Codes)):
            return self.scalar_list(node, path, f)
        if not f.kind.scalar:
            return self.nested(node, path, f)
        if not isinstance(node, Scalar):
            self.error(node.mark, path, f"应为{f.expects}，收到{kind_name(node)}")
            return None
        text = node.value.strip()
        if f.kind.number and not node.plain and yaml_number(text) is not None:
            # A quoted number is text (as in editors and the JSON Schema): README,
            # "Catalog files".
            self.error(
                node.mark, path, f"{f.title}要写成数字，不能加引号：请去掉“{text}”两边的引号"
            )
            return None
        return self.read(text, node, path, f)

    def read(self, text: str, node: Scalar, path: str, f: Field) -> Any:
        """A scalar read by ``f``'s kind, or None when refused (after reporting why)."""
        try:
            return f.kind.read_yaml(text, f, self.context, plain=node.plain)
        except Refused as refused:
            self.error(node.mark, path, str(refused))
            return None

    def nested(self, node: Node, path: str, f: Field) -> Any:
        """A record or a list of records (:class:`generator.catalog.year_checker.YearChecker`)."""
        raise NotImplementedError(f.name)

    def scalar_list(self, node: Node, path: str, f: Field) -> tuple[str, ...] | None:
        assert isinstance(f.kind, (Choices, Codes))
        if not isinstance(node, Sequence):
            self.error(node.mark, path, f"应为列表，如 [{f.kind.example}]，收到{self._got(node)}")
            return None
        result: list[str] = []
        seen: dict[str, int] = {}
        ok = True
        for i, item in enumerate(node.items):
            item_path = f"{path}[{i}]"
            if isinstance(item, Scalar) and item.broken:
                ok = False
                continue
            if not isinstance(item, Scalar) or not item.value.strip():
                self.error(item.mark, item_path, f"应为{f.expects}，收到{self._got(item)}")
                ok = False
                continue
            text = item.value.strip()
            if text in seen:
                self.error(item.mark, item_path, f"“{text}”重复列出（第{seen[text]}行已有）")
                continue
            seen[text] = item.mark.line
            if self.read(text, item, item_path, f) is None:
                ok = False
                continue
            result.append(text)
        if f.kind.too_few and len(node.items) < f.limits.get("min_items", 0):
            self.error(node.mark, path, f.kind.too_few)
        return tuple(result) if ok else None

    @staticmethod
    def _got(node: Node) -> str:
        if isinstance(node, Scalar):
            return f"文本“{node.value}”" if node.value else "空值"
        return kind_name(node)


def join_path(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def is_empty(node: Node, f: Field) -> bool:
    """Whether a value was left empty: blank, or (where the field is not text) a YAML null
    word such as ``~``, which editors and the JSON Schema read as null. Text stays text."""
    if not isinstance(node, Scalar) or node.broken:
        return False
    text = node.value.strip()
    return text == "" or (node.plain and f.kind.null_empty() and text in NULL_WORDS)


__all__ = ["MISSING", "FieldChecker", "finite", "is_empty", "join_path"]
