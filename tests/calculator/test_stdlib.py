"""The trimmed standard library (generator/browser/stdlib.py): it holds every module
the rules, the planner, the bridge and the audit import, run in Pyodide under Node with
that archive alone; what it lacks is fetched, checked, by the worker's fallback finder."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from generator.browser import audit_template as template
from generator.browser import stdlib
from generator.browser.vendor import vendored_wheels
from generator.catalog.model import Catalog

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("stdlib_node.mjs")
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"  # this checkout's runtime (npm ci)


def _sources(tmp_path: Path) -> Path:
    """The browser's Python outside the wheel (the audit), laid out as the worker would."""
    out = tmp_path / "sources"
    for path in stdlib.browser_sources():
        if path.parent.name != "rules":
            target = out / path.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return out


def _run(produced: dict[str, Any], tmp_path: Path, archive: Path, *extra: str,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    assert node, "node is missing: run make setup"
    manifest = json.loads(produced["calculator/manifest.json"])
    wheel = tmp_path / manifest["wheel"]
    wheel.write_bytes(produced[f"calculator/{manifest['wheel']}"])
    policy = tmp_path / "policy.json"
    policy.write_bytes(produced["calculator/policy.json"])
    imports = tmp_path / "imports.json"
    imports.write_text(json.dumps(stdlib.imports_to_check()), encoding="utf-8")
    return subprocess.run(
        [node, str(SCRIPT), str(PYODIDE_DIR), str(archive), str(wheel), str(_sources(tmp_path)),
         str(policy), str(produced["calculator/worker.js"]), str(imports), *extra],
        capture_output=True, text=True, timeout=180, check=False,
        env={**os.environ, "CE_FULL_MODULES": json.dumps(manifest["stdlib_modules"]), **(env or {})},
    )


def test_the_imports_are_found_in_the_sources() -> None:
    names = stdlib.imports_to_check()
    # Module level and inside functions (xlsx_rows is imported by a function of auditing).
    for name in ("decimal", "json", "csv", "zipfile", "xml.parsers.expat", "generator.common.xlsx_rows"):
        assert name in names
    assert "openpyxl" not in names  # not the standard library: not Pyodide's to provide
    # What the audit's wheels import (openpyxl writing the XLSX report), as far as the
    # standard library goes; and the audit's bridge, which only the wheel lists.
    # The codecs named in calls (a CSV is read as utf-8-sig, a GBK guess as gb18030).
    for name in ("xml.etree.ElementTree", "mimetypes", "generator.browser.worker.audit",
                 "encodings.utf_8_sig", "encodings.gb18030"):
        assert name in names
    assert "generator.browser.worker.calculator" in names
    # What the audit imports from the rest of generator comes along (celltext, safefiles).
    assert "generator.common.celltext" in names
    assert "generator.__init__" not in names and "generator" not in names


@pytest.mark.node
def test_the_trimmed_archive_holds_every_import(produced: dict[str, Any], tmp_path: Path) -> None:
    manifest = json.loads(produced["calculator/manifest.json"])
    archive = Path(str(produced[f"calculator/{manifest['snapshot_stdlib']}"]))
    full = PYODIDE_DIR / "python_stdlib.zip"
    assert archive.stat().st_size < full.stat().st_size
    run = _run(produced, tmp_path, archive)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["imported"] == len(stdlib.imports_to_check())
    assert "response" in out["response"], out["response"]


@pytest.mark.node
def test_the_audit_writes_its_xlsx_report_with_the_trimmed_archive_alone(
        produced: dict[str, Any], catalog: Catalog, tmp_path: Path) -> None:
    """The audit page's engine: the rules wheel, openpyxl and et_xmlfile, the trimmed
    archive and no fallback; a table read, checked and written as an XLSX report."""
    manifest = json.loads(produced["calculator/manifest.json"])
    archive = Path(str(produced[f"calculator/{manifest['snapshot_stdlib']}"]))
    table = tmp_path / "table.csv"
    table.write_bytes(template.template_csv(catalog.policy))
    wheels = [str(p) for p in vendored_wheels().values()]
    run = _run(produced, tmp_path, archive, env={"CE_AUDIT": json.dumps({"wheels": wheels, "table": str(table)})})
    assert run.returncode == 0, run.stdout + run.stderr
    total, magic = json.loads(run.stdout)["xlsx"]
    assert total > 0 and magic == "PK"  # the template's example applicants; a zip file


@pytest.mark.node
def test_a_missing_module_fails_the_check(produced: dict[str, Any], tmp_path: Path) -> None:
    """The check above can fail: the same archive without csv.py does."""
    manifest = json.loads(produced["calculator/manifest.json"])
    archive = Path(str(produced[f"calculator/{manifest['snapshot_stdlib']}"]))
    with zipfile.ZipFile(archive) as source:
        names = [n for n in source.namelist() if n != "csv.py"]
    broken = tmp_path / "broken.zip"
    broken.write_bytes(stdlib.pack(PYODIDE_DIR / "python_stdlib.zip", names))
    run = _run(produced, tmp_path, broken)
    assert run.returncode != 0
    assert json.loads(run.stdout) == {"import_error": "ModuleNotFoundError: No module named 'csv'"}


@pytest.mark.node
def test_the_fallback_fetches_the_full_archive_checked(produced: dict[str, Any], tmp_path: Path) -> None:
    manifest = json.loads(produced["calculator/manifest.json"])
    archive = Path(str(produced[f"calculator/{manifest['snapshot_stdlib']}"]))
    with zipfile.ZipFile(archive) as source:
        assert "fractions.py" not in source.namelist()
    full = PYODIDE_DIR / "python_stdlib.zip"
    digest = "sha256-" + base64.b64encode(hashlib.sha256(full.read_bytes()).digest()).decode()
    assert manifest["files"]["pyodide/python_stdlib.zip"]["integrity"] == digest
    run = _run(produced, tmp_path, archive, str(full), digest, "fractions")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["fallback"] == "/lib/python_stdlib_full.zip/fractions.py"
    # A submodule of a package the trimmed archive holds (xml), found in the full one.
    with zipfile.ZipFile(archive) as source:
        assert "xml/__init__.py" in source.namelist()
        assert "xml/dom/minidom.py" not in source.namelist()
    run = _run(produced, tmp_path, archive, str(full), digest, "xml.dom.minidom")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["fallback"] == "/lib/python_stdlib_full.zip/xml/dom/minidom.py"
    # A full archive whose digest differs from the manifest's is refused.
    run = _run(produced, tmp_path, archive, str(full), "sha256-AAAA", "fractions")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["fallback_error"] == "ImportError: refused: python_stdlib.zip"
    # A module the full archive does not hold either (mimetypes tries _winapi, as Python on
    # Windows): no fetch (with that digest, one would be refused), ModuleNotFoundError at once.
    assert "_winapi" in sys.stdlib_module_names and "_winapi" not in manifest["stdlib_modules"]
    run = _run(produced, tmp_path, archive, str(full), "sha256-AAAA", "_winapi")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["fallback_error"] == "ModuleNotFoundError: No module named '_winapi'"


def test_the_archive_is_reproducible() -> None:
    full = PYODIDE_DIR / "python_stdlib.zip"
    names = ["json/__init__.py", "csv.py"]
    assert stdlib.pack(full, names) == stdlib.pack(full, reversed(names))
    with zipfile.ZipFile(full) as source, zipfile.ZipFile(io.BytesIO(stdlib.pack(full, names))) as z:
        assert [i.filename for i in z.infolist()] == ["csv.py", "json/__init__.py"]
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in z.infolist())
        assert z.read("csv.py") == source.read("csv.py")


