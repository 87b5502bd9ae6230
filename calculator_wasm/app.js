// The hours self-check page (/calculator/). The rules themselves run in Python
// (generator.rules, in Pyodide, in worker.js, started by engine.js); this module is
// the form around them: it builds the request (DESIGN.md, `ceportal hours`), shows
// the response, and keeps the work in localStorage, a JSON file or a #r= link.
//
// Public API (DESIGN.md): window.ceHours.ready, window.ceHours.evaluate(request),
// published by engine.js. User text only ever reaches the page through textContent
// and DOM properties.

// The engine module the page started from <head>: the same URL (engine.js?v=<digest>),
// hence the same instance and the same worker.
const engineScript = document.querySelector('script[type="module"][src^="engine.js"]');
const { EngineRefused, checkedFetch, evaluate, failure, onStatus } = await import(engineScript.src);

const root = document.getElementById("ce-hours");
const MODULES = JSON.parse(root.dataset.modules);
const STORAGE_KEY = "ceportal.hours.v1";
const MAX_IMPORT_BYTES = 1024 * 1024;
const $ = (id) => document.getElementById(id);

// --- the engine's progress -------------------------------------------------------

function showEngine({ state, percent, text }) {
  $("ce-engine-progress").value = percent;
  $("ce-engine-status").textContent = text;
  $("ce-engine").classList.toggle("ce-ready", state === "ready");
  $("ce-engine").classList.toggle("ce-failed", state === "failed");
  if (state === "failed") showNotice(text);
}

// --- messages next to fields ----------------------------------------------------

function showNotice(text) {
  const notice = $("ce-notice");
  notice.textContent = text;
  notice.hidden = false;
}

function announce(text) {
  $("ce-live").textContent = text;
}

function setError(field, text) {
  const box = $(`${field.id}-error`);
  box.textContent = text;
  box.hidden = false;
  if (field.setAttribute) field.setAttribute("aria-invalid", "true");
}

function setBoxError(id, text) {
  const box = $(id);
  box.textContent = text;
  box.hidden = !text;
}

function clearErrors() {
  for (const box of root.querySelectorAll("#ce-form .ce-error")) {
    box.textContent = "";
    box.hidden = true;
  }
  for (const field of root.querySelectorAll("#ce-form [aria-invalid]")) {
    field.removeAttribute("aria-invalid");
  }
}

// --- numbers as people type them ---------------------------------------------------

// Full-width digits and point (typed with a Chinese input method) count as digits.
function normalise(text) {
  return String(text)
    .trim()
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[．。]/g, ".")
    .replace(/[－]/g, "-");
}

// A number, or the text as typed when it is not one (the request keeps it; the
// message says what is wrong).
function parseNumber(text) {
  const t = normalise(text);
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t) ? Number(t) : t;
}

function shown(value) {
  const text = String(value);
  return text.length > 20 ? `${text.slice(0, 20)}…` : text;
}

function numberProblem(value, what) {
  if (value === "") return `请填写${what}`;
  if (typeof value !== "number") return `${what}必须是数字，收到“${shown(value)}”`;
  return null;
}

// --- records -------------------------------------------------------------------------

const recordList = $("ce-record-list");
let rowSerial = 0;

function field(labelText, control) {
  const box = document.createElement("div");
  box.className = "ce-field";
  const label = document.createElement("label");
  label.htmlFor = control.id;
  label.textContent = labelText;
  const error = document.createElement("p");
  error.className = "ce-error";
  error.id = `${control.id}-error`;
  error.hidden = true;
  control.setAttribute("aria-describedby", error.id);
  box.append(label, control, error);
  return box;
}

function textInput(id, value, mode) {
  const input = document.createElement("input");
  input.type = "text";
  input.id = id;
  input.autocomplete = "off";
  if (mode) input.inputMode = mode;
  input.value = value === undefined || value === null ? "" : String(value);
  return input;
}

