// Which copy of the page is answering, and what the engine's status line then says
// (issue 24, item 6). Pure functions: engine.js probes the page's manifest.json and
// judges the answer here; the calculator (main.js, through engine.js's status) and the
// audit page (audit.js) word their ready line with readyText().
//
// Where the page came from is known by content, not by the way it arrived: the page is
// the current deployment exactly when the manifest.json the server gives now is the
// manifest the page carries. The service worker (sw.js) marks every answer it takes from
// its offline copy with the header OFFLINE_COPY_HEADER, so a probe answered from there
// never counts as a confirmation.

/** The header sw.js adds to what it answers from its offline copy (the network failed). */
export const OFFLINE_COPY_HEADER = "X-Ceportal-Offline-Copy";

/** "2026-12-04" -> "2026年12月4日"; null for anything else. */
export function deploymentDate(iso) {
  const match = typeof iso === "string" ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  if (!match) return null;
  const [year, month, day] = match.slice(1).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return `${year}年${month}月${day}日`;
}

function isManifest(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    && value.files !== null && typeof value.files === "object";
}

/**
 * What the probe of manifest.json says about the page's copy, given the manifest the
 * page carries (parsed) and the probe: null when the request failed, else
 * {ok, offlineCopy, text} (offlineCopy: the service worker's mark was on the answer).
 * "current": the server serves the page's deployment; "outdated": it serves another
 * (a new deployment: the page should be reloaded); "unconfirmed": no answer from the
 * network (host down, offline, an answer from the offline copy, an error status, or
 * something that is no manifest, as a captive portal's page).
 */
export function judgeCopy(pageManifest, probe) {
  if (!probe || probe.offlineCopy || !probe.ok) return "unconfirmed";
  let served;
  try {
    served = JSON.parse(probe.text);
  } catch {
    return "unconfirmed";
  }
  if (!isManifest(served)) return "unconfirmed";
  // Both are the build's JSON (one writer, one key order): equal text, equal manifest.
  return JSON.stringify(served) === JSON.stringify(pageManifest) ? "current" : "outdated";
}

/**
 * The ready line of an engine named `engine` ("计算引擎", "核查引擎"): `copy` as
 * judgeCopy() says, `deployed` the page's manifest's date (YYYY-MM-DD), `online` the
 * browser's navigator.onLine.
 */
export function readyText(engine, { copy, deployed, online }) {
  const date = deploymentDate(deployed);
  const dated = date ? `，部署日期${date}` : "";
  if (!online) return `${engine}已就绪（离线副本${dated}：当前离线，使用上次联网访问时保存并校验过的版本）`;
  if (copy === "current") return `${engine}已就绪`;
  if (copy === "outdated") {
    return `${engine}已就绪（网站已发布新版本，请刷新页面；本页是${date ? `部署日期${date}的` : ""}旧版本）`;
  }
  return `${engine}已就绪（离线副本${dated}：未能联网确认是否为最新版本）`;
}
