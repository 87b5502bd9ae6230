// The offline copy says when it is answering (issue 24, item 6): the probe of
// manifest.json judged, and the ready line worded (generator/browser/web/copy-status.js).
import { test } from "node:test";
import assert from "node:assert/strict";

import { readFileSync } from "node:fs";

import {
  OFFLINE_COPY_HEADER,
  deploymentDate,
  judgeCopy,
  readyText,
} from "../../../generator/browser/web/copy-status.js";

const PAGE = { version: 6, deployed: "2026-12-04", files: { "policy.json": { integrity: "sha256-a" } } };
const answer = (value, extra = {}) => ({ ok: true, offlineCopy: false, text: JSON.stringify(value), ...extra });

test("a deployment date reads as a Chinese date", () => {
  assert.equal(deploymentDate("2026-12-04"), "2026年12月4日");
  assert.equal(deploymentDate("2009-04-01"), "2009年4月1日");
  assert.equal(deploymentDate("2026-11-30"), "2026年11月30日");
  for (const bad of [undefined, null, 20261204, "2026-13-01", "2026-12-00", "2026-12-4", " 2026-12-04"]) {
    assert.equal(deploymentDate(bad), null, String(bad));
  }
});

test("the page is current only when the network serves its own manifest", () => {
  assert.equal(judgeCopy(PAGE, answer(PAGE)), "current");
  // A new deployment: another manifest.
  assert.equal(judgeCopy(PAGE, answer({ ...PAGE, deployed: "2026-12-05" })), "outdated");
  assert.equal(judgeCopy(PAGE, answer({ ...PAGE, files: {} })), "outdated");
});

test("no confirmation without an answer from the network", () => {
  assert.equal(judgeCopy(PAGE, null), "unconfirmed"); // the request failed
  assert.equal(judgeCopy(PAGE, answer(PAGE, { offlineCopy: true })), "unconfirmed"); // sw.js's copy
  assert.equal(judgeCopy(PAGE, answer(PAGE, { ok: false })), "unconfirmed"); // 503
  // A captive portal's page, or JSON that is no manifest.
  assert.equal(judgeCopy(PAGE, { ok: true, offlineCopy: false, text: "<html>登录</html>" }), "unconfirmed");
  assert.equal(judgeCopy(PAGE, answer({ ok: 1 })), "unconfirmed");
  assert.equal(judgeCopy(PAGE, answer(null)), "unconfirmed");
  assert.equal(judgeCopy(PAGE, answer([PAGE])), "unconfirmed");
});

test("the ready line names the offline copy and its deployment date", () => {
  const line = (copy, online, deployed = "2026-12-04") => readyText("计算引擎", { copy, deployed, online });
  assert.equal(line("current", true), "计算引擎已就绪");
  assert.equal(line("unconfirmed", true),
               "计算引擎已就绪（离线副本，部署日期2026年12月4日：未能联网确认是否为最新版本）");
  assert.equal(line("outdated", true),
               "计算引擎已就绪（网站已发布新版本，请刷新页面；本页是部署日期2026年12月4日的旧版本）");
  // Offline, whatever the last probe said.
  for (const copy of ["current", "unconfirmed", "outdated"]) {
    assert.equal(line(copy, false),
                 "计算引擎已就绪（离线副本，部署日期2026年12月4日：当前离线，使用上次联网访问时保存并校验过的版本）");
  }
  assert.equal(readyText("核查引擎", { copy: "unconfirmed", deployed: "2009-04-01", online: true }),
               "核查引擎已就绪（离线副本，部署日期2009年4月1日：未能联网确认是否为最新版本）");
  // A manifest without a date (never from this build) still gives a sentence.
  assert.equal(line("unconfirmed", true, null), "计算引擎已就绪（离线副本：未能联网确认是否为最新版本）");
  assert.equal(line("outdated", true, null), "计算引擎已就绪（网站已发布新版本，请刷新页面；本页是旧版本）");
});

test("the service worker marks its answers with the header the page reads", () => {
  // sw.js is a classic script (it cannot import the module): one name, checked here.
  const worker = readFileSync(new URL("../../../generator/browser/web/sw.js", import.meta.url), "utf-8");
  assert.match(worker, new RegExp(`^const OFFLINE_COPY = "${OFFLINE_COPY_HEADER}";$`, "m"));
});