function addRecordRow(record = {}) {
  const n = ++rowSerial;
  const item = document.createElement("li");
  item.className = "ce-record";
  const group = document.createElement("fieldset");
  const legend = document.createElement("legend");
  group.append(legend);

  const year = textInput(`ce-r${n}-year`, record.year, "numeric");
  const module = document.createElement("select");
  module.id = `ce-r${n}-module`;
  for (const [id, name] of Object.entries(MODULES)) {
    module.append(new Option(name, id));
  }
  module.value = record.module in MODULES ? record.module : "elective";
  const hours = textInput(`ce-r${n}-hours`, record.hours, "decimal");
  const label = textInput(`ce-r${n}-label`, record.label, null);
  const remove = document.createElement("button");
  remove.type = "button";
  remove.className = "ce-button ce-remove";
  remove.textContent = "删除";
  remove.addEventListener("click", () => removeRecordRow(item));

  group.append(
    field("学习年度", year),
    field("类别", module),
    field("学时", hours),
    field("说明（可选）", label),
    remove,
  );
  item.append(group);
  item.ceFields = { year, module, hours, label, remove, legend };
  recordList.append(item);
  renumber();
  return item;
}

function removeRecordRow(item) {
  const rows = [...recordList.children];
  const index = rows.indexOf(item);
  item.remove();
  renumber();
  save();
  const next = recordList.children[index] || recordList.children[index - 1];
  (next ? next.ceFields.remove : $("ce-add-other")).focus();
  announce(`已删除第 ${index + 1} 条记录`);
}

function renumber() {
  [...recordList.children].forEach((item, i) => {
    item.ceFields.legend.textContent = `第 ${i + 1} 条`;
    item.ceFields.remove.setAttribute("aria-label", `删除第 ${i + 1} 条记录`);
  });
  $("ce-records-empty").hidden = recordList.children.length > 0;
}

// --- the form <-> the request ----------------------------------------------------------

function kind() {
  return $("ce-kind-cycle").checked ? "cycle" : "promotion";
}

function showKind() {
  const cycle = kind() === "cycle";
  $("ce-cycle").hidden = !cycle;
  $("ce-promotion").hidden = cycle;
}

// The request the form describes, and the problems only the form can see (text
// where a number belongs). Everything else is judged by the rules.
function formRequest() {
  const problems = [];
  const number = (input, what) => {
    const value = parseNumber(input.value);
    const problem = numberProblem(value, what);
    if (problem) problems.push([input, problem]);
    return value;
  };
  let request;
  if (kind() === "promotion") {
    request = {
      kind: "promotion",
      target: $("ce-target").value,
      year: number($("ce-promotion-year"), "申报年度"),
    };
  } else {
    request = {
      kind: "cycle",
      title: $("ce-title").value,
      cycle_start: number($("ce-cycle-start"), "周期起始年度"),
      year: number($("ce-cycle-year"), "验审年度"),
    };
  }
  request.records = [...recordList.children].map((item) => {
    const f = item.ceFields;
    const record = {
      year: number(f.year, "学习年度"),
      module: f.module.value,
      hours: number(f.hours, "学时"),
    };
    const label = f.label.value.trim();
    if (label) record.label = label;
    return record;
  });
  return { request, problems };
}

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

// What a saved, imported or shared request must look like to be put in the form.
function shapeProblem(data) {
  if (!isObject(data)) return "内容不是学时自查记录（应为 JSON 对象）";
  if (data.kind !== "promotion" && data.kind !== "cycle") {
    return "内容不是学时自查记录（kind 应为 promotion 或 cycle）";
  }
  if (!Array.isArray(data.records)) return "内容不是学时自查记录（缺少 records 列表）";
  if (!data.records.every(isObject)) return "内容不是学时自查记录（records 中每一项都应为对象）";
  return null;
}

function text(value) {
  return value === undefined || value === null ? "" : String(value);
}

function selectValue(select, value) {
  if ([...select.options].some((o) => o.value === value)) select.value = value;
}

function fillForm(request) {
  clearErrors();
  $(request.kind === "cycle" ? "ce-kind-cycle" : "ce-kind-promotion").checked = true;
  showKind();
  if (request.kind === "cycle") {
    selectValue($("ce-title"), request.title);
    $("ce-cycle-start").value = text(request.cycle_start);
    $("ce-cycle-year").value = text(request.year);
  } else {
    selectValue($("ce-target"), request.target);
    $("ce-promotion-year").value = text(request.year);
  }
  recordList.replaceChildren();
  rowSerial = 0; // no row is left, so ids can start again
  for (const record of request.records) {
    addRecordRow({
      year: record.year,
      module: record.module,
      hours: record.hours,
      label: typeof record.label === "string" ? record.label : "",
    });
  }
  renumber();
}

// --- localStorage ------------------------------------------------------------------------

