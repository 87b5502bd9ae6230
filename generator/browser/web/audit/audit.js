// The batch audit page (/audit/). The audit itself runs in Python (generator.audit.evaluation, the
// code of `ceportal audit`, in Pyodide, in the calculator's worker with audit-worker.js);
// this module is the page around it: the file input and drop zone, the progress, the
// summary, the table of applicants (filtered and paged: a table of 10,000 stays light) and
// the two report downloads.
//
// Public API (DESIGN.md): window.ceAudit.ready, window.ceAudit.run(fileName, bytes) ->
// {csv, summary}. Privacy: the file is read here and handed to the worker; nothing is sent
// anywhere, nothing is stored (no localStorage); the reports are made in memory and saved
// through a blob: link. Data reaches the page only through textContent.

// The engine module the page started from <head>: the same URL, hence the same worker.
const engineScript = document.querySelector('script[type="module"][src*="engine.js"]');
const { call, onStatus, readyText, ready } = await import(engineScript.src);

const $ = (id) => document.getElementById(id);
const PAGE_SIZE = 50;
// Past this the browser would hold the file several times over; below it the audit's
// own limits apply (generator/audit/evaluation.py, xlsx_rows.py), with the CLI's messages.
const MAX_BYTES = 256 * 1024 * 1024;
const STATUS_TEXT = { met: "达标", unmet: "未达标", error: "出错" };
const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// --- the engine's progress ---------------------------------------------------------------

// Ready: the calculator's line with this engine's name (copy-status.js): plain when the
// network confirmed the page, else naming the offline copy and its deployment date, or
// asking for a reload when the server has a newer deployment.
onStatus((status) => {
  const { state, percent, text } = status;
  $("ce-audit-engine-progress").value = percent;
  $("ce-audit-engine-status").textContent =
    state === "ready"
      ? readyText("核查引擎", status)
      : state === "failed" ? text : `正在加载核查引擎（${percent}%）……`;
  $("ce-audit-engine").classList.toggle("ce-ready", state === "ready");
  // Ready, but not on a copy the network confirmed: in the warning colour.
  $("ce-audit-engine").classList.toggle("ce-unconfirmed", state === "ready" && (status.copy !== "current" || !status.online));
  $("ce-audit-engine").classList.toggle("ce-failed", state === "failed");
  if (state === "failed") showError(text);
});

// --- state: one audited file ---------------------------------------------------------------

const state = {
  name: "", // the file's name
  rows: [], // {id, name, status, required, counted, shortfall, error}, input order
  counts: { met: 0, unmet: 0, error: 0 },
  total: 0,
  csv: null,
  summary: "",
  run: null, // the worker's id of this audit, for the XLSX report
  filter: "attention",
  unit: null, // a 单位 chosen, or null for all
  program: null,
  search: "",
  sort: "input",
  page: 0,
  busy: false,
};

function showError(text) {
  const box = $("ce-audit-error");
  box.textContent = text;
  box.hidden = !text;
}

function shown(name) {
  return name.length > 60 ? `${name.slice(0, 60)}…` : name;
}

// --- the table ------------------------------------------------------------------------------

