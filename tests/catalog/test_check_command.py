"""``ceportal check``: output lines, count line and exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main

from .conftest import BASE, ROOT, replaced


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = main(["check", *args])
    captured = capsys.readouterr()
    assert captured.err == ""
    return code, captured.out.splitlines()


def test_valid(catalog_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (catalog_dir / "2009.yaml").write_text(BASE, encoding="utf-8")
    assert run(capsys) == (0, ["检查通过：年度目录 2009，共 2 门课程、1 期办班"])
    assert run(capsys, "--strict") == (0, ["检查通过：年度目录 2009，共 2 门课程、1 期办班"])


def test_warnings_pass_unless_strict(catalog_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (catalog_dir / "2009.yaml").write_text(replaced("[G-01, E-01]", "[G-01]"), encoding="utf-8")
    assert run(capsys) == (
        0,
        [
            "catalog/2009.yaml:8:5: warning: courses[1]: 专业选修课“E-01”没有安排在任何办班中",
            "检查通过：年度目录 2009，共 2 门课程、1 期办班，1 个警告",
        ],
    )
    assert run(capsys, "--strict") == (
        1,
        [
            "catalog/2009.yaml:8:5: error: courses[1]: 专业选修课“E-01”没有安排在任何办班中",
            "检查未通过：1 个错误",
        ],
    )


def test_errors_and_warnings_sorted_by_file_and_line(
    catalog_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (catalog_dir / "2010.yaml").write_text(
        replaced("year: 2009", "year: 2010", replaced("hours: 8", "hours: 八")), "utf-8"
    )
    (catalog_dir / "2009.yaml").write_text(
        replaced("[G-01, E-01]", "[G-01, E-02]", replaced("    location: 培训中心\n", "")),
        encoding="utf-8",
    )
    assert run(capsys, "--catalog", "catalog") == (
        1,
        [
            "catalog/2009.yaml:8:5: warning: courses[1]: 专业选修课“E-01”没有安排在任何办班中",
            "catalog/2009.yaml:15:5: warning: classes[0]: 没有填写上课地点（location）",
            "catalog/2009.yaml:19:21: error: classes[0].courses[1]: 本年度目录中没有课程“E-02”",
            "catalog/2010.yaml:7:12: error: courses[0].hours: 学时必须是大于0的数字，收到“八”",
            "检查未通过：2 个错误，2 个警告",
        ],
    )


def test_a_missing_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "--catalog", "nowhere") == (
        1,
        [
            "nowhere/policy.yaml:1:1: error: 找不到规则文件 policy.yaml：请检查目录文件夹 nowhere",
            "检查未通过：1 个错误",
        ],
    )


@pytest.mark.cli
def test_the_installed_command_on_the_bundled_catalogs() -> None:
    # The real console script, where editors run it: the repository root.
    command = Path(sys.executable).parent / "ceportal"
    result = subprocess.run(
        [str(command), "check", "--strict"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "error"},
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("检查通过：年度目录 2009、2010，共 ")
    assert len(result.stdout.splitlines()) == 1
