// The form: the request's fields and the list of records, rendered from the store
// (rows from <template id="ce-record-template">), edited through one delegated
// listener per area. Messages next to fields come from the last result's problems.

import { $, announce, fromTemplate } from "./dom.js";
import { describeRecord, notCounted, plannedNote, recordHints, warningsByRecord } from "./format.js";
import { mayChooseCounty, parseNumber, toRequest } from "./request.js";

// From this many records on, rows off screen are not laid out (calculator.css).
const LONG_LIST = 40;
const YEAR_FIELD = { promotion: "promotionYear", cycle: "cycleYear" };
const FIELD_IDS = {
  target: "ce-target",
  promotionYear: "ce-promotion-year",
  title: "ce-title",
  cycleStart: "ce-cycle-start",
  cycleYear: "ce-cycle-year",
};

export function formView(store, names) {
  const list = $("ce-record-list");
  const rows = new Map(); // record key -> its <li>
  // The class a planned record's course is taken in ("2027/G-21" -> class or null), once
  // the catalogs are loaded (picker-view.js).
  let classOf = () => null;

  // --- rendering -------------------------------------------------------------------

  function showKind(work) {
    $(`ce-kind-${work.kind}`).checked = true;
    $("ce-cycle").hidden = work.kind !== "cycle";
    $("ce-promotion").hidden = work.kind === "cycle";
    // The county choice: only for an applicant who may attend county classes.
    $("ce-county-field").hidden = !mayChooseCounty(work, names);
  }

  function fillFields(work) {
    showKind(work);
    for (const [field, id] of Object.entries(FIELD_IDS)) {
      const control = $(id);
      if (control.value !== work[field]) control.value = work[field];
    }
  }

  function makeRow(record) {
    const row = fromTemplate("ce-record-template");
    row.dataset.key = String(record.key);
    for (const control of row.querySelectorAll("[data-record]")) {
      const field = control.dataset.record;
      control.id = `ce-r${record.key}-${field}`;
      control.value = record[field];
      const error = row.querySelector(`[data-error="${field}"]`);
      error.id = `${control.id}-error`;
      control.setAttribute("aria-describedby", error.id);
      row.querySelector(`[data-for="${field}"]`).htmlFor = control.id;
    }
    rows.set(record.key, row);
    return row;
  }

  function renumber(records) {
    records.forEach((record, i) => {
      const row = rows.get(record.key);
      row.querySelector(".ce-record-number").textContent = `${i + 1}`;
      row.querySelector(".ce-remove").setAttribute("aria-label", `删除第 ${i + 1} 条记录`);
    });
    $("ce-records-empty").hidden = records.length > 0;
    list.classList.toggle("ce-long", records.length > LONG_LIST);
  }

  function renderRecords(records, replace) {
    if (replace) {
      rows.clear();
      list.replaceChildren(...records.map(makeRow));
    } else {
      const keep = new Set(records.map((r) => r.key));
      for (const [key, row] of rows) {
        if (!keep.has(key)) {
          row.remove();
          rows.delete(key);
        }
      }
      const added = records.filter((r) => !rows.has(r.key)).map(makeRow);
      if (added.length) list.append(...added);
    }
    renumber(records);
  }

  // --- notes next to records: hints while typing, then what the result said -------

  function context(state) {
    const { work, result } = state;
    const year = parseNumber(work[YEAR_FIELD[work.kind]]);
    const sameRequest =
      result && result.response && result.request.kind === work.kind && result.request.year === year;
    return {
      kind: work.kind,
      year: typeof year === "number" ? year : null,
      window: sameRequest ? result.response.window : null,
    };
  }

  function resultNotes(state) {
    const { result } = state;
    const notes = new Map(); // key -> [{text, kind}]
    if (!result || !result.response) return notes;
    const reasons = notCounted(result.request, result.response);
    const warned = warningsByRecord(result.response);
    result.keys.forEach((key, index) => {
      const found = [];
      if (reasons.has(index)) found.push({ text: `未计入：${reasons.get(index)}`, kind: "ignored" });
      for (const text of warned.get(index) || []) {
        if (!reasons.has(index) || reasons.get(index) !== text) found.push({ text, kind: "warning" });
      }
      if (found.length) notes.set(key, found);
    });
    return notes;
  }

  function showNotes(row, record, ctx, fromResult) {
    const notes = [];
    if (record.course) notes.push({ text: `课程目录：${record.course}`, kind: "course" });
    if (record.planned) notes.push({ text: plannedNote(classOf(record.course)), kind: "planned", action: "已完成，改为计入" });
    row.classList.toggle("ce-planned", Boolean(record.planned));
    const typed = { year: parseNumber(record.year), hours: parseNumber(record.hours) };
    for (const text of recordHints(typed, names, ctx)) notes.push({ text, kind: "hint" });
    for (const note of fromResult || []) notes.push(note);
    const box = row.querySelector(".ce-record-notes");
    const text = notes.map((n) => `${n.kind}:${n.text}:${n.action || ""}`).join("\n");
    if (box.dataset.shown === text) return; // unchanged: leave the DOM alone
    box.dataset.shown = text;
    box.replaceChildren(
      ...notes.map((n) => {
        const item = document.createElement("li");
        item.className = `ce-note ce-note-${n.kind}`;
        item.textContent = n.text;
        if (n.action) {
          const button = document.createElement("button");
          button.type = "button";
          button.className = "ce-button ce-note-action";
          button.dataset.action = "done";
          button.textContent = n.action;
          item.append(" ", button);
        }
        return item;
      }),
    );
    box.hidden = notes.length === 0;
  }

  function notesFor(state, only) {
    const ctx = context(state);
    const fromResult = resultNotes(state);
    for (const record of state.work.records) {
      if (only !== undefined && record.key !== only) continue;
      showNotes(rows.get(record.key), record, ctx, fromResult.get(record.key));
    }
  }

  // --- messages next to fields -------------------------------------------------------

  function clearErrors() {
    for (const box of $("ce-form").querySelectorAll(".ce-error:not([hidden])")) {
      box.textContent = "";
      box.hidden = true;
    }
    for (const field of $("ce-form").querySelectorAll("[aria-invalid]")) field.removeAttribute("aria-invalid");
  }

  function control(problem) {
    if (problem.key !== undefined) {
      const row = rows.get(problem.key);
      // A record's course has no field of its own: it is shown with the label.
      const field = problem.field === "course" || problem.field === "planned" ? "label" : problem.field;
      return row ? row.querySelector(`[data-record="${field}"]`) : null;
    }
    return FIELD_IDS[problem.field] ? $(FIELD_IDS[problem.field]) : null;
  }

  function showErrors(problems) {
    clearErrors();
    let first = null;
    for (const problem of problems) {
      const target = problem.box ? null : control(problem);
      if (target) {
        const box = $(`${target.id}-error`);
        box.textContent = problem.text;
        box.hidden = false;
        target.setAttribute("aria-invalid", "true");
        first ??= target;
      } else {
        const box = $(problem.box || "ce-form-error");
        box.textContent = problem.text;
        box.hidden = false;
      }
    }
    if (first) first.focus();
  }

  // --- events ---------------------------------------------------------------------

  const form = $("ce-form");
  form.addEventListener("input", onEdit);
  form.addEventListener("change", onEdit);
  function onEdit(event) {
    const target = event.target;
    if (target.name === "kind") {
      store.setField("kind", target.value);
    } else if (target.dataset.field) {
      store.setField(target.dataset.field, target.value);
    } else if (target.dataset.record) {
      const key = Number(target.closest(".ce-record").dataset.key);
      store.editRecord(key, target.dataset.record, target.value);
    } else if (target.id === "ce-specialty") {
      store.setPrefs({ specialty: target.value });
    } else if (target.id === "ce-county") {
      store.setPrefs({ county: target.value });
    }
  }

  list.addEventListener("click", (event) => {
    const done = event.target.closest('[data-action="done"]');
    if (done) {
      const key = Number(done.closest(".ce-record").dataset.key);
      const index = store.get().work.records.findIndex((r) => r.key === key);
      store.editRecord(key, "planned", false);
      rows.get(key).querySelector('[data-record="year"]').focus();
      announce(`第 ${index + 1} 条记录已改为已完成，核算时计入`);
      return;
    }
    const button = event.target.closest('[data-action="remove"]');
    if (!button) return;
    const key = Number(button.closest(".ce-record").dataset.key);
    const records = store.get().work.records;
    const index = records.findIndex((r) => r.key === key);
    store.removeRecord(key);
    const left = store.get().work.records;
    const next = left[index] || left[index - 1];
    (next ? rows.get(next.key).querySelector(".ce-remove") : $("ce-add-other")).focus();
    announce(`已删除第 ${index + 1} 条记录`);
  });

  for (const input of document.querySelectorAll("[data-person]")) {
    input.addEventListener("input", () => store.setPrefs({ person: { [input.dataset.person]: input.value } }));
  }

  store.subscribe((state, change, detail) => {
    if (change === "work") {
      fillFields(state.work);
      renderRecords(state.work.records, true);
      clearErrors();
      notesFor(state);
    } else if (change === "records") {
      renderRecords(state.work.records, false);
      notesFor(state);
    } else if (change === "record") {
      notesFor(state, detail);
    } else if (change === "field") {
      showKind(state.work);
      notesFor(state);
    } else if (change === "prefs") {
      $("ce-specialty").value = state.prefs.specialty;
      $("ce-county").value = state.prefs.county;
      for (const input of document.querySelectorAll("[data-person]")) {
        const value = state.prefs.person[input.dataset.person] || "";
        if (input.value !== value) input.value = value;
      }
    } else if (change === "result") {
      showErrors((state.result && state.result.problems) || []);
      notesFor(state);
    }
  });

  return {
    /** The request the form describes, and its own problems keyed by record. */
    request() {
      const work = store.get().work;
      const { request, problems } = toRequest(work);
      const keyed = problems.map((p) => (p.record === undefined ? p : { ...p, key: work.records[p.record].key }));
      return { request, problems: keyed, keys: work.records.map((r) => r.key) };
    },
    /** Focus the first field of the record `key` (a new row, ready to type in). */
    focusRecord(key) {
      rows.get(key).querySelector('[data-record="year"]').focus();
    },
    describe: (record, index) => describeRecord(record, index, names),
    /** Where planned records find their class: `lookup(course)` -> class or null. */
    setClassLookup(lookup) {
      classOf = lookup;
      notesFor(store.get());
    },
  };
}
