"""``ceportal new DIR`` (DESIGN.md, "The tool outside this repository"): the portal folder it
writes is this repository's own (one definition), it never writes over anything, and a
build without the Pyodide runtime stops with one line saying how to get it."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.browser.runtime import PYODIDE_ENV
from generator.site.scaffolding import PORTAL_PACKAGE

ROOT = Path(__file__).resolve().parents[2]
WRITTEN = [".gitignore", "README.md", "catalog/2010.yaml", "catalog/policy.yaml",
           "catalog/schema.json", "mkdocs.yml", "package-lock.json", "package.json",
           "site_src/robots.txt"]


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def missing_runtime(shown: str) -> str:
    return (f"找不到 Pyodide 运行环境（{shown}）：请在门户文件夹（mkdocs.yml 所在的文件夹）中运行 "
            "npm ci 安装，或用 --pyodide DIR 指定已安装的 pyodide 包所在的文件夹")


@pytest.fixture
def portal(tmp_path: Path, ceportal: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    run = ceportal("new", "portal")
    assert (run.code, run.err) == (0, "")
    assert run.out == (
        f"已新建门户文件夹 portal（{len(WRITTEN)} 个文件）。\n"
        "下一步：cd portal，运行 npm ci 安装 Pyodide，再运行 ceportal serve 预览"
        "（发布用 ceportal build）。\n"
    )
    return tmp_path / "portal"


def test_the_portal_folder_is_this_repositorys_own(portal: Path) -> None:
    files = tree(portal)
    assert list(files) == WRITTEN
    for name in ("mkdocs.yml", "site_src/robots.txt", "catalog/policy.yaml", "catalog/2010.yaml",
                 "catalog/schema.json"):
        assert files[name] == (ROOT / name).read_bytes(), name
    assert files[".gitignore"] == b"/node_modules/\n/site/\n"
    readme = files["README.md"].decode()
    assert "npm ci" in readme and "ceportal serve" in readme and "ceportal build" in readme


def test_npm_files_pin_exactly_this_repositorys_pyodide(portal: Path) -> None:
    package = json.loads((portal / "package.json").read_text("utf-8"))
    lock = json.loads((portal / "package-lock.json").read_text("utf-8"))
    ours = json.loads((ROOT / "package-lock.json").read_text("utf-8"))
    assert package["name"] == lock["name"] == lock["packages"][""]["name"] == PORTAL_PACKAGE
    assert package["dependencies"] == lock["packages"][""]["dependencies"] == {"pyodide": "314.0.7"}
    assert "devDependencies" not in package and "devDependencies" not in lock["packages"][""]
    # Every package Pyodide needs, with this repository's integrity; nothing for the tests.
    needed = {k: v for k, v in ours["packages"].items() if k and not v.get("dev")}
    assert {k: v for k, v in lock["packages"].items() if k} == needed
    assert "node_modules/axe-core" not in lock["packages"]
    assert lock["packages"]["node_modules/pyodide"] == ours["packages"]["node_modules/pyodide"]


def test_check_passes_in_the_new_folder(portal: Path, ceportal: Callable[..., Any],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(portal)
    run = ceportal("check")
    assert (run.code, run.out) == (0, "检查通过：年度目录 2010，共 18 门课程、3 期办班\n")


@pytest.mark.parametrize("present", ["README.md", "notes/todo.txt"])
def test_refuses_a_folder_that_is_not_empty(tmp_path: Path, ceportal: Callable[..., Any],
                                            monkeypatch: pytest.MonkeyPatch, present: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "portal" / present).parent.mkdir(parents=True)
    (tmp_path / "portal" / present).write_text("mine\n")
    before = tree(tmp_path)
    run = ceportal("new", "portal")
    first = present.split("/")[0]
    assert (run.code, run.out) == (3, "")
    assert run.err == (
        f"ceportal new: 文件夹 portal 不是空的（已有 {first}）：为免覆盖已有文件，未写入任何文件；"
        "请换一个新文件夹，或先移走其中的文件\n"
    )
    assert tree(tmp_path) == before


def test_refuses_a_file_and_lists_at_most_three_entries(
    tmp_path: Path, ceportal: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("mine\n")
    run = ceportal("new", "notes.txt")
    assert (run.code, run.err) == (
        3, "ceportal new: notes.txt 是一个文件，不是文件夹：未写入任何文件；请换一个新文件夹\n")
    for name in ("a", "b", "c", "d"):
        (tmp_path / "full" / name).mkdir(parents=True)
    run = ceportal("new", "full")
    assert run.err.startswith("ceportal new: 文件夹 full 不是空的（已有 a、b、c 等 4 项）：")


def test_a_fresh_git_clone_is_empty_enough(tmp_path: Path, ceportal: Callable[..., Any]) -> None:
    (tmp_path / "portal" / ".git").mkdir(parents=True)
    assert ceportal("new", str(tmp_path / "portal")).code == 0
    assert (tmp_path / "portal" / "mkdocs.yml").is_file()


@pytest.mark.parametrize("command", ["build", "serve"])
def test_without_the_runtime_the_build_stops_with_one_line(
    portal: Path, ceportal: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.delenv(PYODIDE_ENV, raising=False)
    monkeypatch.chdir(portal)
    before = tree(portal)
    run = ceportal(command)
    assert (run.code, run.out) == (3, "")
    assert run.err == f"ceportal {command}: {missing_runtime('node_modules/pyodide')}\n"
    run = ceportal(command, "--pyodide", str(portal.parent / "elsewhere"))
    assert run.err == f"ceportal {command}: {missing_runtime(str(portal.parent / 'elsewhere'))}\n"
    assert tree(portal) == before  # no site, no temporary folder
    assert PYODIDE_ENV not in os.environ


def test_outside_a_portal_folder_build_says_where_to_run(
    tmp_path: Path, ceportal: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    run = ceportal("build")
    assert (run.code, run.err) == (2, (
        "ceportal build: 找不到 MkDocs 配置文件 mkdocs.yml：请在门户文件夹（mkdocs.yml 所在的"
        "文件夹，可用 ceportal new 新建）中运行，或用 --config 指定\n"))


@pytest.mark.parametrize("command", ["build", "serve"])
def test_without_libreoffice_the_build_stops_with_one_line(
    portal: Path, ceportal: Callable[..., Any], monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path, command: str
) -> None:
    # The PDFs beside the downloads need LibreOffice: refused before anything is built.
    (portal / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    monkeypatch.delenv(PYODIDE_ENV, raising=False)
    monkeypatch.delenv("CEPORTAL_SOFFICE", raising=False)
    empty = tmp_path / "no-programs"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.chdir(portal)
    before = tree(portal)
    run = ceportal(command)
    assert (run.code, run.out) == (3, "")
    assert run.err == (
        f"ceportal {command}: 找不到 LibreOffice（soffice），无法生成下载文件的 PDF 版本：请安装 "
        "libreoffice-writer-nogui 和 libreoffice-calc-nogui（make setup 会安装），"
        "或用环境变量 CEPORTAL_SOFFICE 指明 soffice 的位置\n")
    assert tree(portal) == before
