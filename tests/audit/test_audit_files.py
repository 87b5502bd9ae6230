"""The files of ``/audit/`` (CPython): the bridge gives the CLI's bytes, the input
template audits cleanly and follows the audit's column definitions, the manifest lists
every file the worker loads with its digest, the wheel carries the audit and only
standard-library imports, the vendored wheels are the versions the CLI uses."""

from __future__ import annotations

import ast
import base64
import hashlib
import importlib.metadata
import io
import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from generator.audit.evaluation import COLUMNS, NOTE_MARK
from generator.browser import PINS, EnginePage, build_rules_wheel
from generator.browser.audit_template import CSV_NAME, XLSX_NAME, notes
from generator.browser.worker.audit import BrowserAudit, run, safe_name
from tests.audit.conftest import Cli, run_cli


def _manifest(produced: dict[str, bytes | Path | EnginePage]) -> dict[str, Any]:
    page = produced["audit/index.md"]
    assert isinstance(page, EnginePage) and (page.kind, page.title) == ("audit", "批量核查")
    return json.loads(page.data["calculator"]["manifest"])


def _bytes(content: bytes | Path | EnginePage) -> bytes:
    assert not isinstance(content, EnginePage)
    return content.read_bytes() if isinstance(content, Path) else content


def test_bridge_gives_the_cli_bytes(policy: dict[str, Any], inputs: list[Path],
                                    cli_reports: dict[str, Cli]) -> None:
    for path in inputs:
        cli = cli_reports[path.name]
        got = run(policy, path.name, path.read_bytes())
        if cli.code == 2:
            assert got == {"error": cli.stderr.strip().removeprefix("ceportal audit: ")}
        else:
            assert got["csv"].encode() == cli.csv, path.name


def test_bridge_reads_only_the_files_own_name(policy: dict[str, Any]) -> None:
    assert safe_name("C:\\Users\\审核\\申报人.xlsx") == "申报人.xlsx"
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("..") == "input"
    audit = BrowserAudit(policy, "../x.csv", b"id\n")
    assert json.loads(audit.start()) == {"error": "x.csv：第1行的表头缺少列：类型、年度、学时年度、类别、学时。"
                                         "表头应包括 编号、姓名、类型、拟申报、现职称、年度、周期起始、学时年度、类别、学时"
                                         "（或英文 id, name, kind, target, title, year, cycle_start, "
                                         "record_year, module, hours）"}
    assert not audit.folder.exists()  # the copy of the file is gone with the refusal


@pytest.mark.cli  # and `build` by its fixture `produced`
def test_template_follows_the_columns_and_audits_cleanly(
    produced: dict[str, bytes | Path | EnginePage], policy: dict[str, Any], tmp_path: Path
) -> None:
    assert set(notes(policy)) == set(COLUMNS)
    data = _bytes(produced[f"audit/{CSV_NAME}"])
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == ",".join(zh for zh, _ in COLUMNS.values())
    assert lines[1].startswith(NOTE_MARK)
    book = openpyxl.load_workbook(io.BytesIO(_bytes(produced[f"audit/{XLSX_NAME}"])))
    sheet = book.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == [zh for zh, _ in COLUMNS.values()]
    assert str(rows[1][0]).startswith(NOTE_MARK)
    for name in (CSV_NAME, XLSX_NAME):
        path = tmp_path / name
        path.write_bytes(_bytes(produced[f"audit/{name}"]))
        cli = run_cli(path)
        assert cli.code == 0, cli.stderr
        where = "UTF-8 编码，第1行为表头" if name == CSV_NAME else "工作表“学时记录”第1行为表头"
        assert cli.stderr.strip() == (
            f"ceportal audit: 共核算 2 人：达标 1 人，未达标 1 人，出错 0 人（{where}）")
        assert cli.xlsx_rows is not None and [r[0] for r in cli.xlsx_rows[2:]] == ["A001", "A002"]


def test_manifest_lists_the_extension_with_digests(produced: dict[str, bytes | Path | EnginePage]) -> None:
    manifest = _manifest(produced)
    extension = manifest["extension"]
    assert extension["module"] == "../audit/audit-worker.js"
    assert sorted(extension["wheels"]) == sorted(f"../audit/{p.file}" for p in PINS)
    for path in [extension["module"], *extension["wheels"]]:
        data = _bytes(produced["audit/" + path.removeprefix("../audit/")])
        entry = manifest["files"][path]
        assert entry["integrity"] == "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode()
        assert entry["size"] == len(data)
    # The engine's own files are the calculator's: one runtime, one snapshot, one wheel.
    # The worker alone is started from a copy in audit/ (the same bytes), so that the
    # offline copy's service worker (scope /audit/) sees its requests.
    calculator = json.loads(_bytes(produced["calculator/manifest.json"]))
    for name, entry in calculator["files"].items():
        if name == "worker.js":
            entry = {**entry, "url": "../audit/" + entry["url"]}
        assert manifest["files"][name] == entry
    assert manifest["base"] == "../calculator/"
    assert _bytes(produced["audit/worker.js"]) == _bytes(produced["calculator/worker.js"])
    assert json.loads(_bytes(produced["audit/manifest.json"])) == manifest
    assert _bytes(produced["audit/sw.js"]) == _bytes(produced["calculator/sw.js"])
    for pin in PINS:
        assert hashlib.sha256(_bytes(produced[f"audit/{pin.file}"])).hexdigest() == pin.sha256


