// The calculator's Web Worker: boots the vendored Pyodide, installs the rules wheel
// and answers evaluation requests, so the page stays responsive while ~12 MB of
// runtime is fetched and compiled.
//
// About 400 lines in one file on purpose: the boot is one sequence whose steps share
// the manifest, the prefetched responses and the refusal; its Python glue (BRIDGE,
// FALLBACK) sits beside the JavaScript that runs it. What is pure lives apart
// (snapdelta.js, fetched and checked like this file).
//
// Pyodide starts from the build's memory snapshot (Python already started, see
// generator/browser/snapshot.py), which saves most of the start. It is published as
// its difference from the memory the wasm's data segments give (snapshot.bin, about
// 2.4 MB as the brotli sibling the host sends): this worker rebuilds it from that and
// the wasm bytes (snapdelta.js) and checks the result's sha256 against the manifest
// before Pyodide restores it. Without crypto.subtle (no secure context), or when the
// visitor asked to save data, it starts the long way and the snapshot is not fetched.
//
// Integrity: every file this worker fetches is listed in the page's manifest with its
// sha256; fetch() is called with that `integrity`, so the browser itself refuses a
// changed byte, and nothing unlisted is fetched at all. Each is fetched from the URL
// the manifest gives (`name?v=<digest>`), so a copy cached from an earlier deployment
// is never mistaken for it. The two ES modules are
// fetched (checked) before they are imported from the same URL. The wasm is the one
// exception: the page checks it (see the fetch override below). The worker fetches the
// wasm itself, at once, and compiles it while the snapshot and the rest download.
//
// Protocol (messages from the page):
//   {type: "init", manifest}             once, right after the worker starts (manifest.helper:
//                                        a copy started by the audit's worker, see audit-worker.js)
//   {type: "evaluate", id, text}         text = request as JSON
//   {type: "read", id, text}             text = a request file or #r= link's JSON
//   {type: "plan", id, text, options}    options = {specialty, county, today} as JSON
// Messages to the page:
//   {type: "progress", value, max, stage}
//   {type: "wasm"}                       Pyodide's own fetch of the wasm has answered
//   {type: "ready", used} | {type: "failed", message, refused}   used: the manifest paths
//                                        loaded; refused: the URL of a file that failed its check
//   {type: "exercised", calls}           the warm-up after ready is done (EXERCISE)
//   {type: "result", id, text}           text = {"response": …} (evaluate) or {"request": …}
//                                        (read), or {"error": "…", "path": "…", "problem": "…"}
//                                        (the CLI's line, and its two parts), as JSON
// A page whose manifest names an `extension` ({module, wheels}: the audit page) also gets
// those wheels installed and that module started after the rules; messages
// {type: "call", id, …} then go to it, and it answers {type: "event", id, data} (any
// number) and one {type: "reply", id, data} or {type: "reply", id, error}.

// Where the manifest's paths start: this worker's folder (/calculator/), or the one the
// manifest's `base` names from it (the audit page starts a copy of this worker from
// /audit/, so that its service worker's scope covers the worker's requests).
let BASE = new URL("./", self.location.href);
const WASM = "pyodide/pyodide.asm.wasm";
const nativeFetch = self.fetch.bind(self);

// Python glue: the bridge is a module of the wheel (generator/browser/worker/calculator.py, tested in
// CPython): JSON text in, JSON text out, through the one reader of request text, so
// numbers cross exactly as CPython's json prints them and a refused request carries
// exactly the reason the CLI prints, with its field path.
const BRIDGE = `
import functools
import json
import random
from generator.browser.worker import calculator as bridge

random.seed()  # the snapshot's generator was seeded at build time, the same for everyone

_policy = json.loads(_ce_policy_text)
ce_evaluate = functools.partial(bridge.evaluate_json, _policy)
ce_read = functools.partial(bridge.read_json, _policy)
del _ce_policy_text, _policy
`;

