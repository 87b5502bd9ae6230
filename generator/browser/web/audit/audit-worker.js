// The batch audit's part of the engine's Web Worker. worker.js boots Pyodide and the
// rules wheel as for the calculator, installs the wheels the audit page's manifest lists
// (openpyxl and et_xmlfile, for the XLSX report), imports this module (checked against the
// manifest) and calls start(); every {type: "call"} message then comes here.
//
// The Python side is generator/browser/worker/audit.py (a module of the rules wheel, tested in
// CPython): it runs generator.audit.evaluation, the CLI's own code, on the file's bytes. The work
// is done a slice of applicants at a time, each slice posted to the page as it is done, so
// the page shows progress and the first rows while a large table is still being checked.
//
// A large file (HELPER_BYTES and more) is also given to a helper: a second copy of the
// engine (worker.js started from here, without this extension: the calculator's engine,
// which evaluates one request at a time). While this worker reads the table, the requests
// of the applicants whose rows look complete go to the helper; when an applicant's turn
// comes and its rows are still the same, its answer is taken instead of evaluating it
// again (generator/browser/worker/audit.py, Reading.ahead). The rules are a function of
// the request, so the report is the same, only sooner: the reading and the evaluation go
// on side by side on two cores. This worker never waits for the helper: an applicant it
// has not answered yet is evaluated here, and a helper that cannot start, or whose wasm
// fails its check, is not used. It is started at the first large file and kept for the
// next.
//
// Calls (from the page, through engine.js's call()):
//   {op: "run", name, bytes, keep}  -> events {reading: rows read so far} while the file is
//                                      read, {total} then {done, total, rows}; reply
//                                      {csv, summary, run, helped}; keep: the run stays for
//                                      "xlsx"; helped: the applicants the helper answered.
//                                      With waitForHelper (tests), the evaluation waits
//                                      until the helper has answered every request sent.
//   {op: "xlsx", run}               -> reply: the XLSX report's bytes (Uint8Array)
//   {op: "sheet", run, index}       -> reply: one applicant's 核查单 (BrowserAudit.sheet)
//   {op: "close", run}              -> reply: null (the run's copy of the file is removed)
// A file that cannot be read as a table replies {error}: the message `ceportal audit`
// prints after its "ceportal audit: ".

const SLICE = 250; // applicants per progress message: ~40 a second on a slow phone
const READ_SLICE = 5000; // rows read between two progress messages
// From this size on a file's applicants are also given to the helper: about 2,500
// applicants, a second or more of evaluation; below it a second engine is not worth its
// start (about a second of a core) and its memory.
const HELPER_BYTES = 1024 * 1024;

let bridge = null;
let policy = null;
let manifest = null;
let checkWasm = null;
let helper = null; // the second engine: see startHelper()
let nextAsk = 1;
const runs = new Map(); // run id -> BrowserAudit (a PyProxy)
let nextRun = 1;

function reply(id, data, transfer = []) {
  self.postMessage({ type: "reply", id, data }, transfer);
}

function refuse(id, error) {
  self.postMessage({ type: "reply", id, error });
}

function event(id, data) {
  self.postMessage({ type: "event", id, data });
}

function close(run) {
  const audit = runs.get(run);
  if (!audit) return;
  runs.delete(run);
  audit.close();
  audit.destroy();
}

// --- the helper ---------------------------------------------------------------------------

/** The second engine, started once; null where a worker cannot start another, or where
 * it would not help: a single core, or a device that says it has little memory (a second
 * Pyodide holds about as much as the first). */
function startHelper() {
  if (helper) return helper.failed ? null : helper;
  if (typeof Worker === "undefined") return null; // a browser without nested workers
  const { hardwareConcurrency: cores, deviceMemory: memory } = self.navigator;
  if ((cores && cores < 2) || (memory && memory < 4)) return null;
  const worker = new Worker(self.location.href, { type: "module", name: "ceportal-audit-helper" });
  helper = {
    worker,
    failed: false,
    ready: false, // started: requests are built for it only from then on
    verified: false, // its wasm passed the check: only then are its answers used
    asked: new Map(), // ask id -> {run, key}: posted, not answered yet
    queue: [], // [run, key, text] waiting for room (at most HELPER_WINDOW are posted)
    head: 0, // the queue's first entry not yet posted
    answers: new Map(), // run -> [[key, reply text], …] not yet handed to Python
  };
  const stop = () => {
    helper.failed = true;
    helper.asked.clear();
    helper.queue = [];
    helper.head = 0;
    helper.answers.clear();
    worker.terminate();
    wake();
  };
  worker.onerror = stop;
  worker.onmessage = ({ data }) => {
    if (data.type === "wasm") {
      checkWasm().then(() => {
        helper.verified = true;
        wake();
      }, stop);
    } else if (data.type === "ready") {
      helper.ready = true;
      wake();
    } else if (data.type === "failed") {
      stop();
    } else if (data.type === "result") {
      const asked = helper.asked.get(data.id);
      if (!asked) return;
      helper.asked.delete(data.id);
      const list = helper.answers.get(asked.run);
      if (list) list.push([asked.key, data.text]);
      pump();
      wake();
    }
  };
  worker.postMessage({ type: "init", manifest: { ...manifest, extension: undefined, helper: true } });
  return helper;
}

const waiting = new Set(); // the resolvers of changed()
function wake() {
  for (const resolve of waiting) resolve();
  waiting.clear();
}
/** Resolves at the helper's next message that changes its state. */
function changed() {
  return new Promise((resolve) => waiting.add(resolve));
}

/** Until the helper has started (waitForHelper, before the file is read). */
async function helperReady() {
  while (helper && !helper.failed && !helper.ready) await changed();
}

