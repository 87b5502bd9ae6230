// Lists the standard-library files the calculator's Python needs: Pyodide is started
// in Node from the full python_stdlib.zip, the rules wheel is installed as the worker
// installs it, the worker's bridge runs, and every module named by an import statement
// of the browser's Python (generator/stdlib.py finds them in the sources, at build
// time) is imported. The answer is every module then loaded from the archive: the
// build packs those files alone into the trimmed archive the snapshot is made with.
//
// Run by generator/browser/stdlib.py as `node --input-type=module -`. Environment:
//   CEPORTAL_PYODIDE_URL  file: URL of the npm package's folder, ending in "/"
//   CEPORTAL_WHEEL        path of the rules wheel
//   CEPORTAL_SOURCES      path of a folder holding the browser's Python sources
//                         (generator/…) to put on sys.path
//   CEPORTAL_IMPORTS      JSON list of dotted module names to import
//   CEPORTAL_STDLIB_URL   optional: file: URL of the archive to mount instead of the
//                         full one (the tests check the trimmed archive this way)
// Prints a JSON list of archive member names on stdout.

import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const { loadPyodide } = await import(new URL("pyodide.mjs", process.env.CEPORTAL_PYODIDE_URL));
const pyodide = await loadPyodide({
  ...(process.env.CEPORTAL_STDLIB_URL ? { stdLibURL: process.env.CEPORTAL_STDLIB_URL } : {}),
  env: { HOME: "/home/pyodide", PYTHONHASHSEED: "0", LANG: "C.UTF-8" },
  stdout: (text) => console.error(text),
  stderr: (text) => console.error(text),
});
const site = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
pyodide.unpackArchive(new Uint8Array(readFileSync(process.env.CEPORTAL_WHEEL)), "wheel", { extractDir: site });

function copyTree(from, to) {
  pyodide.FS.mkdirTree(to);
  for (const name of readdirSync(from)) {
    const path = join(from, name);
    if (statSync(path).isDirectory()) copyTree(path, `${to}/${name}`);
    else if (name.endsWith(".py")) pyodide.FS.writeFile(`${to}/${name}`, readFileSync(path));
  }
}
copyTree(process.env.CEPORTAL_SOURCES, "/home/pyodide/sources");

pyodide.globals.set("_ce_imports", JSON.stringify(JSON.parse(process.env.CEPORTAL_IMPORTS)));
const members = pyodide.runPython(`
import importlib, json, sys
sys.path.insert(0, "/home/pyodide/sources")
for _name in json.loads(_ce_imports):
    importlib.import_module(_name)
_zip = "/lib/python%d%d.zip/" % sys.version_info[:2]
_members = set()
for _module in list(sys.modules.values()):
    _origin = getattr(getattr(_module, "__spec__", None), "origin", None) or ""
    if _origin.startswith(_zip):
        _members.add(_origin[len(_zip):])
json.dumps(sorted(_members))
`);
process.stdout.write(members);
