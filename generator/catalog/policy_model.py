"""The policy as a typed, frozen object: the names of its ids, the modules that count
toward public, the start year, what the audit's vocabulary accepts, and the plain data
the rules take.

:mod:`generator.catalog.policy` reads and checks ``policy.yaml`` into the plain dict that
:func:`generator.rules.evaluate` takes (and the calculator page receives as
``policy.json``); :meth:`Policy.from_data` wraps that dict once, and
:class:`generator.catalog.model.Catalog` holds the wrapper, so that the checker, the Excel
import and export, the pages and the tools ask one object instead of each walking the
dict its own way. Only the rules (and what runs with them in the browser: the audit,
the worker) take the plain dict, through :meth:`Policy.as_rules_data`. Standard library
only (with the format and the rules, which are too): a figure is read by the rules' own
function.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from generator.rules import figure, start_year

from .format.kinds import LEVELS, STATUSES


def _names(entries: Mapping[str, Any]) -> Mapping[str, str]:
    return MappingProxyType({
        k: str(v["name"] if isinstance(v, Mapping) else v) for k, v in entries.items()
    })


@dataclass(frozen=True)
class Policy:
    """``policy.yaml`` read and checked: names by id (``id -> Chinese``), in file order."""

    data: Mapping[str, Any] = field(repr=False)
    document: str  # the notice's number (温经贸培训〔2009〕74号)
    document_title: str
    start_year: int
    titles: Mapping[str, str]
    targets: Mapping[str, str]
    modules: Mapping[str, str]
    public_modules: frozenset[str]  # the modules that count toward public (公共必修课)
    class_modules: frozenset[str]  # the modules taught in the catalog's classes (专业选修课)
    specialties: Mapping[str, str]
    forms: Mapping[str, str]
    levels: Mapping[str, str]
    # What the audit's cells accept besides the names: other names of each target
    # (policy.yaml's aliases), and the title each target is applied for, as the basis
    # sentence says it (初级职称（技术员、助理工程师）).
    target_aliases: Mapping[str, tuple[str, ...]]
    applies_for: Mapping[str, str]
    current_titles: Mapping[str, str]  # target -> the title it is applied for from
    max_cycle_hours: float  # the most hours a cycle asks (one record above it is doubtful)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Policy:
        """The typed view of a checked policy dict (:func:`generator.catalog.policy.load_policy`)."""
        modules = data.get("modules") or {}
        targets = (data.get("promotion") or {}).get("targets") or {}
        titles = data.get("titles") or {}
        document = data.get("document") or {}
        return cls(
            data=data,
            document=str(document.get("number", "")),
            document_title=str(document.get("title", "")),
            start_year=start_year(data),  # the rules' own reading of the figure
            titles=_names(data.get("titles") or {}),
            targets=_names((data.get("promotion") or {}).get("targets") or {}),
            modules=_names(modules),
            public_modules=frozenset(
                k for k, v in modules.items() if v.get("counts_toward_public")
            ),
            class_modules=frozenset(
                k for k, v in modules.items() if v.get("taught_in_classes")
            ),
            specialties=_names(data.get("specialties") or {}),
            forms=_names(data.get("forms") or {}),
            levels=MappingProxyType(dict(LEVELS)),
            target_aliases=MappingProxyType({
                k: tuple(str(a) for a in v.get("aliases") or ()) for k, v in targets.items()
            }),
            applies_for=MappingProxyType({
                k: str(v.get("applies_for", "")) for k, v in targets.items()
            }),
            current_titles=MappingProxyType({
                k: str(v["current_title"]) for k, v in targets.items() if "current_title" in v
            }),
            max_cycle_hours=max(
                (figure(t["cycle_hours"]) for t in titles.values() if "cycle_hours" in t),
                default=0,
            ),
        )

    @property
    def document_info(self) -> Mapping[str, str]:
        """The notice as pages cite it: ``number`` and ``title``."""
        return MappingProxyType({"number": self.document, "title": self.document_title})

    def target_names(self) -> dict[str, str]:
        """Every name a target is written by (its name, its aliases) -> its id."""
        return {
            name: k
            for k, v in self.targets.items()
            for name in (v, *self.target_aliases.get(k, ()))
        }

    @property
    def ambiguous_titles(self) -> Mapping[str, tuple[str, ...]]:
        """A title's name that several targets are applied for (助理工程师: a first
        application or a promotion?) and that names no target -> those targets; the
        audit refuses such a name in its 拟申报 cell and asks which is meant."""
        names = self.target_names()
        out: dict[str, tuple[str, ...]] = {}
        for title in self.titles.values():
            both = tuple(k for k, applied in self.applies_for.items() if title in applied)
            if len(both) > 1 and title not in names and title.lower() not in self.targets:
                out[title] = both
        return MappingProxyType(out)

    @property
    def record_module(self) -> str:
        """The module a new hours record starts with: the first taught in classes (the
        catalog's courses), else the first module."""
        taught = [m for m in self.modules if m in self.class_modules]
        return (taught or list(self.modules) or [""])[0]

    def as_rules_data(self) -> Mapping[str, Any]:
        """The plain dict the rules take, exactly as the loader made it (``policy.json``)."""
        return self.data

    def enum_names(self) -> dict[str, dict[str, str]]:
        """``enum -> {id: name}`` for the catalog format's choice fields
        (:data:`generator.catalog.format.ENUM_TITLES`)."""
        return {
            "levels": dict(self.levels),
            "modules": dict(self.modules),
            "specialties": dict(self.specialties),
            "forms": dict(self.forms),
            "statuses": dict(STATUSES),
        }


def as_policy(policy: Policy | Mapping[str, Any]) -> Policy:
    """``policy`` itself, or the typed view of a policy dict."""
    return policy if isinstance(policy, Policy) else Policy.from_data(policy)


def enum_names(policy: Policy | Mapping[str, Any] | None) -> dict[str, dict[str, str]]:
    """``enum -> {id: name}`` of a policy; the levels only when there is none (its file
    could not be read: its problems are reported, the ids are not checked)."""
    if policy is None:
        return {"levels": dict(LEVELS), "statuses": dict(STATUSES)}
    return as_policy(policy).enum_names()
