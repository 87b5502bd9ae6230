// Every sentence the page shows about a request, a result or a plan. Pure: no DOM.
// `names` is the page's policy names: {targets, titles, modules, specialties} (id ->
// name, from policy.json via the page), `startYear` and `maxRecordHours`.

export function span(from, to) {
  return from === to ? `${from}年度` : `${from}—${to}年度`;
}

function name(table, id) {
  return Object.hasOwn(table, id) ? table[id] : String(id);
}

/**
 * "助理工程师晋升工程师（2011年度申报）" (a target's name says who applies for what),
 * "初次申报初级职称（技术员、助理工程师），2011年度申报" (a name that ends in brackets
 * takes no second pair), or "周期验审：工程师，周期自2009年度起，截至2012年度".
 */
export function subject(request, names) {
  if (request.kind === "cycle") {
    return `周期验审：${name(names.titles, request.title)}，周期自${request.cycle_start}年度起，截至${request.year}年度`;
  }
  const target = name(names.targets, request.target);
  const when = `${request.year}年度申报`;
  return target.endsWith("）") ? `${target}，${when}` : `${target}（${when}）`;
}

/** "第 4 条（2012年度，公共必修课，8学时，E-M11 精密制造与检测技术）". */
export function describeRecord(record, index, names) {
  const label = typeof record.label === "string" && record.label ? `，${record.label}` : "";
  return `第 ${index + 1} 条（${record.year}年度，${name(names.modules, record.module)}，${record.hours}学时${label}）`;
}

/** "已计入 64.5 学时 / 要求 96 学时，尚差 31.5 学时". */
export function quotaText(required, counted, shortfall) {
  const base = `已计入 ${counted} 学时 / 要求 ${required} 学时`;
  return shortfall ? `${base}，尚差 ${shortfall} 学时` : base;
}

/** What is still missing, phrased so that a covered total is not called a shortfall. */
export function shortfallText({ total, public: pub }) {
  if (!total && !pub) return "已达标";
  if (!total) return `总学时已够，尚差公共必修课 ${pub} 学时`;
  if (!pub) return `尚差总学时 ${total} 学时`;
  if (pub <= total) return `尚差总学时 ${total} 学时（其中公共必修课 ${pub} 学时）`;
  return `尚差总学时 ${total} 学时、公共必修课 ${pub} 学时`;
}

/** Why each record that did not count did not: index -> reason. The rules' warning for a
 * record (e.g. a repeated course) is its reason when it has one. */
export function notCounted(request, response) {
  const warned = new Map((response.warnings || []).map((w) => [w.record, w.text]));
  const { from, to } = response.window;
  const reasons = new Map();
  for (const index of response.ignored) {
    const record = request.records[index];
    let reason;
    if (warned.has(index)) reason = warned.get(index);
    else if (record.year < from || record.year > to) reason = `不在计算窗口内（${span(from, to)}）`;
    else reason = `晚于${request.kind === "cycle" ? "验审" : "申报"}年度（${request.year}年度），尚不计入`;
    reasons.set(index, reason);
  }
  return reasons;
}

/** Warnings the rules gave about records that still counted: index -> [text]. */
export function warningsByRecord(response) {
  const out = new Map();
  for (const w of response.warnings || []) {
    if (!out.has(w.record)) out.set(w.record, []);
    out.get(w.record).push(w.text);
  }
  return out;
}

/**
 * Hints about a record that looks implausible, shown next to it while it is typed,
 * before anything is counted. `record` holds numbers where the visitor typed them;
 * `context` is {year: the application/as-of year or null, window: {from, to} or null}.
 */
export function recordHints(record, names, context = {}) {
  const hints = [];
  const { year, hours } = record;
  if (typeof hours === "number" && hours > names.maxRecordHours) {
    hints.push(`一条记录超过 ${names.maxRecordHours} 学时（一个完整周期的要求），请核对是否填错`);
  }
  if (typeof year === "number" && Number.isInteger(year)) {
    const window = context.window;
    if (year < names.startYear) {
      hints.push(`早于${names.startYear}年度（继续教育自${names.startYear}年开始），不会计入`);
    } else if (typeof context.year === "number" && year > context.year) {
      hints.push(`晚于${context.kind === "cycle" ? "验审" : "申报"}年度（${context.year}年度），不会计入`);
    } else if (window && (year < window.from || year > window.to)) {
      hints.push(`不在计算窗口内（${span(window.from, window.to)}），不会计入`);
    }
  }
  return hints;
}

/** The one sentence a screen reader hears when a result arrives. */
export function announcement(request, response) {
  const { required, counted } = response;
  const parts = [
    `核算结果：${response.met ? "达标" : "未达标"}`,
    `总学时${quotaText(required.total, counted.total, response.shortfall.total)}`,
  ];
  if (required.public) {
    parts.push(`公共必修课${quotaText(required.public, counted.public, response.shortfall.public)}`);
  }
  if (response.ignored.length) parts.push(`${response.ignored.length} 条记录未计入`);
  if ((response.warnings || []).length) parts.push(`${response.warnings.length} 条提示`);
  return `${parts.join("；")}。`;
}

/** "E-M11 精密制造与检测技术（16学时，专业选修课）". */
export function suggestionText(suggestion, names) {
  const code = suggestion.course.slice(suggestion.course.indexOf("/") + 1);
  return `${code} ${suggestion.title}（${suggestion.hours}学时，${name(names.modules, suggestion.module)}）`;
}

