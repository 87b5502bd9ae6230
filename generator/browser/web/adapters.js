// Where the work goes and comes from, apart from the view: localStorage, a JSON file
// (the file *is* a `ceportal hours` request) and a #r= link (base64url of the request).
// The saved work (written by this page) is parsed here: {data}, {problem} or null. A
// file or a link gives its text ({text}, {problem} or null): the rules' one reader reads
// it in the worker (engine.js readRequest), so it is read exactly as `ceportal hours`
// reads it; validate.js then checks what the form can hold.

import { decode, encode } from "./base64url.js";

const WORK_KEY = "ceportal.hours.v1"; // the request, exactly as the CLI takes it
const PREFS_KEY = "ceportal.hours.prefs.v1"; // specialty, county and the sheet's personal fields
export const MAX_IMPORT_BYTES = 1024 * 1024;

function get(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage disabled: the page still works, it just forgets
  }
}

function put(key, value) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Storage full or disabled (private mode): nothing more to do.
  }
}

function parsed(text) {
  try {
    return { data: JSON.parse(text) };
  } catch {
    return { problem: "不是有效的 JSON" };
  }
}

export const saved = {
  readWork() {
    const raw = get(WORK_KEY);
    return raw === null ? null : parsed(raw);
  },
  writeWork(request) {
    put(WORK_KEY, JSON.stringify(request));
  },
  forgetWork() {
    put(WORK_KEY, null);
  },
  readPrefs() {
    const raw = get(PREFS_KEY);
    const out = raw === null ? null : parsed(raw).data;
    return out !== null && typeof out === "object" && !Array.isArray(out) ? out : {};
  },
  writePrefs(prefs) {
    put(PREFS_KEY, JSON.stringify(prefs));
  },
};

/** The request text in a location hash (`#r=…`): {text}, {problem}, or null when there is none. */
export function readLink(hash) {
  if (!hash.startsWith("#r=")) return null;
  try {
    return { text: decode(hash.slice(3)) };
  } catch {
    return { problem: "无法解码" };
  }
}

/** The share link of `request` on the page at `href`; with the sender's `specialty` and
 * `county` (?specialty=, ?county=: the planner's options, not part of the request, which
 * stays what `ceportal hours` takes). */
export function linkFor(request, href, specialty = "", county = "") {
  const url = new URL(href);
  for (const [key, value] of [["specialty", specialty], ["county", county]]) {
    if (value) url.searchParams.set(key, value);
    else url.searchParams.delete(key);
  }
  url.hash = `r=${encode(JSON.stringify(request))}`;
  return url.href;
}

// What `ceportal hours` says of a file that is not UTF-8 (generator/commands/hours.py):
// UTF-16, with or without its byte order mark, and invalid UTF-8 alike. File.text()
// would have replaced the bad bytes and read on.
export const NOT_UTF8 = "请求文件不是 UTF-8 编码：请另存为 UTF-8";

/** The text of a chosen file: {text}, or {problem} already phrased for the visitor. */
export async function readFile(file, quote) {
  if (file.size > MAX_IMPORT_BYTES) return { problem: `文件“${quote(file.name)}”超过 1 MB，未导入。` };
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    // "utf-8-sig" as the CLI reads it: a UTF-8 byte order mark is dropped, nothing else.
    return { text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    return { problem: NOT_UTF8 };
  }
}

/** Offer `request` as 学时自查.json. */
export function download(request) {
  const blob = new Blob([`${JSON.stringify(request, null, 2)}\n`], { type: "application/json" });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = "学时自查.json";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** Put `text` on the clipboard; false when the browser refuses. */
export async function copyText(text, input) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard permission (older browsers, some webviews): copy the selection.
    input.focus();
    input.select();
    try {
      return document.execCommand("copy");
    } catch {
      return false;
    }
  }
}