function save() {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(formRequest().request));
  } catch {
    // Storage full or disabled (private mode): the page still works, it just forgets.
  }
}

function restoreSaved() {
  let raw = null;
  try {
    raw = localStorage.getItem(STORAGE_KEY);
  } catch {
    return false;
  }
  if (raw === null) return false;
  let data;
  let problem;
  try {
    data = JSON.parse(raw);
    problem = shapeProblem(data);
  } catch {
    problem = "不是有效的 JSON";
  }
  if (problem) {
    showNotice(`本机保存的自查记录已损坏（${problem}），已忽略并清除。`);
    try {
      localStorage.removeItem(STORAGE_KEY);
    } catch {
      // nothing more to do
    }
    return false;
  }
  fillForm(data);
  return true;
}

// --- share link (#r=) ----------------------------------------------------------------------

function toBase64url(textValue) {
  const bytes = new TextEncoder().encode(textValue);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(value) {
  if (!/^[A-Za-z0-9_-]*$/.test(value)) throw new Error("含有无效字符");
  const b64 = value.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(b64 + "===".slice((b64.length + 3) % 4));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}

function shareLink(request) {
  const url = new URL(location.href);
  url.hash = `r=${toBase64url(JSON.stringify(request))}`;
  return url.href;
}

// The request in the fragment, null when there is none; a broken one is explained.
function sharedRequest() {
  const hash = location.hash;
  if (!hash.startsWith("#r=")) return null;
  let problem;
  let data;
  try {
    data = JSON.parse(fromBase64url(hash.slice(3)));
    problem = shapeProblem(data);
  } catch {
    problem = "无法解码";
  }
  if (problem) {
    setBoxError("ce-share-error", `分享链接已损坏，无法打开（${problem}）。请向分享者重新索取链接。`);
    return null;
  }
  setBoxError("ce-share-error", "");
  return data;
}

// --- results ---------------------------------------------------------------------------

function el(tag, className, content) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (content !== undefined) node.textContent = content;
  return node;
}

function span(from, to) {
  return from === to ? `${from}年度` : `${from}—${to}年度`;
}

function describeRecord(record, index) {
  const label = typeof record.label === "string" && record.label ? `，${record.label}` : "";
  return `第 ${index + 1} 条（${record.year}年度，${MODULES[record.module] || record.module}，${record.hours}学时${label}）`;
}

function ignoredReason(request, response, record) {
  const { from, to } = response.window;
  if (record.year < from || record.year > to) return `不在计算窗口内（${span(from, to)}）`;
  return `晚于验审年度（${request.year}年度），尚不计入`;
}

function subject(request) {
  if (request.kind === "cycle") {
    const title = $("ce-title").selectedOptions[0];
    return `周期验审：${title ? title.textContent : request.title}，周期自${request.cycle_start}年度起，截至${request.year}年度`;
  }
  const target = $("ce-target").selectedOptions[0];
  return `申报晋升：${target ? target.textContent : request.target}，${request.year}年度`;
}

function quota(id, name, required, counted, shortfall) {
  const box = el("div", "ce-quota");
  const heading = el("h3", null, name);
  heading.id = `${id}-title`;
  box.append(heading);
  if (!required) {
    box.append(el("p", null, `已计入 ${counted} 学时；未单列${name}要求。`));
    return box;
  }
  const bar = document.createElement("progress");
  bar.id = `${id}-bar`;
  bar.max = required;
  bar.value = Math.min(counted, required);
  bar.setAttribute("aria-labelledby", heading.id);
  const met = shortfall === 0;
  const figures = el(
    "p",
    "ce-figures",
    met
      ? `已计入 ${counted} 学时 / 要求 ${required} 学时`
      : `已计入 ${counted} 学时 / 要求 ${required} 学时，尚差 ${shortfall} 学时`,
  );
  figures.id = `${id}-figures`;
  bar.setAttribute("aria-describedby", figures.id);
  const badge = el("span", met ? "ce-badge ce-met" : "ce-badge ce-unmet", met ? "达标" : "未达标");
  figures.append(" ", badge);
  box.append(bar, figures);
  return box;
}

let firstResult = true;

