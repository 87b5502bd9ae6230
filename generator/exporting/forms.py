"""The registration form's definition, read from ``generator/data/registration_form.yaml``."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib import resources

import yaml

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Field:
    id: str
    label: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Form:
    title: str
    instructions: str
    fields: tuple[Field, ...]
    approval: str


def registration_form() -> Form:
    """The registration form (附件2) as defined in the package's data file."""
    text = resources.files("generator").joinpath("data/registration_form.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return Form(
        title=str(data["title"]),
        instructions=str(data["instructions"]),
        fields=tuple(
            Field(str(f["id"]), str(f["label"]), tuple(str(c) for c in f.get("choices", ())))
            for f in data["fields"]
        ),
        approval=str(data["approval"]),
    )
