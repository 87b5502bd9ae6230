// The result (核算结果) and, right under the verdict, the gap planner's classes to book
// (报名建议: one card per class, DESIGN.md "ceportal plan" v3), from the store's last
// result. The quota blocks come from a <template>.

import { $, announce, el, fromTemplate } from "./dom.js";
import {
  classDates,
  contactParts,
  coversText,
  dateText,
  deadlineStatus,
  describeRecord,
  levelText,
  notCounted,
  planHeading,
  quotaText,
  span,
  subject,
  suggestionText,
  withPlannedText,
} from "./format.js";

function quota(id, name, required, counted, shortfall) {
  if (!required) {
    const box = el("div", "ce-quota");
    box.append(el("h3", null, name), el("p", null, `已计入 ${counted} 学时；未单列${name}要求。`));
    return box;
  }
  const box = fromTemplate("ce-quota-template");
  const heading = box.querySelector("h3");
  heading.id = `${id}-title`;
  heading.textContent = name;
  const bar = box.querySelector("progress");
  bar.id = `${id}-bar`;
  bar.max = required;
  bar.value = Math.min(counted, required);
  bar.setAttribute("aria-labelledby", heading.id);
  const figures = box.querySelector(".ce-figures");
  figures.id = `${id}-figures`;
  bar.setAttribute("aria-describedby", figures.id);
  box.querySelector(".ce-figures-text").textContent = quotaText(required, counted, shortfall);
  const badge = box.querySelector(".ce-badge");
  badge.textContent = shortfall === 0 ? "达标" : "未达标";
  badge.classList.add(shortfall === 0 ? "ce-met" : "ce-unmet");
  return box;
}

/** The assumptions a result rests on, and the rules' warnings (both may be absent). */
export function caveats(request, response, names) {
  const parts = [];
  const assumptions = response.assumptions || [];
  if (assumptions.length) {
    parts.push(el("h3", null, "本结果所依据的推定"));
    const list = el("ul", "ce-assumptions");
    for (const a of assumptions) list.append(el("li", null, a.text));
    parts.push(list);
  }
  // A warned record that did not count is explained under 未计入的记录 instead.
  const warnings = (response.warnings || []).filter((w) => !response.ignored.includes(w.record));
  if (warnings.length) {
    parts.push(el("h3", null, "提示"));
    const list = el("ul", "ce-warnings");
    for (const w of warnings) {
      list.append(el("li", null, `${describeRecord(request.records[w.record], w.record, names)}：${w.text}`));
    }
    parts.push(list);
  }
  return parts;
}

/** A link with text; just the text when there is nowhere to link (`href` null). */
function link(href, text, className) {
  if (!href) return el("span", className && className.replace("ce-button", "").trim(), text);
  const a = el("a", className, text);
  a.href = href;
  return a;
}

/** The site's URL `names.links[which]` for a year and a code, or null when the page was
 * built without the site around it (calculator_page.files' `site`). */
function linkTo(names, which, { year = "", code = "" }) {
  const pattern = names.links && names.links[which];
  if (!pattern) return null;
  return pattern.replace("{year}", encodeURIComponent(year)).replace("{code}", encodeURIComponent(code));
}

/** The lines under the verdict: what another reading of the notice would give
 * (`readings`), and what the planned records would give once done (`with_planned`). */
export function readingLines(response, names) {
  const parts = [];
  for (const reading of response.readings || []) {
    const line = el("p", "ce-reading", `${reading.text}。`);
    line.dataset.assumption = reading.assumption;
    const about = linkTo(names, "assumption", { code: reading.assumption });
    if (about) line.append(link(about, "这一推定的说明", "ce-reading-link"));
    parts.push(line);
  }
  const after = withPlannedText(response);
  if (after) parts.push(el("p", after.startsWith("完成计划后：达标") ? "ce-with-planned ce-met" : "ce-with-planned", after));
  return parts;
}

