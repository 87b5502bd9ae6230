"""The audit page's Python side: what its Web Worker calls in Pyodide (``/audit/``).

A module of the rules wheel, tested in CPython. It runs the CLI's own code on the
reviewer's file: the bytes are written into a fresh folder of the (in-memory) file
system under the file's own name and read with :func:`generator.audit.evaluation.read_table`
from there, so every message names the file as ``ceportal audit FILE`` run in its
folder would; the reports are written with :func:`generator.audit.evaluation.write_report`,
so the CSV is the very text of ``ceportal audit FILE -o report.csv``.

Results cross to JavaScript as JSON text (one small object per applicant, for the page's
table), the XLSX report as bytes.

A large table's applicants can also be evaluated by a second engine while the file is
still being read: :meth:`BrowserAudit.read` with ``ask`` then hands out the requests of
the applicants whose rows look complete, as JSON text, the worker has another copy of the
engine evaluate them (the calculator's own ``evaluate``) and gives the answers back with
:meth:`BrowserAudit.answers`; an applicant whose rows are still the same when its turn
comes takes its answer instead of being evaluated again (see Reading.ahead). The rules
are a function of the request: the report is the same, only sooner.
"""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from generator.audit.evaluation import (
    AuditError,
    AuditResult,
    Reading,
    ReportInfo,
    open_file,
    summary,
    write_report,
)
from generator.audit.report import record_lines
from generator.common.celltext import cell_text

log = logging.getLogger(__name__)


def safe_name(file_name: str) -> str:
    """The file's own name, without any folder a browser or a script might pass."""
    name = str(file_name).replace("\\", "/").replace("\0", "").rsplit("/", 1)[-1].strip()
    return name if name not in ("", ".", "..") else "input"


def view(result: AuditResult) -> dict[str, Any]:
    """What the page's table shows of one applicant (and searches, sorts and filters by)."""
    r = result.response
    common = {"id": result.id, "name": result.name, "unit": result.unit, "program": result.program,
              "year": result.year if isinstance(result.year, int) else str(result.year)}
    if r is None:
        return {**common, "status": "error", "error": result.error or ""}
    return {
        **common,
        "status": "met" if r["met"] else "unmet",
        "required": [r["required"]["total"], r["required"]["public"]],
        "counted": [r["counted"]["total"], r["counted"]["public"]],
        "shortfall": [r["shortfall"]["total"], r["shortfall"]["public"]],
        "error": "",
    }


