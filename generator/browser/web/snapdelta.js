// Rebuilds the calculator's memory snapshot from the published difference (snapshot.bin,
// made by generator/browser/delta.py, which describes the format) and the bytes of
// pyodide.asm.wasm: the kept runs are laid into a zeroed buffer, then the wasm's active
// data segments are XORed back in at the heap's offset. Pure: bytes in, bytes out (the
// worker checks the result's sha256 against the manifest before restoring it).

const MAGIC = 0x70734543; // "CEsp", little-endian
const VERSION = 1;

export class SnapshotFormatError extends Error {}

// A LEB128 number at state.pos (signed: two's complement); moves state.pos past it.
function uleb(bytes, state, signed = false) {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[state.pos++];
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return signed && byte & 0x40 ? result - 2 ** shift : result;
  }
}

/** The wasm's active data segments of memory 0: [{offset, bytes}], in file order. */
export function dataSegments(wasm) {
  if (wasm[0] !== 0 || wasm[1] !== 0x61 || wasm[2] !== 0x73 || wasm[3] !== 0x6d) {
    throw new SnapshotFormatError("not a WebAssembly module");
  }
  const segments = [];
  const state = { pos: 8 };
  while (state.pos < wasm.length) {
    const section = wasm[state.pos++];
    const size = uleb(wasm, state);
    const end = state.pos + size;
    if (section === 11) {
      const count = uleb(wasm, state);
      for (let i = 0; i < count; i++) {
        const flags = uleb(wasm, state);
        if (flags === 1) {
          state.pos += uleb(wasm, state); // passive: not copied at instantiation
          continue;
        }
        if (flags === 2 && uleb(wasm, state) !== 0) throw new SnapshotFormatError("data segment of another memory");
        if (flags !== 0 && flags !== 2) throw new SnapshotFormatError(`data segment flags ${flags}`);
        if (wasm[state.pos++] !== 0x41) throw new SnapshotFormatError("data segment offset is not an i32.const");
        const offset = uleb(wasm, state, true);
        if (wasm[state.pos++] !== 0x0b) throw new SnapshotFormatError("data segment offset is not an i32.const");
        const length = uleb(wasm, state);
        segments.push({ offset, bytes: wasm.subarray(state.pos, state.pos + length) });
        state.pos += length;
      }
    }
    state.pos = end;
  }
  return segments;
}

/** The snapshot from its published difference and the wasm's bytes (both Uint8Array). */
export function rebuildSnapshot(delta, wasm) {
  const view = new DataView(delta.buffer, delta.byteOffset, delta.byteLength);
  if (delta.length < 20 || view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== VERSION) {
    throw new SnapshotFormatError("not a ceportal snapshot difference");
  }
  const length = view.getUint32(8, true);
  const heap = view.getUint32(12, true);
  const count = view.getUint32(16, true);
  const out = new Uint8Array(length);
  let pos = 20 + 8 * count;
  for (let i = 0; i < count; i++) {
    const start = view.getUint32(20 + 8 * i, true);
    const size = view.getUint32(24 + 8 * i, true);
    if (start + size > length || pos + size > delta.length) throw new SnapshotFormatError("run outside the snapshot");
    out.set(delta.subarray(pos, pos + size), start);
    pos += size;
  }
  if (pos !== delta.length) throw new SnapshotFormatError("snapshot difference has trailing bytes");
  for (const { offset, bytes } of dataSegments(wasm)) {
    const start = heap + offset;
    if (offset < 0 || start + bytes.length > length) throw new SnapshotFormatError("data segment outside the snapshot");
    const target = out.subarray(start, start + bytes.length);
    for (let i = 0; i < bytes.length; i++) target[i] ^= bytes[i];
  }
  return out;
}
