// The calculator's engine: starts the Web Worker that runs generator.rules in Pyodide
// (worker.js) and publishes window.ceHours (DESIGN.md): ready, evaluate(request),
// plan(request, {specialty, county, today}).
//
// The page loads this module from <head> with `async`, so the worker, and with it the
// ~12 MB runtime, starts while the rest of the page is still arriving and the theme's
// scripts run; the form (main.js) imports the same module instance (same URL) once
// the page is parsed. Nothing here touches the page's body: the form follows the
// engine through onStatus().

import { OFFLINE_COPY_HEADER, judgeCopy, readyText } from "./copy-status.js";

export { readyText };

const manifest = JSON.parse(document.querySelector('meta[name="ceportal-calculator"]').content);

/** The engine was refused (a file failed its check) or could not start. */
export class EngineRefused extends Error {}

let worker = null;
let nextId = 1;
const waiting = new Map(); // id -> {resolve, reject}
let engineFailure = null;
let settleReady;
/** Resolves once the engine can answer; rejects with an EngineRefused. */
export const ready = new Promise((resolve, reject) => {
  settleReady = { resolve, reject };
});
ready.catch(() => {}); // a refused engine is reported on the page; callers still see the rejection

// --- status, for the form's progress bar ----------------------------------------------

let status = { state: "loading", percent: 0, text: "正在加载计算引擎……可以先填写表格。" };
const listeners = new Set();

function setStatus(next) {
  status = Object.freeze(next);
  for (const listener of listeners) listener(status);
}

/** Call `listener({state, percent, text})` now and on every change. */
export function onStatus(listener) {
  listeners.add(listener);
  listener(status);
}

/** The EngineRefused that stopped the engine, or null. */
export function failure() {
  return engineFailure;
}

function engineFailed(message, refused = null) {
  if (refused) reportRefused(refused);
  if (engineFailure) return;
  engineFailure = new EngineRefused(message);
  if (worker) worker.terminate();
  settleReady.reject(engineFailure);
  for (const { reject } of waiting.values()) reject(engineFailure);
  waiting.clear();
  setStatus({ state: "failed", percent: status.percent, text: message });
}

// --- the worker ----------------------------------------------------------------------

// The URL a listed file is loaded from (`name?v=<digest>`, as the worker loads them).
function fileUrl(path) {
  return new URL(manifest.files[path].url, import.meta.url);
}

// --- offline: the service worker (sw.js) ----------------------------------------------

// Whether this page is the deployment the server serves now (copy-status.js): the page's
// folder's manifest.json, asked for once the engine starts (beside its download: one
// small conditional request) and again whenever the browser comes back online.
//
// Why this probe rather than asking the service worker which answer it gave: the answer
// is judged by content, so it also holds where the worker cannot tell (the page from the
// browser's own cache while the host is down, a worker restarted since the navigation,
// no worker at all), and it tells a new deployment on the server (another manifest:
// the page should be reloaded) from a confirmed one. An answer from the offline copy
// carries sw.js's mark (OFFLINE_COPY_HEADER) and never confirms anything; neither does a
// captive portal's page (no manifest) or no answer within PROBE_MS.
const PROBE_MS = 10_000;
let copy = "unconfirmed";
let probes = 0;

function probeCopy() {
  const probe = ++probes;
  const url = new URL("manifest.json", document.baseURI);
  return fetch(url, { cache: "no-cache", signal: timeoutSignal(PROBE_MS) })
    .then(async (response) => ({
      ok: response.ok,
      offlineCopy: response.headers.has(OFFLINE_COPY_HEADER),
      text: response.ok ? await response.text() : "",
    }))
    .then((answer) => judgeCopy(manifest, answer), () => "unconfirmed")
    .then((judged) => {
      if (probe === probes) copy = judged; // a later probe has the last word
    });
}
const firstProbe = probeCopy();

// A signal that aborts after `ms` (AbortSignal.timeout where the browser has it).
function timeoutSignal(ms) {
  if (typeof AbortSignal.timeout === "function") return AbortSignal.timeout(ms);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), ms);
  return controller.signal;
}

function readyStatus() {
  const copyState = { copy, deployed: manifest.deployed ?? null, online: navigator.onLine };
  return { state: "ready", percent: 100, ...copyState, text: readyText("计算引擎", copyState) };
}

window.addEventListener("offline", () => {
  if (status.state === "ready") setStatus(readyStatus());
});
// Back online: ask again, and a few times more while the answer is none (the browser
// says online before the network carries requests: a Wi-Fi joined, DNS not yet up).
const RETRY_MS = [1_000, 3_000, 10_000];
function reprobe(attempt = 0) {
  probeCopy().then(() => {
    if (status.state === "ready") setStatus(readyStatus());
    if (copy === "unconfirmed" && navigator.onLine && attempt < RETRY_MS.length) {
      setTimeout(() => reprobe(attempt + 1), RETRY_MS[attempt]);
    }
  });
}
window.addEventListener("online", () => reprobe());

