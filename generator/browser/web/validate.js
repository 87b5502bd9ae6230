// What a saved, imported or shared request must be before the form takes it. Pure.
//
// The rules judge the figures (and say so next to the field); this only refuses what
// the form cannot hold: not a request at all, more records than the page's limit,
// or a choice the page does not offer (an unknown target, title or category would
// otherwise be shown as the select's first option).

/** The page's own limit: anything it accepts renders in well under a second. */
export const MAX_RECORDS = 500;

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function quoted(value) {
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
  return `“${text.length > 20 ? `${text.slice(0, 20)}…` : text}”`;
}

/**
 * Check `data` (parsed JSON) against the page's choices `names` ({targets, titles,
 * modules}: id -> name). Returns `{request: data}`, or `{problem, kind}`: a Chinese
 * phrase saying why the page cannot open it, and whether the data is no request at
 * all (`shape`), too long (`limit`) or holds a choice the page lacks (`unknown`).
 */
export function checkRequest(data, names) {
  const shape = (why) => ({ problem: `内容不是学时自查记录（${why}）`, kind: "shape" });
  if (!isObject(data)) return shape("应为 JSON 对象");
  if (data.kind !== "promotion" && data.kind !== "cycle") return shape("kind 应为 promotion 或 cycle");
  if (!Array.isArray(data.records)) return shape("缺少 records 列表");
  if (!data.records.every(isObject)) return shape("records 中每一项都应为对象");
  if (data.records.length > MAX_RECORDS) {
    return {
      problem: `含 ${data.records.length} 条学时记录，超过本页上限 ${MAX_RECORDS} 条；请分成几次自查，或用 ceportal hours 核算`,
      kind: "limit",
    };
  }
  const unknown = [];
  const choice = (value, table, what) => {
    if (value === undefined) unknown.push(`缺少${what}`);
    else if (!Object.hasOwn(table, value)) unknown.push(`${what} ${quoted(value)}`);
  };
  if (data.kind === "promotion") choice(data.target, names.targets, "申报目标");
  else choice(data.title, names.titles, "现任职称");
  data.records.forEach((record, i) => {
    if (record.module === undefined) unknown.push(`第 ${i + 1} 条记录缺少类别`);
    else if (!Object.hasOwn(names.modules, record.module)) {
      unknown.push(`第 ${i + 1} 条记录的类别 ${quoted(record.module)}`);
    }
    // The form holds a planned record as a flag: anything but true or false is not one.
    if (record.planned !== undefined && typeof record.planned !== "boolean") {
      unknown.push(`第 ${i + 1} 条记录的 planned ${quoted(record.planned)}（应为 true 或 false）`);
    }
  });
  if (unknown.length) {
    const more = unknown.length > 5 ? `等 ${unknown.length} 处` : "";
    return { problem: `有本页不认识的内容：${unknown.slice(0, 5).join("、")}${more}`, kind: "unknown" };
  }
  return { request: data };
}