// With the snapshot, Pyodide mounts the trimmed standard library (only what the rules,
// the planner and the audit import: generator/browser/stdlib.py). Should anything
// outside it ever be imported, this finder, last on sys.meta_path, fetches the full
// archive once (synchronously: an import cannot wait), checks its sha256 against the
// manifest and imports from it: slower, never wrong. Only for a module the full archive
// holds (the manifest's stdlib_modules): one Pyodide has nowhere, such as the _winapi
// that mimetypes tries, stays an ImportError at once.
const FALLBACK = `
import base64, hashlib, importlib.machinery, json, sys

class _CeFullStdlib:
    def __init__(self, fetch, digest, refused, modules):
        self._fetch, self._digest, self._refused = fetch, digest, refused
        self._modules = frozenset(json.loads(modules))
        self._path = None

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] not in self._modules:
            return None
        if self._path is None:
            data = bytes(self._fetch().to_py())
            if "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode() != self._digest:
                raise ImportError(self._refused)
            self._path = "/lib/python_stdlib_full.zip"
            with open(self._path, "wb") as out:
                out.write(data)
            sys.path.append(self._path)
        if path is None:
            return importlib.machinery.PathFinder.find_spec(name, [self._path], target)
        # A submodule of a package the trimmed archive has (xml -> xml.etree): look for it
        # at the same place in the full archive.
        trimmed = "/lib/python%d%d.zip" % sys.version_info[:2]
        full = [p.replace(trimmed, self._path, 1) for p in path if p.startswith(trimmed)]
        return importlib.machinery.PathFinder.find_spec(name, full, target) if full else None

sys.meta_path.append(_CeFullStdlib(_ce_archive_fetch, _ce_archive_digest, _ce_archive_refused,
                                   _ce_archive_modules))
del _ce_archive_fetch, _ce_archive_digest, _ce_archive_refused, _ce_archive_modules
`;

// The calculator (a page without an extension) restores the snapshot without fetching
// the trimmed standard library at all: the snapshot has already imported every module a
// visit of it imports (generator/browser/stdlib.py, snapshot_imports), so Pyodide is handed
// an empty archive in its place, and this finder, first on sys.meta_path, fetches the real
// one (synchronously, checked against the manifest) the first time a module of it is
// imported after all, puts it where the snapshot's zipimport expects it and lets the
// import go on from there. The audit page needs it (openpyxl's imports): it fetches it
// with the rest.
const LAZY_STDLIB = `
import base64, hashlib, json, sys

class _CeTrimmedStdlib:
    def __init__(self, fetch, digest, refused, modules):
        self._fetch, self._digest, self._refused = fetch, digest, refused
        self._modules = frozenset(json.loads(modules))

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] not in self._modules:
            return None
        sys.meta_path.remove(self)
        data = bytes(self._fetch().to_py())
        if "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode() != self._digest:
            raise ImportError(self._refused)
        archive = "/lib/python%d%d.zip" % sys.version_info[:2]
        with open(archive, "wb") as out:
            out.write(data)
        # zipimport reads the archive's directory again (importlib.invalidate_caches()
        # would also import importlib.metadata, which neither archive needs to hold).
        importer = sys.path_importer_cache.get(archive)
        if importer is not None:
            importer.invalidate_caches()
        return None  # the path finder imports it from the archive now in place

sys.meta_path.insert(0, _CeTrimmedStdlib(_ce_archive_fetch, _ce_archive_digest, _ce_archive_refused,
                                         _ce_archive_modules))
del _ce_archive_fetch, _ce_archive_digest, _ce_archive_refused, _ce_archive_modules
`;

// What Pyodide mounts for the standard library until the lazy finder above puts the real
// one in its place: zeros of the archive's size. zipimport still has the archive's
// directory from the snapshot; reading a member from this finds no header there and says
// so as an ImportError, which linecache expects (a traceback then shows no source line)
// where a shorter file would end in an EOFError.
function standIn(path) {
  return new Uint8Array(entry(path).size);
}
// The manifest path of the standard library this start leaves to the lazy finder, or null.
let lazyStdlib = null;

