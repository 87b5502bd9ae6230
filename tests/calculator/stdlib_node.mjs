// Runs the browser's Python in Pyodide under Node.js with ONLY the given standard-library
// archive mounted (no fallback): imports every module the build computed the archive from,
// then evaluates one request through the worker's bridge. With FULL_ZIP and DIGEST, it then
// installs the worker's fallback finder (read from worker.js) and imports MODULE, which
// the trimmed archive does not hold. With CE_AUDIT (JSON: {"wheels": [paths], "table":
// path}), it also installs the audit page's wheels and writes the XLSX report of that
// table through the audit's bridge, as the audit page does. Prints one JSON object.
//
//   node stdlib_node.mjs PYODIDE_DIR STDLIB_ZIP WHEEL SOURCES POLICY_JSON WORKER_JS IMPORTS_JSON
//        [FULL_ZIP DIGEST MODULE]
import { readFileSync, readdirSync, statSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [pyodideDir, stdlibZip, wheelPath, sources, policyPath, workerPath, importsJson,
  fullZip, digest, module] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const worker = readFileSync(workerPath, "utf8");
const pyodide = await loadPyodide({
  indexURL: pyodideDir + path.sep,
  stdLibURL: pathToFileURL(stdlibZip).href,
  lockFileContents: { info: JSON.parse(readFileSync(path.join(pyodideDir, "pyodide-lock.json"), "utf8")).info, packages: {} },
  stdout: () => {},
});
const site = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
pyodide.unpackArchive(new Uint8Array(readFileSync(wheelPath)), "wheel", { extractDir: site });
const audit = process.env.CE_AUDIT ? JSON.parse(process.env.CE_AUDIT) : null;
for (const extra of audit ? audit.wheels : []) {
  pyodide.unpackArchive(new Uint8Array(readFileSync(extra)), "wheel", { extractDir: site });
}
function copyTree(from, to) {
  pyodide.FS.mkdirTree(to);
  for (const name of readdirSync(from)) {
    const full = path.join(from, name);
    if (statSync(full).isDirectory()) copyTree(full, `${to}/${name}`);
    else pyodide.FS.writeFile(`${to}/${name}`, readFileSync(full));
  }
}
copyTree(sources, "/home/pyodide/sources");
pyodide.globals.set("_ce_policy_text", readFileSync(policyPath, "utf8"));
pyodide.runPython(/const BRIDGE = `([\s\S]*?)`;/.exec(worker)[1]);
pyodide.globals.set("_ce_imports", readFileSync(importsJson, "utf8"));
const out = {};
try {
  out.imported = pyodide.runPython(`
import importlib, json, sys
sys.path.insert(0, "/home/pyodide/sources")
for _name in json.loads(_ce_imports):
    importlib.import_module(_name)
len(json.loads(_ce_imports))
`);
} catch (error) {
  const line = String(error.message).split("\n").find((l) => l.startsWith("ModuleNotFoundError")) ?? String(error.message);
  process.stdout.write(JSON.stringify({ import_error: line.trim() }) + "\n");
  process.exit(1);
}
out.response = JSON.parse(pyodide.globals.get("ce_evaluate")(JSON.stringify({
  kind: "promotion", target: "engineer", year: 2011,
  records: [{ year: 2011, module: "public", hours: 8 }],
})));
if (audit) {
  pyodide.globals.set("_ce_table", new Uint8Array(readFileSync(audit.table)));
  pyodide.globals.set("_ce_audit_policy", readFileSync(policyPath, "utf8"));
  try {
    out.xlsx = pyodide.runPython(`
import json
from generator.browser.worker.audit import BrowserAudit
_audit = BrowserAudit(json.loads(_ce_audit_policy), "table.csv", _ce_table)
_started = json.loads(_audit.start())
while _audit.advance(100) != "[]":
    pass
_report = _audit.xlsx()
_audit.close()
[_started["total"], _report[:2].decode()]
`).toJs();
  } catch (error) {
    const line = String(error.message).split("\n").find((l) => l.startsWith("ModuleNotFoundError")) ?? String(error.message);
    process.stdout.write(JSON.stringify({ import_error: line.trim() }) + "\n");
    process.exit(1);
  }
}
if (fullZip) {
  pyodide.globals.set("_ce_archive_fetch", () => new Uint8Array(readFileSync(fullZip)));
  pyodide.globals.set("_ce_archive_digest", digest);
  pyodide.globals.set("_ce_archive_refused", "refused: " + path.basename(fullZip));
  pyodide.globals.set("_ce_archive_modules", process.env.CE_FULL_MODULES);
  pyodide.runPython(/const FALLBACK = `([\s\S]*?)`;/.exec(worker)[1]);
  pyodide.globals.set("_ce_module", module);
  try {
    out.fallback = pyodide.runPython(`
import importlib
_m = importlib.import_module(_ce_module)
_m.__spec__.origin
`);
  } catch (error) {
    // The error's own line (Pyodide may add a line of advice after it).
    const lines = String(error.message).trim().split("\n");
    out.fallback_error = (lines.find((l) => /^(ModuleNotFoundError|ImportError):/.test(l)) ?? lines.pop()).trim();
  }
}
process.stdout.write(JSON.stringify(out) + "\n");
