// The calculator's service worker: after one visit, /calculator/ opens and evaluates with
// no network. Registered by engine.js (once the engine is ready, so it never competes
// with the first start for bytes or CPU) with the page's folder as its scope; the same
// file serves the audit page from its own folder (/audit/sw.js, scope /audit/), whose
// manifest.json names where its paths start (`base`: "../calculator/", the engine's
// folder, where the worker resolves them).
//
// What it keeps: one cache per deployment, named by the digest of that deployment's
// manifest.json, holding the page, manifest.json, and of the files the manifest lists
// and the page's own scripts and styles those the visit loaded. Each is read with the
// integrity the manifest or the page gives it, so only verified bytes are kept. A cache counts only once complete (its
// COMPLETE entry is written last); every other cache of this scope is then deleted, so a
// new manifest replaces the old deployment at once and never mixes with it.
//
// How it answers (GET, same origin):
// - a versioned file (`name?v=<digest>`, the manifest's and the page's URLs): offline, or
//   while the network is down (the last network-first request below failed: the host is
//   unreachable though the browser is online), from the complete cache; otherwise the
//   browser fetches it itself, HTTP cache first. The page and the worker still fetch it
//   with its integrity, so a cached copy that was changed is refused as a downloaded one is;
// - anything else (the page itself, manifest.json, the theme's files): the network
//   first; the cached copy only when the network fails or the server answers an error
//   (5xx). Once the engine of a page loaded online is ready, the page asks for the cache
//   to be brought up to date with the deployment just served (message
//   {type: "refresh", used, manifest}: only when the server's manifest is the page's).
// Every answer from the cache carries the header OFFLINE_COPY: the page probes its
// manifest.json and so learns that it is answering from the offline copy, which it then
// says with the copy's deployment date (engine.js, copy-status.js).
//
// A file the page or its worker refused (message {type: "refused", url}) is checked
// here against the integrity the cached manifest or page gives it; if the kept bytes
// differ they are dropped and the cache is no longer complete, so the next online
// visit's refresh fetches them again (and the visit after that works offline).

const PREFIX = `ceportal-${new URL(self.registration.scope).pathname}`;
const COMPLETE = "__ceportal_complete__";
// The mark on every answer from the cache: copy-status.js's OFFLINE_COPY_HEADER.
const OFFLINE_COPY = "X-Ceportal-Offline-Copy";

function cacheName(digest) {
  return `${PREFIX}@${digest}`;
}

async function sha256Hex(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

// The complete cache of this scope, or null.
function currentCache() {
  current ??= findCurrentCache().catch(() => null);
  return current;
}
let current = null;

async function findCurrentCache() {
  for (const name of await caches.keys()) {
    if (!name.startsWith(`${PREFIX}@`)) continue;
    const cache = await caches.open(name);
    if (await cache.match(COMPLETE)) return cache;
  }
  return null;
}

// The page's own files: <script src> and <link href> (stylesheet, modulepreload, icon)
// of this origin, url -> integrity. The page's versioned files carry an integrity
// attribute and are kept only as verified bytes; the theme's (Material's stylesheets,
// scripts and icon, named by their content) have none (undefined): they are kept as the
// visit loaded them, so that the page offline looks as it does online.
function pageAssets(html, base) {
  const out = new Map();
  const tag = /<(?:script|link)\b[^>]*>/g;
  for (const [element] of html.matchAll(tag)) {
    const url = /\b(?:src|href)="([^"]+)"/.exec(element);
    if (!url) continue;
    if (element.startsWith("<link") && !/\brel="(?:stylesheet|modulepreload|icon)"/.test(element)) continue;
    const href = new URL(attributeText(url[1]), base);
    if (href.origin !== self.location.origin) continue;
    const integrity = /\bintegrity="([^"]+)"/.exec(element);
    out.set(href.href, integrity ? attributeText(integrity[1]) : undefined);
  }
  return out;
}