// Run one of the finders above (LAZY_STDLIB, FALLBACK) for the listed archive `path`,
// whose top-level modules are `modules`: it fetches the archive when it needs it, which
// then counts as part of this start (the offline copy keeps it).
function installArchiveFinder(pyodide, code, path, modules) {
  pyodide.globals.set("_ce_archive_fetch", () => {
    if (!used.includes(path)) used.push(path);
    return fetchSync(fileUrl(path));
  });
  pyodide.globals.set("_ce_archive_digest", entry(path).integrity);
  pyodide.globals.set("_ce_archive_refused", refusedText(path));
  pyodide.globals.set("_ce_archive_modules", JSON.stringify(modules));
  pyodide.runPython(code);
}

// A file whose bytes are not the manifest's, refused.
function refusedText(path) {
  return `计算引擎文件校验失败：${path} 的 sha256 与发布清单不符，已拒绝加载。请刷新页面重试；若仍出现，请联系网站管理员。`;
}

// A blocking download for the fallback finder (allowed in a worker).
function fetchSync(url) {
  const request = new XMLHttpRequest();
  request.open("GET", url, false);
  request.responseType = "arraybuffer";
  request.send();
  if (request.status !== 200) throw new Error(`HTTP ${request.status}`);
  return new Uint8Array(request.response);
}

// The gap planner (generator.rules.planner, tested in CPython) on the bundled catalogs:
// JSON text in and out like ce_evaluate, so the page gets exactly what `ceportal plan`
// prints. Apart from BRIDGE: it needs only its own two texts.
const PLAN_BRIDGE = `
import functools
import json
from generator.browser.worker.calculator import exercise, plan_json

_plan_policy, _catalogs = json.loads(_ce_plan_policy_text), json.loads(_ce_catalogs_text)
ce_plan = functools.partial(plan_json, _plan_policy, _catalogs)
ce_exercise = functools.partial(exercise, _plan_policy, _catalogs)
del _ce_plan_policy_text, _ce_catalogs_text, _plan_policy, _catalogs
`;

class LoadRefused extends Error {}

let manifest = null;
// Rejects on the first refused file: that stops the boot even where Pyodide would only
// log and wait (it swallows a failed wasm instantiation).
let refuse;
const refused = new Promise((_resolve, reject) => {
  refuse = reject;
});
refused.catch(() => {});
const prefetched = new Map(); // manifest path -> Promise<Response>, handed out once
let progressDone = 0;
let progressMax = 1;

function post(message) {
  self.postMessage(message);
}

function progress(stage) {
  post({ type: "progress", value: progressDone, max: progressMax, stage });
}

function entry(path) {
  const found = manifest.files[path];
  if (!found) {
    throw new LoadRefused(`计算引擎文件 ${path} 未登记在发布清单中，已拒绝加载。`);
  }
  return found;
}

// The URL a listed file is loaded from: its manifest URL, versioned by its digest.
function fileUrl(path) {
  return new URL(entry(path).url, BASE).href;
}

// Fetch one listed file with its integrity; explain a refusal in Chinese.
function checkedFetch(path) {
  const { integrity, size } = entry(path);
  const url = fileUrl(path);
  const checked = nativeFetch(url, { integrity }).then(
    (response) => {
      if (!response.ok) {
        throw new LoadRefused(`无法下载计算引擎文件 ${path}（HTTP ${response.status}）。请刷新页面重试。`);
      }
      progressDone += size;
      progress(`已下载 ${path}`);
      return response;
    },
    async () => {
      // fetch() rejects both on network errors and on a digest mismatch: tell them apart.
      let reachable = false;
      try {
        reachable = (await nativeFetch(url, { cache: "no-store" })).ok;
      } catch {
        reachable = false;
      }
      if (!reachable) throw new LoadRefused(`无法下载计算引擎文件 ${path}（网络错误）。请检查网络后刷新页面。`);
      // The URL goes to the page with the failure: the copy may be the offline one
      // (sw.js), which then drops it and fetches it again on the next online visit.
      throw Object.assign(
        new LoadRefused(
          refusedText(path),
        ),
        { url },
      );
    },
  );
  checked.catch(refuse);
  return checked;
}

