// The page's one store: the work (what the request is made of, as typed), the visitor's
// own preferences (specialty, county, the sheet's personal fields) and the last result. Views
// read it and call its actions; nothing is kept in the DOM. Pure: no DOM.
//
// Listeners get (state, change, detail): "work" (replaced: render everything), "records" (a
// record added or removed), "record" (one field of one record edited: the input
// already shows it; detail is the record's key), "field" (a top-level field), "prefs", "result".

import { emptyWork, recordState } from "./request.js";
import { MAX_RECORDS } from "./validate.js";

export function createStore({ firstTarget = "", firstTitle = "", recordModule = "" } = {}) {
  const blank = () => emptyWork(firstTarget, firstTitle);
  let nextKey = 1;
  const keyed = (record) => ({ ...recordState(record, recordModule), key: nextKey++ });
  let state = {
    work: blank(),
    prefs: { specialty: "", county: "", person: { name: "", unit: "", specialty: "", title: "" } },
    result: null,
  };
  const listeners = new Set();

  function commit(change, next, detail) {
    state = next;
    for (const listener of listeners) listener(state, change, detail);
  }

  function setWork(change, work, detail) {
    commit(change, { ...state, work }, detail);
  }

  return {
    get: () => state,
    /** Call `listener(state, change)` on every change; returns the unsubscribe. */
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    blank,
    /** Replace the whole work (restore, import, link, clear): `work` as fromRequest gives. */
    replaceWork(work) {
      nextKey = 1; // every row is replaced, so the rows' ids can start again
      setWork("work", { ...blank(), ...work, records: work.records.map(keyed) });
    },
    setField(field, value) {
      setWork("field", { ...state.work, [field]: value });
    },
    /** Add records at the end; returns the keys added, or null past the page's limit. */
    addRecords(records) {
      if (state.work.records.length + records.length > MAX_RECORDS) return null;
      const added = records.map(keyed);
      setWork("records", { ...state.work, records: [...state.work.records, ...added] });
      return added.map((r) => r.key);
    },
    removeRecord(key) {
      setWork("records", { ...state.work, records: state.work.records.filter((r) => r.key !== key) });
    },
    editRecord(key, field, value) {
      const records = state.work.records.map((r) => (r.key === key ? { ...r, [field]: value } : r));
      setWork("record", { ...state.work, records }, key);
    },
    setPrefs(prefs) {
      commit("prefs", { ...state, prefs: { ...state.prefs, ...prefs, person: { ...state.prefs.person, ...(prefs.person || {}) } } });
    },
    /** `result`: null, or {request, response, plan, planError, error, problems}. */
    setResult(result) {
      commit("result", { ...state, result });
    },
  };
}
