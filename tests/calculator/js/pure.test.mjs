// The calculator's pure modules (no DOM): `node --test tests/calculator/js/`, run by
// `make test`. The browser tests drive the same modules through the page.
import { test } from "node:test";
import assert from "node:assert/strict";

import { linkFor } from "../../../generator/browser/web/adapters.js";
import { decode, encode } from "../../../generator/browser/web/base64url.js";
import {
  announcement,
  classDates,
  classText,
  contactParts,
  coversText,
  dateSpan,
  daysUntil,
  deadlineStatus,
  levelText,
  notCounted,
  pendingClass,
  plannedNote,
  withPlannedText,
  planHeading,
  recordHints,
  shortfallText,
  subject,
  suggestionText,
} from "../../../generator/browser/web/format.js";
import { emptyWork, errorPlace, fromRequest, hasWork, mayChooseCounty, parseNumber, plannedCounty, toRequest } from "../../../generator/browser/web/request.js";
import { createStore } from "../../../generator/browser/web/store.js";
import { MAX_RECORDS, checkRequest } from "../../../generator/browser/web/validate.js";

const NAMES = {
  targets: {
    junior_first: "初次申报初级职称（技术员、助理工程师）",
    assistant_engineer: "技术员晋升助理工程师",
    engineer: "助理工程师晋升工程师",
  },
  titles: { engineer: "工程师" },
  modules: { public: "公共必修课", elective: "专业选修课", other: "其他形式" },
  specialties: { mechanical: "机械" },
  startYear: 2009,
  maxRecordHours: 200,
};

const REQUEST = {
  kind: "promotion",
  target: "engineer",
  year: 2011,
  records: [
    { year: 2010, module: "public", hours: 8, label: "G-11 心理健康", course: "2010/G-11" },
    { year: 2010, module: "other", hours: 40.5 },
  ],
};

test("base64url round-trips UTF-8 and refuses what is not base64url", () => {
  const text = JSON.stringify(REQUEST);
  const encoded = encode(text);
  assert.match(encoded, /^[A-Za-z0-9_-]+$/);
  assert.equal(decode(encoded), text);
  assert.equal(decode(encode("")), "");
  assert.equal(decode(encode("学时🙂")), "学时🙂");
  assert.throws(() => decode("%%%"), /含有无效字符/);
  assert.throws(() => decode("A"), /含有无效字符/);
  assert.throws(() => decode(encode("x").slice(0, 1) + "_-")); // not UTF-8
  // A long link (4,000 records) does not overflow the stack.
  const long = "学".repeat(200_000);
  assert.equal(decode(encode(long)), long);
});

test("numbers as people type them", () => {
  assert.equal(parseNumber("２０１２"), 2012);
  assert.equal(parseNumber(" 16．5 "), 16.5);
  assert.equal(parseNumber("１６。0"), 16);
  assert.equal(parseNumber("－8"), -8);
  assert.equal(parseNumber("八"), "八");
  assert.equal(parseNumber(""), "");
});

test("state -> request -> state keeps every field, course included", () => {
  const work = fromRequest(REQUEST, emptyWork("junior_first", "engineer"));
  assert.equal(work.promotionYear, "2011");
  assert.equal(work.title, "engineer"); // the other kind's default stays
  assert.deepEqual(work.records[0], {
    year: "2010", module: "public", hours: "8", label: "G-11 心理健康", course: "2010/G-11", planned: false,
  });
  assert.deepEqual(toRequest(work), { request: REQUEST, problems: [] });
  const cycle = { kind: "cycle", title: "engineer", cycle_start: 2009, year: 2012, records: [] };
  assert.deepEqual(toRequest(fromRequest(cycle)).request, cycle);
});

test("the form's own problems name the field and the record", () => {
  const work = { ...emptyWork("engineer"), promotionYear: "二〇一一", records: [
    { year: "2010", module: "public", hours: "八", label: "", course: "" },
    { year: "", module: "public", hours: "8", label: "  ", course: "" },
  ] };
  const { request, problems } = toRequest(work);
  assert.deepEqual(problems, [
    { field: "promotionYear", text: "申报年度必须是数字，收到“二〇一一”" },
    { field: "hours", record: 0, text: "学时必须是数字，收到“八”" },
    { field: "year", record: 1, text: "请填写学习年度" },
  ]);
  assert.equal("label" in request.records[1], false); // blank text is no label
  assert.equal(hasWork(emptyWork()), false);
  assert.equal(hasWork(work), true);
});

