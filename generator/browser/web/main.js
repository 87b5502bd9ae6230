// The hours self-check page (/calculator/): wires the store, the views, the engine and
// the persistence adapters together; every piece of logic lives in a module of its own:
//
//   engine.js        the Pyodide worker (generator.rules): ceHours.evaluate / plan
//   request.js       the form's state <-> the request       (pure, node --test)
//   validate.js      what a saved, imported or linked request must be (pure)
//   format.js        every sentence about a result or plan   (pure)
//   base64url.js     the #r= link's encoding                  (pure)
//   store.js         the one store of the page's state
//   form-view.js, picker-view.js, result-view.js, sheet-view.js   the views
//   adapters.js      localStorage, JSON files, share links, the clipboard

import {
  EngineRefused,
  checkedFetch,
  evaluate,
  failure,
  localToday,
  onStatus,
  plan,
  readRequest,
} from "./engine.js";
import { copyText, download, linkFor, readFile, readLink, saved } from "./adapters.js";
import { $, announce, confirmDialog, setBox } from "./dom.js";
import { announcement } from "./format.js";
import { formView } from "./form-view.js";
import { pickerView } from "./picker-view.js";
import { errorPlace, fromRequest, hasWork, plannedCounty, shown, toRequest } from "./request.js";
import { resultView } from "./result-view.js";
import { sheetView } from "./sheet-view.js";
import { createStore } from "./store.js";
import { checkRequest } from "./validate.js";

const root = $("ce-hours");
const names = JSON.parse(root.dataset.names);
root.hidden = false; // the form is shown only where it works (no-JS: the <noscript> message)

const store = createStore({
  firstTarget: $("ce-target").value,
  firstTitle: $("ce-title").value,
  recordModule: names.recordModule,
});
const form = formView(store, names);
resultView(store, names, localToday);
sheetView(store, names, localToday);

// --- the engine's progress ---------------------------------------------------------

let engineState = "loading";
onStatus(({ state, percent, text }) => {
  engineState = state;
  $("ce-engine-progress").value = percent;
  $("ce-engine-status").textContent = text;
  $("ce-engine").classList.toggle("ce-ready", state === "ready");
  $("ce-engine").classList.toggle("ce-failed", state === "failed");
  if (state === "failed") setBox("ce-notice", text);
});

// --- persistence: the request as the CLI takes it, and the visitor's own fields -----

let persisting = false; // off while the saved work, a link and ?add= are being read
let editedWhileOpening = false; // the visitor typed while a link waited for the engine
store.subscribe((state, change) => {
  if (!persisting) {
    if (change === "field" || change === "record" || change === "records") editedWhileOpening = true;
    return;
  }
  if (change === "prefs") saved.writePrefs(state.prefs);
  else if (change !== "result") saved.writeWork(toRequest(state.work).request);
});

// --- checking -------------------------------------------------------------------------

let serial = 0;

// `scroll`: bring the result into view (核算); not when a plan option changed under it.
async function check({ scroll = true } = {}) {
  const mine = ++serial;
  const { request, problems, keys } = form.request();
  if (problems.length) {
    store.setResult({ request, keys, problems, response: null });
    return;
  }
  if (!failure()) store.setResult({ request, keys, problems: [], response: null, pending: true });
  let response;
  try {
    response = await evaluate(request);
  } catch (error) {
    if (mine !== serial) return;
    if (error instanceof EngineRefused) {
      store.setResult({ request, keys, problems: [], response: null, refused: error.message });
      return;
    }
    const place = errorPlace(error, request.kind);
    const problem = place.record === undefined ? place : { ...place, key: keys[place.record] };
    store.setResult({ request, keys, problems: [problem], response: null });
    return;
  }
  let suggested = null;
  let planError = null;
  if (!response.met) {
    try {
      const { work, prefs } = store.get();
      suggested = await plan(request, {
        specialty: prefs.specialty || null,
        county: plannedCounty(work, names, prefs.county),
      });
    } catch (error) {
      planError = `无法给出补足差额建议：${error.message}`;
    }
  }
  if (mine !== serial) return;
  store.setResult({ request, keys, problems: [], response, plan: suggested, planError });
  if (scroll) $("ce-result").scrollIntoView({ block: "start" });
  announce(announcement(request, response));
  if (!performance.getEntriesByName("ce-first-result").length) performance.mark("ce-first-result");
}

