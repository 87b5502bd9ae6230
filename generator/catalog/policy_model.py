"""The policy as a typed, frozen object: the names of its ids, the modules that count
toward public, the start year, and the plain data the rules take.

:mod:`generator.catalog.policy` reads and checks ``policy.yaml`` into the plain dict that
:func:`generator.rules.evaluate` takes (and the calculator page receives as
``policy.json``); :meth:`Policy.from_data` wraps that dict once, so that the checker, the
Excel import and export and the pages ask one object for a Chinese name instead of
each walking the dict its own way. Standard library only (with the format and the
rules, which are too): a figure is read by the rules' own function.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from generator.rules import start_year

from .format.fields import LEVELS


def _names(entries: Mapping[str, Any]) -> Mapping[str, str]:
    return MappingProxyType({
        k: str(v["name"] if isinstance(v, Mapping) else v) for k, v in entries.items()
    })


@dataclass(frozen=True)
class Policy:
    """``policy.yaml`` read and checked: names by id (``id -> Chinese``), in file order."""

    data: Mapping[str, Any] = field(repr=False)
    document: str
    start_year: int
    titles: Mapping[str, str]
    targets: Mapping[str, str]
    modules: Mapping[str, str]
    public_modules: frozenset[str]  # the modules that count toward public (公共必修课)
    class_modules: frozenset[str]  # the modules taught in the catalog's classes (专业选修课)
    specialties: Mapping[str, str]
    forms: Mapping[str, str]
    levels: Mapping[str, str]

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Policy:
        """The typed view of a checked policy dict (:func:`generator.catalog.policy.load_policy`)."""
        modules = data.get("modules") or {}
        return cls(
            data=data,
            document=str((data.get("document") or {}).get("number", "")),
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
        )

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
        }


def as_policy(policy: Policy | Mapping[str, Any]) -> Policy:
    """``policy`` itself, or the typed view of a policy dict."""
    return policy if isinstance(policy, Policy) else Policy.from_data(policy)


def enum_names(policy: Policy | Mapping[str, Any] | None) -> dict[str, dict[str, str]]:
    """``enum -> {id: name}`` of a policy; the levels only when there is none (its file
    could not be read: its problems are reported, the ids are not checked)."""
    if policy is None:
        return {"levels": dict(LEVELS)}
    return as_policy(policy).enum_names()