// A rejected ceHours Error as engine.js makes it from the worker's {error, path, problem}.
function refusal(path, problem) {
  return Object.assign(new Error(path ? `${path}: ${problem}` : problem), { path, problem });
}

test("the rules' refusals go next to their field, by their path", () => {
  assert.deepEqual(errorPlace(refusal("records[3].hours", "学时必须是大于0的数字，收到 -8"), "promotion"), {
    field: "hours", record: 3, text: "学时必须是大于0的数字，收到 -8",
  });
  assert.deepEqual(errorPlace(refusal("year", "验审年度（2011）不能早于周期起始年度（2012）"), "cycle"), {
    field: "cycleYear", text: "验审年度（2011）不能早于周期起始年度（2012）",
  });
  assert.deepEqual(errorPlace(refusal("year", "年度必须是整数"), "promotion"), { field: "promotionYear", text: "年度必须是整数" });
  assert.deepEqual(errorPlace(refusal("cycle_start", "年度必须是整数"), "cycle"), { field: "cycleStart", text: "年度必须是整数" });
  assert.deepEqual(errorPlace(refusal("records", "学时记录不能超过100000条"), "promotion"), {
    box: "ce-records-error", text: "学时记录不能超过100000条",
  });
  assert.deepEqual(errorPlace(refusal("records[2]", "必须是对象"), "promotion"), {
    box: "ce-records-error", text: "records[2]: 必须是对象",
  });
  assert.deepEqual(errorPlace(refusal("", "请求不是有效的JSON（第1行第9列）：…"), "promotion"), {
    box: "ce-form-error", text: "请求不是有效的JSON（第1行第9列）：…",
  });
  // The problem's own text may hold "path: …": only the path field places it.
  assert.deepEqual(errorPlace(refusal("", "year: 不是字段"), "promotion"), { box: "ce-form-error", text: "year: 不是字段" });
  assert.deepEqual(errorPlace(refusal("records[0].hours", "records[1].hours: 字段重复"), "promotion"), {
    field: "hours", record: 0, text: "records[1].hours: 字段重复",
  });
  // An engine failure without fields goes to the form's box whole.
  assert.deepEqual(errorPlace(new Error("计算出错：x"), "promotion"), { box: "ce-form-error", text: "计算出错：x" });
});

test("a pasted request: shape, the page's limit, unknown values", () => {
  assert.deepEqual(checkRequest(REQUEST, NAMES), { request: REQUEST });
  assert.deepEqual(checkRequest([], NAMES), { problem: "内容不是学时自查记录（应为 JSON 对象）", kind: "shape" });
  assert.deepEqual(checkRequest({ kind: "x", records: [] }, NAMES).problem, "内容不是学时自查记录（kind 应为 promotion 或 cycle）");
  assert.equal(checkRequest({ kind: "cycle", records: {} }, NAMES).problem, "内容不是学时自查记录（缺少 records 列表）");
  assert.equal(checkRequest({ kind: "cycle", records: [8] }, NAMES).problem, "内容不是学时自查记录（records 中每一项都应为对象）");
  const many = { ...REQUEST, records: Array.from({ length: 4000 }, () => REQUEST.records[1]) };
  assert.deepEqual(checkRequest(many, NAMES), {
    problem: "含 4000 条学时记录，超过本页上限 500 条；请分成几次自查，或用 ceportal hours 核算",
    kind: "limit",
  });
  const limit = { ...REQUEST, records: many.records.slice(0, MAX_RECORDS) };
  assert.deepEqual(checkRequest(limit, NAMES), { request: limit });
  const odd = { ...REQUEST, target: "boss", records: [{ year: 2010, module: "lecture", hours: 8 }, { year: 2010, hours: 8 }] };
  assert.deepEqual(checkRequest(odd, NAMES), {
    problem: "有本页不认识的内容：申报目标 “boss”、第 1 条记录的类别 “lecture”、第 2 条记录缺少类别",
    kind: "unknown",
  });
  assert.equal(checkRequest({ kind: "cycle", title: "chief", records: [] }, NAMES).problem, "有本页不认识的内容：现任职称 “chief”");
});

