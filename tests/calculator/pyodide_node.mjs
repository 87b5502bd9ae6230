// Evaluate request vectors with the BUILT rules wheel in Pyodide under Node.js, through
// the same Python bridge the page's worker runs (read from worker.js), and print one
// JSON array: for each vector the bridge's output text ({"response": …} or {"error": …}).
// With SNAPSHOT (the site's snapshot.bin, a difference from the wasm's data segments) and
// STDLIB (the trimmed standard library it was made with), Pyodide starts from it, rebuilt
// by the worker's own module (snapdelta.js, beside WORKER_JS), as the page does.
// With CE_CATALOGS (catalogs.json) and CE_PLAN_VECTORS ([{request, options}]) in the
// environment, also the worker's planner bridge's output for each, as "plans".
//
//   node pyodide_node.mjs PYODIDE_DIR WHEEL POLICY_JSON WORKER_JS VECTORS_JSON [SNAPSHOT STDLIB]
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [pyodideDir, wheelPath, policyPath, workerPath, vectorsPath, snapshotPath, stdlibPath] =
  process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const lock = JSON.parse(readFileSync(path.join(pyodideDir, "pyodide-lock.json"), "utf8"));
const workerText = readFileSync(workerPath, "utf8");
const bridge = /const BRIDGE = `([\s\S]*?)`;/.exec(workerText);
if (!bridge) throw new Error("BRIDGE not found in worker.js");
const planBridge = /const PLAN_BRIDGE = `([\s\S]*?)`;/.exec(workerText);
if (!planBridge) throw new Error("PLAN_BRIDGE not found in worker.js");

const snapshot = snapshotPath
  ? (await import(pathToFileURL(path.join(path.dirname(workerPath), "snapdelta.js")).href)).rebuildSnapshot(
      new Uint8Array(readFileSync(snapshotPath)),
      new Uint8Array(readFileSync(path.join(pyodideDir, "pyodide.asm.wasm"))),
    )
  : null;
const pyodide = await loadPyodide({
  indexURL: pyodideDir + path.sep,
  lockFileContents: { info: lock.info, packages: {} },
  stdout: () => {},
  ...(snapshotPath
    ? { _loadSnapshot: snapshot, stdLibURL: pathToFileURL(stdlibPath).href }
    : {}),
});
// Started from the snapshot, `decimal` was imported before this script ran.
const preloaded = pyodide.runPython("import sys; 'decimal' in sys.modules");
const site = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
pyodide.unpackArchive(new Uint8Array(readFileSync(wheelPath)), "wheel", { extractDir: site });
pyodide.globals.set("_ce_policy_text", readFileSync(policyPath, "utf8"));
pyodide.runPython(bridge[1]);
const evaluate = pyodide.globals.get("ce_evaluate");
const where = pyodide.runPython("import generator.rules as r; r.__file__");
const vectors = JSON.parse(readFileSync(vectorsPath, "utf8")).vectors;
// A text vector is request text as written (repeated keys, broken JSON); an object
// vector is sent as the page sends it, JSON.stringify.
const out = vectors.map((v) => evaluate(v.text ?? JSON.stringify(v.request)));
let plans = null;
if (process.env.CE_CATALOGS && process.env.CE_PLAN_VECTORS) {
  pyodide.globals.set("_ce_plan_policy_text", readFileSync(policyPath, "utf8"));
  pyodide.globals.set("_ce_catalogs_text", readFileSync(process.env.CE_CATALOGS, "utf8"));
  pyodide.runPython(planBridge[1]);
  const plan = pyodide.globals.get("ce_plan");
  plans = JSON.parse(readFileSync(process.env.CE_PLAN_VECTORS, "utf8")).map((v) =>
    plan(JSON.stringify(v.request), JSON.stringify(v.options)),
  );
}
process.stdout.write(JSON.stringify({ module: where, preloaded, outputs: out, plans }) + "\n");