// The plan follows the specialty and county chosen once there is one: a new choice plans
// again (the result stays where it is).
const planOptionsOf = (prefs) => JSON.stringify([prefs.specialty, prefs.county]);
let planOptions = planOptionsOf(store.get().prefs);
store.subscribe((state, change) => {
  if (change !== "prefs") return;
  const now = planOptionsOf(state.prefs); // not the sheet's personal fields
  if (now === planOptions) return;
  planOptions = now;
  const result = state.result;
  if (result && result.response && !result.response.met && !result.pending) check({ scroll: false });
});

$("ce-form").addEventListener("submit", (event) => {
  event.preventDefault();
  check();
});

// --- adding records: the catalog picker, 添加其他学时, ?add= from a course page ----------

const picker = pickerView(store, form, names, checkedFetch("catalogs.json").then((r) => r.json()), localToday);
picker.loaded.then(() => form.setClassLookup(picker.classOf));

// --- files, links, print, clear -------------------------------------------------------

// The request in a file's or link's text, read by the rules' one reader (in the worker,
// as `ceportal hours` reads it): {request}, {problem, path} with the CLI's reason, or
// {refused} when the engine could not start. Until the engine is ready, `box` says so.
async function readText(text, box, waiting) {
  const waits = engineState !== "ready" && !failure();
  const before = $(box).hidden ? "" : $(box).textContent; // e.g. the saved work's notice
  if (waits) setBox(box, waiting, true);
  try {
    return { request: await readRequest(text) };
  } catch (error) {
    if (error instanceof EngineRefused) return { refused: true };
    return { problem: error.message, path: error.path };
  } finally {
    if (waits && $(box).textContent === waiting) setBox(box, before);
  }
}

// WeChat's in-app browser neither downloads nor prints: the site's note (theme script
// wechat-note.js) says so and how to open the page in the browser; the buttons point to it.
const inWeChat = /MicroMessenger/i.test(navigator.userAgent);
function wechatNote() {
  const note = document.querySelector(".ce-wechat-note");
  if (!note) return false;
  note.tabIndex = -1;
  note.scrollIntoView({ block: "center" });
  note.focus();
  announce(note.textContent);
  return true;
}

$("ce-export").addEventListener("click", () => {
  if (inWeChat && wechatNote()) return;
  download(form.request().request);
});

let importing = 0; // the latest file chosen: an earlier one still being read is dropped

$("ce-import").addEventListener("change", async () => {
  const input = $("ce-import");
  const file = input.files && input.files[0];
  const mine = ++importing;
  setBox("ce-import-error", "");
  if (!file) return;
  const name = shown(file.name);
  let read;
  try {
    read = await readFile(file, shown);
  } finally {
    input.value = ""; // choosing the same file again re-imports it
  }
  if (read.problem) {
    setBox("ce-import-error", read.problem);
    return;
  }
  const got = await readText(read.text, "ce-import-error", `正在读取文件“${name}”：计算引擎加载完成后即导入……`);
  if (mine !== importing) return;
  if (got.refused) {
    setBox("ce-import-error", `文件“${name}”无法导入：计算引擎未能启动，无法读取文件。`);
    return;
  }
  if (got.problem) {
    setBox("ce-import-error", `文件“${name}”无法导入：${got.problem}。`);
    return;
  }
  const checked = checkRequest(got.request, names);
  if (checked.problem) {
    setBox("ce-import-error", `文件“${name}”${checked.problem}，未导入。`);
    return;
  }
  store.replaceWork(fromRequest(checked.request, store.blank()));
  announce(`已导入 ${checked.request.records.length} 条学时记录`);
  check();
});

$("ce-share-make").addEventListener("click", () => {
  const link = $("ce-share-link");
  const { work, prefs } = store.get();
  link.value = linkFor(
    form.request().request,
    location.href.split("#")[0],
    prefs.specialty,
    plannedCounty(work, names, prefs.county) || "",
  );
  $("ce-share-copy").disabled = false;
  link.focus();
  link.select();
  announce("分享链接已生成，可点击“复制链接”");
});
$("ce-share-copy").addEventListener("click", async () => {
  const copied = await copyText($("ce-share-link").value, $("ce-share-link"));
  setBox("ce-share-error", copied ? "" : "浏览器不允许复制：请长按或右键链接，手动复制。");
  announce(copied ? "已复制分享链接" : "复制失败");
  if (copied) $("ce-share-copy").textContent = "已复制";
  setTimeout(() => ($("ce-share-copy").textContent = "复制链接"), 3000);
});

$("ce-print").addEventListener("click", () => {
  if (inWeChat && wechatNote()) return;
  window.print();
});

