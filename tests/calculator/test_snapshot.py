"""The calculator's memory snapshot (generator/calculator/snapshot.py): made by Node
from the npm runtime, reproducible, cached, and explained when it cannot be made.
That the rules answer the same through it is in test_parity.py (Node and Chromium)."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.calculator import SnapshotError, snapshot
from generator.calculator.stdlib import build_trimmed_stdlib
from generator.calculator.wheel import build_rules_wheel

PYODIDE_DIR = Path(__file__).resolve().parents[2] / "node_modules" / "pyodide"  # this checkout's


@pytest.fixture(scope="module")
def stdlib() -> Path:
    """The trimmed standard library the snapshot is made with."""
    return build_trimmed_stdlib(build_rules_wheel()[1])


@pytest.mark.node
def test_same_runtime_same_snapshot(monkeypatch: pytest.MonkeyPatch, stdlib: Path) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1238544000")
    first = snapshot.make(PYODIDE_DIR, stdlib)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1577836800")
    assert snapshot.make(PYODIDE_DIR, stdlib) == first
    memory = gzip.decompress(first)
    # Pyodide's snapshot format (its magic), then the whole memory, mostly empty.
    assert memory.startswith(b"\x00snp")
    assert len(memory) > 16 * 1024 * 1024
    assert len(first) < len(memory) // 3
    # Nothing of this machine: not the checkout's path, not the folder it was made in.
    assert str(PYODIDE_DIR).encode() not in memory
    assert b"ceportal-snapshot-" not in memory


@pytest.mark.node
def test_the_machine_time_zone_does_not_matter(tmp_path: Path, stdlib: Path) -> None:
    """CPython keeps the zone it starts in; the script fixes it whatever the machine's."""
    node = shutil.which("node")
    assert node, "node is missing: run make setup"
    out = tmp_path / "snapshot.bin"
    subprocess.run(
        [node, "--input-type=module", "-"],
        input=snapshot.SCRIPT.read_bytes(), cwd=tmp_path, check=True, timeout=300,
        env={
            "PATH": os.environ.get("PATH", ""),
            "TZ": "Asia/Shanghai",
            "CEPORTAL_PYODIDE_URL": PYODIDE_DIR.resolve().as_uri() + "/",
            "CEPORTAL_SNAPSHOT_OUT": str(out),
            "CEPORTAL_STDLIB_URL": stdlib.resolve().as_uri(),
        },
    )
    assert out.read_bytes() == gzip.decompress(snapshot.make(PYODIDE_DIR, stdlib))


def test_kept_in_the_cache_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, stdlib: Path) -> None:
    made: list[Path] = []

    def fake_make(pyodide_dir: Path, stdlib: Path) -> bytes:
        made.append(pyodide_dir)
        return b"made"

    monkeypatch.setenv("CEPORTAL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(snapshot, "make", fake_make)
    monkeypatch.setattr(snapshot, "_cache", {})
    path = snapshot.build_snapshot(stdlib)
    assert path == tmp_path / "cache" / f"snapshot-{snapshot._key(PYODIDE_DIR, stdlib)}.bin.gz"
    assert path.read_bytes() == b"made"
    assert list((tmp_path / "cache").iterdir()) == [path]  # no partial file left
    # A new process (empty memory cache) finds the file instead of making it again.
    monkeypatch.setattr(snapshot, "_cache", {})
    assert snapshot.build_snapshot(stdlib) == path
    assert made == [PYODIDE_DIR]
    # Another SOURCE_DATE_EPOCH is the same snapshot (a new deployment of the same
    # runtime publishes the same file); another runtime is another one.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1577836800")
    assert snapshot.build_snapshot(stdlib) == path
    monkeypatch.setattr(snapshot, "FORMAT", "other")
    assert snapshot.build_snapshot(stdlib) != path
    assert len(made) == 2
    assert len(list((tmp_path / "cache").iterdir())) == 2


def test_an_unwritable_cache_still_builds(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, stdlib: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CEPORTAL_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.setattr(snapshot, "make", lambda pyodide_dir, stdlib: b"made")
    monkeypatch.setattr(snapshot, "_cache", {})
    path = snapshot.build_snapshot(stdlib)
    assert path.read_bytes() == b"made"
    assert not path.is_relative_to(blocker)


def test_without_node(monkeypatch: pytest.MonkeyPatch, stdlib: Path) -> None:
    monkeypatch.setattr(snapshot.shutil, "which", lambda name: None)
    with pytest.raises(SnapshotError) as error:
        snapshot.make(PYODIDE_DIR, stdlib)
    assert str(error.value) == (
        "无法生成计算引擎快照：找不到 node。请先运行 make setup（安装 Node.js 与 npm 包）"
    )


@pytest.mark.node
def test_a_failing_script_says_why(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, stdlib: Path
) -> None:
    script = tmp_path / "snapshot.mjs"
    script.write_text('throw new TypeError("无法读取运行环境");\n', encoding="utf-8")
    monkeypatch.setattr(snapshot, "SCRIPT", script)
    with pytest.raises(SnapshotError) as error:
        snapshot.make(PYODIDE_DIR, stdlib)
    assert str(error.value) == "无法生成计算引擎快照（node 退出码 1）：TypeError: 无法读取运行环境"