/** "2010年第一期培训班（2010年4月22日至24日，报名截止 2010年3月31日）". */
export function classText(session) {
  return `${session.name}（${dateSpan(session.start, session.end)}，报名截止 ${dateText(session.registration_closes)}）`;
}

/** "尚差总学时 48 学时（其中公共必修课 16 学时）。按该年度课程目录，建议报名以下办班：". */
export function planHeading(plan) {
  const years = plan.years;
  const where = years.length ? `按${span(years[0], years[years.length - 1])}课程目录，` : "";
  return `${shortfallText(plan.shortfall)}。${where}建议报名以下办班（公共必修课优先）：`;
}

/** "2026年12月2日" of "2026-12-02". */
export function dateText(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return `${y}年${m}月${d}日`;
}

/** "2027年1月11日至13日", "2027年1月30日至2月2日": a span as the site's pages write it
 * (generator/site/rendering/markup.py, cn_span). */
export function dateSpan(start, end) {
  if (!end || start === end) return dateText(start);
  const [y1, m1] = start.split("-").map(Number);
  const [y2, m2, d2] = end.split("-").map(Number);
  if (y1 !== y2) return `${dateText(start)}至${dateText(end)}`;
  if (m1 !== m2) return `${dateText(start)}至${m2}月${d2}日`;
  return `${dateText(start)}至${d2}日`;
}

/** Whole days from `today` to `iso` (both YYYY-MM-DD): negative once it has passed. */
export function daysUntil(iso, today) {
  const day = (text) => Date.UTC(...text.split("-").map((n, i) => Number(n) - (i === 1 ? 1 : 0)));
  return Math.round((day(iso) - day(today)) / 86_400_000);
}

/** A registration deadline's state on `today`: {state: open|today|closed, text}. */
export function deadlineStatus(closes, today) {
  const days = daysUntil(closes, today);
  if (days < 0) return { state: "closed", text: "报名已截止" };
  if (days === 0) return { state: "today", text: "今天截止" };
  return { state: "open", text: `报名中，还有 ${days} 天` };
}

/** A class's dates: its sessions when it meets on separate days, else start to end. */
export function classDates(session) {
  const parts = Array.isArray(session.sessions) && session.sessions.length > 1 ? session.sessions : [session];
  return parts.map((p) => dateSpan(p.start, p.end)).join("；");
}

/** "48 学时（其中公共必修课 16 学时）" of a {total, public} pair. */
export function coversText({ total, public: pub }) {
  return pub ? `${total} 学时（其中公共必修课 ${pub} 学时）` : `${total} 学时`;
}

/**
 * A contact text cut into pieces a phone can act on: [{text}, {text, href}], telephone
 * numbers as tel: and addresses as mailto: links. `patterns` is {phone, email}: the
 * site's own expressions (generator/site/rendering/markup.py), given by the page.
 */
export function contactParts(text, patterns) {
  if (!text) return [];
  const both = new RegExp(`(${patterns.email})|(${patterns.phone})`, "g");
  const out = [];
  let at = 0;
  for (const match of text.matchAll(both)) {
    if (match.index > at) out.push({ text: text.slice(at, match.index) });
    const piece = match[0];
    out.push({ text: piece, href: match[1] ? `mailto:${piece}` : `tel:${piece.replace(/-/g, "")}` });
    at = match.index + piece.length;
  }
  if (at < text.length) out.push({ text: text.slice(at) });
  return out;
}

/** "完成计划后：达标" or "完成计划后：尚差总学时 8 学时", from a response's `with_planned`. */
export function withPlannedText(response) {
  const after = response.with_planned;
  if (!after) return "";
  const count = (response.planned || []).length;
  const what = after.met ? "达标" : shortfallText(after.shortfall);
  return `完成计划后：${what}（${count} 条计划中的学时尚未计入上面的结果）`;
}

/** For a record of the course `code` of a catalog year: the class it can still be taken
 * in when none of its classes has ended on `today` (it cannot have been done yet), else
 * null (no class, or one over: it may be done). A 市本级 class (open to everyone, notice
 * 第四条) before a county's, then the earliest. */
export function pendingClass(year, code, today) {
  if (!year || !Array.isArray(year.classes)) return null;
  const classes = year.classes.filter((c) => (c.courses || []).includes(code) && c.status !== "cancelled");
  if (!classes.length || classes.some((c) => c.end < today)) return null;
  const key = (c) => `${c.level === "county" ? 1 : 0}${c.start}`;
  return [...classes].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))[0];
}

/** Who a class serves, as the schedule says it (级别): "市本级", or "县（市、区）：乐清市"
 * (notice 第四条: that county's junior titles). `levels`: the catalog's level names. */
export function levelText(session, levels) {
  const level = levels[session.level || "city"] || "";
  if (!session.county) return level;
  return level ? `${level}：${session.county}` : session.county;
}

/** "计划：参加2027年第一期培训班（2027年1月11日至13日）；尚未完成，不计入已完成学时". */
export function plannedNote(session) {
  const where = session ? `参加${session.name}（${classDates(session)}）` : "尚未参加";
  return `计划：${where}；尚未完成，不计入已完成学时`;
}
