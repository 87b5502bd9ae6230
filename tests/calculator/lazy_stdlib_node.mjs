// Runs the worker's lazy standard-library finder (LAZY_STDLIB, read from worker.js) in
// Pyodide under Node.js, as the calculator has it after restoring the snapshot: the
// modules the snapshot imports (SNAPSHOT_IMPORTS_JSON) imported, then the archive
// Pyodide mounted replaced by the stand-in the worker hands it (standIn: zeros), while
// zipimport still knows the trimmed archive's files. Formats a traceback through a module
// of the archive (as an error message would), then imports each of MODULES (JSON list)
// and prints one JSON object: the traceback's last line, how many times the finder
// fetched the archive, and per module its file or the first line of its error.
//
//   node lazy_stdlib_node.mjs PYODIDE_DIR STDLIB_ZIP WORKER_JS DIGEST MODULES_JSON
//        ARCHIVE_MODULES_JSON SNAPSHOT_IMPORTS_JSON
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [pyodideDir, stdlibZip, workerPath, digest, modulesJson, archiveModules, snapshotImports] =
  process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const worker = readFileSync(workerPath, "utf8");
const pyodide = await loadPyodide({
  indexURL: pyodideDir + path.sep,
  stdLibURL: pathToFileURL(stdlibZip).href,
  lockFileContents: { info: JSON.parse(readFileSync(path.join(pyodideDir, "pyodide-lock.json"), "utf8")).info, packages: {} },
  stdout: () => {},
});
pyodide.globals.set("_ce_imports", snapshotImports);
pyodide.runPython(`
import importlib, json
for _name in json.loads(_ce_imports):
    importlib.import_module(_name)
`);
const version = pyodide.runPython("import sys; '%d%d' % sys.version_info[:2]");
pyodide.FS.writeFile(`/lib/python${version}.zip`, new Uint8Array(readFileSync(stdlibZip).length));
let fetches = 0;
pyodide.globals.set("_ce_archive_fetch", () => {
  fetches += 1;
  return new Uint8Array(readFileSync(stdlibZip));
});
pyodide.globals.set("_ce_archive_digest", digest);
pyodide.globals.set("_ce_archive_refused", "refused: python_stdlib_min.zip");
pyodide.globals.set("_ce_archive_modules", archiveModules);
pyodide.runPython(/const LAZY_STDLIB = `([\s\S]*?)`;/.exec(worker)[1]);
const out = { modules: {} };
// A traceback through json (imported from the archive), as an error message formats it.
out.traceback = pyodide.runPython(`
import traceback
try:
    json.loads("{")
except ValueError as error:
    _lines = traceback.format_exception(error)
_lines[-1].strip()
`);
for (const name of JSON.parse(modulesJson)) {
  try {
    out.modules[name] = pyodide.runPython(`import importlib; importlib.import_module(${JSON.stringify(name)}).__file__`);
  } catch (error) {
    out.modules[name] = String(error.message).split("\n").filter((l) => /^\w*Error/.test(l)).pop() ?? String(error.message);
  }
}
out.fetches = fetches;
process.stdout.write(JSON.stringify(out) + "\n");
