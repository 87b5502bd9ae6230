"""The snapshot as published: a difference from the memory the wasm itself starts with.

Most of Pyodide's 31 MB snapshot is the wasm module's own initial data segments (left
as they were) and zeroes. The browser has those segments already, in the
``pyodide.asm.wasm`` it downloads anyway, so the site publishes only what differs:

- the heap part of the snapshot (from Pyodide's header length on) XOR the memory image
  the wasm's active data segments give, so every unchanged byte becomes a zero;
- then every run of at least ``MIN_RUN`` zero bytes left out, behind a small header.

The worker (``generator/browser/web/snapdelta.js``) rebuilds the snapshot from this and the
wasm bytes it fetched, and checks the result's sha256 against the manifest before
restoring it. The file itself compresses well, so it is sent as a precompressed
``.br``/``.gz`` sibling (``generator/site/precompress.py``) with ``Content-Encoding``.

Layout, every number an unsigned 32-bit little-endian integer::

    "CEsp"  version  length  heap  runs   (offset size) * runs   bytes of the runs

``length`` is the snapshot's size, ``heap`` the offset where its copy of the wasm
memory starts, each run a span of the XOR difference that is kept (everything outside
the runs is zero), in increasing order, its bytes following the table in that order.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator

MAGIC = b"CEsp"
VERSION = 1
MIN_RUN = 64
_HEADER = struct.Struct("<4sIIII")
_PAIR = struct.Struct("<II")
_ZEROES = re.compile(b"\\x00{%d,}" % MIN_RUN)
# Pyodide's own snapshot header: magic, header length (where the memory starts).
_PYODIDE_MAGIC = 1886286592


class DeltaError(ValueError):
    """The wasm or the snapshot is not what this format expects."""


def _uleb(data: bytes, pos: int, signed: bool = False) -> tuple[int, int]:
    """A LEB128 number at ``pos`` (signed: two's complement) and the position after it."""
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            if signed and byte & 0x40:
                result -= 1 << shift
            return result, pos


def data_segments(wasm: bytes) -> Iterator[tuple[int, memoryview]]:
    """The wasm's active data segments of memory 0: ``(offset, bytes)``, in file order."""
    if wasm[:4] != b"\x00asm":
        raise DeltaError("not a WebAssembly module")
    view = memoryview(wasm)
    pos = 8
    while pos < len(wasm):
        section = wasm[pos]
        size, pos = _uleb(wasm, pos + 1)
        end = pos + size
        if section == 11:
            count, pos = _uleb(wasm, pos)
            for _ in range(count):
                flags, pos = _uleb(wasm, pos)
                if flags == 1:  # passive: copied by memory.init, not at instantiation
                    length, pos = _uleb(wasm, pos)
                    pos += length
                    continue
                if flags == 2:
                    memory, pos = _uleb(wasm, pos)
                    if memory != 0:
                        raise DeltaError("data segment of another memory")
                elif flags != 0:
                    raise DeltaError(f"data segment flags {flags}")
                if wasm[pos] != 0x41 or wasm[pos + 1] == 0x0B:
                    raise DeltaError("data segment offset is not an i32.const")
                offset, pos = _uleb(wasm, pos + 1, signed=True)
                if wasm[pos] != 0x0B:
                    raise DeltaError("data segment offset is not an i32.const")
                length, pos = _uleb(wasm, pos + 1)
                yield offset, view[pos:pos + length]
                pos += length
        pos = end


def heap_offset(snapshot: bytes) -> int:
    """Where the snapshot's copy of the wasm memory starts (Pyodide's header length)."""
    magic, header = struct.unpack_from("<II", snapshot)
    if magic != _PYODIDE_MAGIC or header % 16 or header > len(snapshot):
        raise DeltaError("not a Pyodide memory snapshot")
    return header


def _xor_segments(memory: bytearray, heap: int, wasm: bytes) -> None:
    for offset, segment in data_segments(wasm):
        start = heap + offset
        end = start + len(segment)
        if offset < 0 or end > len(memory):
            raise DeltaError("data segment outside the snapshot's memory")
        mixed = int.from_bytes(memory[start:end], "little") ^ int.from_bytes(segment, "little")
        memory[start:end] = mixed.to_bytes(len(segment), "little")


def encode(snapshot: bytes, wasm: bytes) -> bytes:
    """The published form of ``snapshot`` (made by ``wasm``'s runtime)."""
    heap = heap_offset(snapshot)
    memory = bytearray(snapshot)
    _xor_segments(memory, heap, wasm)
    runs: list[tuple[int, int]] = []
    kept = 0
    for zeroes in _ZEROES.finditer(memory):
        if zeroes.start() > kept:
            runs.append((kept, zeroes.start() - kept))
        kept = zeroes.end()
    if kept < len(memory):
        runs.append((kept, len(memory) - kept))
    table = b"".join(_PAIR.pack(*run) for run in runs)
    body = b"".join(memory[start:start + size] for start, size in runs)
    return _HEADER.pack(MAGIC, VERSION, len(snapshot), heap, len(runs)) + table + body


def decode(delta: bytes, wasm: bytes) -> bytes:
    """The snapshot back from :func:`encode`'s output (what the worker does, in Python)."""
    magic, version, length, heap, count = _HEADER.unpack_from(delta)
    if magic != MAGIC or version != VERSION:
        raise DeltaError("not a ceportal snapshot difference")
    memory = bytearray(length)
    pos = _HEADER.size + count * _PAIR.size
    for index in range(count):
        start, size = _PAIR.unpack_from(delta, _HEADER.size + index * _PAIR.size)
        memory[start:start + size] = delta[pos:pos + size]
        pos += size
    if pos != len(delta):
        raise DeltaError("snapshot difference has trailing bytes")
    _xor_segments(memory, heap, wasm)
    return bytes(memory)
