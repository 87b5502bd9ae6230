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
// Calls (from the page, through engine.js's call()):
//   {op: "run", name, bytes, keep}  -> events {reading: rows read so far} while the file is
//                                      read, {total} then {done, total, rows}; reply
//                                      {csv, summary, run}; keep: the run stays for "xlsx"
//   {op: "xlsx", run}               -> reply: the XLSX report's bytes (Uint8Array)
//   {op: "sheet", run, index}       -> reply: one applicant's 核查单 (BrowserAudit.sheet)
//   {op: "close", run}              -> reply: null (the run's copy of the file is removed)
// A file that cannot be read as a table replies {error}: the message `ceportal audit`
// prints after its "ceportal audit: ".

const SLICE = 250; // applicants per progress message: ~40 a second on a slow phone
const READ_SLICE = 5000; // rows read between two progress messages

let bridge = null;
let policy = null;
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

function run(message) {
  const audit = bridge.BrowserAudit(policy, String(message.name), message.bytes);
  const opened = JSON.parse(audit.open());
  if ("error" in opened) {
    audit.destroy();
    refuse(message.id, opened.error);
    return;
  }
  // The table is read a slice of rows at a time: the page shows how far it has got.
  for (;;) {
    const got = JSON.parse(audit.read(READ_SLICE));
    if ("error" in got) {
      audit.destroy();
      refuse(message.id, got.error);
      return;
    }
    event(message.id, { reading: got.rows });
    if (!got.more) break;
  }
  const started = JSON.parse(audit.begin());
  const total = started.total;
  event(message.id, { done: 0, total, rows: [] });
  let done = 0;
  for (;;) {
    const rows = JSON.parse(audit.advance(SLICE));
    if (rows.length === 0) break;
    done += rows.length;
    event(message.id, { done, total, rows });
  }
  const result = { csv: audit.csv(), summary: audit.summary(), run: null };
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
export async function start({ pyodide, policy: policyText }) {
  bridge = pyodide.pyimport("generator.browser.worker.audit");
  policy = pyodide.pyimport("json").loads(policyText);
  bridge.warm_up(); // the report's modules now, so nothing is fetched once ready
  return (message) => {
    try {
      if (message.op === "run") run(message);
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