/** One card of a class to book: deadline and days left, dates, place, contact, what it
 * covers, its courses, and where to read about it and register. */
export function classCard(session, names, today, onAdd) {
  const card = el("article", "ce-class-card");
  card.dataset.code = session.code;
  const title = el("h4", "ce-class-name", session.name);
  title.id = `ce-class-${session.year}-${session.code}`;
  card.setAttribute("aria-labelledby", title.id);
  const deadline = deadlineStatus(session.registration_closes, today);
  const facts = el("dl", "ce-class-facts");
  const fact = (term, ...value) => {
    const dd = el("dd");
    dd.append(...value);
    facts.append(el("dt", null, term), dd);
    return dd;
  };
  const status = el("span", `ce-deadline-status ce-deadline-${deadline.state}`, deadline.text);
  fact("报名截止", el("strong", null, dateText(session.registration_closes)), " ", status);
  fact("办班日期", classDates(session));
  if (names.levels) fact("级别", levelText(session, names.levels));
  if (session.location) fact("地点", session.location);
  const contact = names.contactPatterns ? contactParts(session.contact, names.contactPatterns) : [{ text: session.contact || "" }];
  if (contact.length && session.contact) {
    fact("报名联系", ...contact.map((p) => (p.href ? link(p.href, p.text, "ce-contact-link") : p.text)));
  }
  fact("可补学时", coversText(session.covers));
  const courses = el("ul", "ce-class-courses");
  for (const course of session.courses) {
    const code = course.course.slice(course.course.indexOf("/") + 1);
    const item = el("li");
    item.append(link(linkTo(names, "course", { year: session.year, code }), suggestionText(course, names)));
    courses.append(item);
  }
  const actions = el("p", "ce-class-actions");
  const schedule = linkTo(names, "class", { year: session.year, code: session.code });
  const form = linkTo(names, "form", {});
  if (schedule) actions.append(link(schedule, "查看办班详情", "ce-button"));
  if (form) actions.append(link(form, "下载报名表", "ce-button"));
  const add = el("button", "ce-button ce-class-add", "把本班课程记为计划");
  add.type = "button";
  add.addEventListener("click", () => onAdd(session, add));
  actions.append(add);
  card.append(title, facts, el("p", "ce-subtitle", "本班课程"), courses, actions);
  if (session.note) card.append(el("p", "ce-hint", session.note));
  return card;
}

/** The plan (DESIGN.md "ceportal plan" v3): a heading, one card per class, the courses
 * that have no class to book (never counted), the planner's note. A response without
 * `classes` (an older planner) shows its note alone. */
export function planParts(plan, names, today, onAdd) {
  const parts = [];
  const classes = Array.isArray(plan.classes) ? plan.classes : [];
  if (classes.length) {
    parts.push(el("p", "ce-plan-heading", planHeading(plan)));
    const list = el("div", "ce-class-cards");
    for (const session of classes) list.append(classCard(session, names, today, onAdd));
    parts.push(list);
    // One class says what it covers on its card; several add up here.
    if (classes.length > 1) {
      parts.push(el("p", "ce-plan-covers", `以上 ${classes.length} 个办班合计可补 ${coversText(plan.covers)}。`));
    }
  }
  const without = Array.isArray(plan.courses_without_class) ? plan.courses_without_class : [];
  if (without.length) {
    parts.push(el("p", "ce-subtitle", "以下课程目前没有可报名的办班（未计入上述学时）："));
    const list = el("ul", "ce-plan-without-class");
    for (const course of without) list.append(el("li", null, suggestionText(course, names)));
    parts.push(list);
  }
  if (plan.note) parts.push(el("p", "ce-plan-note", plan.note));
  return parts;
}

