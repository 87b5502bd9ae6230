// The form's state <-> the request (DESIGN.md, `ceportal hours`). Pure: no DOM.
//
// The state keeps what the visitor typed, as text; the request is what the rules take.
// `toRequest` also returns the problems only the form can see (text where a number
// belongs); everything else is judged by the rules.

/** Full-width digits and point (typed with a Chinese input method) count as digits. */
export function normalise(text) {
  return String(text)
    .trim()
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[．。]/g, ".")
    .replace(/[－]/g, "-");
}

/** A number, or the text as typed when it is not one (the message says what is wrong). */
export function parseNumber(text) {
  const t = normalise(text);
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t) ? Number(t) : t;
}

/** At most 20 characters of `value`, as messages quote it. */
export function shown(value) {
  const text = String(value);
  return text.length > 20 ? `${text.slice(0, 20)}…` : text;
}

function numberProblem(value, what) {
  if (value === "") return `请填写${what}`;
  if (typeof value !== "number") return `${what}必须是数字，收到“${shown(value)}”`;
  return null;
}

function text(value) {
  return value === undefined || value === null ? "" : String(value);
}

/** An empty piece of work: what 清空本页 leaves. */
export function emptyWork(firstTarget = "", firstTitle = "") {
  return {
    kind: "promotion",
    target: firstTarget,
    promotionYear: "",
    title: firstTitle,
    cycleStart: "",
    cycleYear: "",
    records: [],
  };
}

/** Whether the work's applicant may attend county classes (notice 第四条), so the form
 * offers its county choice: a junior target, or a junior title held (`names.junior`, the
 * planner's own reading of policy.yaml's `junior`). */
export function mayChooseCounty(work, names) {
  const junior = names.junior || { targets: [], titles: [] };
  if (!(names.counties || []).length) return false; // no catalog names a county
  return work.kind === "cycle" ? junior.titles.includes(work.title) : junior.targets.includes(work.target);
}

/** The county the planner gets: the chosen one, only while the choice is offered. */
export function plannedCounty(work, names, county) {
  return county && mayChooseCounty(work, names) ? county : null;
}

/** A record as the form holds it (text as typed); `module` when it names none (the
 * policy's `recordModule`, see calculator/page.py). */
export function recordState(record = {}, module = "") {
  return {
    year: text(record.year),
    module: typeof record.module === "string" && record.module !== "" ? record.module : module,
    hours: text(record.hours),
    label: typeof record.label === "string" ? record.label : "",
    course: typeof record.course === "string" ? record.course : "",
    planned: record.planned === true, // a course still to be taken (DESIGN.md): never counted as done
  };
}

/**
 * The request `work` describes, and the form's own problems:
 * `{request, problems: [{field, record?, text}]}`, `field` naming the state's field
 * (`promotionYear`, `cycleStart`, `cycleYear`, or a record's `year`/`hours`) and
 * `record` the record's index.
 */
export function toRequest(work) {
  const problems = [];
  const number = (value, what, field, record) => {
    const parsed = parseNumber(value);
    const problem = numberProblem(parsed, what);
    if (problem) problems.push(record === undefined ? { field, text: problem } : { field, record, text: problem });
    return parsed;
  };
  let request;
  if (work.kind === "cycle") {
    request = {
      kind: "cycle",
      title: work.title,
      cycle_start: number(work.cycleStart, "周期起始年度", "cycleStart"),
      year: number(work.cycleYear, "验审年度", "cycleYear"),
    };
  } else {
    request = {
      kind: "promotion",
      target: work.target,
      year: number(work.promotionYear, "申报年度", "promotionYear"),
    };
  }
  request.records = work.records.map((r, i) => {
    const record = {
      year: number(r.year, "学习年度", "year", i),
      module: r.module,
      hours: number(r.hours, "学时", "hours", i),
    };
    const label = r.label.trim();
    if (label) record.label = label;
    if (r.course) record.course = r.course;
    if (r.planned) record.planned = true;
    return record;
  });
  return { request, problems };
}

/** The work a (checked, see validate.js) request describes, on top of `base`
 * (the empty work: the other kind's fields keep their defaults). */
export function fromRequest(request, base = emptyWork()) {
  const records = request.records.map((record) => recordState(record));
  if (request.kind === "cycle") {
    return {
      ...base,
      kind: "cycle",
      title: text(request.title),
      cycleStart: text(request.cycle_start),
      cycleYear: text(request.year),
      records,
    };
  }
  return { ...base, kind: "promotion", target: text(request.target), promotionYear: text(request.year), records };
}

/** Whether `work` holds anything a visitor would miss if it were replaced. */
export function hasWork(work) {
  return Boolean(
    work.records.length || work.promotionYear || work.cycleStart || work.cycleYear,
  );
}

const TOP_FIELDS = ["year", "target", "title", "cycle_start"];
const RECORD_FIELD = /^records\[(\d+)\]\.(year|module|hours|label|course|planned)$/;

/**
 * Where a refusal of the rules belongs, from its fields (a rejected `ceHours` Error:
 * `path`, `problem`, and `message`, the CLI's whole line): `{field, record?, text}` for a
 * field of the form (`record`: the record's index), or `{box, text}` for the records' or
 * the form's message box. The path is read, never the message.
 */
export function errorPlace({ path = "", problem, message }, kind) {
  const text = problem ?? message;
  const record = RECORD_FIELD.exec(path);
  if (record) return { field: record[2], record: Number(record[1]), text };
  if (TOP_FIELDS.includes(path)) {
    const field = { year: kind === "cycle" ? "cycleYear" : "promotionYear", cycle_start: "cycleStart" }[path];
    return { field: field || path, text };
  }
  if (path === "records") return { box: "ce-records-error", text };
  // A whole record (records[2]: not an object): the line names which one.
  if (/^records\[\d+\]$/.test(path)) return { box: "ce-records-error", text: message };
  return { box: "ce-form-error", text: message };
}
