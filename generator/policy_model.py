"""The policy as a typed, frozen object: the names of its ids, the modules that count
toward public, the start year, and the plain data the rules take.

:mod:`generator.policy` reads and checks ``policy.yaml`` into the plain dict that
:func:`generator.rules.evaluate` takes (and the calculator page receives as
``policy.json``); :meth:`Policy.from_data` wraps that dict once, so that the checker, the
Excel import and export and the pages ask one object for a Chinese name instead of
each walking the dict its own way. Standard library only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .catalog_format.fields import LEVELS


def figure(entry: Any) -> Any:
    """A figure's value: ``{value: 32, clause: …}`` -> 32 (a bare value as it is)."""
    return entry["value"] if isinstance(entry, Mapping) else entry


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
    specialties: Mapping[str, str]
    forms: Mapping[str, str]
    levels: Mapping[str, str]

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Policy:
        """The typed view of a checked policy dict (:func:`generator.policy.load_policy`)."""
        modules = data.get("modules") or {}
        return cls(
            data=data,
            document=str((data.get("document") or {}).get("number", "")),
            start_year=int(figure(data["start_year"])),
            titles=_names(data.get("titles") or {}),
            targets=_names((data.get("promotion") or {}).get("targets") or {}),
            modules=_names(modules),
            public_modules=frozenset(
                k for k, v in modules.items() if v.get("counts_toward_public")
            ),
            specialties=_names(data.get("specialties") or {}),
            forms=_names(data.get("forms") or {}),
            levels=MappingProxyType(dict(LEVELS)),
        )

    def as_rules_data(self) -> Mapping[str, Any]:
        """The plain dict the rules take, exactly as the loader made it (``policy.json``)."""
        return self.data

    def enum_names(self) -> dict[str, dict[str, str]]:
        """``enum -> {id: name}`` for the catalog format's choice fields
        (:data:`generator.catalog_format.ENUM_TITLES`)."""
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