function prefetch(path) {
  const promise = checkedFetch(path);
  prefetched.set(path, promise);
  return promise;
}

// Hand out a prefetched response once.
function takePrefetched(path) {
  const promise = prefetched.get(path);
  prefetched.delete(path);
  return promise;
}

// A refused file stops the boot (see `refused`) and the page ends this worker; Pyodide
// just waits, rather than logging the failure as its own error.
const never = () => new Promise(() => {});

// Pyodide fetches the wasm and the standard library itself: add the manifest's
// integrity (or hand it the checked response already in flight), and refuse anything
// not in the manifest.
self.fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input), BASE).href;
  const path = url.startsWith(BASE.href) ? url.slice(BASE.href.length) : url;
  const pending = takePrefetched(path);
  if (pending) return pending.catch(never);
  if (path === lazyStdlib) return Promise.resolve(new Response(standIn(path)));
  try {
    entry(path);
  } catch (error) {
    return Promise.reject(error);
  }
  // Pyodide's own request for the wasm: the one boot() started (its body is being
  // compiled; Pyodide's instantiateStreaming gets that module, see below).
  if (path === WASM) return wasmFetch();
  return checkedFetch(path).catch(never);
};

// The wasm goes without `integrity`: a response checked by fetch() is buffered and
// re-made, and Chromium then neither streams its compilation nor reuses the code it
// compiled on the last visit. The page checks its digest before it trusts this worker
// (engine.js, verifyWasm) and sends no request until then.
let wasmResponse = null;
function wasmFetch() {
  if (!wasmResponse) {
    wasmResponse = nativeFetch(fileUrl(WASM));
    // Tell the page to start its check now: a changed wasm may never let Pyodide finish.
    wasmResponse.then(() => post({ type: "wasm" }), () => {});
  }
  return wasmResponse;
}

async function importChecked(path) {
  await takePrefetched(path);
  return import(fileUrl(path));
}

// The snapshot rebuilt from its difference and the wasm bytes (snapdelta.js), refused
// unless its sha256 is the manifest's.
async function rebuiltSnapshot(deltaBuffer, wasmBuffer) {
  const { rebuildSnapshot } = await importChecked("snapdelta.js");
  const memory = rebuildSnapshot(new Uint8Array(await deltaBuffer), new Uint8Array(await wasmBuffer));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", memory));
  const sri = `sha256-${btoa(String.fromCharCode(...digest))}`;
  if (sri !== manifest.snapshot_restored.integrity) {
    throw new LoadRefused(
      refusedText(manifest.snapshot),
    );
  }
  progressDone += progressMax * 0.03;
  progress("已还原计算引擎快照");
  return memory;
}

let pyEvaluate = null;
let pyRead = null;
let pyPlan = null;
let pyExercise = null;
let extensionCall = null;

