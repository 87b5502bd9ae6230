"""Loading ``catalog/policy.yaml``: the rules as data.

The result is the plain dict that :func:`generator.rules.evaluate` takes (and that the
calculator page receives as ``policy.json``): figures become numbers, everything else
stays text. The file is read with the strict loader (:mod:`generator.catalog.loading`) and its
structure is checked, so a broken policy gets ``FILE:LINE:COL`` messages like a year file.
"""

from __future__ import annotations

import logging
import re
from importlib import resources
from pathlib import Path
from typing import Any

from .loading import Mapping, Node, Scalar, Sequence, kind_name, parse_yaml, read_yaml
from .model import Mark
from .problems import CatalogError, Problem

log = logging.getLogger(__name__)

POLICY_FILE = "policy.yaml"
# Keys whose values are numbers / booleans; every other scalar stays text.
_NUMBER_KEYS = {"value"}
_BOOL_KEYS = {"counts_toward_public", "taught_in_classes", "counted", "junior"}
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


class PolicyError(CatalogError, ValueError):
    """``policy.yaml`` is missing or malformed; ``problems`` says where and why."""


# Window rules the rules implement (generator/rules/_requirements.py, _window): which years count.
PROMOTION_WINDOWS = ("since_start", "last_cycle")
CYCLE_WINDOWS = ("cycle",)
# An assumption's other reading (generator/rules/_engine.py, _reread): what it changes in
# the entries that rest on the assumption, by the kind of entry.
READING_CHANGES = {"window": "计入规则", "value": "数字", "counted": "学时类别"}