const STATUS_ORDER = { error: 0, unmet: 1, met: 2 };
const byText = (key) => (a, b) => String(a[key]).localeCompare(String(b[key]), "zh-CN") || a.index - b.index;
const SORTS = {
  input: (a, b) => a.index - b.index,
  id: byText("id"),
  name: byText("name"),
  unit: byText("unit"),
  status: (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.index - b.index,
  gap: (a, b) => (b.shortfall ? b.shortfall[0] : -1) - (a.shortfall ? a.shortfall[0] : -1) || a.index - b.index,
};

function wanted(row) {
  const f = state.filter;
  if (f === "attention" && row.status === "met") return false;
  if ((f === "error" || f === "met" || f === "unmet") && row.status !== f) return false;
  if (state.unit !== null && row.unit !== state.unit) return false;
  if (state.program !== null && row.program !== state.program) return false;
  if (state.search) {
    const text = `${row.id}\n${row.name}`.toLowerCase();
    if (!text.includes(state.search)) return false;
  }
  return true;
}

function visible() {
  const rows = state.rows.filter(wanted);
  if (state.sort !== "input") rows.sort(SORTS[state.sort]);
  return rows;
}

// The 单位 and 拟申报/周期 choices: the values the table has, once it is audited.
function fillChoices(id, key, everything) {
  const select = $(id);
  const values = [...new Set(state.rows.map((r) => r[key]))].sort((a, b) => a.localeCompare(b, "zh-CN"));
  const options = [new Option(everything, "")];
  for (const value of values) options.push(new Option(value || "（未填）", `=${value}`));
  select.replaceChildren(...options);
  select.disabled = values.length < 2;
}

function cell(tr, label, text, className = "") {
  const td = document.createElement("td");
  td.dataset.label = label;
  td.textContent = text;
  if (className) td.className = className;
  tr.append(td);
  return td;
}

function pair(counted, required) {
  return `${counted} / ${required}`;
}

function gap(row) {
  if (row.status === "error") return row.error;
  if (row.status === "met") return "—";
  const [total, pub] = row.shortfall;
  const parts = [];
  if (total > 0) parts.push(`总学时差 ${total}`);
  if (pub > 0) parts.push(`公需学时差 ${pub}`);
  return parts.join("，");
}

function renderTable() {
  const rows = visible();
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  state.page = Math.min(state.page, pages - 1);
  const body = $("ce-audit-rows");
  const fragment = document.createDocumentFragment();
  for (const row of rows.slice(state.page * PAGE_SIZE, (state.page + 1) * PAGE_SIZE)) {
    const tr = document.createElement("tr");
    tr.dataset.status = row.status;
    if (row.status === "error") tr.classList.add("ce-audit-no-figures");
    cell(tr, "编号", row.id || "（无编号）", "ce-audit-id");
    cell(tr, "姓名", row.name || "—", "ce-audit-name");
    cell(tr, "结果", STATUS_TEXT[row.status], "ce-audit-status");
    const ok = row.status !== "error";
    cell(tr, "总学时 已计/应修", ok ? pair(row.counted[0], row.required[0]) : "—", "ce-audit-figure");
    cell(tr, "公需学时 已计/应修", ok ? pair(row.counted[1], row.required[1]) : "—", "ce-audit-figure");
    cell(tr, row.status === "error" ? "错误" : "缺口", gap(row), "ce-audit-detail");
    const td = cell(tr, "核查单", "", "ce-audit-print");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "md-button ce-audit-sheet-button";
    button.textContent = "打印";
    button.dataset.index = String(row.index);
    button.setAttribute("aria-label", `打印${row.name || row.id || "该申报人"}的核查单`);
    td.append(button);
    fragment.append(tr);
  }
  body.replaceChildren(fragment);
  const empty = $("ce-audit-empty");
  empty.hidden = rows.length > 0;
  const narrowed = state.search || state.unit !== null || state.program !== null;
  empty.textContent = narrowed
    ? "没有符合条件的申报人。"
    : state.filter === "error"
      ? "没有出错的申报人。"
      : state.filter === "attention"
        ? "没有需关注的申报人：全部达标。"
        : state.filter === "met" ? "没有达标的申报人。" : state.filter === "unmet" ? "没有未达标的申报人。" : "表中没有申报人。";
  $("ce-audit-table").hidden = rows.length === 0;
  $("ce-audit-page").textContent = `第 ${state.page + 1} / ${pages} 页，共 ${rows.length} 人`;
  const prev = $("ce-audit-prev");
  const next = $("ce-audit-next");
  const focused = document.activeElement;
  prev.disabled = state.page === 0;
  next.disabled = state.page >= pages - 1;
  // On the first or the last page the button just pressed is disabled: the focus goes to
  // the other one (enabled, as the press moved away from it), not back to the page's top.
  if ((focused === prev || focused === next) && focused.disabled) (focused === next ? prev : next).focus();
}

function renderCounts() {
  for (const key of Object.keys(state.counts)) $(`ce-audit-count-${key}`).textContent = state.counts[key];
}

// --- running an audit -------------------------------------------------------------------------

function progress(done, total) {
  const percent = total ? Math.round((100 * done) / total) : 0;
  $("ce-audit-run-progress").value = percent;
  $("ce-audit-run-status").textContent = total ? `已核查 ${done} / ${total} 人` : "正在读取文件……";
}

function reading(rows) {
  // How much of the file is read is not known in advance: the bar moves as a whole.
  $("ce-audit-run-progress").removeAttribute("value");
  $("ce-audit-run-status").textContent = `正在读取文件：已读 ${rows} 行……`;
}

/** Audit one file's bytes; `onEvent` sees each slice. Resolves to {csv, summary, run}. */
function audit(fileName, bytes, { keep = false, onEvent = null } = {}) {
  if (!(bytes instanceof Uint8Array)) {
    return Promise.reject(new TypeError("bytes 应为 Uint8Array"));
  }
  return call({ op: "run", name: String(fileName), bytes, keep }, { onEvent });
}

async function runFile(file) {
  if (state.busy) return;
  showError("");
  if (file.size > MAX_BYTES) {
    showError(`文件“${shown(file.name)}”超过 256 MB，未核查。请分成几个文件。`);
    return;
  }
  state.busy = true;
  const input = $("ce-audit-file");
  input.disabled = true;
  if (state.run !== null) call({ op: "close", run: state.run }).catch(() => {});
  Object.assign(state, {
    name: file.name, rows: [], counts: { met: 0, unmet: 0, error: 0 }, total: 0, csv: null, summary: "",
    run: null, page: 0, unit: null, program: null,
  });
  $("ce-audit-sheet").hidden = true;
  $("ce-audit-result").hidden = true;
  $("ce-audit-progress").hidden = false;
  progress(0, 0);
  $("ce-audit-csv").disabled = true;
  $("ce-audit-xlsx").disabled = true;
  $("ce-audit-download-status").textContent = "";
  let shownOnce = false;
  try {
    if ($("ce-audit-engine").classList.contains("ce-ready") === false) {
      $("ce-audit-run-status").textContent = "正在等待核查引擎就绪……";
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const result = await audit(file.name, bytes, {
      keep: true,
      onEvent: ({ done, total, rows, reading: read }) => {
        if (read !== undefined) {
          reading(read);
          return;
        }
        state.total = total;
        for (const row of rows) {
          row.index = state.rows.length;
          state.rows.push(row);
          state.counts[row.status] += 1;
        }
        progress(done, total);
        // The first slice shows at once; later ones only move the counts and the pager.
        if (!shownOnce && rows.length) {
          shownOnce = true;
          $("ce-audit-result").hidden = false;
          $("ce-audit-file-name").textContent = `文件：${shown(file.name)}（正在核查……）`;
        }
        if (shownOnce) {
          renderCounts();
          renderTable();
        }
      },
    });
    Object.assign(state, { csv: result.csv, summary: result.summary, run: result.run });
    fillChoices("ce-audit-unit", "unit", "全部单位");
    fillChoices("ce-audit-program", "program", "全部");
    $("ce-audit-progress").hidden = true;
    $("ce-audit-result").hidden = false;
    $("ce-audit-file-name").textContent = `文件：${shown(file.name)}`;
    $("ce-audit-summary").textContent = result.summary;
    renderCounts();
    renderTable();
    $("ce-audit-csv").disabled = false;
    $("ce-audit-xlsx").disabled = false;
    // The result takes the focus (a keyboard or screen-reader user lands on it), shown
    // below the theme's sticky header (scroll-margin-top, which focus() alone ignores).
    const title = $("ce-audit-result-title");
    title.focus({ preventScroll: true });
    title.scrollIntoView({ block: "start" });
  } catch (error) {
    $("ce-audit-progress").hidden = true;
    $("ce-audit-result").hidden = true;
    showError(error.message);
  } finally {
    state.busy = false;
    input.disabled = false;
    input.value = ""; // choosing the same file again audits it again
  }
}

// --- downloads ---------------------------------------------------------------------------------

function reportName(ext) {
  const stem = state.name.replace(/\.[^.]*$/, "") || "学时";
  return `${stem}-核查结果.${ext}`;
}

function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function downloadCsv() {
  if (state.csv === null) return;
  // The text starts with the BOM, as the CLI's file; a Blob writes it as UTF-8.
  save(new Blob([state.csv], { type: "text/csv;charset=utf-8" }), reportName("csv"));
}

async function downloadXlsx() {
  const button = $("ce-audit-xlsx");
  // Busy, not disabled: a disabled button would drop the keyboard focus to the page.
  if (state.run === null || button.getAttribute("aria-disabled") === "true") return;
  const status = $("ce-audit-download-status");
  button.setAttribute("aria-disabled", "true");
  status.textContent = "正在生成 XLSX 报告……";
  try {
    const bytes = await call({ op: "xlsx", run: state.run });
    save(new Blob([bytes], { type: XLSX_TYPE }), reportName("xlsx"));
    status.textContent = "XLSX 报告已生成。";
  } catch (error) {
    status.textContent = "";
    showError(error.message);
  } finally {
    button.removeAttribute("aria-disabled");
  }
}

// --- the 核查单 of one applicant, printed from the page -------------------------------------------

function sheetRow(body, label, value) {
  const tr = document.createElement("tr");
  const th = document.createElement("th");
  th.scope = "row";
  th.textContent = label;
  const td = document.createElement("td");
  td.textContent = value;
  tr.append(th, td);
  body.append(tr);
}

function notesList(title, items) {
  const box = document.createDocumentFragment();
  if (!items.length) return box;
  const h = document.createElement("h3");
  h.textContent = title;
  const ul = document.createElement("ul");
  for (const item of items) {
    const li = document.createElement("li");
    li.textContent = item;
    ul.append(li);
  }
  box.append(h, ul);
  return box;
}

/** Fill the 核查单 of the applicant at `index` (input order); resolves once it is shown. */
async function showSheet(index) {
  if (state.run === null) return null;
  const data = await call({ op: "sheet", run: state.run, index });
  $("ce-audit-sheet-source").textContent = data.title;
  const head = $("ce-audit-sheet-head");
  head.replaceChildren();
  sheetRow(head, "编号", data.id || "（无编号）");
  sheetRow(head, "姓名", data.name || "—");
  if (data.unit) sheetRow(head, "单位", data.unit);
  sheetRow(head, "拟申报/周期", data.program || "—");
  sheetRow(head, "年度", String(data.year || "—"));
  sheetRow(head, "结论", STATUS_TEXT[data.status]);
  if (data.status !== "error") {
    sheetRow(head, "总学时（已计/应修，差额）", `${pair(data.counted[0], data.required[0])}，差额 ${data.shortfall[0]}`);
    sheetRow(head, "公需学时（已计/应修，差额）", `${pair(data.counted[1], data.required[1])}，差额 ${data.shortfall[1]}`);
    sheetRow(head, "计算窗口", data.window);
    sheetRow(head, "依据", data.basis);
  } else {
    sheetRow(head, "错误", data.error);
  }
  const records = $("ce-audit-sheet-records");
  records.replaceChildren();
  for (const line of data.records) {
    const tr = document.createElement("tr");
    for (const value of line) {
      const td = document.createElement("td");
      td.textContent = value === null || value === undefined ? "" : String(value);
      tr.append(td);
    }
    records.append(tr);
  }
  const notes = $("ce-audit-sheet-notes");
  notes.replaceChildren(notesList("推定", data.assumptions), notesList("提示", data.warnings));
  $("ce-audit-sheet").hidden = false;
  return data;
}

async function printSheet(index) {
  try {
    await showSheet(index);
    document.body.classList.add("ce-audit-printing");
    window.print();
  } catch (error) {
    showError(error.message);
  }
}
window.addEventListener("afterprint", () => document.body.classList.remove("ce-audit-printing"));

// --- wiring ---------------------------------------------------------------------------------

$("ce-audit-file").addEventListener("change", (event) => {
  const file = event.target.files && event.target.files[0];
  if (file) runFile(file);
});
const drop = $("ce-audit-drop");
drop.addEventListener("dragover", (event) => {
  event.preventDefault();
  drop.classList.add("ce-dragging");
});
drop.addEventListener("dragleave", () => drop.classList.remove("ce-dragging"));
drop.addEventListener("drop", (event) => {
  event.preventDefault();
  drop.classList.remove("ce-dragging");
  const file = event.dataTransfer && event.dataTransfer.files[0];
  if (file) runFile(file);
});
$("ce-audit-csv").addEventListener("click", downloadCsv);
$("ce-audit-xlsx").addEventListener("click", downloadXlsx);
document.querySelector(".ce-audit-filter").addEventListener("change", (event) => {
  if (event.target.name !== "ce-audit-filter") return;
  state.filter = event.target.value;
  state.page = 0;
  renderTable();
});
$("ce-audit-search").addEventListener("input", (event) => {
  state.search = event.target.value.trim().toLowerCase();
  state.page = 0;
  renderTable();
});
for (const [id, key] of [["ce-audit-unit", "unit"], ["ce-audit-program", "program"]]) {
  $(id).addEventListener("change", (event) => {
    const value = event.target.value;
    state[key] = value === "" ? null : value.slice(1);
    state.page = 0;
    renderTable();
  });
}
$("ce-audit-sort").addEventListener("change", (event) => {
  state.sort = event.target.value in SORTS ? event.target.value : "input";
  state.page = 0;
  renderTable();
});
$("ce-audit-rows").addEventListener("click", (event) => {
  const button = event.target.closest("button.ce-audit-sheet-button");
  if (button) printSheet(Number(button.dataset.index));
});
$("ce-audit-prev").addEventListener("click", () => {
  state.page -= 1;
  renderTable();
});
$("ce-audit-next").addEventListener("click", () => {
  state.page += 1;
  renderTable();
});

window.ceAudit = Object.freeze({
  ready,
  /** `ceportal audit FILE -o report.csv` in the browser: resolves to {csv, summary}. */
  run: (fileName, bytes) => audit(fileName, bytes).then(({ csv, summary }) => ({ csv, summary })),
  /** The 核查单 of the page's audit's applicant at `index` (input order), shown for print. */
  sheet: (index) => showSheet(index),
});
