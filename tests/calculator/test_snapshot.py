"""The calculator's memory snapshot (generator/browser/snapshot.py): made by Node
from the npm runtime, reproducible, cached, and explained when it cannot be made.
That the rules answer the same through it is in test_parity.py (Node and Chromium)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from generator.browser import SnapshotError, delta, snapshot
from generator.browser.stdlib import build_trimmed_stdlib
from generator.browser.wheel import build_rules_wheel

ROOT = Path(__file__).resolve().parents[2]
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"  # this checkout's
WASM = PYODIDE_DIR / "pyodide.asm.wasm"


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
    memory = delta.decode(first, WASM.read_bytes())
    # Pyodide's snapshot format (its magic), then the whole memory, mostly empty.
    assert memory.startswith(b"\x00snp")
    assert len(memory) > 16 * 1024 * 1024
    # Published as the difference from the wasm's data segments, zero runs left out.
    assert first.startswith(b"CEsp\x01\x00\x00\x00")
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
    published = snapshot.make(PYODIDE_DIR, stdlib)
    assert out.read_bytes() == delta.decode(published, WASM.read_bytes())
    # The worker's module (snapdelta.js) rebuilds it in JavaScript, byte for byte.
    (tmp_path / "published.bin").write_bytes(published)
    subprocess.run(
        [node, "--input-type=module", "-e", REBUILD, str(tmp_path / "published.bin"), str(WASM),
         str(tmp_path / "rebuilt.bin")],
        check=True, timeout=120,
    )
    assert (tmp_path / "rebuilt.bin").read_bytes() == out.read_bytes()


REBUILD = f"""
import {{ readFileSync, writeFileSync }} from "node:fs";
import {{ rebuildSnapshot }} from {str((ROOT / "generator" / "browser" / "web" / "snapdelta.js").as_uri())!r};
const [published, wasm, out] = process.argv.slice(1);
writeFileSync(out, rebuildSnapshot(new Uint8Array(readFileSync(published)), new Uint8Array(readFileSync(wasm))));
"""


def _memory(size: int, segments: list[tuple[int, bytes]], header: int = 64) -> bytes:
    """A made-up Pyodide snapshot: its header, then ``size`` bytes of memory."""
    out = bytearray(header + size)
    out[:8] = (1886286592).to_bytes(4, "little") + header.to_bytes(4, "little")
    for offset, data in segments:
        out[header + offset:header + offset + len(data)] = data
    return bytes(out)


def _wasm(segments: list[tuple[int, bytes]]) -> bytes:
    """A wasm module with only a data section of these active segments."""
    def leb(n: int, signed: bool = False) -> bytes:
        out = bytearray()
        while True:
            byte, n = n & 0x7F, n >> 7
            last = n == 0 and not (signed and byte & 0x40)
            out.append(byte if last else byte | 0x80)
            if last:
                return bytes(out)

    body = leb(len(segments)) + b"".join(
        b"\x00\x41" + leb(offset, signed=True) + b"\x0b" + leb(len(data)) + data
        for offset, data in segments
    )
    return b"\x00asm\x01\x00\x00\x00" + b"\x0b" + leb(len(body)) + body


def test_the_difference_keeps_what_changed_and_rebuilds_exactly() -> None:
    # Offsets whose signed LEB128 needs the sign bit cleared in a following byte (64, 8192).
    segments = [(64, b"\x11" * 100), (8192, bytes(range(256))), (20000, b"abc")]
    memory = bytearray(_memory(30000, segments))
    memory[64 + 5] = 0x42          # changed inside a segment
    memory[64 + 10:64 + 20] = bytes(10)  # a segment's bytes cleared
    memory[15000] = 7              # written where the wasm has nothing
    memory = bytes(memory)
    wasm = _wasm(segments)
    assert [(o, bytes(d)) for o, d in delta.data_segments(wasm)] == segments
    published = delta.encode(memory, wasm)
    # Only the changes are kept: three short runs, not the segments' 359 bytes.
    assert len(published) < 20 + 8 * 4 + 64
    assert delta.decode(published, wasm) == memory
    with pytest.raises(delta.DeltaError):
        delta.decode(b"CEsp\x02" + published[5:], wasm)
    with pytest.raises(delta.DeltaError):
        delta.encode(b"\x00" * 64, wasm)


@pytest.mark.build  # the fixture `stdlib`: the rules wheel and the trimmed standard library
def test_kept_in_the_cache_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, stdlib: Path) -> None:
    made: list[Path] = []

    def fake_make(pyodide_dir: Path, stdlib: Path, imports: Sequence[str] = ()) -> bytes:
        made.append(pyodide_dir)
        return b"made"

    monkeypatch.setenv("CEPORTAL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(snapshot, "make", fake_make)
    monkeypatch.setattr(snapshot, "_cache", {})
    path = snapshot.build_snapshot(stdlib)
    assert path == tmp_path / "cache" / f"snapshot-{snapshot._key(PYODIDE_DIR, stdlib)}.bin"
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
    # Other modules imported into it (the calculator's imports changed): another one.
    assert snapshot.build_snapshot(stdlib, imports=["json"]) != snapshot.build_snapshot(stdlib)
    assert len(made) == 3


@pytest.mark.build  # the fixture `stdlib`: the rules wheel and the trimmed standard library
def test_an_unwritable_cache_still_builds(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, stdlib: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CEPORTAL_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.setattr(snapshot, "make", lambda pyodide_dir, stdlib, imports=(): b"made")
    monkeypatch.setattr(snapshot, "_cache", {})
    path = snapshot.build_snapshot(stdlib)
    assert path.read_bytes() == b"made"
    assert not path.is_relative_to(blocker)


@pytest.mark.build  # the fixture `stdlib`: the rules wheel and the trimmed standard library
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


def test_the_manifests_restored_memory_follows_a_changed_snapshot_file(tmp_path: Path) -> None:
    from generator.browser.calculator_page import _restored, integrity

    segments = [(64, b"\x11" * 100)]
    wasm = tmp_path / "pyodide.asm.wasm"
    wasm.write_bytes(_wasm(segments))
    published = tmp_path / "snapshot.bin"
    memories = [_memory(4096, [*segments, (2000, bytes([n]) * 8)]) for n in (1, 2)]
    published.write_bytes(delta.encode(memories[0], wasm.read_bytes()))
    assert _restored(published, wasm) == {"integrity": integrity(memories[0]), "size": len(memories[0])}
    # Another snapshot of the same size, written in place (its time moved on, as a
    # coarse filesystem clock might not within the test).
    published.write_bytes(delta.encode(memories[1], wasm.read_bytes()))
    status = published.stat()
    os.utime(published, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))
    assert _restored(published, wasm) == {"integrity": integrity(memories[1]), "size": len(memories[1])}
