// node --test: the registration status at fixed dates (run by tests/portal/test_site_status.py).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const reg = require("../../../generator/site/theme/assets/javascripts/registration-status.js");

const OPENS = "2010-03-01", CLOSES = "2010-03-31";

test("before registration opens: 未开始", () => {
  assert.equal(reg.status("2010-02-28", OPENS, CLOSES), "not-yet");
  assert.equal(reg.labels[reg.status("2010-02-28", OPENS, CLOSES)], "未开始");
});

test("from the first day to the deadline day included: 报名中", () => {
  for (const day of ["2010-03-01", "2010-03-15", "2010-03-31"]) {
    assert.equal(reg.labels[reg.status(day, OPENS, CLOSES)], "报名中", day);
  }
});

test("the day after the deadline: 已截止", () => {
  assert.equal(reg.labels[reg.status("2010-04-01", OPENS, CLOSES)], "已截止");
  assert.equal(reg.labels[reg.status("2026-12-02", OPENS, CLOSES)], "已截止");
});

test("no opening date: open until the deadline", () => {
  assert.equal(reg.status("2009-01-01", "", "2009-04-30"), "open");
  assert.equal(reg.status("2009-05-01", "", "2009-04-30"), "closed");
});

test("today is Wenzhou's date, whatever the visitor's time zone", () => {
  // 2010-03-31T16:30Z is 00:30 on 1 April in Wenzhou: the deadline has passed there.
  assert.equal(reg.todayIn(new Date("2010-03-31T16:30:00Z")), "2010-04-01");
  assert.equal(reg.todayIn(new Date("2010-03-31T15:59:00Z")), "2010-03-31");
});

test("summary sentences", () => {
  const classes = [{opens: OPENS, closes: CLOSES}, {opens: OPENS, closes: "2010-05-31"}];
  assert.equal(reg.summary("2010-02-01", classes), "报名尚未开始：2 个班次将于2010年3月1日起接受报名。");
  assert.equal(reg.summary("2010-04-15", classes), "今天可报名的班次有 1 个，请在各自的截止日期前报名。");
  assert.equal(reg.summary("2010-06-01", classes), "本年度各班次的报名均已截止。");
  assert.equal(reg.summary("2010-06-01", []), "");
});
