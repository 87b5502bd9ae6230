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

import datetime as dt
import logging
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
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
from .report import (
    CONTROL_CHARS,
    REPORT_COLUMNS,
    AuditResult,
    ReportInfo,
    policy_version,
    report_rows,
    summary,
    visible,
    write_report,
    write_report_csv,
)

log = logging.getLogger(__name__)

__all__ = [
    "APPLICANT_FIELDS", "COLUMNS", "KIND_NAMES", "MAX_CSV_BYTES", "NOTE_MARK", "RECORD_FIELDS",
    "REPORT_COLUMNS", "REQUIRED_COLUMNS", "Audit", "AuditError", "AuditResult", "Cell",
    "Reading", "ReportInfo", "Table", "audit_file", "audit_file_steps", "audit_steps", "audit_table",
    "check_digit", "normalise_id", "open_file", "read_table", "report_rows", "summary", "visible",
    "write_report", "write_report_csv",
]

# A row whose 编号 starts with this is a note on how to fill the table (the input
# template's second row), not an applicant.
NOTE_MARK = "填写说明"
APPLICANT_FIELDS = ("name", "kind", "target", "title", "year", "cycle_start", "unit")
RECORD_FIELDS = ("record_year", "module", "hours")

KIND_NAMES = {"promotion": "申报晋升", "cycle": "周期验审"}

_INT = re.compile(r"[+-]?\d+")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
# A year as offices write it: 2011, 2011年, 2011年度, or a date 2011-05-01 / 2011/5/1 / 2011.5
_YEAR_TEXT = re.compile(r"(\d{4})(?:年度?|[-/.年]\d{1,2}(?:[-/.月]\d{1,2}日?)?(?:\s.*)?|年\d{1,2}月(?:\d{1,2}日)?)?")
_RESIDENT_ID = re.compile(r"\d{17}[\dX]")
_SCIENTIFIC = re.compile(r"[+-]?\d+(\.\d+)?[eE][+-]?\d+")
# Excel keeps 15 significant digits of a number: a longer one has lost its last digits.
EXCEL_DIGITS = 15


# --- the applicant key -----------------------------------------------------------------


def check_digit(first17: str) -> str:
    """The check character of a 公民身份号码 (GB 11643-1999, ISO 7064 MOD 11-2)."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return "10X98765432"[total % 11]


def normalise_id(value: Cell) -> tuple[str, str | None]:
    """An 编号 cell as the applicant's key, and the reason it cannot be trusted (None when
    it can): spaces removed, full-width folded (the reader did that), ``x`` -> ``X`` in a
    公民身份号码; a number past Excel's 15 digits, a number in scientific notation, an
    18-character 公民身份号码 whose check digit is wrong."""
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
        if len(text.lstrip("-")) > EXCEL_DIGITS:
            return text, (
                f"编号“{text}”是数字格式：超过{EXCEL_DIGITS}位的数字已被表格软件改动（只保留"
                f"{EXCEL_DIGITS}位有效数字），请把编号列设置为“文本”格式后重新输入编号"
            )
        return text, None
    text = "".join(cell_text(value).split())
    if _SCIENTIFIC.fullmatch(text):
        return text, (
            f"编号“{text}”是科学计数法：表格软件已把编号当作数字（只保留{EXCEL_DIGITS}位有效数字），"
            "请把编号列设置为“文本”格式后重新输入编号"
        )
    if len(text) == 18 and text[-1] == "x" and text[:17].isdigit():
        text = text[:17] + "X"
    if _RESIDENT_ID.fullmatch(text):
        expected = check_digit(text[:17])
        if text[17] != expected:
            return text, (
                f"编号“{text}”的校验位不对：按公民身份号码的规则（GB 11643）末位应为 {expected}，"
                "请核对号码"
            )
    return text, None


# --- from cells to requests -----------------------------------------------------


def _filled(value: Cell) -> bool:
    return value is not None and (type(value) is not str or bool(value.strip()))


def _show(text: str) -> str:
    return f"“{visible(text if len(text) <= 20 else text[:20] + '…')}”"


class _CellError(ValueError):
    pass


def _int_cell(value: Cell, first: int) -> int:
    """A year cell: a number, a date (its year), or 2011 / 2011年 / 2011-05-01 as text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year
    text = cell_text(value)
    if _INT.fullmatch(text):
        return int(text)
    m = _YEAR_TEXT.fullmatch(text)
    if m:
        return int(m[1])
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
        out["".join(name.split())] = fid
    return out