// A file that failed its check may have come from the offline copy: the service worker
// (sw.js) checks the bytes it keeps for that URL and, if they differ, drops them and
// marks its copy incomplete, so that the next online visit fetches them again.
function reportRefused(url) {
  navigator.serviceWorker?.controller?.postMessage({ type: "refused", url: String(url) });
}

/**
 * Register the service worker that keeps this page's verified files for offline visits
 * (the sw.js the build publishes beside the page, /calculator/ or /audit/; its scope is
 * the page's folder). Called once the engine is ready, so it never competes with the
 * first start.
 */
export function registerOffline(script = new URL("sw.js", document.baseURI), scope = "./", used = []) {
  if (!("serviceWorker" in navigator)) return Promise.resolve(null);
  return navigator.serviceWorker
    .register(script, { scope: new URL(scope, script).href })
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => {
      // Online: let the service worker keep what this visit loaded (`used`: manifest
      // paths; the page's own scripts it reads from the page), for this deployment
      // (`manifest`: the worker keeps nothing unless the server's is this page's).
      if (navigator.onLine && registration.active) {
        registration.active.postMessage({ type: "refresh", used, manifest });
      }
      return registration;
    })
    .catch(() => null); // no offline copy (private mode, file:, a host without HTTPS)
}

function startEngine() {
  const url = fileUrl("worker.js");
  try {
    worker = new Worker(url, { type: "module", name: "ceportal-hours" });
  } catch (error) {
    engineFailed(`无法启动计算引擎：${error.message}`);
    return;
  }
  worker.onmessage = (event) => {
    const message = event.data;
    if (message.type === "progress") {
      if (engineFailure || status.state === "ready") return;
      const percent = Math.min(99, Math.round((100 * message.value) / message.max));
      setStatus({ state: "loading", percent, text: `正在加载计算引擎（${percent}%）……可以先填写表格。` });
    } else if (message.type === "wasm") {
      verifyWasm().catch(refusedBy);
    } else if (message.type === "ready") {
      // The status names the copy (firstProbe, started with the engine, has answered
      // long before in practice); ceHours.ready resolves with the status set.
      Promise.all([verifyWasm(), firstProbe]).then(() => {
        if (engineFailure) return;
        setStatus(readyStatus());
        settleReady.resolve();
        registerOffline(undefined, undefined, [...(message.used ?? []), "worker.js"]);
      }, refusedBy);
    } else if (message.type === "failed") {
      // A changed wasm usually fails to start: say so rather than the start-up error.
      verifyWasm().then(
        () => engineFailed(message.message, message.refused),
        refusedBy,
      );
    } else if (message.type === "exercised") {
      // The worker's warm-up is done (worker.js EXERCISE): a mark on the page's timeline.
      performance.mark("ceportal-engine-exercised", { detail: { calls: message.calls } });
    } else if (message.type === "event") {
      waiting.get(message.id)?.onEvent?.(message.data);
    } else if (message.type === "reply") {
      const pending = waiting.get(message.id);
      waiting.delete(message.id);
      if (!pending) return;
      if (message.error !== undefined) pending.reject(new Error(message.error));
      else pending.resolve(message.data);
    } else if (message.type === "result") {
      const pending = waiting.get(message.id);
      waiting.delete(message.id);
      if (!pending) return;
      const outcome = JSON.parse(message.text);
      if ("error" in outcome) {
        // The message is the CLI's line; `path` and `problem` are its parts, as fields.
        const { error, path = "", problem = error } = outcome;
        pending.reject(Object.assign(new Error(error), { path, problem }));
      }
      else pending.resolve(outcome);
    }
  };
  worker.onerror = (event) => {
    event.preventDefault();
    engineFailed(`计算引擎出错：${event.message || "无法载入 worker.js"}`);
  };
  worker.postMessage({ type: "init", manifest });
  // The worker script itself is checked like the runtime; it runs meanwhile, but is
  // terminated (and the engine refused) if its bytes differ from the manifest.
  checkedFetch("worker.js").catch(refusedBy);
}

// A checkedFetch() failure: its message, and the URL of a file that failed its check.
function refusedBy(error) {
  engineFailed(error.message, error.url);
}

// Pyodide fetches its wasm itself and without `integrity` (see worker.js: only such a
// response lets Chromium reuse the compiled code on the next visit), so the page checks
// the wasm's digest, from the HTTP cache, before it trusts the engine: ceHours.ready
// resolves, and the first request reaches the worker, only after this check passed.
const WASM = "pyodide/pyodide.asm.wasm";
let wasmChecked = null;