async function boot() {
  const files = manifest.files;
  // Start the downloads at once. The snapshot (Pyodide's memory once started, see
  // generator/browser/snapshot.py) replaces most of the start; its check needs
  // crypto.subtle.
  const saveData = Boolean(self.navigator.connection && self.navigator.connection.saveData);
  const useSnapshot =
    Boolean(manifest.snapshot) && Boolean(self.crypto && self.crypto.subtle) && !saveData;
  // The snapshot is made with the trimmed standard library mounted: it needs that one,
  // and the calculator only if something imports a module of it (LAZY_STDLIB).
  const stdlib = useSnapshot ? manifest.snapshot_stdlib : "pyodide/python_stdlib.zip";
  lazyStdlib = useSnapshot && !manifest.extension && manifest.snapshot_stdlib_modules ? stdlib : null;
  const paths = [
    "pyodide/pyodide.js",
    "pyodide/pyodide.asm.js",
    ...(lazyStdlib ? [] : [stdlib]),
    ...(useSnapshot ? [manifest.snapshot, "snapdelta.js"] : []),
    manifest.wheel,
    "policy.json",
    "catalogs.json",
    ...(manifest.extension ? [manifest.extension.module, ...manifest.extension.wheels] : []),
  ];
  // The bar: the bytes of every file as it arrives are the first 85% (the wasm once
  // compiled, which follows its download: Chromium compiles it as it streams in), then
  // the restore stages: the snapshot rebuilt and checked (3%), Python restored (to 92%),
  // the rules installed (96%), ready. So it never waits long at one figure, and never
  // at 99%. (`size` is the file's own size: a file sent compressed arrives as it.)
  progressMax = [...paths, WASM].reduce((sum, p) => sum + files[p].size, 0) / 0.85;
  const wasmSize = files[WASM].size;
  // The wasm: fetched now and compiled as it streams in, while the snapshot and the rest
  // download (Pyodide would start compiling only once the snapshot is there). A module
  // compiled from the fetched response is the one Chromium caches the code of. With the
  // snapshot, its bytes are read too: the snapshot is rebuilt from its data segments.
  const wasm = wasmFetch().then((response) => (useSnapshot ? [response, response.clone()] : [response]));
  const compiled = WebAssembly.compileStreaming(wasm.then(([response]) => response)).then((module) => {
    progressDone += wasmSize;
    progress(`已下载并编译 ${WASM}`);
    return module;
  });
  compiled.catch(() => {}); // a changed wasm: the page's check says so (verifyWasm)
  WebAssembly.instantiateStreaming = (_source, imports) =>
    compiled.then(async (module) => ({ module, instance: await WebAssembly.instantiate(module, imports) }));
  progress("正在下载计算引擎");
  for (const path of paths) prefetch(path);
  used = [...paths, WASM];
  const wheel = takePrefetched(manifest.wheel).then((r) => r.arrayBuffer());
  const policy = takePrefetched("policy.json").then((r) => r.text());
  const catalogs = takePrefetched("catalogs.json").then((r) => r.text());
  catalogs.catch(() => {});
  wheel.catch(() => {}); // a refusal is reported through `refused`
  policy.catch(() => {});
  let snapshot = null;
  if (useSnapshot) {
    snapshot = rebuiltSnapshot(
      takePrefetched(manifest.snapshot).then((r) => r.arrayBuffer()),
      wasm.then(([, copy]) => copy.arrayBuffer()),
    );
    // A refusal is reported through `refused`; so is a snapshot that cannot be rebuilt.
    snapshot.catch((error) =>
      refuse(error instanceof LoadRefused ? error : new LoadRefused(`计算引擎快照无法还原：${error.message}`)),
    );
  }

  const start = async () => {
    const { loadPyodide } = await importChecked("pyodide/pyodide.js");
    const pyodide = await loadPyodide({
      indexURL: new URL("pyodide/", BASE).href,
      // A promise of the function: loadPyodide awaits it only after it has started
      // fetching the wasm and the standard library, so those overlap this import.
      createPyodideModule: importChecked("pyodide/pyodide.asm.js").then((m) => m.default),
      lockFileContents: { info: manifest.lock_info, packages: {} },
      packageBaseUrl: new URL("pyodide/", BASE).href,
      // Unversioned, as Pyodide asks for the wasm: the fetch override above hands it the
      // checked response of the versioned URL.
      stdLibURL: new URL(stdlib, BASE).href,
      stdout: () => {},
      stderr: (text) => console.warn(text),
      ...(snapshot ? { _loadSnapshot: snapshot.catch(never) } : {}),
    });
    progressDone = Math.max(progressDone, progressMax * 0.92);
    if (lazyStdlib) installArchiveFinder(pyodide, LAZY_STDLIB, lazyStdlib, manifest.snapshot_stdlib_modules);
    progress("正在载入规则");
    const site = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
    pyodide.unpackArchive(new Uint8Array(await wheel), "wheel", { extractDir: site });
    progressDone = Math.max(progressDone, progressMax * 0.96);
    progress("正在启动规则");
    pyodide.globals.set("_ce_policy_text", await policy);
    pyodide.runPython(BRIDGE);
    if (useSnapshot) installArchiveFinder(pyodide, FALLBACK, "pyodide/python_stdlib.zip", manifest.stdlib_modules);
    pyEvaluate = pyodide.globals.get("ce_evaluate");
    pyRead = pyodide.globals.get("ce_read");
    pyodide.globals.set("_ce_plan_policy_text", await policy);
    pyodide.globals.set("_ce_catalogs_text", await catalogs);
    pyodide.runPython(PLAN_BRIDGE);
    pyPlan = pyodide.globals.get("ce_plan");
    if (useSnapshot) pyExercise = pyodide.globals.get("ce_exercise");
    if (manifest.extension) {
      for (const path of manifest.extension.wheels) {
        const data = await takePrefetched(path).then((r) => r.arrayBuffer());
        pyodide.unpackArchive(new Uint8Array(data), "wheel", { extractDir: site });
      }
      const extension = await importChecked(manifest.extension.module);
      extensionCall = await extension.start({
        pyodide,
        policy: await policy,
        // For a copy of this engine the extension starts itself (audit-worker.js's
        // helper): the manifest it boots with, and the check of the wasm it fetched (as
        // the page checks this worker's, engine.js verifyWasm).
        manifest,
        checkWasm: () =>
          nativeFetch(fileUrl(WASM), { integrity: entry(WASM).integrity, cache: "force-cache" })
            .then((response) => response.arrayBuffer())
            .then(() => undefined),
      });
    }
  };
  // No last progress at 100%: the page would show it as 99% while it checks the wasm;
  // the "ready" message is the end of the bar.
  await Promise.race([start(), refused]);
}

