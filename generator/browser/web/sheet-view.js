// The print view: a 学时自查表 to sign and hand in, from the store's last result and
// the visitor's personal fields. Shown only when printing (calculator.css).

import { $, el } from "./dom.js";
import { dateText, notCounted, shortfallText, span, subject, warningsByRecord } from "./format.js";

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
    const records = request.records.map((record, i) => {
      const notes = [];
      if (reasons.has(i)) notes.push(`不计入：${reasons.get(i)}`);
      for (const text of warned.get(i) || []) if (reasons.get(i) !== text) notes.push(`提示：${text}`);
      return row([
        i + 1,
        record.year,
        names.modules[record.module] || record.module,
        record.hours,
        courseText(record),
        notes.length ? notes.join("；") : "计入",
      ]);
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
    const assumptions = response.assumptions || [];
    if (assumptions.length) {
      const list = el("ul", "ce-sheet-assumptions");
      for (const a of assumptions) list.append(el("li", null, a.text));
      parts.push(el("p", "ce-sheet-label", "本结果所依据的推定（通知未明确规定之处）："), list);
    }
    parts.push(
      table("ce-sheet-records", ["序号", "年度", "类别", "学时", "课程 / 说明", "是否计入"], records),
      el("p", "ce-sheet-date", `自查日期：${dateText(today())}`),
    );
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