const RESPONSE = {
  met: false,
  required: { total: 96, public: 24 },
  counted: { total: 8, public: 8 },
  shortfall: { total: 88, public: 16 },
  window: { from: 2009, to: 2011 },
  ignored: [1, 2],
  basis: "…",
  assumptions: [],
  warnings: [{ record: 2, text: "与第 1 条是同一门课程（2010/G-11），不重复计入" }],
};

test("sentences about a result", () => {
  assert.equal(subject({ ...REQUEST, target: "assistant_engineer" }, NAMES), "技术员晋升助理工程师（2011年度申报）");
  assert.equal(subject({ ...REQUEST, target: "junior_first" }, NAMES),
    "初次申报初级职称（技术员、助理工程师），2011年度申报");
  assert.equal(subject({ kind: "cycle", title: "engineer", cycle_start: 2009, year: 2012 }, NAMES),
    "周期验审：工程师，周期自2009年度起，截至2012年度");
  const request = { ...REQUEST, records: [...REQUEST.records, { year: 2012, module: "public", hours: 8 }] };
  request.records[1] = { year: 2012, module: "other", hours: 40.5 };
  request.records[2] = { ...REQUEST.records[0] };
  assert.deepEqual([...notCounted(request, RESPONSE)], [
    [1, "不在计算窗口内（2009—2011年度）"],
    [2, "与第 1 条是同一门课程（2010/G-11），不重复计入"],
  ]);
  assert.equal(
    announcement(request, RESPONSE),
    "核算结果：未达标；总学时已计入 8 学时 / 要求 96 学时，尚差 88 学时；公共必修课已计入 8 学时 / 要求 24 学时，尚差 16 学时；2 条记录未计入；1 条提示。",
  );
});

test("a covered total is not called a shortfall", () => {
  assert.equal(shortfallText({ total: 0, public: 8 }), "总学时已够，尚差公共必修课 8 学时");
  assert.equal(shortfallText({ total: 52, public: 8 }), "尚差总学时 52 学时（其中公共必修课 8 学时）");
  assert.equal(shortfallText({ total: 4, public: 8 }), "尚差总学时 4 学时、公共必修课 8 学时");
  assert.equal(shortfallText({ total: 10, public: 0 }), "尚差总学时 10 学时");
  assert.equal(shortfallText({ total: 0, public: 0 }), "已达标");
  const plan = { shortfall: { total: 0, public: 8 }, years: [2026] };
  assert.equal(planHeading(plan), "总学时已够，尚差公共必修课 8 学时。按2026年度课程目录，建议报名以下办班（公共必修课优先）：");
  assert.equal(suggestionText({ course: "2026/E-1", title: "数控", hours: 12.5, module: "elective" }, NAMES),
    "E-1 数控（12.5学时，专业选修课）");
});

test("implausible records get a hint before they count", () => {
  const ctx = { kind: "promotion", year: 2011, window: null };
  assert.deepEqual(recordHints({ year: 2010, hours: 16 }, NAMES, ctx), []);
  assert.deepEqual(recordHints({ year: 2010, hours: 99999999999 }, NAMES, ctx), [
    "一条记录超过 200 学时（一个完整周期的要求），请核对是否填错",
  ]);
  assert.deepEqual(recordHints({ year: 2008, hours: 8 }, NAMES, ctx), ["早于2009年度（继续教育自2009年开始），不会计入"]);
  assert.deepEqual(recordHints({ year: 2012, hours: 8 }, NAMES, ctx), ["晚于申报年度（2011年度），不会计入"]);
  assert.deepEqual(recordHints({ year: 2012, hours: 8 }, NAMES, { ...ctx, kind: "cycle" }), ["晚于验审年度（2011年度），不会计入"]);
  assert.deepEqual(recordHints({ year: 2010, hours: 8 }, NAMES, { ...ctx, year: 2016, window: { from: 2012, to: 2016 } }), [
    "不在计算窗口内（2012—2016年度），不会计入",
  ]);
  assert.deepEqual(recordHints({ year: "二〇一〇", hours: "八" }, NAMES, ctx), []); // the form's own message covers it
});

