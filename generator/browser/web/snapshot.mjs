// Makes the calculator's memory snapshot: Pyodide started once, at build time, in
// Node, with the standard-library modules the rules import already imported. The
// worker restores it instead of starting Python from scratch, which is most of a
// start (measured: about 2 s of a 2.3 s start in Node, 0.3 s from the snapshot).
//
// Run by generator/browser/snapshot.py as `node --input-type=module -` with this
// text on stdin, so no path of this machine ends up in the snapshot (Emscripten keeps
// the script's name as the program name). Environment:
//   CEPORTAL_PYODIDE_URL   file: URL of the npm package's folder, ending in "/"
//   CEPORTAL_STDLIB_URL    file: URL of the trimmed standard library the worker mounts
//                          with the snapshot (generator/browser/stdlib.py)
//   CEPORTAL_SNAPSHOT_OUT  where to write the snapshot
//   CEPORTAL_SNAPSHOT_IMPORTS  JSON list of the standard-library modules to import
//
// The same inputs give the same bytes: the clock (a constant, not SOURCE_DATE_EPOCH,
// so that every build of one runtime publishes the same file), the time zone, the
// randomness and Python's hash seed are fixed while the snapshot is made. The snapshot is published, so nothing
// secret could live in it anyway; the worker reseeds `random` after restoring it.

import { writeFileSync } from "node:fs";

// CPython's time module keeps the time zone it starts in: the same for every machine.
process.env.TZ = "UTC";
const epochMs = Date.UTC(2009, 3, 1); // 温经贸培训〔2009〕74号
let state = 0x2545f491;
function nextByte() {
  // xorshift32: a fixed sequence where the runtime asks for entropy
  state ^= state << 13;
  state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5;
  state >>>= 0;
  return state & 0xff;
}
globalThis.crypto.getRandomValues = (array) => {
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  for (let i = 0; i < bytes.length; i++) bytes[i] = nextByte();
  return array;
};
Date.now = () => epochMs;
let ticks = 0;
performance.now = () => (ticks += 0.001);

const { loadPyodide } = await import(new URL("pyodide.mjs", process.env.CEPORTAL_PYODIDE_URL));
const pyodide = await loadPyodide({
  _makeSnapshot: true,
  // The archive a restored visit has: the snapshot keeps zipimport's list of its files.
  stdLibURL: process.env.CEPORTAL_STDLIB_URL,
  // LANG: Emscripten would take it from navigator.language where Node has one (22+).
  // PYTHONOPTIMIZE=2 (python -OO): every module compiled in the snapshot, and after it in
  // the browser (the flag is part of the restored interpreter), leaves out docstrings and
  // asserts: 7.5 instead of 8.2 MB of memory to publish, about 0.2 MB less to download.
  // Nothing the browser runs reads a docstring of its own or needs an assert to hold for
  // its answers (the parity tests compare them with the CLI's, which runs without -OO).
  env: { HOME: "/home/pyodide", PYTHONHASHSEED: "0", LANG: "C.UTF-8", PYTHONOPTIMIZE: "2" },
  stdout: (text) => console.log(text),
  stderr: (text) => console.error(text),
});
// What a calculator visit imports of the standard library (the rules, the planner, the
// bridge and the worker's glue: generator/browser/stdlib.py snapshot_imports), so that it
// imports nothing but the rules themselves and never reads the archive; and the one call
// the worker makes before the rules (sysconfig imports its platform's data module).
pyodide.globals.set("_ce_imports", JSON.stringify(JSON.parse(process.env.CEPORTAL_SNAPSHOT_IMPORTS || "[]")));
pyodide.runPython(`
import gc, importlib, json, random, sysconfig
for _name in json.loads(_ce_imports):
    importlib.import_module(_name)
sysconfig.get_path("purelib")
globals().pop("_name", None)
del _ce_imports
random.seed(0)
gc.collect()
`);
// Zero the heap's free memory: it still holds what the imports freed (sources read,
// compiled and dropped), which compresses badly and which nothing reads again.
// Measured: 5.9 -> 5.0 MB gzip. Every free chunk dlmalloc hands out, largest first, is
// cleared and then freed again; never past the break's headroom, so the memory does not
// grow (a visit restores exactly the memory made here).
{
  const M = pyodide._module;
  const end = M.HEAP8.buffer.byteLength;
  const taken = [];
  for (let size = 1 << 20; size >= 16; size >>= 1) {
    while (M._sbrk(0) + 2 * size + 65536 <= end) {
      const pointer = M._malloc(size);
      if (!pointer) break;
      new Uint8Array(M.HEAP8.buffer, pointer, size).fill(0);
      taken.push(pointer);
    }
  }
  for (const pointer of taken) M._free(pointer);
  if (M.HEAP8.buffer.byteLength !== end) throw new Error("snapshot.mjs: the memory grew while zeroing");
}
writeFileSync(process.env.CEPORTAL_SNAPSHOT_OUT, pyodide.makeMemorySnapshot());
