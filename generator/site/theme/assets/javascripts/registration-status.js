// Registration status of each class (未开始 / 报名中 / 已截止), computed in the visitor's
// browser from the dates the page carries (data-ce-opens, data-ce-closes: ISO dates, the
// deadline day included). Without JavaScript the status stays hidden and only the dates
// are shown, so a page kept or printed never states a status that has become wrong.
// The pure part (status, todayIn, summary) is tested with `node --test` (tests/portal/js).
(function (root) {
  "use strict";

  var OPEN = "open", NOT_YET = "not-yet", CLOSED = "closed";
  var LABELS = {};
  LABELS[NOT_YET] = "未开始";
  LABELS[OPEN] = "报名中";
  LABELS[CLOSED] = "已截止";

  // today, opens and closes are "YYYY-MM-DD" (ISO dates compare as strings); opens may be
  // empty (the catalog gives no start: registration is open until the deadline).
  function status(today, opens, closes) {
    if (opens && today < opens) return NOT_YET;
    if (today > closes) return CLOSED;
    return OPEN;
  }

  // The date in Wenzhou (Asia/Shanghai, UTC+8 all year) at the instant `now`, whatever the
  // visitor's own time zone: the deadlines are Wenzhou's.
  function todayIn(now) {
    var shifted = new Date(now.getTime() + 8 * 3600 * 1000);
    return shifted.toISOString().slice(0, 10);
  }

  function cnDate(iso) {
    var p = iso.split("-");
    return Number(p[0]) + "年" + Number(p[1]) + "月" + Number(p[2]) + "日";
  }

  // One sentence for a list of classes ({opens, closes} each).
  function summary(today, classes) {
    var open = 0, notYet = 0, next = "";
    classes.forEach(function (c) {
      var s = status(today, c.opens, c.closes);
      if (s === OPEN) open += 1;
      if (s === NOT_YET) {
        notYet += 1;
        if (!next || c.opens < next) next = c.opens;
      }
    });
    if (open) return "今天可报名的班次有 " + open + " 个，请在各自的截止日期前报名。";
    if (notYet) return "报名尚未开始：" + notYet + " 个班次将于" + cnDate(next) + "起接受报名。";
    if (classes.length) return "本年度各班次的报名均已截止。";
    return "";
  }

  function wire(doc, now) {
    var today = todayIn(now);
    var seen = [];
    Array.prototype.forEach.call(doc.querySelectorAll(".ce-status[data-ce-closes]"), function (el) {
      var opens = el.getAttribute("data-ce-opens") || "";
      var closes = el.getAttribute("data-ce-closes");
      var s = status(today, opens, closes);
      el.textContent = LABELS[s];
      el.className = "ce-status ce-status--" + s;
      el.hidden = false;
      var holder = el.closest("[data-ce-class]");
      if (holder) {
        holder.setAttribute("data-ce-state", s);
        if (holder.closest(".ce-register")) seen.push({opens: opens, closes: closes});
      }
    });
    Array.prototype.forEach.call(doc.querySelectorAll("[data-ce-summary]"), function (el) {
      var text = summary(today, seen);
      if (text) {
        el.textContent = text;
        el.hidden = false;
      }
    });
  }

  var api = {status: status, todayIn: todayIn, summary: summary, labels: LABELS, wire: wire};
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
  } else {
    root.ceRegistration = api;
    var start = function () { wire(document, new Date()); };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }
})(this);
