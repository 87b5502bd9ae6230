"""Applicants evaluated ahead by a second engine while the table is still being read (the
audit page's helper worker, generator/browser/worker/audit.py): the answers change how
soon the report is ready, never what it says. The other engine is played here by the
calculator's own bridge in this process, as the helper worker runs it in the browser."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

import generator.audit.evaluation as evaluation
from generator.browser.worker.audit import BrowserAudit
from generator.browser.worker.calculator import evaluate_json
from tests.audit.conftest import ZH, Cli, bench_rows, write_csv, xlsx_rows


def _audit(policy: dict[str, Any], path: Path, slice_rows: int,
           answer: Any = evaluate_json) -> tuple[BrowserAudit, int]:
    """``path`` audited as the page does with a helper: ``slice_rows`` rows a slice, each
    slice's requests answered (by ``answer(policy, text)``) before the next is read.
    Returns the audit, finished, and how many requests were handed out."""
    audit = BrowserAudit(policy, path.name, path.read_bytes())
    assert "error" not in json.loads(audit.open())
    asked = 0
    while True:
        got = json.loads(audit.read(slice_rows, True))
        assert set(got) == {"rows", "more", "ask"}
        asked += len(got["ask"])
        if got["ask"]:
            audit.answers("[" + ",".join(f"[{key},{answer(policy, text)}]" for key, text in got["ask"]) + "]")
        if not got["more"]:
            break
    audit.begin()
    while audit.advance(97) != "[]":
        pass
    return audit, asked


class _Counted:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, policy: Any, request: Any) -> Any:
        self.calls += 1
        return _EVALUATE(policy, request)


_EVALUATE = evaluation.evaluate


def test_answers_give_the_cli_reports(policy: dict[str, Any], inputs: list[Path],
                                      cli_reports: dict[str, Cli],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    counted = _Counted()
    monkeypatch.setattr(evaluation, "evaluate", counted)
    readable = [p for p in inputs if cli_reports[p.name].code != 2]
    assert len(readable) >= 10
    for path in readable:
        for slice_rows in (1, 7, 5000):
            counted.calls = 0
            audit, asked = _audit(policy, path, slice_rows)
            try:
                assert audit.csv().encode() == cli_reports[path.name].csv, (path.name, slice_rows)
                assert xlsx_rows(audit.xlsx()) == cli_reports[path.name].xlsx_rows, path.name
            finally:
                audit.close()
            if path.name.startswith("big-1000"):
                # Every applicant's rows are together: each was asked for once and none
                # evaluated again here.
                assert (asked, counted.calls, audit.helped()) == (1000, 0, 1000), (path.name, slice_rows)


def test_an_applicant_with_later_rows_is_evaluated_again(policy: dict[str, Any], tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows in no order: an applicant asked for early has more rows later, and its early
    answer (fewer records, other hours) must not be the one reported."""
    rows = bench_rows(300, 4, seed=5)
    random.Random(3).shuffle(rows)
    shuffled = write_csv(tmp_path / "乱序.csv", ZH, rows)
    plain = BrowserAudit(policy, shuffled.name, shuffled.read_bytes())
    assert "error" not in json.loads(plain.start())
    while plain.advance(100) != "[]":
        pass
    counted = _Counted()
    monkeypatch.setattr(evaluation, "evaluate", counted)
    audit, asked = _audit(policy, shuffled, 50)
    try:
        assert audit.csv() == plain.csv()
        assert xlsx_rows(audit.xlsx()) == xlsx_rows(plain.xlsx())
    finally:
        audit.close()
        plain.close()
    # Most of the first 200 asked for had rows later: no more were asked for, and all
    # those were evaluated here.
    assert 200 <= asked < 260
    assert counted.calls > 250


def test_a_refused_or_missing_answer_is_left_to_the_rules_here(policy: dict[str, Any], tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    rows = bench_rows(40, 3, seed=9)
    path = write_csv(tmp_path / "表.csv", ZH, rows)
    plain = BrowserAudit(policy, path.name, path.read_bytes())
    plain.start()
    while plain.advance(100) != "[]":
        pass
    expected = plain.csv()
    plain.close()
    refused = json.dumps({"error": "计算出错：内存不足"})
    audit, _ = _audit(policy, path, 10, answer=lambda _p, _t: refused)
    try:
        assert audit.csv() == expected
    finally:
        audit.close()
    # Answers for keys never handed out, or for an applicant already evaluated, change nothing.
    audit = BrowserAudit(policy, path.name, path.read_bytes())
    audit.open()
    got = json.loads(audit.read(1000, True))
    audit.begin()
    while audit.advance(100) != "[]":
        pass
    wrong = json.dumps({"response": {"met": True}})
    audit.answers(f"[[-1,{wrong}],[{len(got['ask'])},{wrong}],[0,{wrong}]]")
    assert audit.csv() == expected
    audit.close()
    # Answers that are not what the engine gives (cut short, another shape) are ignored.
    audit = BrowserAudit(policy, path.name, path.read_bytes())
    audit.open()
    got = json.loads(audit.read(1000, True))
    for text in ('[[0,{"response":', '{"0": 1}', '[[0], "x", [true, {"response": {}}], [0, 1, 2]]',
                 '[[0, {"response": {"met": true}}]]'):
        audit.answers(text)
    audit.begin()
    while audit.advance(100) != "[]":
        pass
    assert audit.csv() == expected and audit.helped() == 0
    audit.close()
