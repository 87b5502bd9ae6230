"""The registration form's definition, read from ``generator/data/registration_form.yaml``,
and its table as a grid of cells that the .docx and the .xlsx both draw."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml

from generator.catalog.memo import from_files

log = logging.getLogger(__name__)

MIN_ROW_MM = 8  # the least height a hand can write in


@dataclass(frozen=True)
class FormField:
    id: str
    label: str
    choices: tuple[str, ...] = ()
    text: bool = False  # digits that must stay text (ID and phone numbers)
    length: int | None = None  # the exact number of characters (the ID number's 18)


@dataclass(frozen=True)
class Row:
    fields: tuple[str, ...]
    height_mm: float


@dataclass(frozen=True)
class Photo:
    label: str
    note: str
    rows: int


@dataclass(frozen=True)
class Layout:
    columns_mm: tuple[float, ...]
    rows: tuple[Row, ...]
    photo: Photo
    approval_height_mm: float


@dataclass(frozen=True)
class Form:
    title: str
    instructions: str
    choose_on_paper: str
    choose_on_screen: str
    fields: tuple[FormField, ...]
    approval: str
    layout: Layout

    def field(self, field_id: str) -> FormField:
        return next(f for f in self.fields if f.id == field_id)


CellKind = Literal["label", "value", "photo", "approval"]


@dataclass(frozen=True)
class Cell:
    """One cell of the form's table: grid ``row`` and ``column`` (0-based), spans."""

    kind: CellKind
    row: int
    column: int
    span: int = 1
    row_span: int = 1
    field: FormField | None = None


def registration_form() -> Form:
    """The registration form (附件2) as defined in the package's data file (read again
    only when the file changes: the preview's rebuilds ask for it twice each)."""
    data = Path(str(resources.files("generator").joinpath("data")))
    path = data / "registration_form.yaml"
    # The form's 拟申报 choices are the shipped policy's promotion targets (_choices).
    return from_files("registration form", [path, data / "policy.yaml"], lambda: _read_form(path))


def _read_form(path: Path) -> Form:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fields = tuple(
        FormField(str(f["id"]), str(f["label"]), _choices(f),
              bool(f.get("text", False)), int(f["length"]) if "length" in f else None)
        for f in data["fields"])
    layout = _layout(data["layout"], {f.id for f in fields})
    return Form(title=str(data["title"]), instructions=str(data["instructions"]),
                choose_on_paper=str(data["choose_on_paper"]),
                choose_on_screen=str(data["choose_on_screen"]), fields=fields, approval=str(data["approval"]), layout=layout)


def _choices(field: dict[str, Any]) -> tuple[str, ...]:
    """A field's options: listed, or (``choices_from: targets``) the shipped policy's
    promotion targets by name, which never overlap (初次申报初级职称（技术员、助理工程师）
    and 技术员晋升助理工程师 are two cases; 初级 and 助理工程师 were one person twice)."""
    if field.get("choices_from") == "targets":
        from generator import resources as package
        from generator.catalog.policy import load_policy

        policy = load_policy(package.data_dir())
        targets = (policy.get("promotion") or {}).get("targets") or {}
        return tuple(str(t["name"]) for t in targets.values())
    return tuple(str(c) for c in field.get("choices", ()))


def _layout(data: dict[str, Any], field_ids: set[str]) -> Layout:
    default = float(data["row_height"])
    rows = tuple(Row(tuple(str(f) for f in r["fields"]), float(r.get("height", default)))
                 for r in data["rows"])
    photo = data["photo"]
    layout = Layout(
        columns_mm=tuple(float(w) for w in data["columns"]),
        rows=rows,
        photo=Photo(str(photo["label"]), str(photo["note"]), int(photo["rows"])),
        approval_height_mm=float(data["approval_height"]),
    )
    # The data file ships with the package: a mistake in it is a programming error.
    placed = [f for r in rows for f in r.fields]
    if sorted(placed) != sorted(field_ids):
        raise ValueError(f"registration_form.yaml：layout 须恰好排入每个字段一次（排入 {placed}）")
    low = [r.fields for r in rows if r.height_mm < MIN_ROW_MM]
    if low or layout.approval_height_mm < MIN_ROW_MM:
        raise ValueError(f"registration_form.yaml：行高不得小于 {MIN_ROW_MM} 毫米：{low}")
    if len(layout.columns_mm) != 5 or any(len(r.fields) > 2 for r in rows):
        raise ValueError("registration_form.yaml：表格为 5 列（标签|内容|标签|内容|照片），每行至多两个字段")
    return layout


def grid(form: Form) -> list[list[Cell]]:
    """The table, row by row: label and value cells, the photo box (first cell of the
    photo column, spanning its rows) and the approval row at the end."""
    layout = form.layout
    columns = len(layout.columns_mm)
    table: list[list[Cell]] = []
    for r, row in enumerate(layout.rows):
        # The photo column is taken by the photo box in its rows.
        end = columns - 1 if r < layout.photo.rows else columns
        cells: list[Cell] = []
        column = 0
        for i, field_id in enumerate(row.fields):
            field = form.field(field_id)
            cells.append(Cell("label", r, column, field=field))
            last = i == len(row.fields) - 1
            span = end - column - 1 if last else 1
            cells.append(Cell("value", r, column + 1, span=span, field=field))
            column += 1 + span
        if r == 0:
            cells.append(Cell("photo", r, columns - 1, row_span=layout.photo.rows))
        table.append(cells)
    table.append([Cell("approval", len(layout.rows), 0, span=columns)])
    return table


def option_lines(choices: tuple[str, ...], capacity: int) -> list[str]:
    """The choices as ``□男　□女``, packed into lines of at most ``capacity`` full-width
    characters, so a line breaks between options, never inside one."""
    lines: list[str] = []
    current = ""
    for choice in choices:
        option = "□" + choice
        candidate = f"{current}\u3000{option}" if current else option
        if current and len(candidate) > capacity:
            lines.append(current)
            candidate = option
        current = candidate
    if current:
        lines.append(current)
    return lines
