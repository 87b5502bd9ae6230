"""One exit code for one kind of failure, in every command (README, "Exit codes"):
1 the data has errors, 2 the command line or request, 3 nothing written to keep files safe."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.commands._common import Exit

REQUEST = '{"kind": "promotion", "target": "engineer", "year": 2011, "records": []}'


@pytest.fixture
def work(tmp_path: Path, catalog_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "request.json").write_text(REQUEST, encoding="utf-8")
    (tmp_path / "in.csv").write_text(
        "编号,姓名,类型,拟申报,现职称,年度,周期起始,学时年度,类别,学时\n"
        "A1,甲,申报晋升,engineer,,2011,,2010,public,8\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def workbook(work: Path, ceportal: Callable[..., Any]) -> Path:
    assert ceportal("export-xlsx", "--year", "2010", "-o", "plan.xlsx").code == 0
    return work / "plan.xlsx"


# Every command that reads the catalog folder, with what it is given besides --catalog.
READERS = {
    "check": [],
    "hours": ["request.json"],
    "plan": ["request.json", "--today", "2011-01-01"],
    "audit": ["in.csv"],
    "schema": [],
    "export-xlsx": ["--year", "2010", "-o", "out.xlsx"],
    "import-xlsx": ["plan.xlsx", "--year", "2011", "-o", "out.yaml"],
    "new-year": ["2011"],
}


@pytest.mark.parametrize("command", READERS)
def test_a_bad_policy_is_invalid_data_everywhere(
    command: str, work: Path, workbook: Path, ceportal: Callable[..., Any]
) -> None:
    policy = work / "catalog" / "policy.yaml"
    policy.write_text(policy.read_text("utf-8").replace("start_year:", "start_yaer:", 1), "utf-8")
    run = ceportal(command, *READERS[command], "--catalog", "catalog")
    assert run.code == Exit.INVALID == 1, run
    assert "catalog/policy.yaml:" in run.out + run.err  # the place, FILE:LINE:COL
    assert "Traceback" not in run.err
    assert not (work / "out.xlsx").exists() and not (work / "out.yaml").exists()


@pytest.mark.parametrize(("command", "args"), [
    ("audit", ["in.csv", "-o", "taken.csv"]),
    ("export-xlsx", ["--year", "2010", "-o", "taken.csv"]),
    ("import-xlsx", ["plan.xlsx", "--year", "2010", "-o", "taken.csv"]),
    ("schema", ["-o", "taken.csv"]),
])
def test_an_existing_output_is_refused_everywhere(
    command: str, args: list[str], work: Path, workbook: Path, ceportal: Callable[..., Any]
) -> None:
    (work / "taken.csv").write_text("mine\n")
    run = ceportal(command, *args, "--catalog", "catalog")
    assert (run.code, run.err) == (
        Exit.REFUSED, f"ceportal {command}: taken.csv 已存在，未覆盖：要替换它请加 --force\n")
    assert (work / "taken.csv").read_text() == "mine\n"


@pytest.mark.parametrize("command", ["hours", "plan"])
def test_a_bad_request_is_a_usage_error(command: str, work: Path,
                                        ceportal: Callable[..., Any]) -> None:
    (work / "request.json").write_text('{"kind": "promotion"}', encoding="utf-8")
    run = ceportal(command, "request.json", "--catalog", "catalog")
    assert run.code == Exit.USAGE == 2
    assert run.err.startswith(f"ceportal {command}: ") and run.err.count("\n") == 1