$("ce-clear").addEventListener("click", async () => {
  const count = store.get().work.records.length;
  const yes = await confirmDialog(
    `清空本页将删除填写的内容和全部 ${count} 条学时记录（本机保存的也一并删除），无法恢复。确定清空吗？`,
    "清空",
    "取消",
  );
  if (!yes) {
    $("ce-clear").focus();
    return;
  }
  store.replaceWork(store.blank());
  store.setResult(null);
  for (const id of ["ce-notice", "ce-import-error", "ce-share-error", "ce-pick-error"]) setBox(id, "");
  $("ce-share-link").value = "";
  $("ce-share-copy").disabled = true;
  announce("已清空");
  $("ce-clear").focus();
});

// --- opening: the saved work, a #r= link, ?add= ------------------------------------------

function restoreSaved() {
  const read = saved.readWork();
  if (!read) return false;
  const checked = read.problem ? { problem: read.problem, kind: "shape" } : checkRequest(read.data, names);
  if (checked.problem) {
    const what = checked.kind === "shape" ? "已损坏" : "无法恢复";
    setBox("ce-notice", `本机保存的自查记录${what}（${checked.problem}），已忽略并清除。`);
    saved.forgetWork();
    return false;
  }
  store.replaceWork(fromRequest(checked.request, store.blank()));
  return hasWork(store.get().work);
}

// The request in the fragment replaces the form (after asking, when there is saved work
// it would replace). Returns whether the form changed.
async function openLink() {
  const link = readLink(location.hash);
  if (!link) return false;
  history.replaceState(null, "", location.pathname + location.search); // the link has done its job
  let checked;
  if (link.problem) checked = { problem: link.problem, kind: "shape" };
  else {
    const got = await readText(link.text, "ce-notice", "正在读取分享链接：计算引擎加载完成后即打开……");
    if (got.refused) checked = { problem: "计算引擎未能启动，无法读取链接", kind: "engine" };
    // A reason with no field (not JSON, nested too deep): the link was cut or changed.
    else if (got.problem) checked = { problem: got.problem, kind: got.path ? "reader" : "shape" };
    else checked = checkRequest(got.request, names);
  }
  if (checked.problem) {
    setBox(
      "ce-share-error",
      checked.kind === "shape"
        ? `分享链接已损坏，无法打开（${checked.problem}）。请向分享者重新索取链接。`
        : `分享链接无法打开（${checked.problem}）。`,
    );
    $("ce-share").scrollIntoView({ block: "start" });
    return false;
  }
  setBox("ce-share-error", "");
  const mine = store.get().work;
  const theirs = fromRequest(checked.request, store.blank());
  const same = JSON.stringify(toRequest(mine).request) === JSON.stringify(toRequest(theirs).request);
  if (hasWork(mine) && !same) {
    const yes = await confirmDialog(
      `打开的分享链接含 ${checked.request.records.length} 条学时记录，将替换本机保存的自查记录（${mine.records.length} 条）。是否替换？`,
      "用链接中的记录替换",
      "保留本机的记录",
    );
    if (!yes) {
      announce("已保留本机保存的记录，未打开分享链接");
      return false;
    }
  }
  store.replaceWork(theirs);
  // The sender's specialty and county (?specialty=, ?county=, linkFor), so the plan
  // suggests the same classes.
  const query = new URLSearchParams(location.search);
  const specialty = query.get("specialty");
  if (specialty && Object.hasOwn(names.specialties, specialty)) store.setPrefs({ specialty });
  const county = query.get("county");
  if (county && names.counties.includes(county)) store.setPrefs({ county });
  return true;
}

async function open() {
  const prefs = saved.readPrefs();
  const person = typeof prefs.person === "object" && prefs.person ? prefs.person : {};
  store.setPrefs({
    specialty: Object.hasOwn(names.specialties, prefs.specialty) ? prefs.specialty : "",
    county: names.counties.includes(prefs.county) ? prefs.county : "",
    person: Object.fromEntries(Object.entries(person).filter(([, v]) => typeof v === "string")),
  });
  let changed = restoreSaved();
  changed = (await openLink()) || changed;
  await picker.loaded;
  changed = picker.addFromQuery() || changed;
  persisting = true;
  if (editedWhileOpening && !changed) saved.writeWork(toRequest(store.get().work).request);
  if (changed) {
    saved.writeWork(toRequest(store.get().work).request);
    saved.writePrefs(store.get().prefs); // a link's specialty and county, when it brought them
    check();
  }
}

window.addEventListener("hashchange", async () => {
  if (location.hash.startsWith("#r=") && (await openLink())) {
    saved.writeWork(toRequest(store.get().work).request);
    check();
  }
});

open();
