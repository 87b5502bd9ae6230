"""The package map holds: domain packages, imports only downward, and a pure browser side.

README "Layout" describes the packages; these tests keep the code honest to it.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

GENERATOR = ROOT / "generator"
# Lowest first: a package may import its own layer and those below, never one above.
LAYERS = [
    {"rules", "common", "resources"},
    {"catalog"},
    {"audit"},
    {"browser"},
    {"site"},
    {"commands"},
    {"cli"},
]
LAYER = {name: i for i, names in enumerate(LAYERS) for name in names}
# What may stand at the top of generator/ beside the domain packages.
TOP_LEVEL = {"__init__.py", "cli.py", "resources.py"}
# The packages of the rules wheel that Pyodide runs (generator/browser/web/wheel/pyproject.toml).
IN_BROWSER = ["rules", "audit", "common", "browser/worker"]
# Imported lazily (inside a function) by the audit's XLSX report; vendored beside the wheel.
BROWSER_LAZY_EXTRAS = {"openpyxl"}


def _sources() -> list[Path]:
    return sorted(p for p in GENERATOR.rglob("*.py") if "web" not in p.relative_to(GENERATOR).parts)


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[str, bool]]:
    """Every module ``path`` imports, absolute, with whether it is imported at the top level."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module(path) if path.name == "__init__.py" else _module(path).rpartition(".")[0]
    top = set(map(id, tree.body))
    found: list[tuple[str, bool]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, id(node) in top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            found.append((name, id(node) in top))
            if not node.module or node.level:
                found += [(f"{name}.{alias.name}", id(node) in top) for alias in node.names]
    return found


def _domain(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "generator" and len(parts) > 1 else None


def test_generator_has_no_loose_domain_modules() -> None:
    loose = {p.name for p in GENERATOR.glob("*.py")} - TOP_LEVEL
    assert not loose, f"modules at the top of generator/ that belong to a package: {sorted(loose)}"
    for package in (p for p in GENERATOR.iterdir() if (p / "__init__.py").exists()):
        assert package.name in LAYER, f"generator/{package.name}/ is not in the layer map"


def test_imports_only_go_down() -> None:
    upward = []
    for path in _sources():
        here = _domain(_module(path))
        if here is None:
            continue
        for name, _ in _imports(path):
            there = _domain(name)
            if there in LAYER and LAYER[there] > LAYER[here]:
                upward.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not upward, "\n".join(upward)


@pytest.mark.parametrize("package", IN_BROWSER)
def test_what_runs_in_the_browser_is_pure(package: str) -> None:
    """Standard library and the wheel's own packages only; openpyxl only inside a function."""
    files = sorted((GENERATOR / package).rglob("*.py"))
    assert files
    wheel = tuple("generator." + p.replace("/", ".") for p in IN_BROWSER)
    for path in files:
        for name, at_top in _imports(path):
            root = name.split(".")[0]
            if root == "generator":
                assert name == "generator" or name.startswith(wheel), (
                    f"{path.relative_to(ROOT)} imports {name}, which is not in the browser's wheel"
                )
            elif root not in sys.stdlib_module_names and root != "__future__":
                assert root in BROWSER_LAZY_EXTRAS and not at_top, (
                    f"{path.relative_to(ROOT)} imports {name} at the top level"
                )


def test_the_wheel_takes_exactly_the_browser_packages() -> None:
    wheel_project = (GENERATOR / "browser" / "web" / "wheel" / "pyproject.toml").read_text("utf-8")
    import tomllib

    included = tomllib.loads(wheel_project)["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert sorted(included.values()) == sorted(f"generator/{p}" for p in IN_BROWSER)