function renderResult(request, response) {
  const body = $("ce-result-body");
  const verdict = el("p", response.met ? "ce-verdict ce-met" : "ce-verdict ce-unmet");
  verdict.id = "ce-verdict";
  verdict.append(el("strong", null, response.met ? "达标" : "未达标"), `　${subject(request)}`);
  const parts = [
    verdict,
    quota("ce-total", "总学时", response.required.total, response.counted.total, response.shortfall.total),
    quota("ce-public", "公共必修课", response.required.public, response.counted.public, response.shortfall.public),
    el("p", "ce-window", `计算窗口：${span(response.window.from, response.window.to)}`),
    el("p", "ce-basis", `依据：${response.basis}`),
  ];
  if (response.ignored.length) {
    parts.push(el("h3", null, "未计入的记录"));
    const list = el("ul", "ce-ignored");
    for (const index of response.ignored) {
      const record = request.records[index];
      list.append(el("li", null, `${describeRecord(record, index)}：${ignoredReason(request, response, record)}`));
    }
    parts.push(list);
  }
  body.replaceChildren(...parts);
  renderPlan(request, response);
  renderSheet(request, response);
  if (firstResult) {
    firstResult = false;
    performance.mark("ce-first-result");
  }
}

function showRequestError(message) {
  // "<path>: <problem>" (str(RequestError)); put the problem next to its field.
  const match = /^(records\[(\d+)\]\.(year|module|hours|label)|year|target|title|cycle_start)?: (.*)$/s.exec(
    message,
  );
  let target = null;
  let problem = message;
  if (match && match[1]) {
    problem = match[4];
    if (match[2] !== undefined) {
      const row = recordList.children[Number(match[2])];
      target = row ? row.ceFields[match[3]] : null;
    } else if (match[1] === "year") {
      target = $(kind() === "cycle" ? "ce-cycle-year" : "ce-promotion-year");
    } else {
      target = $({ target: "ce-target", title: "ce-title", cycle_start: "ce-cycle-start" }[match[1]]);
    }
  } else if (/^records(\[|:)/.test(message)) {
    setBoxError("ce-records-error", message.replace(/^records: /, ""));
    return;
  }
  if (target) {
    setError(target, problem);
    target.focus();
  } else {
    setBoxError("ce-form-error", message);
  }
  $("ce-result-body").replaceChildren(el("p", "ce-hint", "请先更正表格中标出的问题。"));
}

async function check() {
  clearErrors();
  const { request, problems } = formRequest();
  save();
  if (problems.length) {
    for (const [input, problem] of problems) setError(input, problem);
    problems[0][0].focus();
    $("ce-result-body").replaceChildren(el("p", "ce-hint", "请先更正表格中标出的问题。"));
    return;
  }
  if (!failure()) {
    $("ce-result-body").replaceChildren(el("p", "ce-hint", "正在核算……（计算引擎加载完成后显示结果）"));
  }
  try {
    const response = await evaluate(request);
    renderResult(request, response);
  } catch (error) {
    if (error instanceof EngineRefused) {
      $("ce-result-body").replaceChildren(el("p", "ce-message", error.message));
    } else {
      showRequestError(error.message);
    }
  }
}

// --- the gap planner --------------------------------------------------------------------

let catalogs = null; // {years: [...]} once loaded

function sum(values) {
  // Halves and quarters add exactly; round away float noise in anything else.
  return Math.round(values.reduce((a, b) => a + b, 0) * 1000) / 1000;
}

function renderPlan(request, response) {
  const section = $("ce-plan");
  const body = $("ce-plan-body");
  const { total, public: pub } = response.shortfall;
  if (response.met || !catalogs || !catalogs.years.length) {
    section.hidden = true;
    body.replaceChildren();
    return;
  }
  const latest = catalogs.years[catalogs.years.length - 1];
  const publicFirst = [
    ...latest.courses.filter((c) => c.module === "public"),
    ...latest.courses.filter((c) => c.module !== "public"),
  ];
  // Public courses first until the public quota is met, then any course (public
  // first) until the total is met.
  const picks = [];
  let needPublic = pub;
  let needTotal = total;
  for (const course of publicFirst) {
    if (needPublic <= 0) break;
    if (course.module !== "public") continue;
    picks.push(course);
    needPublic = sum([needPublic, -course.hours]);
    needTotal = sum([needTotal, -course.hours]);
  }
  for (const course of publicFirst) {
    if (needTotal <= 0) break;
    if (picks.includes(course)) continue;
    picks.push(course);
    needTotal = sum([needTotal, -course.hours]);
  }
  const parts = [
    el(
      "p",
      null,
      `按${latest.year}年度课程目录，尚差总学时 ${total} 学时` +
        (pub ? `（其中公共必修课 ${pub} 学时）` : "") +
        "，可选修以下课程（公共必修课优先）：",
    ),
  ];
  const { from, to } = response.window;
  if (latest.year < from || latest.year > to) {
    parts.push(
      el("p", "ce-hint", `注意：${latest.year}年度的学时不在本次计算窗口（${span(from, to)}）内，仅供以后申报或验审参考。`),
    );
  }
  if (picks.length) {
    const list = el("ul", "ce-plan-courses");
    for (const c of picks) {
      list.append(el("li", null, `${c.code} ${c.title}（${c.hours}学时，${MODULES[c.module] || c.module}）`));
    }
    parts.push(list, el("p", null, `以上课程合计 ${sum(picks.map((c) => c.hours))} 学时。`));
  }
  if (needPublic > 0 || needTotal > 0) {
    parts.push(
      el(
        "p",
        "ce-hint",
        `本年度目录的课程不足以补齐差额：仍差总学时 ${Math.max(0, needTotal)} 学时` +
          (needPublic > 0 ? `、公共必修课 ${needPublic} 学时` : "") +
          "，可通过其他形式（专业学历教育、研修、课题研究等）取得。",
      ),
    );
  }
  const codes = new Set(picks.map((c) => c.code));
  const today = new Date();
  const todayText = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, "0")}-${String(today.getDate()).padStart(2, "0")}`;
  const classes = latest.classes
    .filter((s) => s.end >= todayText && s.courses.some((code) => codes.has(code)))
    .sort((a, b) => (a.registration_closes || a.start).localeCompare(b.registration_closes || b.start));
  if (classes.length) {
    parts.push(el("h3", null, "近期开班"));
    const list = el("ul", "ce-plan-classes");
    for (const s of classes) {
      const where = s.location ? `，${s.location}` : "";
      const closes = s.registration_closes ? `，报名截止 ${s.registration_closes}` : "";
      const courses = s.courses.filter((code) => codes.has(code)).join("、");
      list.append(el("li", null, `${s.name}（${s.start} 至 ${s.end}${where}${closes}；含 ${courses}）`));
    }
    parts.push(list);
  }
  body.replaceChildren(...parts);
  section.hidden = false;
}

// --- the print sheet (学时自查表) --------------------------------------------------------

function row(cells, header) {
  const tr = document.createElement("tr");
  for (const cell of cells) tr.append(el(header ? "th" : "td", null, String(cell)));
  return tr;
}

function renderSheet(request, response) {
  const table = el("table", "ce-sheet-records");
  const head = document.createElement("thead");
  head.append(row(["序号", "年度", "类别", "学时", "说明", "是否计入"], true));
  const body = document.createElement("tbody");
  request.records.forEach((record, i) => {
    body.append(
      row([
        i + 1,
        record.year,
        MODULES[record.module] || record.module,
        record.hours,
        record.label || "",
        response.ignored.includes(i) ? "不计入" : "计入",
      ]),
    );
  });
  table.append(head, body);
  const summary = el(
    "p",
    null,
    `总学时：已计入 ${response.counted.total} / 要求 ${response.required.total}；` +
      `公共必修课：已计入 ${response.counted.public} / 要求 ${response.required.public}；` +
      `结论：${response.met ? "达标" : "未达标"}`,
  );
  $("ce-sheet-body").replaceChildren(
    el("p", null, subject(request)),
    table,
    summary,
    el("p", null, `依据：${response.basis}`),
    el("p", "ce-hint", "本表由学时自查页面生成，仅供自查参考，以审核部门核定为准。"),
  );
}

// --- the course picker ---------------------------------------------------------------------

function fillCourses() {
  const select = $("ce-pick-course");
  select.replaceChildren();
  const year = catalogs && catalogs.years.find((y) => String(y.year) === $("ce-pick-year").value);
  if (!year) return;
  for (const c of year.courses) {
    select.append(new Option(`${c.code} ${c.title}（${c.hours}学时，${MODULES[c.module] || c.module}）`, c.code));
  }
}

async function loadCatalogs() {
  try {
    const response = await checkedFetch("catalogs.json");
    catalogs = await response.json();
  } catch (error) {
    setBoxError("ce-pick-error", `课程目录加载失败：${error.message}`);
    return;
  }
  const years = $("ce-pick-year");
  for (const y of [...catalogs.years].reverse()) years.append(new Option(`${y.year}年度`, String(y.year)));
  if (!catalogs.years.length) setBoxError("ce-pick-error", "暂无课程目录，请用“添加其他学时”填写。");
  fillCourses();
}

function addPicked() {
  setBoxError("ce-pick-error", "");
  const year = catalogs && catalogs.years.find((y) => String(y.year) === $("ce-pick-year").value);
  const course = year && year.courses.find((c) => c.code === $("ce-pick-course").value);
  if (!course) {
    setBoxError("ce-pick-error", catalogs ? "请先选择一门课程。" : "课程目录尚未加载完成，请稍候。");
    return;
  }
  addRecordRow({ year: year.year, module: course.module, hours: course.hours, label: `${course.code} ${course.title}` });
  save();
  announce(`已添加第 ${recordList.children.length} 条记录：${course.title}，${course.hours}学时`);
}

// --- export / import ----------------------------------------------------------------------------

function exportFile() {
  const blob = new Blob([`${JSON.stringify(formRequest().request, null, 2)}\n`], { type: "application/json" });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = "学时自查.json";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

async function importFile() {
  const input = $("ce-import");
  const file = input.files && input.files[0];
  setBoxError("ce-import-error", "");
  if (!file) return;
  try {
    if (file.size > MAX_IMPORT_BYTES) {
      setBoxError("ce-import-error", `文件“${shown(file.name)}”超过 1 MB，未导入。`);
      return;
    }
    let data;
    try {
      data = JSON.parse(await file.text());
    } catch {
      setBoxError("ce-import-error", `文件“${shown(file.name)}”不是有效的 JSON，未导入。`);
      return;
    }
    const problem = shapeProblem(data);
    if (problem) {
      setBoxError("ce-import-error", `文件“${shown(file.name)}”${problem}，未导入。`);
      return;
    }
    fillForm(data);
    save();
    announce(`已导入 ${data.records.length} 条学时记录`);
    check();
  } finally {
    input.value = ""; // choosing the same file again re-imports it
  }
}

// --- wiring ---------------------------------------------------------------------------------------

function openShared() {
  const shared = sharedRequest();
  if (!shared) return false;
  fillForm(shared);
  save();
  // The link has done its job: from now on the saved copy (with any edits) is what a
  // reload restores.
  history.replaceState(null, "", location.pathname + location.search);
  check();
  return true;
}

function main() {
  onStatus(showEngine);
  loadCatalogs();
  const form = $("ce-form");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    check();
  });
  form.addEventListener("change", save);
  form.addEventListener("input", save);
  for (const radio of form.querySelectorAll('input[name="kind"]')) {
    radio.addEventListener("change", showKind);
  }
  $("ce-pick-year").addEventListener("change", fillCourses);
  $("ce-pick-add").addEventListener("click", addPicked);
  $("ce-add-other").addEventListener("click", () => {
    const item = addRecordRow({});
    item.ceFields.year.focus();
    save();
  });
  $("ce-export").addEventListener("click", exportFile);
  $("ce-import").addEventListener("change", importFile);
  $("ce-share-make").addEventListener("click", () => {
    const link = $("ce-share-link");
    link.value = shareLink(formRequest().request);
    link.focus();
    link.select();
    announce("分享链接已生成，可复制后发送");
  });
  $("ce-print").addEventListener("click", () => window.print());
  $("ce-clear").addEventListener("click", () => {
    fillForm({ kind: "promotion", records: [] });
    for (const id of ["ce-notice", "ce-import-error", "ce-share-error", "ce-pick-error"]) {
      $(id).hidden = true;
      $(id).textContent = "";
    }
    $("ce-share-link").value = "";
    $("ce-target").selectedIndex = 0;
    $("ce-result-body").replaceChildren(el("p", "ce-hint", "填写后点击“核算”，结果显示在这里。"));
    $("ce-plan").hidden = true;
    $("ce-sheet-body").replaceChildren();
    save();
    announce("已清空");
  });
  window.addEventListener("hashchange", () => {
    if (location.hash.startsWith("#r=")) openShared();
  });
  showKind();
  renumber();
  if (!openShared() && restoreSaved()) check();
}

main();