test("the store: one place, changes announced, the page's limit kept", () => {
  const store = createStore({ firstTarget: "junior_first", firstTitle: "engineer", recordModule: "elective" });
  const seen = [];
  store.subscribe((_state, change, detail) => seen.push(detail === undefined ? change : `${change}:${detail}`));
  const keys = store.addRecords([{ year: 2010, module: "public", hours: 8 }, {}]);
  assert.deepEqual(keys, [1, 2]);
  store.editRecord(2, "hours", "16");
  store.removeRecord(1);
  assert.deepEqual(store.get().work.records, [{ year: "", module: "elective", hours: "16", label: "", course: "", planned: false, key: 2 }]);
  assert.equal(store.addRecords(Array.from({ length: MAX_RECORDS }, () => ({}))), null);
  assert.equal(store.get().work.records.length, 1);
  store.replaceWork(fromRequest(REQUEST, store.blank()));
  assert.deepEqual(store.get().work.records.map((r) => r.key), [1, 2]); // ids start again
  store.setPrefs({ specialty: "mechanical", person: { name: "张三" } });
  store.setPrefs({ person: { unit: "某厂" } });
  store.setPrefs({ county: "乐清市" });
  assert.deepEqual(store.get().prefs, { specialty: "mechanical", county: "乐清市", person: { name: "张三", unit: "某厂", specialty: "", title: "" } });
  assert.deepEqual(seen, ["records", "record:2", "records", "work", "prefs", "prefs", "prefs"]);
});

test("a new record starts with the policy's recordModule, a link's record keeps its own", () => {
  const store = createStore({ recordModule: "public" });
  store.addRecords([{}, { module: "other" }]);
  assert.deepEqual(store.get().work.records.map((r) => r.module), ["public", "other"]);
  const work = fromRequest({ kind: "promotion", target: "engineer", year: 2011, records: [{ year: 2010, hours: 8 }] });
  store.replaceWork(work);
  assert.deepEqual(store.get().work.records.map((r) => r.module), ["public"]);
});

// --- issue 28: the plan as classes to book, planned records, readings, share links ---------

// The site's own expressions (generator/site/rendering/markup.py CONTACT_PATTERNS).
const PATTERNS = {
  email: "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}",
  phone: "(?<![\\d-])(?:0\\d{2,3}-?\\d{7,8}|1[3-9]\\d{9})(?![\\d-])",
};

test("dates as the site writes them: 2027年1月11日至13日", () => {
  assert.equal(dateSpan("2027-01-11", "2027-01-13"), "2027年1月11日至13日");
  assert.equal(dateSpan("2027-01-30", "2027-02-02"), "2027年1月30日至2月2日");
  assert.equal(dateSpan("2026-12-30", "2027-01-02"), "2026年12月30日至2027年1月2日");
  assert.equal(dateSpan("2027-03-05", "2027-03-05"), "2027年3月5日");
  const split = { start: "2027-03-06", end: "2027-03-20", sessions: [
    { start: "2027-03-06", end: "2027-03-06" }, { start: "2027-03-20", end: "2027-03-20" }] };
  assert.equal(classDates(split), "2027年3月6日；2027年3月20日");
  assert.equal(classDates({ start: "2027-01-11", end: "2027-01-13", sessions: [{ start: "2027-01-11", end: "2027-01-13" }] }),
    "2027年1月11日至13日");
  assert.equal(classText({ name: "第一期", start: "2027-01-11", end: "2027-01-13", registration_closes: "2026-12-20" }),
    "第一期（2027年1月11日至13日，报名截止 2026年12月20日）");
});

test("a deadline's status and the days left, across months and years", () => {
  assert.equal(daysUntil("2026-12-20", "2026-12-04"), 16);
  assert.equal(daysUntil("2027-01-01", "2026-12-31"), 1);
  assert.equal(daysUntil("2024-03-01", "2024-02-28"), 2); // a leap year
  assert.deepEqual(deadlineStatus("2026-12-20", "2026-12-04"), { state: "open", text: "报名中，还有 16 天" });
  assert.deepEqual(deadlineStatus("2026-12-20", "2026-12-20"), { state: "today", text: "今天截止" });
  assert.deepEqual(deadlineStatus("2026-12-20", "2026-12-21"), { state: "closed", text: "报名已截止" });
});