LAZY_SCRIPT = Path(__file__).with_name("lazy_stdlib_node.mjs")


def _run_lazy(produced: dict[str, Any], digest: str | None, modules: list[str]) -> dict[str, Any]:
    node = shutil.which("node")
    assert node, "node is missing: run make setup"
    manifest = json.loads(produced["calculator/manifest.json"])
    archive = Path(str(produced[f"calculator/{manifest['snapshot_stdlib']}"]))
    run = subprocess.run(
        [node, str(LAZY_SCRIPT), str(PYODIDE_DIR), str(archive), str(produced["calculator/worker.js"]),
         digest or manifest["files"][manifest["snapshot_stdlib"]]["integrity"], json.dumps(modules),
         json.dumps(manifest["snapshot_stdlib_modules"]), json.dumps(stdlib.snapshot_imports())],
        capture_output=True, text=True, timeout=180, check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    result: dict[str, Any] = json.loads(run.stdout)
    return result


@pytest.mark.node
def test_the_calculator_fetches_the_trimmed_archive_only_when_a_module_of_it_is_imported(
    produced: dict[str, Any],
) -> None:
    """The calculator restores the snapshot with an empty archive in place of the trimmed
    one; the first import of a module the snapshot has not imported fetches it (once,
    checked), and the import goes on from it; a module of neither archive costs no fetch."""
    manifest = json.loads(produced["calculator/manifest.json"])
    assert "xml" in manifest["snapshot_stdlib_modules"] and "csv" in manifest["snapshot_stdlib_modules"]
    out = _run_lazy(produced, None, ["_winapi", "xml.etree.ElementTree", "csv"])
    assert out["modules"] == {
        "_winapi": "ModuleNotFoundError: No module named '_winapi'",
        "xml.etree.ElementTree": "/lib/python314.zip/xml/etree/ElementTree.py",
        "csv": "/lib/python314.zip/csv.py",
    }
    assert out["fetches"] == 1
    # An error's traceback through a module of the archive still formats (no source line
    # until the archive is there), and fetches nothing.
    assert out["traceback"] == "json.decoder.JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"


@pytest.mark.node
def test_a_trimmed_archive_unlike_the_manifest_is_refused_when_fetched(produced: dict[str, Any]) -> None:
    out = _run_lazy(produced, "sha256-AAAA", ["csv"])
    assert out["modules"] == {"csv": "ImportError: refused: python_stdlib_min.zip"}
    assert out["fetches"] == 1


def test_the_snapshot_imports_what_the_calculator_imports() -> None:
    """The modules the snapshot imports: every standard-library module the calculator's
    sources name (its bridge, the rules and the planner), the worker's and the codec
    unpacking a wheel needs; nothing of the audit's."""
    imports = stdlib.snapshot_imports()
    assert set(stdlib.stdlib_imports(stdlib.calculator_sources())) <= set(imports)
    assert set(stdlib.WORKER_IMPORTS) | {"encodings.cp437"} <= set(imports)
    assert {"decimal", "datetime", "json"} <= set(imports)
    assert "csv" not in imports and "xml.etree.ElementTree" not in imports  # the audit's
    assert imports == sorted(imports)
