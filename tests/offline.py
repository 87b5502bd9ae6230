"""What the offline tests of the calculator and the audit page share (generator/browser/web/sw.js):
waiting for a scope's complete cache, changing a file in it, polling a status line."""

from __future__ import annotations

import time
from typing import Any

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

REFUSED_POLICY = (
    "计算引擎文件校验失败：policy.json 的 sha256 与发布清单不符，已拒绝加载。"
    "请刷新页面重试；若仍出现，请联系网站管理员。"
)


def text_of(page: Any, selector: str) -> str:
    return str(page.locator(selector).inner_text()).strip()


def wait_for_text(page: Any, selector: str, wanted: str, timeout_s: float = 60) -> None:
    """Poll a status line (the pages' policy forbids the eval a string predicate needs)."""
    deadline = time.monotonic() + timeout_s
    while text_of(page, selector) != wanted and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert text_of(page, selector) == wanted


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