test("a contact's telephone numbers and addresses become tel: and mailto: links", () => {
  assert.deepEqual(contactParts("温州市工业科学研究院 0577-88881234，邮箱 px@wz.gov.cn", PATTERNS), [
    { text: "温州市工业科学研究院 " },
    { text: "0577-88881234", href: "tel:057788881234" },
    { text: "，邮箱 " },
    { text: "px@wz.gov.cn", href: "mailto:px@wz.gov.cn" },
  ]);
  assert.deepEqual(contactParts("手机13812345678", PATTERNS), [
    { text: "手机" }, { text: "13812345678", href: "tel:13812345678" }]);
  // A longer run of digits is no telephone number.
  assert.deepEqual(contactParts("编号 057788881234567", PATTERNS), [{ text: "编号 057788881234567" }]);
  assert.deepEqual(contactParts(null, PATTERNS), []);
  assert.equal(coversText({ total: 48, public: 16 }), "48 学时（其中公共必修课 16 学时）");
  assert.equal(coversText({ total: 24, public: 0 }), "24 学时");
});

test("a course whose class has not ended is planned, with its class", () => {
  const year = {
    year: 2027,
    classes: [
      { code: "2027-1", name: "第一期", start: "2027-01-11", end: "2027-01-13", courses: ["G-21", "E-1"] },
      { code: "2027-2", name: "第二期", start: "2026-11-01", end: "2026-11-03", courses: ["E-1", "E-2"] },
      { code: "2027-3", name: "第三期", start: "2027-03-01", end: "2027-03-02", courses: ["E-3"], status: "cancelled" },
    ],
  };
  const today = "2026-12-05";
  assert.equal(pendingClass(year, "G-21", today).code, "2027-1");
  assert.equal(pendingClass(year, "E-1", today), null); // one of its classes is over: it may be done
  assert.equal(pendingClass(year, "E-2", today), null);
  assert.equal(pendingClass(year, "E-3", today), null); // only a cancelled class
  assert.equal(pendingClass(year, "E-9", today), null); // no class at all
  assert.equal(pendingClass(year, "G-21", "2027-01-14"), null); // the class has ended
  assert.equal(pendingClass(year, "G-21", "2027-01-13").code, "2027-1"); // its last day
  // A county's class (for its junior staff) comes after a city class open to everyone.
  const county = { code: "YQ-1", name: "乐清班", level: "county", start: "2027-01-03", end: "2027-01-04", courses: ["G-21"] };
  assert.equal(pendingClass({ ...year, classes: [county, ...year.classes] }, "G-21", today).code, "2027-1");
  assert.equal(pendingClass({ ...year, classes: [county] }, "G-21", today).code, "YQ-1");
  assert.equal(pendingClass(undefined, "G-21", today), null);
  assert.equal(plannedNote(year.classes[0]), "计划：参加第一期（2027年1月11日至13日）；尚未完成，不计入已完成学时");
  assert.equal(plannedNote(null), "计划：尚未参加；尚未完成，不计入已完成学时");
});

test("planned records round-trip and are refused when not a flag", () => {
  const request = {
    kind: "promotion", target: "engineer", year: 2027,
    records: [
      { year: 2027, module: "public", hours: 16, label: "G-21 职业道德", course: "2027/G-21", planned: true },
      { year: 2026, module: "elective", hours: 8, planned: false },
    ],
  };
  const work = fromRequest(request);
  assert.equal(work.records[0].planned, true);
  assert.equal(work.records[1].planned, false);
  // A done record carries no flag: the request stays what it was before plans existed.
  assert.deepEqual(toRequest(work).request.records, [request.records[0], { year: 2026, module: "elective", hours: 8 }]);
  assert.deepEqual(checkRequest(request, NAMES), { request });
  const bad = { ...request, records: [{ year: 2027, module: "public", hours: 8, planned: "yes" }] };
  assert.deepEqual(checkRequest(bad, NAMES), {
    problem: "有本页不认识的内容：第 1 条记录的 planned “yes”（应为 true 或 false）",
    kind: "unknown",
  });
  assert.deepEqual(errorPlace({ path: "records[0].planned", problem: "应为 true 或 false" }, "promotion"), {
    field: "planned", record: 0, text: "应为 true 或 false",
  });
});

