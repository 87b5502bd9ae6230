// The catalog picker (从课程目录添加, above the list), 添加其他学时 and ?add=<year>/<code>
// (a course page's link): records added to the store, a course's record with `course`;
// a course whose class has not ended yet is added as planned (DESIGN.md: never counted
// as done), with its class.

import { $, announce, setBox } from "./dom.js";
import { pendingClass } from "./format.js";
import { shown } from "./request.js";
import { MAX_RECORDS } from "./validate.js";

const LIMIT = `学时记录已达本页上限 ${MAX_RECORDS} 条，不能再添加。`;

/** `catalogsData`: a promise of catalogs.json; `today()`: the local date, YYYY-MM-DD.
 * Returns {loaded, addFromQuery, classOf}. */
export function pickerView(store, form, names, catalogsData, today) {
  let catalogs = null; // {years: [...]} once loaded

  function catalogYear(year) {
    return catalogs && catalogs.years.find((y) => String(y.year) === String(year));
  }

  function fillCourses() {
    const select = $("ce-pick-course");
    const year = catalogYear($("ce-pick-year").value);
    select.replaceChildren(
      ...(year ? year.courses : []).map(
        (c) => new Option(`${c.code} ${c.title}（${c.hours}学时，${names.modules[c.module] || c.module}）`, c.code),
      ),
    );
  }

  function courseRecord(year, course) {
    const record = {
      year: year.year,
      module: course.module,
      hours: course.hours,
      label: `${course.code} ${course.title}`,
      course: `${year.year}/${course.code}`,
    };
    if (pendingClass(year, course.code, today())) record.planned = true;
    return record;
  }

  /** The class a course ("2027/G-21") is still to be taken in, or null. */
  function classOf(course) {
    if (typeof course !== "string" || !course.includes("/")) return null;
    const [yearText, code] = course.split("/");
    return pendingClass(catalogYear(yearText), code, today());
  }

  // "已添加第 3 条记录：职业道德，8学时" (", 记为计划：…" when its class is still to come).
  function added(record, title, count, how = "已添加") {
    const plan = record.planned ? "；其办班尚未结束，记为计划（不计入已完成学时）" : "";
    return `${how}第 ${count} 条记录：${title}，${record.hours}学时${plan}`;
  }

  const loaded = catalogsData.then(
    (data) => {
      catalogs = data;
      const years = $("ce-pick-year");
      for (const y of [...catalogs.years].reverse()) years.append(new Option(`${y.year}年度`, String(y.year)));
      if (!catalogs.years.length) setBox("ce-pick-error", "暂无课程目录，请用“添加其他学时”填写。");
      fillCourses();
    },
    (error) => setBox("ce-pick-error", `课程目录加载失败：${error.message}`),
  );

  $("ce-pick-year").addEventListener("change", fillCourses);
  $("ce-pick-add").addEventListener("click", () => {
    setBox("ce-pick-error", "");
    const year = catalogYear($("ce-pick-year").value);
    const course = year && year.courses.find((c) => c.code === $("ce-pick-course").value);
    if (!course) {
      setBox("ce-pick-error", catalogs ? "请先选择一门课程。" : "课程目录尚未加载完成，请稍候。");
      return;
    }
    const record = courseRecord(year, course);
    if (!store.addRecords([record])) {
      setBox("ce-pick-error", LIMIT);
      return;
    }
    announce(added(record, course.title, store.get().work.records.length));
  });
  $("ce-add-other").addEventListener("click", () => {
    setBox("ce-pick-error", "");
    const keys = store.addRecords([{}]);
    if (!keys) setBox("ce-pick-error", LIMIT);
    else form.focusRecord(keys[0]);
  });

  // ?add=<year>/<code>: a course page's "add to my self-check" link.
  function addFromQuery() {
    const params = new URLSearchParams(location.search);
    const wanted = params.get("add");
    if (wanted === null) return false;
    params.delete("add");
    const query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? `?${query}` : "") + location.hash);
    const [yearText, code] = wanted.split("/");
    const year = catalogYear(yearText);
    const course = year && year.courses.find((c) => c.code === code);
    if (!course) {
      setBox("ce-notice", `链接要添加的课程“${shown(wanted)}”不在课程目录中，未添加。`);
      return false;
    }
    const records = store.get().work.records;
    const key = `${year.year}/${code}`.toLowerCase(); // codes compare case-insensitively (DESIGN.md)
    const already = records.findIndex((r) => r.course.toLowerCase() === key);
    if (already >= 0) {
      const how = records[already].planned ? "（计划）" : "";
      const text = `课程“${course.title}”（${wanted}）已在学时记录中${how}（第 ${already + 1} 条），未重复添加。`;
      setBox("ce-notice", text, true);
      announce(text);
      return true;
    }
    const record = courseRecord(year, course);
    if (!store.addRecords([record])) {
      setBox("ce-notice", LIMIT);
      return false;
    }
    const text = `${added(record, course.title, records.length + 1, "已从课程目录添加")}。`;
    setBox("ce-notice", text, true);
    announce(text);
    return true;
  }

  return { loaded, addFromQuery, classOf };
}