def _named(entries: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """``(id, name)`` for an entry's name and each of its policy.yaml aliases."""
    for k, v in entries.items():
        for name in (v["name"], *v.get("aliases", ())):
            yield k, str(name)


@dataclass
class _Vocabulary:
    """Names and ids accepted in the 类型/拟申报/现职称/类别 cells, from policy.yaml (names
    and aliases: 公需课 is 公共必修课, 中级 is 工程师)."""

    kinds: dict[str, str]
    targets: dict[str, str]
    titles: dict[str, str]
    modules: dict[str, str]
    hints: dict[str, str]
    # A title that two targets lead to (助理工程师, 助工): the reason it is refused.
    ambiguous: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_policy(cls, policy: Mapping[str, Any]) -> _Vocabulary:
        targets = policy["promotion"]["targets"]
        titles = policy["titles"]
        modules = policy["modules"]
        # A target by its id, its label (技术员晋升助理工程师) or an alias of policy.yaml;
        # never by a bare title that two targets share (助理工程师: first or promoted?).
        target_choices = _choices(_named(targets))

        ambiguous = {}
        for t in titles.values():
            both = [
                f"{v['name']}（{k}）"
                for k, v in targets.items()
                if t["name"] in str(v.get("applies_for", ""))
            ]
            if len(both) > 1:
                for name in (t["name"], *t.get("aliases", ())):
                    if name not in target_choices:
                        ambiguous[name] = (
                            f"“{name}”可以是 {' 或 '.join(both)}，请写明其一（名称或代号）"
                        )

        def hint(entries: Mapping[str, Any]) -> str:
            return "、".join(
                f"{v['name'] if isinstance(v, Mapping) else v}（{k}）" for k, v in entries.items()
            )

        return cls(
            kinds=_choices(KIND_NAMES.items()),
            targets=target_choices,
            titles=_choices(_named(titles)),
            modules=_choices(_named(modules)),
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
        key = "".join(text.split())
        found = options.get(key) or options.get(key.lower())
        if found is None and fid == "target" and key in self.ambiguous:
            raise _CellError(self.ambiguous[key])
        if found is None:
            raise _CellError(f"不认识{_show(text)}，应为 {self.hints[fid]} 之一")
        return found


@dataclass
class _Applicant:
    id: str
    first_row: int
    values: dict[str, tuple[int, Cell]] = field(default_factory=dict)  # field -> (row, cell)
    records: list[tuple[int, Any, Any, Any]] = field(default_factory=list)  # (row, y, m, h)
    errors: list[str] = field(default_factory=list)
    forms: dict[str, int] = field(default_factory=dict)  # 编号 as written -> first row
    seen: dict[int, int] = field(default_factory=dict)  # a record row's hash -> its row
    duplicates: list[tuple[int, int]] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Built while the table was still being read (the browser, see Reading.ahead):
    # (len(values), len(records)) then, the request, its rows and the errors it found; and
    # the rules' response to that request, evaluated elsewhere. Used only if the applicant
    # got no value and no record since: values are set once per field and records only
    # added, so the request would be the same.
    early: tuple[int, int, dict[str, Any], list[int], list[str]] | None = None
    answer: dict[str, Any] | None = None
    stale: bool = False  # rows came after its early request


class _Auditor:
    def __init__(
        self, policy: Mapping[str, Any], table: Table, today: dt.date | None = None
    ) -> None:
        self.policy = policy
        self.index = table.index
        headers = table.headers
        self.headers = {fid: str(headers[i]).strip() for fid, i in self.index.items()}
        self.extras = [i for i, _ in table.extras]
        self.vocab = _Vocabulary.from_policy(policy)
        self.first = int(policy["start_year"]["value"])
        self.today = today or dt.date.today()
        self.answered = 0  # applicants that took an answer evaluated elsewhere (ahead)
        self.asked = self.stale = 0  # requests built ahead; of those, made stale by later rows

    def label(self, fid: str) -> str:
        """The column as the reviewer wrote it (学时 or hours), for messages."""
        return self.headers.get(fid, COLUMNS[fid][0] if fid in COLUMNS else fid)

    def where(self, row: int, fid: str) -> str:
        return f"第{row}行 {self.label(fid)}"

    def group(self, rows: Iterable[tuple[int, Sequence[Cell]]]) -> list[_Applicant]:
        """Every applicant of ``rows``, in order of first appearance."""
        self.add(rows)
        return self.finish()

    def add(self, rows: Iterable[tuple[int, Sequence[Cell]]]) -> None:
        """Group more rows (the browser reads a large file a slice at a time)."""
        if not hasattr(self, "applicants"):
            self.applicants: dict[str, _Applicant] = {}
            self.order: list[_Applicant] = []
            self.last: tuple[Cell, str, str, str | None] = (object(), "", "", None)
        applicants, order = self.applicants, self.order
        # Column positions resolved once: this loop runs for every input row.
        id_at = self.index["id"]
        head_at = [(fid, self.index[fid]) for fid in APPLICANT_FIELDS if fid in self.index]
        y_at, m_at, h_at = (self.index[fid] for fid in RECORD_FIELDS)
        extra_at = self.extras
        last_raw, written, aid, problem = self.last
        for row, cells in rows:
            width = len(cells)
            raw = cells[id_at] if id_at < width else None
            if raw != last_raw or type(raw) is not type(last_raw):
                written = cell_text(raw)
                if written.startswith(NOTE_MARK):
                    continue  # the input template's note row
                aid, problem = normalise_id(raw)
                last_raw = raw
            if not aid:
                # No id, no group: report the row alone rather than guess its owner.
                applicant = _Applicant("", row)
                applicant.errors.append(f"{self.where(row, 'id')}：编号不能为空")
                order.append(applicant)
            elif aid in applicants:
                applicant = applicants[aid]
                if applicant.early is not None and not applicant.stale:
                    applicant.stale = True  # asked for ahead, and more rows came
                    self.stale += 1
            else:
                applicant = applicants[aid] = _Applicant(aid, row)
                applicant.extras = [cell_text(cells[i]) if i < width else "" for i in extra_at]
                order.append(applicant)
            if aid and written not in applicant.forms:
                applicant.forms[written] = row
                if problem is not None:
                    applicant.errors.append(f"{self.where(row, 'id')}：{problem}")
            values = applicant.values
            for fid, i in head_at:
                value = cells[i] if i < width else None
                if value is None or value == "":
                    continue  # blank on a later row: same as the first row
                seen = values.get(fid)
                if seen is None:
                    if cell_text(value):
                        values[fid] = (row, value)
                elif seen[1] != value:
                    text = cell_text(value)
                    if text and "".join(cell_text(seen[1]).split()) != "".join(text.split()):
                        applicant.errors.append(
                            f"{self.where(row, fid)}：与第{seen[0]}行的{_show(cell_text(seen[1]))}"
                            f"不一致（同一编号的各行应为同一申报人）"
                        )
            y = cells[y_at] if y_at < width else None
            m = cells[m_at] if m_at < width else None
            h = cells[h_at] if h_at < width else None
            if (  # _filled(y) or _filled(m) or _filled(h), inline: this runs for every row
                (y is not None and (type(y) is not str or y.strip()))
                or (m is not None and (type(m) is not str or m.strip()))
                or (h is not None and (type(h) is not str or h.strip()))
            ):
                key = hash(tuple(cells))
                first = applicant.seen.get(key)
                if first is not None:
                    applicant.duplicates.append((row, first))
                    continue
                applicant.seen[key] = row
                applicant.records.append((row, y, m, h))
        self.last = (last_raw, written, aid, problem)

    def finish(self) -> list[_Applicant]:
        """The applicants grouped so far, with the notes only the whole table tells."""
        if not hasattr(self, "order"):
            self.add(())
        order = self.order
        self._namesakes(order)
        for a in order:
            a.seen = {}
            if len(a.forms) > 1:
                shown = "、".join(f"第{r}行写作{_show(w)}" for w, r in a.forms.items())
                a.notes.append(f"编号{shown}，按“{a.id}”视为同一人")
            for row, first in a.duplicates:
                a.notes.append(f"第{row}行与第{first}行完全相同，只计一次")
        return order

    def _namesakes(self, order: Sequence[_Applicant]) -> None:
        """The same name under two 编号: noted on both, naming the other's row."""
        by_name: dict[str, list[_Applicant]] = {}
        for a in order:
            got = a.values.get("name")
            if a.id and got is not None:
                by_name.setdefault("".join(cell_text(got[1]).split()), []).append(a)
        for name, group in by_name.items():
            if len(group) < 2:
                continue
            for a in group:
                others = "、".join(
                    f"“{b.id}”（第{b.values['name'][0]}行）" for b in group if b is not a
                )
                a.notes.append(f"姓名{_show(name)}也出现在编号{others}下，请核对是否为同一人")

    def request(
        self, a: _Applicant, errors: list[str] | None = None
    ) -> tuple[dict[str, Any], list[int]]:
        """Build the rules request; the second item maps each record index to its row.
        What is wrong goes to ``errors`` (the applicant's own by default)."""
        if errors is None:
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
        where, pick, first = self.where, self.vocab.pick, self.first
        empty = "：不能为空（一行学时记录要填写学时年度、类别和学时）"
        # Runs for every record: each field written out (no loop over the three, no
        # cell_text only to see whether a cell is blank: _filled's test, inline).
        for row, rec_year, module, hours in a.records:
            rec: dict[str, Any] = {}
            if rec_year is None or (type(rec_year) is str and not rec_year.strip()):
                errors.append(where(row, "record_year") + empty)
            else:
                try:
                    rec["year"] = _int_cell(rec_year, first)
                except _CellError as exc:
                    errors.append(f"{where(row, 'record_year')}：{exc}")
            text = cell_text(module)
            if not text:
                errors.append(where(row, "module") + empty)
            else:
                try:
                    rec["module"] = pick("module", text)
                except _CellError as exc:
                    errors.append(f"{where(row, 'module')}：{exc}")
            if hours is None or (type(hours) is str and not hours.strip()):
                errors.append(where(row, "hours") + empty)
            else:
                try:
                    rec["hours"] = _hours_cell(hours)
                except _CellError as exc:
                    errors.append(f"{where(row, 'hours')}：{exc}")
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

    def program(self, request: Mapping[str, Any], a: _Applicant) -> str:
        """拟申报/周期 as the report says it: the target's name, or the title's cycle."""
        policy = self.policy
        if request.get("kind") == "promotion" and request.get("target"):
            return str(policy["promotion"]["targets"][request["target"]]["name"])
        if request.get("kind") == "cycle" and request.get("title"):
            start = request.get("cycle_start")
            name = str(policy["titles"][request["title"]]["name"])
            return f"{name}周期验审" + (f"（{start}年起）" if isinstance(start, int) else "")
        for fid in ("target", "title"):
            got = a.values.get(fid)
            if got is not None:
                return visible(cell_text(got[1]))
        return ""

    def evaluate(self, a: _Applicant) -> AuditResult:
        name = cell_text(a.values.get("name", (0, None))[1])
        name = self._controls(a, "name", name)
        shown_id = self._controls(a, "id", a.id)
        result = AuditResult(shown_id, name, row=a.first_row, extras=a.extras,
                             records=a.records, duplicates=a.duplicates, notes=a.notes)
        result.unit = cell_text(a.values.get("unit", (0, None))[1])
        if not a.id:  # its other cells would only add noise to "编号不能为空"
            result.error = "；".join(a.errors)
            return result
        early, answer = a.early, a.answer
        a.early = a.answer = None
        if early is not None and early[:2] == (len(a.values), len(a.records)):
            request, rows = early[2], early[3]
            a.errors.extend(early[4])
        else:
            request, rows = self.request(a)
            answer = None
        result.request = request
        result.program = self.program(request, a)
        year = request.get("year")
        result.year = year if year is not None else cell_text(a.values.get("year", (0, None))[1])
        this_year = self.today.year
        future = {
            i for i, rec in enumerate(request["records"])
            if isinstance(rec.get("year"), int) and rec["year"] > this_year
        }
        if future:
            result.future = frozenset(future)
        if result.future:
            later = sorted(result.future)
            a.notes.append("含未到期的学时记录（晚于今年）：" + "、".join(
                f"第{rows[i]}行{request['records'][i]['year']}年" for i in later[:5]
            ) + (f"等 {len(later)} 条" if len(later) > 5 else ""))
        if a.errors:
            result.error = "；".join(a.errors)
            return result
        if answer is not None:
            result.response = answer
            self.answered += 1
            return result
        try:
            result.response = evaluate(self.policy, request)
        except RequestError as exc:
            result.error = self.locate(a, exc, rows)
        return result

    def ahead(self, a: _Applicant) -> dict[str, Any] | None:
        """The request of ``a`` as its rows read so far make it, kept for :meth:`evaluate`;
        None when it has errors already (it will not be evaluated)."""
        errors: list[str] = []
        request, rows = self.request(a, errors)
        a.early = (len(a.values), len(a.records), request, rows, errors)
        self.asked += 1
        return None if errors or a.errors else request


@dataclass
class Audit:
    """One input's audit under way: where its table was found, how many applicants, and
    their results one at a time (the browser reports progress between them)."""

    total: int
    steps: Iterator[AuditResult]
    info: ReportInfo


def _synonyms(policy: Mapping[str, Any]) -> Mapping[str, Sequence[str]]:
    audit = policy.get("audit") or {}
    return audit.get("headers") or {} if isinstance(audit, Mapping) else {}


def report_info(policy: Mapping[str, Any], table: Table, today: dt.date | None = None) -> ReportInfo:
    return ReportInfo(
        file=table.source.file,
        source=table.source.describe(),
        today=today or dt.date.today(),
        notice=str(policy.get("document", {}).get("number", "")),
        version=policy_version(policy),
        extras=[h for _, h in table.extras],
        skipped=table.skipped,
    )


# Requests built ahead before Reading.ahead judges whether the table keeps each
# applicant's rows together (most later rows making them stale: it stops).
_AHEAD_TRIAL = 200


class Reading:
    """A table being read into applicants a slice of rows at a time (the page shows how
    many rows it has read); :meth:`audit` then evaluates them."""

    def __init__(self, policy: Mapping[str, Any], table: Table, today: dt.date | None = None):
        self.policy, self.table = policy, table
        self.auditor = _Auditor(policy, table, today)
        self.rows = 0
        self._rows = iter(table.rows)
        self._ahead = 0  # applicants (in order) already looked at by ahead()

    def read(self, count: int) -> bool:
        """Read up to ``count`` more rows; False once the table is read to its end."""
        chunk = list(islice(self._rows, count))
        self.auditor.add(chunk)
        self.rows += len(chunk)
        return len(chunk) == count

    def ahead(self, finished: bool = False) -> list[tuple[_Applicant, dict[str, Any]]]:
        """The applicants read so far whose rows look complete (all but the one the last
        row read belongs to; every one once ``finished``), each once, with the request
        their rows make: the browser has them evaluated by a second engine while it reads
        on, and :meth:`_Auditor.evaluate` takes the answer if the applicant's rows are
        still the same then (an applicant's rows may also come later in the table: then it
        is evaluated again, as it would have been). Once most of those asked for have had
        rows since (a table sorted by something else than the applicant), it gives no more."""
        auditor = self.auditor
        if not hasattr(auditor, "order"):
            return []
        if auditor.asked >= _AHEAD_TRIAL and auditor.stale * 2 > auditor.asked:
            return []  # the table's applicants are not kept together: not worth it
        order = auditor.order
        end = len(order)
        if not finished and end:
            last = auditor.applicants.get(auditor.last[2] or "")
            if last is order[-1]:
                end -= 1
        out = []
        for a in islice(order, self._ahead, end):
            if a.id and a.early is None:
                request = auditor.ahead(a)
                if request is not None:
                    out.append((a, request))
        self._ahead = max(self._ahead, end)
        return out

    def audit(self) -> Audit:
        applicants = self.auditor.finish()
        info = report_info(self.policy, self.table, self.auditor.today)
        return Audit(len(applicants), map(self.auditor.evaluate, applicants), info)


def audit_steps(
    policy: Mapping[str, Any], table: Table, today: dt.date | None = None
) -> Audit:
    """Group ``table``'s rows into applicants (the whole table is read here) and return
    them to be evaluated one at a time, in order of first appearance."""
    reading = Reading(policy, table, today)
    reading.auditor.add(reading._rows)
    return reading.audit()


def open_file(
    policy: Mapping[str, Any], path: str | Path, today: dt.date | None = None
) -> Reading:
    """Read ``path``'s header (.csv or .xlsx) and return its rows to be read."""
    return Reading(policy, read_table(path, _synonyms(policy)), today)


def audit_table(
    policy: Mapping[str, Any], table: Table, today: dt.date | None = None
) -> list[AuditResult]:
    """Evaluate every applicant of ``table``, in order of first appearance."""
    return list(audit_steps(policy, table, today).steps)


def audit_file_steps(
    policy: Mapping[str, Any], path: str | Path, today: dt.date | None = None
) -> Audit:
    """Read ``path`` (.csv or .xlsx); :func:`audit_steps` of its table."""
    return audit_steps(policy, read_table(path, _synonyms(policy)), today)


def audit_file(
    policy: Mapping[str, Any], path: str | Path, today: dt.date | None = None
) -> list[AuditResult]:
    """Read ``path`` (.csv or .xlsx) and evaluate every applicant in it."""
    return list(audit_file_steps(policy, path, today).steps)


def audit_files(
    policy: Mapping[str, Any],
    paths: Sequence[str | Path],
    today: dt.date | None = None,
    *,
    keep_requests: bool = True,
) -> tuple[list[AuditResult], ReportInfo]:
    """Several files of one table (an office's per-unit or per-year sheets): each audited
    as itself, never merged; the results follow one another, a 文件 column first among
    the extra columns, and an applicant whose 编号 is in two files is noted on each
    (提示), naming the other file and row. Without ``keep_requests`` each rules request
    is dropped once evaluated (the report needs the records only: a million of them are
    held once, not twice)."""

    def done(results: Iterable[AuditResult]) -> Iterator[AuditResult]:
        for result in results:
            if not keep_requests:
                result.request = None
            yield result

    if len(paths) == 1:
        audit = audit_file_steps(policy, paths[0], today)
        return list(done(audit.steps)), audit.info
    audits = [audit_file_steps(policy, p, today) for p in paths]
    same = all(a.info.extras == audits[0].info.extras for a in audits)
    info = ReportInfo(
        file="、".join(a.info.file for a in audits),
        source="；".join(f"{a.info.file}：{a.info.source}" for a in audits),
        today=audits[0].info.today,
        notice=audits[0].info.notice,
        version=audits[0].info.version,
        extras=["文件", *(audits[0].info.extras if same else ())],
        skipped=[],
    )
    results: list[AuditResult] = []
    seen: dict[str, list[tuple[str, AuditResult]]] = {}
    for audit in audits:
        for result in done(audit.steps):
            result.extras = [audit.info.file, *(result.extras if same else ())]
            results.append(result)
            if result.id:
                seen.setdefault(result.id, []).append((audit.info.file, result))
        info.skipped_by_file[audit.info.file] = audit.info.skipped
    for aid, found in seen.items():
        files = {name for name, _ in found}
        if len(files) < 2:
            continue
        for _name, result in found:
            others = "、".join(f"{n}第{r.row}行" for n, r in found if r is not result)
            result.notes.append(f"编号“{aid}”也出现在{others}：各文件分别核算，未合并，请核对")
    return results, info