function pending(run) {
  if ([...helper.asked.values()].some((a) => a.run === run)) return true;
  for (let i = helper.head; i < helper.queue.length; i++) if (helper.queue[i][0] === run) return true;
  return false;
}

/** Until the helper's wasm is checked and it has answered every request of `run`, or it
 * has stopped. */
async function helperSettled(run) {
  while (helper && !helper.failed && (!helper.verified || pending(run))) await changed();
}

// The helper holds at most this many requests: once a file is done, what it was still
// given is soon done too (a table whose applicants' rows are not kept together stops
// being given early on: Reading.ahead).
const HELPER_WINDOW = 2000;

function ask(run, requests) {
  if (!helper || helper.failed) return;
  for (const [key, text] of requests) helper.queue.push([run, key, text]);
  pump();
}

function pump() {
  const { queue } = helper;
  while (helper.head < queue.length && helper.asked.size < HELPER_WINDOW) {
    const [run, key, text] = queue[helper.head];
    queue[helper.head++] = null;
    const id = nextAsk++;
    helper.asked.set(id, { run, key });
    helper.worker.postMessage({ type: "evaluate", id, text });
  }
  if (helper.head > 4096 && helper.head * 2 > queue.length) {
    helper.queue = queue.slice(helper.head);
    helper.head = 0;
  }
}

/** The helper's answers to `run` so far, handed to Python once its wasm is checked. */
function deliver(run, audit) {
  if (!helper || helper.failed || !helper.verified) return;
  const list = helper.answers.get(run);
  if (!list || list.length === 0) return;
  audit.answers(`[${list.map(([key, text]) => `[${key},${text}]`).join(",")}]`);
  list.length = 0;
}

// The worker's own event loop gets a turn (the helper's answers arrive), without a
// timer's delay: a message through a channel is a task like theirs, queued behind them.
function turn() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

// --- one audit ------------------------------------------------------------------------------

let nextRunToken = 1;

async function run(message) {
  const second = message.bytes.length >= HELPER_BYTES ? startHelper() : null;
  const token = nextRunToken++;
  if (second) second.answers.set(token, []);
  try {
    await audited(message, second, token);
  } finally {
    if (helper) {
      helper.answers.delete(token);
      for (const [id, asked] of helper.asked) if (asked.run === token) helper.asked.delete(id);
      helper.queue = helper.queue.slice(helper.head).filter((entry) => entry[0] !== token);
      helper.head = 0;
    }
  }
}

async function audited(message, second, token) {
  const audit = bridge.BrowserAudit(policy, String(message.name), message.bytes);
  const opened = JSON.parse(audit.open());
  if ("error" in opened) {
    audit.destroy();
    refuse(message.id, opened.error);
    return;
  }
  if (second && message.waitForHelper) await helperReady();
  // The table is read a slice of rows at a time: the page shows how far it has got. With
  // a helper, the worker's event loop gets a turn between slices (its "ready" comes in),
  // and once it has started the applicants read so far are handed to it.
  for (;;) {
    if (second) await turn();
    const got = JSON.parse(audit.read(READ_SLICE, Boolean(second && second.ready && !second.failed)));
    if ("error" in got) {
      audit.destroy();
      refuse(message.id, got.error);
      return;
    }
    if (got.ask) ask(token, got.ask);
    event(message.id, { reading: got.rows });
    if (!got.more) break;
  }
  const started = JSON.parse(audit.begin());
  const total = started.total;
  event(message.id, { done: 0, total, rows: [] });
  if (second && message.waitForHelper) await helperSettled(token);
  let done = 0;
  for (;;) {
    if (second) {
      await turn();
      deliver(token, audit);
    }
    const rows = JSON.parse(audit.advance(SLICE));
    if (rows.length === 0) break;
    done += rows.length;
    event(message.id, { done, total, rows });
  }
  const result = { csv: audit.csv(), summary: audit.summary(), run: null, helped: audit.helped() };
  if (message.keep) {
    result.run = nextRun++;
    runs.set(result.run, audit);
  } else {
    audit.close();
    audit.destroy();
  }
  reply(message.id, result);
}

function xlsx(message) {
  const audit = runs.get(message.run);
  if (!audit) {
    refuse(message.id, "这份核查结果已被新的核查取代，请重新选择文件。");
    return;
  }
  const proxy = audit.xlsx();
  const bytes = proxy.toJs();
  proxy.destroy();
  reply(message.id, bytes, [bytes.buffer]);
}

function sheet(message) {
  const audit = runs.get(message.run);
  if (!audit) {
    refuse(message.id, "这份核查结果已被新的核查取代，请重新选择文件。");
    return;
  }
  reply(message.id, JSON.parse(audit.sheet(Number(message.index))));
}

/** Called by worker.js once the rules are loaded; returns the handler of calls. */
export async function start({ pyodide, policy: policyText, manifest: started, checkWasm: check }) {
  manifest = started;
  checkWasm = check;
  bridge = pyodide.pyimport("generator.browser.worker.audit");
  policy = pyodide.pyimport("json").loads(policyText);
  bridge.warm_up(); // the report's modules now, so nothing is fetched once ready
  return (message) => {
    try {
      if (message.op === "run") {
        run(message).catch((error) => refuse(message.id, `核查出错：${error && error.message ? error.message : error}`));
      }
      else if (message.op === "xlsx") xlsx(message);
      else if (message.op === "sheet") sheet(message);
      else if (message.op === "close") {
        close(message.run);
        reply(message.id, null);
      } else refuse(message.id, `未知的操作：${message.op}`);
    } catch (error) {
      refuse(message.id, `核查出错：${error && error.message ? error.message : error}`);
    }
  };
}
