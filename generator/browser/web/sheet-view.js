// The print view: a 学时自查表 to sign and hand in, from the store's last result and
// the visitor's personal fields. Shown only when printing (calculator.css).

import { $, el } from "./dom.js";
import {
  classDates,
  coversText,
  dateText,
  notCounted,
  shortfallText,
  span,
  subject,
  suggestionText,
  warningsByRecord,
  withPlannedText,
} from "./format.js";

function row(cells, header) {
  const tr = document.createElement("tr");
  for (const cell of cells) tr.append(el(header ? "th" : "td", null, String(cell)));
  return tr;
}

function table(className, head, rows) {
  const out = el("table", className);
  if (head) {
    const thead = document.createElement("thead");
    thead.append(row(head, true));
    out.append(thead);
  }
  const body = document.createElement("tbody");
  body.append(...rows);
  out.append(body);
  return out;
}

function personTable(person) {
  const pair = (label, value) => [el("th", null, label), el("td", "ce-sheet-fill", value || "")];
  const tr1 = document.createElement("tr");
  tr1.append(...pair("姓名", person.name), ...pair("工作单位", person.unit));
  const tr2 = document.createElement("tr");
  tr2.append(...pair("专业", person.specialty), ...pair("现任职称", person.title));
  return table("ce-sheet-person", null, [tr1, tr2]);
}

// "E-M11 精密制造与检测技术（2010年度目录）": the label, and which catalog the course is from.
function courseText(record) {
  const label = typeof record.label === "string" ? record.label : "";
  if (typeof record.course !== "string" || !record.course) return label;
  const [year, code] = record.course.split("/");
  return `${label.startsWith(code) ? label : [code, label].filter(Boolean).join(" ")}（${year}年度目录）`;
}

// 报名计划: the classes the planner suggests, one line each, as the page's cards say.
function planPart(plan, names) {
  const classes = plan && Array.isArray(plan.classes) ? plan.classes : [];
  if (!classes.length) return [];
  const list = el("ol", "ce-sheet-plan");
  for (const c of classes) {
    const where = c.location ? `，${c.location}` : "";
    const contact = c.contact ? `，报名联系：${c.contact}` : "";
    const courses = c.courses.map((course) => suggestionText(course, names)).join("、");
    list.append(
      el("li", null, `${c.name}：报名截止 ${dateText(c.registration_closes)}，${classDates(c)}${where}${contact}；可补 ${coversText(c.covers)}（${courses}）`),
    );
  }
  const total = `报名计划（按上述办班参加后可补 ${coversText(plan.covers)}${plan.met_after ? "，即可达标" : ""}）：`;
  return [el("p", "ce-sheet-label", total), list];
}

export function sheetView(store, names, today) {
  const body = $("ce-sheet-body");

  function render(state) {
    const result = state.result;
    if (!result || !result.response) {
      body.replaceChildren(el("h2", null, "继续教育学时自查表"), el("p", null, "尚未核算：请先在页面上点击“核算”。"));
      return;
    }
    const { request, response } = result;
    // What the visitor typed; else what the self-check itself says (the chosen specialty,
    // the title the promotion starts from or the cycle's title).
    const held = request.kind === "cycle" ? names.titles[request.title] : names.currentTitles[request.target];
    const person = {
      ...state.prefs.person,
      specialty: state.prefs.person.specialty || names.specialties[state.prefs.specialty] || "",
      title: state.prefs.person.title || held || "",
    };
    const { required, counted, shortfall } = response;
    const summary = table("ce-sheet-summary", ["项目", "要求", "已计入", "尚差"], [
      row(["总学时", required.total, counted.total, shortfall.total]),
      row(["公共必修课", required.public || "未单列", counted.public, required.public ? shortfall.public : "—"]),
    ]);
    const reasons = notCounted(request, response);
    const warned = warningsByRecord(response);
    const planned = new Set(response.planned || []);
    const records = [];
    const plannedRows = [];
    request.records.forEach((record, i) => {
      if (planned.has(i)) {
        const cells = [i + 1, record.year, names.modules[record.module] || record.module, record.hours, courseText(record)];
        plannedRows.push(row([...cells, "计划，未计入"]));
        return;
      }
      const notes = [];
      if (reasons.has(i)) notes.push(`不计入：${reasons.get(i)}`);
      for (const text of warned.get(i) || []) if (reasons.get(i) !== text) notes.push(`提示：${text}`);
      records.push(
        row([
          i + 1,
          record.year,
          names.modules[record.module] || record.module,
          record.hours,
          courseText(record),
          notes.length ? notes.join("；") : "计入",
        ]),
      );
    });
    const parts = [
      el("h2", null, "继续教育学时自查表"),
      el("p", "ce-sheet-subject", subject(request, names)),
      personTable(person),
      summary,
      el(
        "p",
        null,
        `结论：${response.met ? "达标" : `未达标（${shortfallText(shortfall)}）`}。计算窗口：${span(response.window.from, response.window.to)}。`,
      ),
      el("p", "ce-sheet-basis", `依据：${response.basis}`),
    ];
    for (const reading of response.readings || []) parts.push(el("p", "ce-sheet-reading", `另一种理解：${reading.text}。`));
    const assumptions = response.assumptions || [];
    if (assumptions.length) {
      const list = el("ul", "ce-sheet-assumptions");
      for (const a of assumptions) list.append(el("li", null, a.text));
      parts.push(el("p", "ce-sheet-label", "本结果所依据的推定（通知未明确规定之处）："), list);
    }
    const head = ["序号", "年度", "类别", "学时", "课程 / 说明", "是否计入"];
    parts.push(table("ce-sheet-records", head, records));
    if (plannedRows.length) {
      parts.push(
        el("p", "ce-sheet-label", `计划中的学时（尚未完成，不计入上述结果）。${withPlannedText(response)}`),
        table("ce-sheet-records ce-sheet-planned", head, plannedRows),
      );
    }
    parts.push(...planPart(result.plan, names), el("p", "ce-sheet-date", `自查日期：${dateText(today())}`));
    const sign = el("div", "ce-sheet-sign");
    sign.append(
      el("p", null, "本人签名：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日"),
      el("p", "ce-sheet-review", "单位审核意见："),
      el("p", null, "审核人：＿＿＿＿＿＿＿＿　　（单位盖章）　　日期：＿＿＿＿年＿＿月＿＿日"),
    );
    parts.push(sign, el("p", "ce-sheet-foot", "本表由学时自查页面生成，仅供自查参考，以审核部门核定为准。"));
    body.replaceChildren(...parts);
  }

  // The sheet is only seen on paper: it is rendered in a task of its own after a change
  // (a long list then does not hold up the result), and at once before printing.
  let dirty = true;
  let timer = null;
  const flush = () => {
    clearTimeout(timer);
    timer = null;
    if (dirty) render(store.get());
    dirty = false;
  };
  store.subscribe((_state, change) => {
    if (change !== "result" && change !== "prefs") return;
    dirty = true;
    timer ??= setTimeout(flush, 0);
  });
  window.addEventListener("beforeprint", flush);
  window.matchMedia("print").addEventListener("change", (event) => event.matches && flush());
  flush();
}