function verifyWasm() {
  wasmChecked ??= checkedFetch(WASM, "force-cache")
    .then((response) => response.arrayBuffer())
    .then(() => undefined);
  return wasmChecked;
}

/** Fetch a file listed in the manifest; the browser checks its digest (as the worker does). */
export function checkedFetch(path, cache = "default") {
  const file = manifest.files[path];
  if (!file) return Promise.reject(new Error(`文件 ${path} 未登记在发布清单中，已拒绝加载。`));
  const url = fileUrl(path);
  return fetch(url, { integrity: file.integrity, cache }).then(
    (response) => {
      if (!response.ok) throw new Error(`无法下载 ${path}（HTTP ${response.status}）。请刷新页面重试。`);
      return response;
    },
    async () => {
      // fetch() rejects both on network errors and on a digest mismatch: tell them apart.
      const reachable = await fetch(url, { cache: "no-store" }).then((r) => r.ok, () => false);
      if (!reachable) throw new Error(`无法下载 ${path}（网络错误）。请检查网络后刷新页面。`);
      throw Object.assign(
        new Error(
          `计算引擎文件校验失败：${path} 的 sha256 与发布清单不符，已拒绝加载。请刷新页面重试；若仍出现，请联系网站管理员。`,
        ),
        { url: url.href },
      );
    },
  );
}

// Post `message` with a fresh id once the engine is ready; the reply settles the promise
// (`map` turns a result's outcome into the value; `onEvent` gets a call's events).
function send(message, { map = (outcome) => outcome, onEvent = null } = {}, transfer = []) {
  return ready.then(
    () =>
      new Promise((resolve, reject) => {
        if (engineFailure) {
          reject(engineFailure);
          return;
        }
        const id = nextId++;
        waiting.set(id, { resolve: (outcome) => resolve(map(outcome)), reject, onEvent });
        worker.postMessage({ ...message, id }, transfer);
      }),
  );
}

// One request to the worker once the engine is ready; resolves to the outcome's `key`.
function ask(type, text, key, options) {
  return send({ type, text, options }, { map: (outcome) => outcome[key] });
}

// The first value JSON cannot carry (NaN, ±Infinity, a BigInt) as [path, how it reads]:
// JSON.stringify would write null for the first two (the rules would say "收到 null")
// and throw in English for the third.
function unwritable(value, path = "", depth = 0) {
  if (typeof value === "bigint") return [path, `${value}n`];
  if (typeof value === "number" && !Number.isFinite(value)) return [path, String(value)];
  if (value !== null && typeof value === "object" && depth < 64) {
    for (const [key, item] of Object.entries(value)) {
      const at = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      const found = unwritable(item, at, depth + 1);
      if (found) return found;
    }
  }
  return null;
}

// A request as the JSON text the worker reads, or the reason it cannot be one.
function requestText(request) {
  const found = unwritable(request);
  if (found) {
    const [path, shown] = found;
    const problem = `${shown} 不是JSON允许的数字，无法计算`;
    return { error: Object.assign(new Error(path ? `${path}: ${problem}` : problem), { path, problem }) };
  }
  try {
    return { text: JSON.stringify(request) ?? "null" };
  } catch {
    return { error: new Error("请求无法转换为 JSON（含有循环引用或不能转换的值）") };
  }
}

/** Evaluate one request with generator.rules; resolves to the CLI's response object. */
export function evaluate(request) {
  const { text, error } = requestText(request);
  return error ? Promise.reject(error) : ask("evaluate", text, "response");
}

/**
 * Read request text (an imported file, a #r= link) with the rules' one reader; resolves
 * to the request, or rejects with the reason `ceportal hours` prints (and its `path`)
 * when the text is no request (not JSON, too deep, a repeated key) or holds a number
 * JavaScript cannot hold as written. The figures are judged by evaluate(), as typed.
 */
export function readRequest(text) {
  return ask("read", String(text), "request");
}

/** The local date as YYYY-MM-DD: the planner's default `today`, as the CLI's is. */
export function localToday(now = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The gap planner (generator.rules.plan) on the bundled catalogs: what `ceportal plan`
 * prints for the same request, `--specialty`, `--county` and `--today` (default: today). */
export function plan(request, { specialty = null, county = null, today = null } = {}) {
  const { text, error } = requestText(request);
  if (error) return Promise.reject(error);
  const options = { specialty, county, today: today ?? localToday() };
  return ask("plan", text, "response", JSON.stringify(options));
}

/**
 * A call to the worker's extension (the audit page's, see worker.js): posts
 * `{type: "call", id, ...message}` once the engine is ready; `onEvent(data)` gets each
 * event of the call; resolves to the reply's data, or rejects with its error.
 */
export function call(message, { onEvent = null, transfer = [] } = {}) {
  return send({ ...message, type: "call" }, { onEvent }, transfer);
}

window.ceHours = Object.freeze({ ready, evaluate, plan });
startEngine();