test("what the planned records give once done", () => {
  const base = { met: false, shortfall: { total: 48, public: 16 }, planned: [3, 4] };
  assert.equal(withPlannedText(base), "");
  assert.equal(withPlannedText({ ...base, with_planned: { met: true, counted: { total: 128, public: 32 }, shortfall: { total: 0, public: 0 } } }),
    "完成计划后：达标（2 条计划中的学时尚未计入上面的结果）");
  assert.equal(withPlannedText({ ...base, with_planned: { met: false, counted: { total: 120, public: 32 }, shortfall: { total: 8, public: 0 } } }),
    "完成计划后：尚差总学时 8 学时（2 条计划中的学时尚未计入上面的结果）");
});

test("a share link keeps the sender's specialty beside the request", () => {
  const request = { kind: "promotion", target: "engineer", year: 2027, records: [] };
  const link = linkFor(request, "https://example.org/jxjy/calculator/", "mechanical");
  const url = new URL(link);
  assert.equal(url.pathname, "/jxjy/calculator/");
  assert.equal(url.searchParams.get("specialty"), "mechanical");
  assert.deepEqual(JSON.parse(decode(url.hash.slice(3))), request);
  // None chosen: no parameter, and an old one on the page's address is not carried on.
  const plain = new URL(linkFor(request, "https://example.org/calculator/?specialty=fishery"));
  assert.equal(plain.search, "");
});

test("a share link keeps the sender's county beside the specialty", () => {
  const request = { kind: "promotion", target: "assistant_engineer", year: 2027, records: [] };
  const url = new URL(linkFor(request, "https://example.org/calculator/", "mechanical", "乐清市"));
  assert.equal(url.searchParams.get("specialty"), "mechanical");
  assert.equal(url.searchParams.get("county"), "乐清市");
  assert.deepEqual(JSON.parse(decode(url.hash.slice(3))), request);
  // None chosen: no parameter, and an old one on the page's address is not carried on.
  const plain = new URL(linkFor(request, "https://example.org/calculator/?county=%E7%91%9E%E5%AE%89%E5%B8%82", "mechanical"));
  assert.equal(plain.search, "?specialty=mechanical");
});

test("the county choice is offered to junior targets and junior titles held only", () => {
  const names = {
    junior: { targets: ["junior_first", "assistant_engineer"], titles: ["assistant_engineer", "technician"] },
    counties: ["乐清市", "瑞安市"],
  };
  const work = (fields) => ({ ...emptyWork("engineer", "engineer"), ...fields });
  assert.equal(mayChooseCounty(work({ target: "assistant_engineer" }), names), true);
  assert.equal(mayChooseCounty(work({ target: "junior_first" }), names), true);
  assert.equal(mayChooseCounty(work({ target: "engineer" }), names), false);
  assert.equal(mayChooseCounty(work({ target: "senior_engineer" }), names), false);
  // A cycle: the title held, whatever the (hidden) target says.
  assert.equal(mayChooseCounty(work({ kind: "cycle", target: "assistant_engineer", title: "engineer" }), names), false);
  assert.equal(mayChooseCounty(work({ kind: "cycle", target: "engineer", title: "technician" }), names), true);
  // No catalog names a county: nothing to choose.
  assert.equal(mayChooseCounty(work({ target: "assistant_engineer" }), { ...names, counties: [] }), false);
  // The planner gets the county only while it is offered, else none (`ceportal plan` without --county).
  assert.equal(plannedCounty(work({ target: "assistant_engineer" }), names, "乐清市"), "乐清市");
  assert.equal(plannedCounty(work({ target: "assistant_engineer" }), names, ""), null);
  assert.equal(plannedCounty(work({ target: "engineer" }), names, "乐清市"), null);
});

test("a plan card says who the class serves, as the schedule does", () => {
  const levels = { city: "市本级", county: "县（市、区）" };
  assert.equal(levelText({ level: "city", county: null }, levels), "市本级");
  assert.equal(levelText({ level: "county", county: "乐清市" }, levels), "县（市、区）：乐清市");
  assert.equal(levelText({ county: null }, levels), "市本级"); // no level: 市本级 (DESIGN.md)
});