# What the reports read of a response (generator/audit/report.py): an answer without
# them is not one the rules gave.
_ANSWER_KEYS = frozenset(("met", "required", "counted", "shortfall", "window", "ignored",
                          "basis", "assumptions", "warnings"))


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class BrowserAudit:
    """One file's audit, evaluated a slice at a time so the worker can report progress.

    ``start()`` reads the file; ``advance(n)`` evaluates the next ``n`` applicants;
    ``finish()`` gives the CSV report and the summary line; ``xlsx()`` the XLSX report.
    """

    def __init__(self, policy: Mapping[str, Any], file_name: str, data: Any) -> None:
        self.policy = policy
        self._asked: list[Any] = []  # the applicants whose requests were handed out
        self.name = safe_name(file_name)
        self.folder = Path(tempfile.mkdtemp(prefix="ceportal-audit-"))
        # From JavaScript a Uint8Array arrives as a JsProxy, which copies itself out.
        raw = data.to_bytes() if hasattr(data, "to_bytes") else bytes(data)
        (self.folder / self.name).write_bytes(raw)
        self.total = 0
        self.results: list[AuditResult] = []
        self._pending: Iterator[AuditResult] = iter(())
        self.info = ReportInfo()
        self._reading: Reading | None = None

    def open(self) -> str:
        """``{"reading": true}`` once the header is found, or ``{"error": "…"}`` (the
        CLI's message, without its ``ceportal audit:`` prefix)."""
        try:
            with contextlib.chdir(self.folder):
                self._reading = open_file(self.policy, self.name)
        except AuditError as exc:
            self.close()
            return _json({"error": str(exc)})
        return _json({"reading": True})

    def read(self, count: int, ask: bool = False) -> str:
        """Read up to ``count`` more rows: ``{"rows": read so far, "more": bool}``, or
        ``{"error": …}`` when a later row cannot be read (a limit). With ``ask``, also
        ``"ask"``: ``[[key, request JSON text], …]`` of the applicants newly complete (for
        the other engine; :meth:`answers` takes its answers)."""
        assert self._reading is not None
        try:
            with contextlib.chdir(self.folder):
                more = self._reading.read(count)
        except AuditError as exc:
            self.close()
            return _json({"error": str(exc)})
        got: dict[str, Any] = {"rows": self._reading.rows, "more": more}
        if ask:
            got["ask"] = self._ask(finished=not more)
        return _json(got)

    def _ask(self, finished: bool) -> list[list[Any]]:
        """``[[key, request JSON text], …]`` of the applicants newly complete."""
        assert self._reading is not None
        out = []
        for applicant, request in self._reading.ahead(finished):
            out.append([len(self._asked), json.dumps(request, ensure_ascii=False)])
            self._asked.append(applicant)
        return out

    def answers(self, text: str) -> None:
        """Take the other engine's answers: ``[[key, {"response": …}], …]`` (an answer
        without a response, a refused request, is left for the rules here to refuse with
        the applicant's rows and columns)."""
        try:
            answered = json.loads(text)
        except ValueError:
            log.warning("the other engine's answers are not JSON: evaluated here instead")
            return
        for item in answered if isinstance(answered, list) else ():
            if not (isinstance(item, list) and len(item) == 2 and type(item[0]) is int):
                continue
            key, reply = item
            response = reply.get("response") if isinstance(reply, dict) else None
            if (isinstance(response, dict) and response.keys() >= _ANSWER_KEYS
                    and 0 <= key < len(self._asked)):
                applicant = self._asked[key]
                if applicant.early is not None:  # not evaluated yet
                    applicant.answer = response

    def begin(self) -> str:
        """``{"total": N}``: the table is read; its applicants are evaluated next."""
        assert self._reading is not None
        self._auditor = self._reading.auditor
        audit = self._reading.audit()
        self._reading = None
        self.total, self._pending, self.info = audit.total, audit.steps, audit.info
        return _json({"total": self.total})

    def start(self) -> str:
        """The whole file read at once: ``{"total": N}`` or ``{"error": "…"}``."""
        opened = self.open()
        if "error" in opened:
            return opened
        while True:
            got = json.loads(self.read(50_000))
            if "error" in got:
                return _json(got)
            if not got["more"]:
                return self.begin()

    def advance(self, count: int) -> str:
        """Evaluate up to ``count`` more applicants; their :func:`view` as a JSON list."""
        done = []
        for result in self._pending:
            result.request = None  # evaluated: the report needs the records only
            self.results.append(result)
            done.append(view(result))
            if len(done) >= count:
                break
        return _json(done)

    def helped(self) -> int:
        """How many applicants took the other engine's answer (so far)."""
        auditor = getattr(self, "_auditor", None)
        return auditor.answered if auditor is not None else 0

    def summary(self) -> str:
        """The summary line ``ceportal audit`` prints (after its ``ceportal audit:``)."""
        return summary(self.results, self.info)

    def _report(self, name: str) -> bytes:
        # Beside the input, never over it (the file may itself be called report.csv).
        out = self.folder / "reports"
        out.mkdir(exist_ok=True)
        path = out / name
        write_report(self.results, path, self.info)
        try:
            return path.read_bytes()
        finally:
            path.unlink()

    def csv(self) -> str:
        """The text of ``ceportal audit FILE -o report.csv`` (UTF-8 with its BOM)."""
        return self._report("report.csv").decode("utf-8")

    def xlsx(self) -> bytes:
        """The bytes of ``ceportal audit FILE -o report.xlsx``."""
        return self._report("report.xlsx")

    def sheet(self, index: int) -> str:
        """One applicant's 核查单 (the page prints it): the result row's figures, the
        window, basis, assumptions, notes and every record with 计入 or why not, as JSON."""
        result = self.results[index]
        r = result.response
        return _json({
            **view(result),
            "window": result.window(),
            "basis": r["basis"] if r else "",
            "assumptions": [a["text"] for a in r["assumptions"]] if r else [],
            "warnings": [w["text"] for w in r["warnings"]] + result.notes if r else result.notes,
            "records": [[v if isinstance(v, (int, float)) else cell_text(v) for v in line[2:]]
                        for line in record_lines(result)],
            "title": self.info.title(),
        })

    def close(self) -> None:
        """Remove the copy of the reviewer's file (and anything else of this audit)."""
        shutil.rmtree(self.folder, ignore_errors=True)


def run(policy: Mapping[str, Any], file_name: str, data: bytes) -> dict[str, str]:
    """The whole audit at once: ``{"csv": …, "summary": …}``, or ``{"error": …}``."""
    audit = BrowserAudit(policy, file_name, data)
    started = json.loads(audit.start())
    if "error" in started:
        return {"error": started["error"]}
    try:
        while audit.advance(1000) != "[]":
            pass
        return {"csv": audit.csv(), "summary": audit.summary()}
    finally:
        audit.close()


def warm_up() -> None:
    """Write an empty XLSX report once, while the engine starts: every module the report
    needs (openpyxl's, and the standard library's beyond the trimmed archive) is then
    loaded before the page says the engine is ready (the standard library's part of it is in
    the trimmed archive: generator/browser/stdlib.py), so nothing is fetched afterwards."""
    with tempfile.TemporaryDirectory(prefix="ceportal-warm-") as folder:
        write_report([], Path(folder) / "report.xlsx")