// Restored from the snapshot, the engine's compiled code is not kept by the browser for
// the next visit: Chromium keeps it only once enough of it has been optimised, which
// booting Python does and a restore does not. So once the page has been idle a moment,
// the worker runs the page's own calls (generator.browser.worker.calculator.exercise) in slices of a
// few milliseconds, each its own task, so that a visitor's call never waits behind more
// than one. Measured (bench/bench_calculator.py): the next visit's first result about
// 1.27 s instead of 1.70 s. Once per start: 40 rounds of 9 calls (the bundled policy).
const EXERCISE = { delayMs: 1000, slices: 40 };

function exercise(left, calls = 0) {
  if (!pyExercise) return;
  if (left === 0) {
    post({ type: "exercised", calls });
    return;
  }
  let made;
  try {
    made = pyExercise(1);
  } catch {
    return; // a warm-up only: the visitor's calls report their own errors
  }
  setTimeout(() => exercise(left - 1, calls + made), 0);
}

let booted = null;
let used = []; // the manifest paths this start loaded (for the offline copy, sw.js)

self.onmessage = (event) => {
  const message = event.data;
  if (message.type === "init" && !booted) {
    manifest = message.manifest;
    if (typeof manifest.base === "string") BASE = new URL(manifest.base, self.location.href);
    booted = boot().then(
      () => {
        post({ type: "ready", used });
        // A helper (a copy the audit's worker starts) only evaluates: no warm-up for it.
        if (!manifest.helper) setTimeout(() => exercise(EXERCISE.slices), EXERCISE.delayMs);
      },
      (error) => {
        const text =
          error instanceof LoadRefused
            ? error.message
            : `计算引擎启动失败：${error && error.message ? error.message : error}`;
        post({ type: "failed", message: text, refused: error instanceof LoadRefused ? error.url : undefined });
      },
    );
  } else if (message.type === "call") {
    booted.then(() => {
      if (extensionCall) extensionCall(message);
      else post({ type: "reply", id: message.id, error: "此页面的计算引擎不支持该操作。" });
    });
  } else if (message.type === "evaluate" || message.type === "read" || message.type === "plan") {
    booted.then(() => {
      let text;
      try {
        if (message.type === "plan") text = pyPlan(message.text, message.options);
        else text = (message.type === "read" ? pyRead : pyEvaluate)(message.text);
      } catch (error) {
        text = JSON.stringify({ error: `计算出错：${error.message}` });
      }
      post({ type: "result", id: message.id, text });
    });
  }
};
