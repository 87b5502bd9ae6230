"""Batch hours audit: a reviewer's table of hours records in, one result per applicant out.

The input (CSV or XLSX) has one row per hours record; rows sharing 编号 are one
applicant, and an applicant without hours is one row with the record columns left
empty. Every applicant becomes one request for :func:`generator.rules.evaluate`, the
same function behind ``ceportal hours`` and the calculator page, so a batch result is
by construction the result a single check would give.

A problem with one applicant (a bad cell, a request the rules refuse) goes into that
applicant's 错误 column, naming the input row and column; the others are still
evaluated. Only a file that cannot be read as a table at all raises :class:`AuditError`.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.common.celltext import cell_text
from generator.rules import RequestError, evaluate

from .reading import (
    COLUMNS,
    MAX_CSV_BYTES,
    REQUIRED_COLUMNS,
    AuditError,
    Cell,
    Table,
    read_table,
)
from .reading import column_index as _column_index
from .report import (
    CONTROL_CHARS,
    REPORT_COLUMNS,
    AuditResult,
    report_rows,
    summary,
    visible,
    write_report,
    write_report_csv,
)

log = logging.getLogger(__name__)

__all__ = [
    "APPLICANT_FIELDS", "COLUMNS", "KIND_NAMES", "MAX_CSV_BYTES", "NOTE_MARK", "RECORD_FIELDS",
    "REPORT_COLUMNS", "REQUIRED_COLUMNS", "AuditError", "AuditResult", "Cell", "Table",
    "audit_file", "audit_file_steps", "audit_steps", "audit_table", "read_table",
    "report_rows", "summary", "visible", "write_report", "write_report_csv",
]

# A row whose 编号 starts with this is a note on how to fill the table (the input
# template's second row), not an applicant.
NOTE_MARK = "填写说明"
APPLICANT_FIELDS = ("name", "kind", "target", "title", "year", "cycle_start")
RECORD_FIELDS = ("record_year", "module", "hours")

KIND_NAMES = {"promotion": "申报晋升", "cycle": "周期验审"}

_INT = re.compile(r"[+-]?\d+")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


# --- from cells to requests -----------------------------------------------------


def _show(text: str) -> str:
    return f"“{visible(text if len(text) <= 20 else text[:20] + '…')}”"


class _CellError(ValueError):
    pass


def _int_cell(value: Cell, first: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = cell_text(value)
    if _INT.fullmatch(text):
        return int(text)
    raise _CellError(f"年度必须是整数（如 {first}），收到{_show(text)}")


def _hours_cell(value: Cell) -> int | float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number: int | float = value
    else:
        text = cell_text(value)
        if not _NUMBER.fullmatch(text):
            raise _CellError(f"学时必须是大于0的数字，收到{_show(text)}")
        number = float(text)
    # The rules print 8 for 8 and 8.5 for 8.5; hand them the same types JSON would.
    if isinstance(number, float) and number.is_integer():
        return int(number)
    return number


def _choices(ids_names: Iterable[tuple[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for fid, name in ids_names:
        out[fid.lower()] = fid
        out[name] = fid
    return out


@dataclass
class _Vocabulary:
    """Names and ids accepted in the 类型/拟申报/现职称/类别 cells, from policy.yaml."""

    kinds: dict[str, str]
    targets: dict[str, str]
    titles: dict[str, str]
    modules: dict[str, str]
    hints: dict[str, str]
    # A title that two targets lead to (助理工程师): the reason it is refused.
    ambiguous: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_policy(cls, policy: Mapping[str, Any]) -> _Vocabulary:
        targets = policy["promotion"]["targets"]
        titles = policy["titles"]
        modules = policy["modules"]
        # A target by its id, its label (技术员晋升助理工程师) or an alias of policy.yaml;
        # never by a bare title that two targets share (助理工程师: first or promoted?).
        target_choices = _choices(
            (k, name)
            for k, v in targets.items()
            for name in (v["name"], *v.get("aliases", ()))
        )

        ambiguous = {}
        for t in titles.values():
            both = [
                f"{v['name']}（{k}）"
                for k, v in targets.items()
                if t["name"] in str(v.get("applies_for", ""))
            ]
            if len(both) > 1 and t["name"] not in target_choices:
                ambiguous[t["name"]] = (
                    f"“{t['name']}”可以是 {' 或 '.join(both)}，请写明其一（名称或代号）"
                )

        def hint(entries: Mapping[str, Any]) -> str:
            return "、".join(
                f"{v['name'] if isinstance(v, Mapping) else v}（{k}）" for k, v in entries.items()
            )

        return cls(
            kinds=_choices(KIND_NAMES.items()),
            targets=target_choices,
            titles=_choices((k, v["name"]) for k, v in titles.items()),
            modules=_choices((k, v["name"]) for k, v in modules.items()),
            hints={
                "kind": hint(KIND_NAMES),
                "target": hint(targets),
                "title": hint(titles),
                "module": hint(modules),
            },
            ambiguous=ambiguous,
        )

    def pick(self, fid: str, text: str) -> str:
        options = {
            "kind": self.kinds,
            "target": self.targets,
            "title": self.titles,
            "module": self.modules,
        }[fid]
        found = options.get(text) or options.get(text.lower())
        if found is None and fid == "target" and text in self.ambiguous:
            raise _CellError(self.ambiguous[text])
        if found is None:
            raise _CellError(f"不认识{_show(text)}，应为 {self.hints[fid]} 之一")
        return found


@dataclass
class _Applicant:
    id: str
    first_row: int
    values: dict[str, tuple[int, Cell]] = field(default_factory=dict)  # field -> (row, cell)
    records: list[tuple[int, list[Cell]]] = field(default_factory=list)  # (row, cells)
    errors: list[str] = field(default_factory=list)


class _Auditor:
    def __init__(self, policy: Mapping[str, Any], headers: Sequence[str]) -> None:
        self.policy = policy
        self.index = _column_index(headers)
        self.headers = {fid: str(headers[i]).strip() for fid, i in self.index.items()}
        self.vocab = _Vocabulary.from_policy(policy)
        self.first = int(policy["start_year"]["value"])

    def label(self, fid: str) -> str:
        """The column as the reviewer wrote it (学时 or hours), for messages."""
        return self.headers.get(fid, COLUMNS[fid][0])

    def where(self, row: int, fid: str) -> str:
        return f"第{row}行 {self.label(fid)}"

    def group(self, rows: Iterable[tuple[int, Sequence[Cell]]]) -> list[_Applicant]:
        applicants: dict[str, _Applicant] = {}
        order: list[_Applicant] = []
        # Column positions resolved once: this loop runs for every input row.
        id_at = self.index["id"]
        head_at = [(fid, self.index[fid]) for fid in APPLICANT_FIELDS if fid in self.index]
        record_at = [self.index[fid] for fid in RECORD_FIELDS]
        for row, cells in rows:
            width = len(cells)
            aid = cell_text(cells[id_at]) if id_at < width else ""
            if aid.startswith(NOTE_MARK):
                continue  # the input template's note row
            if not aid:
                # No id, no group: report the row alone rather than guess its owner.
                applicant = _Applicant("", row)
                applicant.errors.append(f"{self.where(row, 'id')}：编号不能为空")
                order.append(applicant)
            elif aid in applicants:
                applicant = applicants[aid]
            else:
                applicant = applicants[aid] = _Applicant(aid, row)
                order.append(applicant)
            for fid, i in head_at:
                value = cells[i] if i < width else None
                text = cell_text(value)
                if not text:
                    continue  # blank on a later row: same as the first row
                seen = applicant.values.get(fid)
                if seen is None:
                    applicant.values[fid] = (row, value)
                elif cell_text(seen[1]) != text:
                    applicant.errors.append(
                        f"{self.where(row, fid)}：与第{seen[0]}行的{_show(cell_text(seen[1]))}不一致"
                        f"（同一编号的各行应为同一申报人）"
                    )
            record = [cells[i] if i < width else None for i in record_at]
            if any(cell_text(v) for v in record):
                applicant.records.append((row, record))
        return order

    def request(self, a: _Applicant) -> tuple[dict[str, Any], list[int]]:
        """Build the rules request; the second item maps each record index to its row."""
        errors = a.errors

        def value(fid: str) -> tuple[int, str, Cell]:
            row, cell = a.values.get(fid, (a.first_row, None))
            return row, cell_text(cell), cell

        def required(fid: str, what: str) -> tuple[int, str, Cell] | None:
            row, text, cell = value(fid)
            if not text:
                errors.append(f"{self.where(row, fid)}：{what}")
                return None
            return row, text, cell

        def choice(fid: str, what: str) -> str | None:
            got = required(fid, what)
            if got is None:
                return None
            try:
                return self.vocab.pick(fid, got[1])
            except _CellError as exc:
                errors.append(f"{self.where(got[0], fid)}：{exc}")
                return None

        def year(fid: str, what: str) -> int | None:
            got = required(fid, what)
            if got is None:
                return None
            try:
                return _int_cell(got[2], self.first)
            except _CellError as exc:
                errors.append(f"{self.where(got[0], fid)}：{exc}")
                return None

        request: dict[str, Any] = {}
        kind = choice("kind", "不能为空，应为 申报晋升（promotion）或 周期验审（cycle）")
        if kind is not None:
            request["kind"] = kind
        if kind == "promotion":
            request["target"] = choice("target", "申报晋升须填写拟申报的职称")
        elif kind == "cycle":
            request["title"] = choice("title", "周期验审须填写现职称")
            request["cycle_start"] = year("cycle_start", "周期验审须填写周期起始年度")
        request["year"] = year("year", "不能为空（申报晋升填申报年度，周期验审填验审年度）")
        records: list[dict[str, Any]] = []
        rows: list[int] = []
        for row, (rec_year, module, hours) in a.records:
            rec: dict[str, Any] = {}
            for fid, cell in zip(RECORD_FIELDS, (rec_year, module, hours), strict=True):
                if not cell_text(cell):
                    errors.append(
                        f"{self.where(row, fid)}：不能为空（一行学时记录要填写学时年度、类别和学时）"
                    )
                    continue
                try:
                    if fid == "record_year":
                        rec["year"] = _int_cell(cell, self.first)
                    elif fid == "module":
                        rec["module"] = self.vocab.pick("module", cell_text(cell))
                    else:
                        rec["hours"] = _hours_cell(cell)
                except _CellError as exc:
                    errors.append(f"{self.where(row, fid)}：{exc}")
            records.append(rec)
            rows.append(row)
        request["records"] = records
        return request, rows

    def locate(self, a: _Applicant, exc: RequestError, rows: Sequence[int]) -> str:
        """Turn the rules' field path (``records[3].hours``) into row and column."""
        m = re.fullmatch(r"records\[(\d+)\]\.(\w+)", exc.path)
        if m:
            fid = {"year": "record_year", "module": "module", "hours": "hours"}.get(m[2], "hours")
            return f"{self.where(rows[int(m[1])], fid)}：{exc.problem}"
        if exc.path in ("kind", "target", "title", "year", "cycle_start"):
            row = a.values.get(exc.path, (a.first_row, None))[0]
            return f"{self.where(row, exc.path)}：{exc.problem}"
        return f"第{a.first_row}行：{exc}"

    def _controls(self, a: _Applicant, fid: str, text: str) -> str:
        """``text`` made visible; a control character in it is an error of the applicant."""
        found = CONTROL_CHARS.search(text)
        if found:
            row = a.values.get(fid, (a.first_row, None))[0] if fid != "id" else a.first_row
            a.errors.insert(0, f"{self.where(row, fid)}：含有控制字符 {visible(found[0])}"
                               f"（U+{ord(found[0]):04X}），请删除后再核算")
        return visible(text)

    def evaluate(self, a: _Applicant) -> AuditResult:
        name = cell_text(a.values.get("name", (0, None))[1])
        name = self._controls(a, "name", name)
        shown_id = self._controls(a, "id", a.id)
        result = AuditResult(shown_id, name)
        if not a.id:  # its other cells would only add noise to "编号不能为空"
            result.error = "；".join(a.errors)
            return result
        request, rows = self.request(a)
        result.request = request
        if a.errors:
            result.error = "；".join(a.errors)
            return result
        try:
            result.response = evaluate(self.policy, request)
        except RequestError as exc:
            result.error = self.locate(a, exc, rows)
        return result


def audit_steps(policy: Mapping[str, Any], table: Table) -> tuple[int, Iterator[AuditResult]]:
    """How many applicants ``table`` has, and their results one at a time, in order of
    first appearance (the browser reports progress between them)."""
    auditor = _Auditor(policy, table.headers)
    applicants = auditor.group(table.rows)
    return len(applicants), map(auditor.evaluate, applicants)


def audit_table(policy: Mapping[str, Any], table: Table) -> list[AuditResult]:
    """Evaluate every applicant of ``table``, in order of first appearance."""
    return list(audit_steps(policy, table)[1])


def audit_file_steps(policy: Mapping[str, Any], path: str | Path) -> tuple[int, Iterator[AuditResult]]:
    """Read ``path`` (.csv or .xlsx); :func:`audit_steps` of its table."""
    table = read_table(path)
    try:
        return audit_steps(policy, table)
    except AuditError as exc:
        raise AuditError(f"{path}：{exc}") from None


def audit_file(policy: Mapping[str, Any], path: str | Path) -> list[AuditResult]:
    """Read ``path`` (.csv or .xlsx) and evaluate every applicant in it."""
    return list(audit_file_steps(policy, path)[1])