// An attribute's value as the browser reads it: character references decoded (a
// template engine may write "/" as "&#x2f;": Zensical's does).
const NAMED = { amp: "&", quot: '"', apos: "'", lt: "<", gt: ">" };
function attributeText(raw) {
  return raw.replace(/&(?:#x([0-9a-f]+)|#([0-9]+)|(amp|quot|apos|lt|gt));/gi, (whole, hex, dec, name) => {
    if (name) return NAMED[name.toLowerCase()];
    const code = hex ? parseInt(hex, 16) : parseInt(dec, 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

let refreshing = Promise.resolve();

// Bring the cache to the deployment now on the server, keeping the manifest paths
// `used` (what the page's visit loaded), if that deployment is the page's (`pageManifest`,
// the manifest the page carries): a page older than the server's manifest (a deployment
// since it was loaded), or one answered from this cache, would pair another deployment's
// files with its own paths. One at a time.
function refresh(used, pageManifest) {
  refreshing = refreshing.then(() => doRefresh(used, pageManifest)).catch(() => {});
  return refreshing;
}

async function doRefresh(used, pageManifest) {
  const scope = self.registration.scope;
  const manifestUrl = new URL("manifest.json", scope).href;
  const manifestResponse = await fetch(manifestUrl, { cache: "no-cache" });
  if (!manifestResponse.ok) return;
  const manifestText = await manifestResponse.clone().text();
  // One writer, one key order: equal text, equal manifest (as copy-status.js judges it).
  if (JSON.stringify(JSON.parse(manifestText)) !== JSON.stringify(pageManifest)) return;
  const name = cacheName(await sha256Hex(manifestText));
  const existing = await caches.open(name);
  if (await existing.match(COMPLETE)) return;
  const pageResponse = await fetch(scope, { cache: "no-cache" });
  if (!pageResponse.ok) return;
  const pageText = await pageResponse.clone().text();
  const manifest = JSON.parse(manifestText);
  const base = new URL(typeof manifest.base === "string" ? manifest.base : "./", manifestUrl).href;
  const wanted = pageAssets(pageText, scope);
  for (const path of used) {
    const entry = manifest.files[path];
    if (entry) wanted.set(new URL(entry.url, base).href, entry.integrity);
  }
  // What this visit loaded, from the HTTP cache (nothing is downloaded twice, and what
  // the visit did not need, such as the full standard library a snapshot start leaves
  // out, is not downloaded at all), verified by the browser against its integrity.
  // The wasm and the snapshot are needed by every start that used them; a browser may not
  // keep a file that large in its HTTP cache (an in-memory profile does not), so they are
  // fetched again where missing.
  // The theme's files too: small, and without them the page offline has no styles.
  const required = new Set([
    ...["pyodide/pyodide.asm.wasm", ...used.filter((path) => path === manifest.snapshot)]
      .filter((path) => manifest.files[path])
      .map((path) => new URL(manifest.files[path].url, base).href),
    ...[...wanted].filter(([, integrity]) => integrity === undefined).map(([url]) => url),
  ]);
  const load = (url, integrity) =>
    fetch(url, { integrity, cache: "only-if-cached", mode: "same-origin" })
      .then((response) => (response.ok ? response : Promise.reject(new Error("not cached"))))
      .catch(() => (required.has(url) ? fetch(url, { integrity }) : null));
  const responses = await Promise.all(
    [...wanted].map(([url, integrity]) =>
      load(url, integrity).then((response) => [url, response && response.ok ? response : null], () => [url, null]),
    ),
  );
  for (const [url, response] of responses) if (response) await existing.put(url, response);
  await existing.put(scope, pageResponse);
  await existing.put(manifestUrl, manifestResponse);
  await existing.put(COMPLETE, new Response(new Date().toISOString()));
  current = Promise.resolve(existing);
  for (const other of await caches.keys()) {
    if (other.startsWith(`${PREFIX}@`) && other !== name) await caches.delete(other);
  }
}

// An answer from the cache, marked as one.
function marked(response) {
  const headers = new Headers(response.headers);
  headers.set(OFFLINE_COPY, "1");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

// The integrity a kept file must have: its manifest entry's (cached manifest.json), else
// the page's attribute for it (cached page); undefined when neither names it.
async function keptIntegrity(cache, url) {
  const scope = self.registration.scope;
  const manifestUrl = new URL("manifest.json", scope).href;
  const manifestResponse = await cache.match(manifestUrl);
  if (manifestResponse) {
    const manifest = JSON.parse(await manifestResponse.text());
    const base = new URL(typeof manifest.base === "string" ? manifest.base : "./", manifestUrl).href;
    for (const entry of Object.values(manifest.files ?? {})) {
      if (new URL(entry.url, base).href === url) return entry.integrity;
    }
  }
  const page = await cache.match(scope, { ignoreSearch: true });
  return page ? pageAssets(await page.text(), scope).get(url) : undefined;
}

const DIGESTS = { sha256: "SHA-256", sha384: "SHA-384", sha512: "SHA-512" };

// Whether `bytes` match one of the integrity value's digests (as a browser checks them).
async function matchesIntegrity(bytes, integrity) {
  for (const token of String(integrity).trim().split(/\s+/)) {
    const [, algorithm, expected] = /^(sha256|sha384|sha512)-([A-Za-z0-9+/]+=*)/.exec(token) ?? [];
    if (!algorithm) continue;
    const digest = new Uint8Array(await crypto.subtle.digest(DIGESTS[algorithm], bytes));
    if (btoa(String.fromCharCode(...digest)) === expected) return true;
  }
  return false;
}

// The page refused `url`: drop the kept copy unless its bytes are what the manifest (or
// the page) says (the refused copy then came from elsewhere, e.g. a changed download).
async function dropRefused(url) {
  const cache = await currentCache();
  if (!cache) return;
  const kept = await cache.match(url, { ignoreVary: true });
  if (!kept) return;
  const integrity = await keptIntegrity(cache, url);
  if (integrity && (await matchesIntegrity(await kept.arrayBuffer(), integrity))) return;
  await cache.delete(url, { ignoreVary: true });
  await cache.delete(COMPLETE);
  current = null;
}

self.addEventListener("install", (event) => {
  event.waitUntil(self.skipWaiting());
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "refresh" && Array.isArray(event.data.used)) {
    event.waitUntil(refresh(event.data.used.filter((path) => typeof path === "string"), event.data.manifest));
  } else if (event.data && event.data.type === "refused" && typeof event.data.url === "string") {
    // After any refresh under way, and before the next one.
    const url = new URL(event.data.url, self.registration.scope).href;
    refreshing = refreshing.then(() => dropRefused(url)).catch(() => {});
    event.waitUntil(refreshing);
  }
});

function isVersioned(url) {
  return url.searchParams.has("v");
}

// Whether the last network-first request failed (no answer, or a 5xx): the host is down
// even though the browser may be online. Set by the page's navigation before its
// versioned files are asked for. Kept in memory: a worker stopped and restarted
// in between forgets it, and the browser then asks the network for those files itself.
let networkDown = false;

async function fromCache(request) {
  const cache = await currentCache();
  const cached = cache && (await cache.match(request, { ignoreSearch: request.mode === "navigate" }));
  return cached ? marked(cached) : null;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (isVersioned(url)) {
    // Online, the browser fetches it as it would without this worker (its HTTP cache
    // first): Chromium then reuses the wasm's compiled code, which it does not for a
    // response from here (measured: warm start 0.72x of the bare page against 0.5x).
    // While the host is down the cache answers first: its bytes were verified, and a
    // captive portal's answer to the URL would only be refused.
    if (self.navigator.onLine && !networkDown) return;
    event.respondWith(
      currentCache()
        .then((cache) => (cache ? cache.match(request, { ignoreVary: true }) : undefined))
        .then((cached) => (cached ? marked(cached) : fetch(request))),
    );
    return;
  }
  event.respondWith(
    fetch(request).then(
      async (response) => {
        networkDown = response.status >= 500;
        return (networkDown && (await fromCache(request))) || response;
      },
      async (error) => {
        networkDown = true;
        const cached = await fromCache(request);
        if (cached) return cached;
        throw error;
      },
    ),
  );
});
