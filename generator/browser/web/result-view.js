// The result (核算结果) and the gap planner's suggestions (补足差额建议), from the
// store's last result. The quota blocks and suggestions come from <template>s.

import { $, el, fromTemplate } from "./dom.js";
import {
  classText,
  describeRecord,
  notCounted,
  planHeading,
  quotaText,
  span,
  subject,
  suggestionText,
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

export function resultView(store, names) {
  const body = $("ce-result-body");
  const planSection = $("ce-plan");
  const planBody = $("ce-plan-body");

  function renderResult(request, response) {
    const verdict = el("p", response.met ? "ce-verdict ce-met" : "ce-verdict ce-unmet");
    verdict.id = "ce-verdict";
    verdict.append(el("strong", null, response.met ? "达标" : "未达标"), `　${subject(request, names)}`);
    const { required, counted, shortfall } = response;
    const parts = [
      verdict,
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
    body.replaceChildren(...parts);
  }

  function renderPlan(result) {
    const { response, plan, planError } = result;
    if (response.met || (!plan && !planError)) {
      planSection.hidden = true;
      planBody.replaceChildren();
      return;
    }
    if (planError) {
      planBody.replaceChildren(el("p", "ce-message", planError));
      planSection.hidden = false;
      return;
    }
    const parts = [];
    // The planner's v3 shape (DESIGN.md, ceportal plan): the classes to book, each with the
    // courses it covers; courses with no class that can still be booked listed apart.
    if (plan.classes.length) {
      parts.push(el("p", "ce-plan-heading", planHeading(plan)));
      const list = el("ol", "ce-plan-courses");
      for (const c of plan.classes) {
        const item = fromTemplate("ce-suggestion-template");
        item.querySelector(".ce-suggestion-course").textContent = classText(c);
        const courses = item.querySelector(".ce-suggestion-classes");
        for (const course of c.courses) courses.append(el("li", null, suggestionText(course, names)));
        list.append(item);
      }
      parts.push(list, el("p", "ce-plan-covers", `以上办班合计 ${plan.covers.total} 学时（其中公共必修课 ${plan.covers.public} 学时）。`));
    }
    if (plan.courses_without_class.length) {
      const list = el("ul", "ce-plan-without-class");
      for (const course of plan.courses_without_class) list.append(el("li", null, suggestionText(course, names)));
      parts.push(el("p", "ce-hint", "暂无可报名办班的课程（未计入）："), list);
    }
    parts.push(el("p", "ce-plan-note", plan.note));
    planBody.replaceChildren(...parts);
    planSection.hidden = false;
  }

  store.subscribe((state, change) => {
    if (change !== "result" && change !== "work") return;
    const result = state.result;
    if (!result) {
      body.replaceChildren(el("p", "ce-hint", "填写后点击“核算”，结果显示在这里。"));
      planSection.hidden = true;
      return;
    }
    if (change === "work") return; // a replaced work keeps its result until it is checked again
    if (result.pending) {
      body.replaceChildren(el("p", "ce-hint", "正在核算……（计算引擎加载完成后显示结果）"));
    } else if (result.refused) {
      body.replaceChildren(el("p", "ce-message", result.refused));
      planSection.hidden = true;
    } else if (!result.response) {
      body.replaceChildren(el("p", "ce-hint", "请先更正表格中标出的问题。"));
      planSection.hidden = true;
    } else {
      renderResult(result.request, result.response);
      renderPlan(result);
    }
  });
}