export function resultView(store, names, today) {
  const body = $("ce-result-body");
  const planSection = $("ce-plan");
  const planBody = $("ce-plan-body");
  const actions = $("ce-result-actions");

  // 把本班课程记为计划: the class's courses as planned records (each course once).
  function addClass(session, button) {
    const records = store.get().work.records;
    const have = new Set(records.map((r) => r.course.toLowerCase()));
    const adding = session.courses
      .filter((c) => !have.has(c.course.toLowerCase()))
      .map((c) => ({
        year: Number(c.course.split("/")[0]),
        module: c.module,
        hours: c.hours,
        label: `${c.course.slice(c.course.indexOf("/") + 1)} ${c.title}`,
        course: c.course,
        planned: true,
      }));
    let text;
    if (!adding.length) text = `“${session.name}”的课程已全部在学时记录中，未重复添加。`;
    else if (!store.addRecords(adding)) text = "学时记录已达本页上限，不能再添加。";
    else text = `已把“${session.name}”的 ${adding.length} 门课程记为计划（第 ${records.length + 1}—${records.length + adding.length} 条），不计入已完成学时；再次核算可看到完成计划后的结果。`;
    const note = button.parentElement.querySelector(".ce-class-added") || el("p", "ce-class-added");
    note.textContent = text;
    button.parentElement.after(note);
    announce(text);
  }

  function renderResult(request, response) {
    const verdict = el("p", response.met ? "ce-verdict ce-met" : "ce-verdict ce-unmet");
    verdict.id = "ce-verdict";
    verdict.append(el("strong", null, response.met ? "达标" : "未达标"), `　${subject(request, names)}`);
    const { required, counted, shortfall } = response;
    const parts = [
      verdict,
      ...readingLines(response, names),
      planSection,
      quota("ce-total", "总学时", required.total, counted.total, shortfall.total),
      quota("ce-public", "公共必修课", required.public, counted.public, shortfall.public),
      el("p", "ce-window", `计算窗口：${span(response.window.from, response.window.to)}`),
      el("p", "ce-basis", `依据：${response.basis}`),
      ...caveats(request, response, names),
    ];
    const reasons = notCounted(request, response);
    if (reasons.size) {
      parts.push(el("h3", null, "未计入的记录"));
      const list = el("ul", "ce-ignored");
      for (const [index, reason] of reasons) {
        list.append(el("li", null, `${describeRecord(request.records[index], index, names)}：${reason}`));
      }
      parts.push(list);
    }
    const planned = response.planned || [];
    if (planned.length) {
      parts.push(el("h3", null, "计划中的记录（尚未完成，未计入）"));
      const list = el("ul", "ce-planned-list");
      for (const index of planned) list.append(el("li", null, describeRecord(request.records[index], index, names)));
      parts.push(list);
    }
    body.replaceChildren(...parts);
    actions.hidden = false;
  }

  function renderPlan(result) {
    const { response, plan, planError } = result;
    if (response.met || (!plan && !planError)) {
      planSection.hidden = true;
      planBody.replaceChildren();
      return;
    }
    planBody.replaceChildren(...(planError ? [el("p", "ce-message", planError)] : planParts(plan, names, today(), addClass)));
    planSection.hidden = false;
  }

  store.subscribe((state, change) => {
    if (change !== "result" && change !== "work") return;
    const result = state.result;
    if (!result) {
      body.replaceChildren(el("p", "ce-hint", "填写后点击“核算”，结果显示在这里。"));
      planSection.hidden = true;
      actions.hidden = true;
      return;
    }
    if (change === "work") return; // a replaced work keeps its result until it is checked again
    if (result.pending) {
      body.replaceChildren(el("p", "ce-hint", "正在核算……（计算引擎加载完成后显示结果）"));
      actions.hidden = true;
    } else if (result.refused) {
      body.replaceChildren(el("p", "ce-message", result.refused));
      planSection.hidden = true;
      actions.hidden = true;
    } else if (!result.response) {
      body.replaceChildren(el("p", "ce-hint", "请先更正表格中标出的问题。"));
      planSection.hidden = true;
      actions.hidden = true;
    } else {
      renderPlan(result);
      renderResult(result.request, result.response);
    }
  });
}
