"""What the offline tests of the calculator and the audit page share (generator/browser/web/sw.js):
waiting for a scope's complete cache, changing a file in it, waiting for a status line."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

# Resolves with the name of this scope's complete cache, once there is one.
COMPLETE_CACHE = """async () => {
  await navigator.serviceWorker.ready;
  for (;;) {
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      if (await cache.match("__ceportal_complete__")) return name;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}"""

# Resolves with the scope's cache names once the cache `old` is gone and one is left (the
# Cache API has no event: checked again after each 100 ms, at most 600 times).
ONLY_A_NEWER_CACHE = """async (old) => {
  let names = [];
  for (let i = 0; i < 600; i += 1) {
    names = await caches.keys();
    if (!names.includes(old) && names.length === 1) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return names;
}"""

# Changes one figure of the cached policy.json of cache `name`; resolves to its URL.
CHANGE_CACHED_POLICY = """async (name) => {
  const cache = await caches.open(name);
  for (const request of await cache.keys()) {
    if (!request.url.includes("/policy.json?v=")) continue;
    const response = await cache.match(request);
    const text = (await response.text()).replace("200", "201");
    await cache.put(request, new Response(text, { headers: response.headers }));
    return request.url;
  }
  return null;
}"""

# Resolves once cache `name` is no longer complete (sw.js dropped a refused file; checked
# again after each 100 ms, at most 600 times) with the URLs of the policy.json it still holds.
INCOMPLETE_CACHE = """async (name) => {
  const cache = await caches.open(name);
  for (let i = 0; i < 600 && (await cache.match("__ceportal_complete__")); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (await cache.match("__ceportal_complete__")) return null;
  return (await cache.keys()).map((request) => request.url).filter((url) => url.includes("/policy.json?v="));
}"""

# The text of the policy.json cache `name` holds.
CACHED_POLICY = """async (name) => {
  const cache = await caches.open(name);
  for (const request of await cache.keys()) {
    if (request.url.includes("/policy.json?v=")) return (await cache.match(request)).text();
  }
  return null;
}"""

# The deployment date of the sites the tests build (SOURCE_DATE_EPOCH, tests/conftest.py),
# as the offline copy names it.
DEPLOYED = "部署日期2009年4月1日"


def offline_copy(engine: str) -> str:
    """The ready line of an engine page answering from its offline copy while the
    browser is online but the host does not answer."""
    return f"{engine}已就绪（离线副本，{DEPLOYED}：未能联网确认是否为最新版本）"


def offline(engine: str) -> str:
    """The ready line of an engine page opened from its offline copy with no network."""
    return f"{engine}已就绪（离线副本，{DEPLOYED}：当前离线，使用上次联网访问时保存并校验过的版本）"


REFUSED_POLICY = (
    "计算引擎文件校验失败：policy.json 的 sha256 与发布清单不符，已拒绝加载。"
    "请刷新页面重试；若仍出现，请联系网站管理员。"
)


def text_of(page: Any, selector: str) -> str:
    return str(page.locator(selector).inner_text()).strip()


def wait_for_text(page: Any, selector: str, wanted: str) -> None:
    """Wait until a status line says ``wanted``: Playwright watches the element (the pages'
    policy forbids the eval a string predicate of wait_for_function needs)."""
    expect(page.locator(selector)).to_have_text(wanted, use_inner_text=True, timeout=60_000)


def forget_http_cache(page: Any) -> None:
    """Empty the browser's HTTP cache, as a phone short of space does between two visits:
    what the page needs offline must then come from the service worker's cache."""
    session = page.context.new_cdp_session(page)
    try:
        session.send("Network.clearBrowserCache")
    finally:
        session.detach()


def themed(page: Any) -> bool:
    """Whether the theme's stylesheet applies (Material's header sticks to the top)."""
    return page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