class _PolicyChecker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        # (node naming an assumption id, its path, the kind of entry resting on it: a key
        # of READING_CHANGES or ""): checked once `assumptions` is read.
        self.references: list[tuple[Node, str, str]] = []

    def error(self, mark: Mark, path: str, message: str) -> None:
        self.problems.append(Problem(mark, message, path=path))

    def convert(self, node: Node, key: str | None, path: str) -> Any:
        if isinstance(node, Mapping):
            return {k: self.convert(v, k, _join(path, k)) for k, v in node.items.items()}
        if isinstance(node, Sequence):
            return [self.convert(v, None, f"{path}[{i}]") for i, v in enumerate(node.items)]
        text = node.value
        if key in _NUMBER_KEYS:
            if not _NUMBER.match(text.strip()):
                self.error(node.mark, path, f"必须是数字，收到“{text}”")
                return None
            return float(text) if "." in text else int(text)
        if key in _BOOL_KEYS:
            if text not in ("true", "false"):
                self.error(node.mark, path, f"必须是 true 或 false，收到“{text}”")
                return None
            return text == "true"
        return text

    # -- structure: only what the rules, the catalog and the pages rely on --------------

    def mapping(
        self, node: Node | None, path: str, where: Mapping, required: tuple[str, ...] = ()
    ) -> Mapping | None:
        if node is None:
            self.error(where.mark, path, "缺少必填项")
            return None
        if not isinstance(node, Mapping):
            self.error(node.mark, path, f"应为映射，收到{kind_name(node)}")
            return None
        for key in required:
            if key not in node.items:
                self.error(node.mark, _join(path, key), "缺少必填项")
        return node

    def text(self, node: Node | None, path: str, where: Mapping) -> None:
        if node is None:
            self.error(where.mark, path, "缺少必填项")
        elif not isinstance(node, Scalar) or not node.value.strip():
            self.error(node.mark, path, "应为非空文本")

    def figure(self, node: Node | None, path: str, where: Mapping) -> None:
        """A figure: ``value`` plus ``clause`` (where the notice says it) or ``assumption``."""
        fig = self.mapping(node, path, where, ("value",))
        if fig is None:
            return
        if "clause" not in fig.items and "assumption" not in fig.items:
            self.error(
                fig.mark, path, "每个数字都要写明出处：clause（条款）或 assumption（推定代号）"
            )
        self.reference(fig, path, "value")

    def reference(self, node: Mapping, path: str, kind: str, key: str = "assumption") -> None:
        if key in node.items:
            self.references.append((node.items[key], _join(path, key), kind))

    def window(self, node: Node | None, path: str, where: Mapping, rules: tuple[str, ...]) -> None:
        """Which years count: ``rule`` (one of ``rules``) and its ``clause`` or ``assumption``."""
        window = self.mapping(node, path, where, ("rule",))
        if window is None:
            return
        rule = window.items.get("rule")
        if isinstance(rule, Scalar) and rule.value not in rules:
            self.error(rule.mark, f"{path}.rule", f"未知的计入规则“{rule.value}”，可选：{'、'.join(rules)}")
        elif rule is not None and not isinstance(rule, Scalar):
            self.error(rule.mark, f"{path}.rule", f"应为文本，收到{kind_name(rule)}")
        if "clause" not in window.items and "assumption" not in window.items:
            self.error(
                window.mark, path, "计入规则要写明出处：clause（条款）或 assumption（推定代号）"
            )
        self.reference(window, path, "window")

    def assumptions(self, node: Mapping) -> None:
        self.ids(node, "assumptions")
        for aid, a in node.items.items():
            entry = self.mapping(a, f"assumptions.{aid}", node, ())
            if entry is None:
                continue
            for key in ("text", "reason", "clause"):
                self.text(entry.items.get(key), f"assumptions.{aid}.{key}", entry)
        known = list(node.items)
        for aid, a in node.items.items():
            if isinstance(a, Mapping) and "other_reading" in a.items:
                self.other_reading(
                    a.items["other_reading"], f"assumptions.{aid}.other_reading", aid, a
                )
        for ref, path, _kind in self.references:
            if not isinstance(ref, Scalar):
                self.error(ref.mark, path, f"应为推定代号，收到{kind_name(ref)}")
            elif ref.value not in node.items:
                self.error(
                    ref.mark, path, f"assumptions 中没有“{ref.value}”，可选：{'、'.join(known)}"
                )

    def other_reading(self, node: Node, path: str, aid: str, where: Mapping) -> None:
        """An assumption's other reading: ``text`` ("若……") and what it changes in the
        entries resting on the assumption (READING_CHANGES), each of a kind that does."""
        reading = self.mapping(node, path, where, ("text",))
        if reading is None:
            return
        allowed = ("text", *READING_CHANGES)
        text = reading.items.get("text")
        if text is not None:
            self.text(text, f"{path}.text", reading)
            if isinstance(text, Scalar) and text.value.strip() and not text.value.startswith("若"):
                self.error(
                    text.mark, f"{path}.text", f"应以“若”开头（结果显示为“若……，则已达标”），收到“{text.value}”"
                )
        changes = [key for key in reading.items if key in READING_CHANGES]
        for key, key_node in reading.keys.items():
            if key not in allowed:
                self.error(key_node.mark, f"{path}.{key}", f"不认识的项，可用：{'、'.join(allowed)}")
        if not changes:
            self.error(
                reading.mark, path, f"要写明另一种理解改变什么：{'、'.join(READING_CHANGES)} 之一"
            )
        kinds = {kind for ref, _path, kind in self.references
                 if isinstance(ref, Scalar) and ref.value == aid}
        for key in changes:
            value = reading.items[key]
            if key not in kinds:
                self.error(
                    value.mark, f"{path}.{key}",
                    f"没有以“{aid}”为依据的{READING_CHANGES[key]}，{key} 无从改变",
                )
            if key == "window" and not (
                isinstance(value, Scalar) and value.value in PROMOTION_WINDOWS + CYCLE_WINDOWS
            ):
                shown = value.value if isinstance(value, Scalar) else kind_name(value)
                self.error(
                    value.mark, f"{path}.window",
                    f"未知的计入规则“{shown}”，可选：{'、'.join(PROMOTION_WINDOWS + CYCLE_WINDOWS)}",
                )

    def ids(self, node: Mapping, path: str) -> None:
        for key, key_node in node.keys.items():
            if not _ID.match(key):
                self.error(
                    key_node.mark, _join(path, key), "代号只能用小写字母、数字和下划线，以字母开头"
                )

    def check(self, root: Mapping) -> None:
        for key in (
            "document",
            "start_year",
            "titles",
            "promotion",
            "modules",
            "forms",
            "specialties",
            "assumptions",
        ):
            if key not in root.items:
                self.error(root.mark, key, "缺少必填项")
        if "start_year" in root.items:
            self.figure(root.items["start_year"], "start_year", root)
        titles = (
            self.mapping(root.items.get("titles"), "titles", root)
            if "titles" in root.items
            else None
        )
        if titles is not None:
            self.ids(titles, "titles")
            for tid, t in titles.items.items():
                tpath = f"titles.{tid}"
                title = self.mapping(t, tpath, titles)
                if title is None:
                    continue
                self.text(title.items.get("name"), f"{tpath}.name", title)
                self.aliases(title, tpath)
                for fig in ("cycle_years", "cycle_hours", "public_hours"):
                    self.figure(title.items.get(fig), f"{tpath}.{fig}", title)
        promotion = (
            self.mapping(
                root.items.get("promotion"), "promotion", root, ("public_per_year", "targets")
            )
            if "promotion" in root.items
            else None
        )
        if promotion is not None:
            if "public_per_year" in promotion.items:
                self.figure(
                    promotion.items["public_per_year"], "promotion.public_per_year", promotion
                )
            targets = (
                self.mapping(promotion.items.get("targets"), "promotion.targets", promotion)
                if "targets" in promotion.items
                else None
            )
            if targets is not None:
                self.ids(targets, "promotion.targets")
                for gid, g in targets.items.items():
                    self.target(g, f"promotion.targets.{gid}", targets, titles)
        modules = (
            self.mapping(root.items.get("modules"), "modules", root)
            if "modules" in root.items
            else None
        )
        if modules is not None:
            self.ids(modules, "modules")
            for mid, m in modules.items.items():
                module = self.mapping(
                    m, f"modules.{mid}", modules, ("name", "counts_toward_public")
                )
                if module is not None and "name" in module.items:
                    self.text(module.items["name"], f"modules.{mid}.name", module)
                if module is not None:
                    self.aliases(module, f"modules.{mid}")
                if module is not None:
                    self.reference(module, f"modules.{mid}", "counted")
        cycle = root.items.get("cycle")
        if isinstance(cycle, Mapping):
            self.window(cycle.items.get("window"), "cycle.window", cycle, CYCLE_WINDOWS)
        elif cycle is None:
            self.error(root.mark, "cycle", "缺少必填项")
        else:
            self.error(cycle.mark, "cycle", f"应为映射，收到{kind_name(cycle)}")
        for section in ("forms", "specialties"):
            node = (
                self.mapping(root.items.get(section), section, root)
                if section in root.items
                else None
            )
            if node is not None:
                self.ids(node, section)
                for k, v in node.items.items():
                    self.text(v, f"{section}.{k}", node)
        self.unique_names(titles, "titles")
        self.unique_names(modules, "modules")
        if promotion is not None and isinstance(promotion.items.get("targets"), Mapping):
            self.unique_names(promotion.items["targets"], "promotion.targets")  # type: ignore[arg-type]
        if "audit" in root.items:
            self.audit(root.items["audit"])
        assumptions = root.items.get("assumptions")
        if assumptions is not None:
            checked = self.mapping(assumptions, "assumptions", root)
            if checked is not None:
                self.assumptions(checked)

    def aliases(self, entry: Mapping, path: str, key: str = "aliases") -> None:
        """An optional list of other names (of a title, a target, a module, an audit column)."""
        aliases = entry.items.get(key)
        if isinstance(aliases, Sequence):
            for i, alias in enumerate(aliases.items):
                self.text(alias, f"{path}.{key}[{i}]", entry)
        elif aliases is not None:
            self.error(aliases.mark, _join(path, key), f"应为名称的列表，收到{kind_name(aliases)}")

    def unique_names(self, section: Mapping | None, path: str) -> None:
        """A name or alias that means two entries of ``section`` would make the audit guess."""
        if section is None:
            return
        seen: dict[str, str] = {}
        for key, entry in section.items.items():
            if not isinstance(entry, Mapping):
                continue
            names = [entry.items.get("name")]
            aliases = entry.items.get("aliases")
            if isinstance(aliases, Sequence):
                names += aliases.items
            for node in names:
                if not isinstance(node, Scalar):
                    continue
                other = seen.setdefault(node.value, key)
                if other != key:
                    self.error(node.mark, f"{path}.{key}",
                               f"名称“{node.value}”也是 {path}.{other} 的名称或别名")

    def audit(self, node: Node) -> None:
        audit = self.mapping(node, "audit", node) if isinstance(node, Mapping) else None
        if audit is None:
            if not isinstance(node, Mapping):
                self.error(node.mark, "audit", f"应为映射，收到{kind_name(node)}")
            return
        headers = audit.items.get("headers")
        if headers is None:
            return
        if not isinstance(headers, Mapping):
            self.error(headers.mark, "audit.headers", f"应为映射，收到{kind_name(headers)}")
            return
        self.ids(headers, "audit.headers")
        for fid in headers.items:
            self.aliases(headers, "audit.headers", fid)

    def target(self, node: Node, path: str, where: Mapping, titles: Mapping | None) -> None:
        target = self.mapping(node, path, where)
        if target is None:
            return
        self.text(target.items.get("name"), f"{path}.name", target)
        self.text(target.items.get("applies_for"), f"{path}.applies_for", target)
        self.aliases(target, path)
        self.window(target.items.get("window"), f"{path}.window", target, PROMOTION_WINDOWS)
        if "stated_through" in target.items:
            self.figure(target.items["stated_through"], f"{path}.stated_through", target)
            if "after_stated" not in target.items:
                self.error(
                    target.mark,
                    f"{path}.after_stated",
                    "写了 stated_through 就要写明此后年度依据的推定代号",
                )
            self.reference(target, path, "", "after_stated")
        current = target.items.get("current_title")
        if current is None:  # a first application: its own figures
            for fig in ("hours", "public_hours"):
                self.figure(target.items.get(fig), f"{path}.{fig}", target)
        elif not isinstance(current, Scalar):
            self.error(
                current.mark, f"{path}.current_title", f"应为职称代号，收到{kind_name(current)}"
            )
        elif titles is not None and current.value not in titles.items:
            self.error(
                current.mark,
                f"{path}.current_title",
                f"titles 中没有“{current.value}”，可选：{'、'.join(titles.items)}",
            )


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def check_policy(
    root: Node | None, problems: list[Problem], source: str
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Check a loaded policy tree: ``(policy dict or None, problems)``."""
    if root is None:
        if not problems:
            problems = [Problem(Mark(source, 1, 1), "规则文件是空的")]
        return None, problems
    checker = _PolicyChecker()
    if not isinstance(root, Mapping):
        checker.error(root.mark, "", f"policy.yaml 顶层必须是映射，收到{kind_name(root)}")
        return None, [*problems, *checker.problems]
    checker.check(root)
    data = checker.convert(root, None, "")
    found = [*problems, *checker.problems]
    return (None if found else data), found


def read_policy(catalog_dir: str | Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    """``<catalog_dir>/policy.yaml`` checked: ``(policy dict or None, problems)``."""
    path = Path(catalog_dir) / POLICY_FILE
    if not path.is_file():
        return None, [
            Problem(
                Mark(str(path), 1, 1),
                f"找不到规则文件 {POLICY_FILE}：请检查目录文件夹 {catalog_dir}",
            )
        ]
    root, problems = read_yaml(path)
    return check_policy(root, problems, str(path))


def policy_from_text(text: str | bytes, source: str = POLICY_FILE) -> dict[str, Any]:
    """The policy dict from the text of a ``policy.yaml``; raises :class:`PolicyError`."""
    root, problems = parse_yaml(text, source)
    policy, problems = check_policy(root, problems, source)
    if policy is None:
        raise PolicyError(problems)
    return policy


def load_policy(catalog_dir: str | Path) -> dict[str, Any]:
    """Read ``<catalog_dir>/policy.yaml`` into the plain dict the rules use.

    Raises :class:`PolicyError` (with ``FILE:LINE:COL`` problems) when it is missing or
    malformed.
    """
    policy, problems = read_policy(catalog_dir)
    if policy is None:
        raise PolicyError(problems)
    return policy


# The notice's policy travels with the package (generator/data/policy.yaml is
# catalog/policy.yaml), so `ceportal hours` and `ceportal audit` work from any folder.
SHIPPED = "ceportal 自带的规则文件 policy.yaml"


def shipped_policy() -> dict[str, Any]:
    """The policy shipped with ceportal (温经贸培训〔2009〕74号); raises :class:`PolicyError`."""
    text = resources.files("generator").joinpath("data", POLICY_FILE).read_bytes()
    return policy_from_text(text, SHIPPED)


def policy_for(catalog_dir: str | Path | None) -> dict[str, Any]:
    """``<catalog_dir>/policy.yaml``, or the shipped policy when no folder is named."""
    return shipped_policy() if catalog_dir is None else load_policy(catalog_dir)