def test_the_page_links_the_calculators_common_style_then_its_own(
    produced: dict[str, bytes | Path | EnginePage],
) -> None:
    """The rules both pages share are one file, the calculator's: the audit page links
    it from there (one copy to cache), with its integrity, before audit.css."""
    audit_page = produced["audit/index.md"]
    assert isinstance(audit_page, EnginePage)
    page = audit_page.body
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)" integrity="([^"]+)">', page)
    expected = []
    for path, href in (("calculator/common.css", "../calculator/common.css"),
                       ("audit/audit.css", "audit.css")):
        digest = hashlib.sha256(_bytes(produced[path])).digest()
        version = base64.urlsafe_b64encode(digest[:12]).decode()
        expected.append((f"{href}?v={version}", "sha256-" + base64.b64encode(digest).decode()))
    assert links == expected
    assert '<caption class="ce-visually-hidden">' in page  # common.css's class
    assert "audit/common.css" not in produced


def test_vendored_wheels_are_the_versions_the_cli_uses() -> None:
    for pin in PINS:
        assert importlib.metadata.version(pin.project) == pin.version, pin.project


@pytest.mark.build
def test_the_wheel_carries_the_audit_with_standard_library_imports_only() -> None:
    _name, wheel = build_rules_wheel()
    with zipfile.ZipFile(io.BytesIO(wheel)) as archive:
        names = set(archive.namelist())
        modules = {n: archive.read(n).decode() for n in names if n.endswith(".py")}
    for needed in ("generator/audit/evaluation.py", "generator/audit/reading.py",
                   "generator/audit/report.py", "generator/browser/worker/audit.py",
                   "generator/common/xlsx_rows.py", "generator/rules/__init__.py"):
        assert needed in names
    assert "generator/__init__.py" not in names  # `generator` stays a namespace package
    for name, source in modules.items():
        tree = ast.parse(source)
        top_level = set(map(id, tree.body))
        package = name.rsplit("/", 1)[0]
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level:
                # Every module it imports, even where it is used only, is in the wheel.
                base = package.rsplit("/", node.level - 1)[0] if node.level > 1 else package
                targets = [node.module] if node.module else [a.name for a in node.names]
                for target in targets:
                    path = f"{base}/{target.replace('.', '/')}"
                    assert f"{path}.py" in names or f"{path}/__init__.py" in names, (name, target)
                continue
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("generator."):
                path = node.module.replace(".", "/")
                assert f"{path}.py" in names or f"{path}/__init__.py" in names, (name, node.module)
                continue
            if isinstance(node, ast.Import):
                tops = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                tops = [(node.module or "").split(".")[0]]
                if tops == ["generator"]:
                    # The project's own modules, by absolute name: in the wheel too.
                    path = (node.module or "").replace(".", "/")
                    assert f"{path}.py" in names or f"{path}/__init__.py" in names, (name, path)
                    continue
            else:
                continue
            # Module level: the standard library only. Where used: openpyxl too (the
            # XLSX report), which the page installs from its vendored wheel.
            allowed = set(sys.stdlib_module_names) | {"__future__"}
            if id(node) not in top_level:
                allowed |= {p.project for p in PINS}
            for top in tops:
                assert top in allowed, (name, top)


def test_an_input_named_like_the_report_is_audited_as_itself(policy: dict[str, Any],
                                                            inputs: list[Path]) -> None:
    source = next(p for p in inputs if p.name == "申报人.csv")
    audit = BrowserAudit(policy, "report.csv", source.read_bytes())
    assert json.loads(audit.start()) == {"total": 5}
    audit.advance(10)
    first, second = audit.csv(), audit.csv()
    assert first == second and first.startswith("\ufeff编号,")
    assert (audit.folder / "report.csv").read_bytes() == source.read_bytes()
    audit.close()


def test_template_has_a_text_id_column_and_drop_downs(
    produced: dict[str, bytes | Path], policy: dict[str, Any]
) -> None:
    book = openpyxl.load_workbook(io.BytesIO(_bytes(produced[f"audit/{XLSX_NAME}"])))
    sheet = book.worksheets[0]
    assert sheet.column_dimensions["A"].number_format == "@"
    assert sheet["A3"].number_format == sheet["A2000"].number_format == "@"
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists == {
        "C3:C2000": '"申报晋升,周期验审"',
        "D3:D2000": '"初次申报初级职称（技术员、助理工程师）,技术员晋升助理工程师,'
                    '助理工程师晋升工程师,工程师晋升高级工程师及以上"',
        "E3:E2000": '"高级工程师,工程师,助理工程师,技术员"',
        "I3:I2000": '"公共必修课,专业选修课,其他形式"',
    }
