"""generator.rules runs unchanged in Pyodide: standard library only, no I/O."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from tests.conftest import ROOT

RULES = ROOT / "generator" / "rules"
# Modules that would do I/O or reach the platform; the rules are data in, data out.
FORBIDDEN = {
    "os",
    "io",
    "pathlib",
    "subprocess",
    "socket",
    "shutil",
    "tempfile",
    "urllib",
    "http",
    "open",
}


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_rules_import_only_the_standard_library() -> None:
    files = sorted(RULES.glob("*.py"))
    assert files
    for path in files:
        outside = {
            m
            for m in imported_modules(path)
            if m not in sys.stdlib_module_names and m != "__future__"
        }
        assert not outside, f"{path.name} imports {outside}"


def test_rules_do_no_io() -> None:
    for path in sorted(RULES.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert not imported_modules(path) & FORBIDDEN, path.name
        calls = {
            n.func.id
            for n in ast.walk(tree)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
        }
        assert not calls & {"open", "print", "input", "exec", "eval", "__import__"}, path.name


def test_rules_have_no_relative_import_out_of_the_package() -> None:
    for path in sorted(RULES.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                assert node.level == 1, f"{path.name} reaches outside generator.rules"
