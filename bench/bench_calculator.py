"""Calculator start: navigation to the first result, against a bare ``loadPyodide`` page.

    .venv/bin/python bench/bench_calculator.py [--runs 5]

Headless Chromium (Debian's) on 127.0.0.1 opens ``/calculator/`` of the portal built
from the bundled catalog and waits for ``window.ceHours.ready`` and one
``ceHours.evaluate``; the figure is ``performance.now()`` at that result, i.e. time since
navigation start. The baseline, in the same run and browser, is a page that only
imports the same npm runtime and calls ``loadPyodide()`` then ``runPython("1 + 1")``.

- cold: a new profile (nothing cached); warm: a second visit in the same profile.
- cold over a slower link: the same cold visits with Chromium's network emulation
  (DevTools throttling: 20 and 50 Mbit/s down, 40 ms latency), where the 6 MB the
  calculator's snapshot adds to the download weigh against the start it saves.
- cold on a phone (issue 28): the "phone" profile, a slow 4G link (9 Mbit/s down,
  150 ms latency: Network.emulateNetworkConditions) and a CPU four times slower
  (Emulation.setCPUThrottlingRate 4), the calculator and the bare page alternating.
  Chromium's CPU throttling slows the page's main thread but not a dedicated worker
  (measured: the bare page in a worker starts as fast at x4 as at x1), so the calculator's
  Python, which runs in a worker, is not slowed while the bare page's main-thread boot is;
  the second phone row compares with the bare page in a worker, like for like.
- evaluation latency: 200 ``ceHours.evaluate`` calls after ready, one at a time; p50.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import Result  # noqa: E402
from bench.sites import StaticServer, browser, built_site  # noqa: E402

RUNS = 4
THROTTLED_RUNS = 2
# Issue 18's goals, as ratios to the bare loadPyodide page in the same run: on loopback,
# cold and warm; cold over the emulated 20 Mbit/s link.
GOAL_LOOPBACK = 0.6
GOAL_LINKS = {(20, 40): 0.9}
# (download Mbit/s, latency ms) of the emulated links
LINKS = ((20, 40), (50, 40))
# Issue 28's phone: slow 4G and a CPU four times slower than this machine's; the goal is
# the cold first result at most 0.6x the bare page's on the same phone.
PHONE_LINK = (9, 150)
PHONE_CPU = 4
GOAL_PHONE = 0.6
CALLS = 200
# How long a visitor stays on the page after the first result (reading it), on every
# visit and for both pages: what the browser keeps for the next visit is settled then
# (the calculator's engine exercises itself once idle, worker.js EXERCISE, so that
# Chromium keeps its compiled code; the bare page's boot does that while it starts).
DWELL_S = 5
TIMEOUT_MS = 180_000

NOTES: list[str] = []

REQUEST = {
    "kind": "promotion",
    "target": "engineer",
    "year": 2011,
    "records": [
        {"year": 2009, "module": "public", "hours": 8},
        {"year": 2010, "module": "elective", "hours": 16},
        {"year": 2010, "module": "public", "hours": 8},
        {"year": 2011, "module": "other", "hours": 24.5},
        {"year": 2011, "module": "elective", "hours": 32},
    ],
}

FIRST_RESULT = """async (request) => {
  while (!window.ceHours) await new Promise((resolve) => setTimeout(resolve, 2));
  await window.ceHours.ready;
  const response = await window.ceHours.evaluate(request);
  if (typeof response.met !== "boolean") throw new Error("no result: " + JSON.stringify(response));
  return performance.now();
}"""

LATENCIES = """async ([request, calls]) => {
  await window.ceHours.ready;
  const times = [];
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    await window.ceHours.evaluate(request);
    times.push(performance.now() - started);
  }
  return times;
}"""


def throttle(context: Any, page: Any, link: tuple[float, float] | None, cpu: float = 1) -> None:
    """Emulate a link of ``(Mbit/s down, ms latency)`` for ``page`` (and its worker), and a
    CPU ``cpu`` times slower (Chromium throttles the page's renderer process)."""
    if link is None:
        return
    session = context.new_cdp_session(page)
    if cpu != 1:
        session.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", {
        "offline": False,
        "latency": link[1],
        "downloadThroughput": link[0] * 1e6 / 8,
        "uploadThroughput": 5e6 / 8,
    })


def calculator_visit(
    context: Any, base: str, latency: bool = False, link: tuple[float, float] | None = None,
    cpu: float = 1,
) -> tuple[float, list[float]]:
    """Milliseconds from navigation start to the first result (and, if asked, latencies)."""
    page = context.new_page()
    try:
        page.set_default_timeout(TIMEOUT_MS)
        throttle(context, page, link, cpu)
        page.goto(base + "calculator/", wait_until="commit")
        first = float(page.evaluate(FIRST_RESULT, REQUEST))
        times = [float(t) for t in page.evaluate(LATENCIES, [REQUEST, CALLS])] if latency else []
        page.wait_for_timeout(DWELL_S * 1000)
        return first, times
    finally:
        page.close()


def bare_visit(
    context: Any, base: str, path: str = "bench-bare/", link: tuple[float, float] | None = None,
    cpu: float = 1,
) -> float:
    page = context.new_page()
    try:
        page.set_default_timeout(TIMEOUT_MS)
        throttle(context, page, link, cpu)
        page.goto(base + path, wait_until="commit")
        page.wait_for_function("window.bareDone !== undefined", polling=5, timeout=TIMEOUT_MS)
        done = float(page.evaluate("window.bareDone"))
        page.wait_for_timeout(DWELL_S * 1000)
        return done
    finally:
        page.close()


def measure_links(server: StaticServer, runs: int) -> list[Result]:
    """Cold visits over the emulated LINKS, the calculator and the bare page alternating."""
    results = []
    for link in LINKS:
        ours: list[float] = []
        bare: list[float] = []
        for n in range(runs):
            for which in (("ours", "bare") if n % 2 == 0 else ("bare", "ours")):
                with browser() as context:
                    if which == "ours":
                        ours.append(calculator_visit(context, server.base, link=link)[0])
                    else:
                        bare.append(bare_visit(context, server.base, link=link))
            print(f"   {link[0]} Mbit/s run {n + 1}/{runs}: calculator {ours[-1]:.0f} ms, "
                  f"bare {bare[-1]:.0f} ms (cold)", flush=True)
        goal = GOAL_LINKS.get(link)
        results.append(Result(
            f"calculator: first result, cold over {link[0]} Mbit/s ({link[1]} ms)",
            statistics.median(ours), "ms", baseline=statistics.median(bare),
            goal=f"ratio ≤ {goal}" if goal else "",
            met=statistics.median(ours) <= goal * statistics.median(bare) if goal else None,
            note="baseline: bare loadPyodide page over the same emulated link",
        ))
    return results


def measure_phone(server: StaticServer, runs: int) -> list[Result]:
    """Cold visits on the phone profile, the calculator and the bare page alternating."""
    ours: list[float] = []
    bare: list[float] = []
    worker: list[float] = []
    for n in range(runs):
        order = ["ours", "bare", "worker"]
        for which in order[n % 3:] + order[: n % 3]:
            with browser() as context:
                if which == "ours":
                    ours.append(calculator_visit(context, server.base, link=PHONE_LINK, cpu=PHONE_CPU)[0])
                elif which == "bare":
                    bare.append(bare_visit(context, server.base, link=PHONE_LINK, cpu=PHONE_CPU))
                else:
                    worker.append(bare_visit(context, server.base, "bench-bare-worker/",
                                             link=PHONE_LINK, cpu=PHONE_CPU))
        print(f"   phone run {n + 1}/{runs}: calculator {ours[-1]:.0f} ms, bare {bare[-1]:.0f} ms, "
              f"bare in a worker {worker[-1]:.0f} ms (cold)", flush=True)
    ours_ms, bare_ms = statistics.median(ours), statistics.median(bare)
    return [Result(
        f"calculator: first result, cold on a phone ({PHONE_LINK[0]} Mbit/s, {PHONE_LINK[1]} ms, "
        f"CPU x{PHONE_CPU})",
        ours_ms, "ms", baseline=bare_ms, goal=f"ratio ≤ {GOAL_PHONE}",
        met=ours_ms <= GOAL_PHONE * bare_ms,
        note="baseline: bare loadPyodide page on the same emulated phone",
    ), Result(
        "calculator: first result, cold on a phone, vs bare loadPyodide in a worker",
        ours_ms, "ms", baseline=statistics.median(worker),
        note="baseline: the bare page with loadPyodide() in a worker (neither worker CPU-throttled)",
    )]


def measure(runs: int, throttled_runs: int = THROTTLED_RUNS) -> list[Result]:
    NOTES.clear()
    site = built_site()
    ours_cold: list[float] = []
    ours_warm: list[float] = []
    bare_cold: list[float] = []
    bare_warm: list[float] = []
    worker_cold: list[float] = []
    worker_warm: list[float] = []
    latencies: list[float] = []
    with StaticServer(site) as server:
        for n in range(runs):
            order = ["ours", "bare", "worker"]
            order = order[n % 3:] + order[: n % 3]
            for which in order:
                with browser() as context:
                    if which == "ours":
                        ours_cold.append(calculator_visit(context, server.base)[0])
                        first, times = calculator_visit(context, server.base, latency=True)
                        ours_warm.append(first)
                        latencies += times
                    elif which == "bare":
                        bare_cold.append(bare_visit(context, server.base))
                        bare_warm.append(bare_visit(context, server.base))
                    else:
                        worker_cold.append(bare_visit(context, server.base, "bench-bare-worker/"))
                        worker_warm.append(bare_visit(context, server.base, "bench-bare-worker/"))
            print(f"   run {n + 1}/{runs}: calculator {ours_cold[-1]:.0f} / {ours_warm[-1]:.0f} ms, "
                  f"bare {bare_cold[-1]:.0f} / {bare_warm[-1]:.0f} ms, "
                  f"bare in a worker {worker_cold[-1]:.0f} / {worker_warm[-1]:.0f} ms (cold / warm)",
                  flush=True)
        links = measure_links(server, throttled_runs) if throttled_runs else []
        phone = measure_phone(server, throttled_runs) if throttled_runs else []

    def med(values: list[float]) -> float:
        return statistics.median(values)

    p50 = med(latencies)
    p95 = sorted(latencies)[int(0.95 * (len(latencies) - 1))]
    NOTES.append(
        f"calculator: median of {runs} cold and {runs} warm visits each, headless Chromium on "
        "127.0.0.1 (no network latency; pages Cache-Control no-cache, every other file "
        "max-age=3600, as README's Deployment advises; every page, ours and bare, stays "
        f"open {DWELL_S} s after its first result, as a visitor reading it); "
        "first result = performance.now() when ceHours.evaluate first resolves; "
        "bare = the npm runtime's pyodide.mjs, loadPyodide() and runPython('1 + 1') on the "
        "main thread (it also fetches the 119 kB pyodide-lock.json the calculator skips)."
    )
    NOTES.append(
        "calculator, where the time goes (measured 2026-11-26 with this script and a "
        "timeline of marks, quiet machine): nearly all of a start is CPython booting inside "
        "Pyodide (about 200 modules imported: 1.8 s of a 2.2 s warm start, 2.6 s of 3.3 s "
        "cold), the rest the page, the worker and the wheel. Starting the worker from <head> "
        "(engine.js, async) brought the wasm request forward from 310 to 230 ms warm and from "
        "625 to 366 ms cold but barely moved the result (1.16 -> about 1.1x), the boot then "
        "sharing the cores with the page. Restoring the build's memory snapshot instead of "
        "booting (Pyodide's _loadSnapshot, generator/browser/snapshot.py) took the ratios "
        "to about 0.5x cold and warm. Its price was 6 MB more on a first visit; since "
        "2026-12-02 the snapshot travels as a difference from the memory the wasm's own data "
        "segments give, long zero runs left out, as a 2.5 MB brotli sibling "
        "(generator/browser/delta.py, generator/browser/web/snapdelta.js; 5.2 MB gzip before), "
        "with the trimmed standard library (0.7 instead of 2.5 MB), so a first visit costs "
        "about the bare page's bytes (the bytes rows) and the snapshot also wins over the "
        "emulated links. Save-Data visitors start the long way. Earlier: a wasm fetched with `integrity` is "
        "buffered, so Chromium neither streams its compilation nor reuses its code (warm "
        "1.32-1.43x): Pyodide fetches it plainly and the page checks its digest."
    )
    NOTES.append(
        f"calculator: evaluation latency over {len(latencies)} calls (worker round trip "
        f"included): p50 {p50:.2f} ms, p95 {p95:.2f} ms."
    )
    return [
        Result("calculator: first result, cold", med(ours_cold), "ms",
               goal=f"ratio ≤ {GOAL_LOOPBACK}",
               met=med(ours_cold) <= GOAL_LOOPBACK * med(bare_cold), baseline=med(bare_cold),
               note="baseline: bare loadPyodide page"),
        Result("calculator: first result, warm", med(ours_warm), "ms",
               goal=f"ratio ≤ {GOAL_LOOPBACK}",
               met=med(ours_warm) <= GOAL_LOOPBACK * med(bare_warm), baseline=med(bare_warm),
               note="baseline: bare loadPyodide page"),
        Result("calculator: first result, cold, vs bare loadPyodide in a worker", med(ours_cold),
               "ms", baseline=med(worker_cold),
               note="baseline: the same bare page with loadPyodide() in a module Web Worker"),
        Result("calculator: first result, warm, vs bare loadPyodide in a worker", med(ours_warm),
               "ms", baseline=med(worker_warm),
               note="baseline: the same bare page with loadPyodide() in a module Web Worker"),
        *links,
        *phone,
        Result("calculator: evaluate after ready (p50)", p50, "ms", goal="≤ 2 ms", met=p50 <= 2),
    ]


def run() -> list[Result]:
    return measure(RUNS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--throttled-runs", type=int, default=THROTTLED_RUNS,
                        help="cold runs per emulated link and on the phone (0: none)")
    parser.add_argument("--phone-only", action="store_true",
                        help="only the phone profile's cold runs (--throttled-runs of each)")
    args = parser.parse_args(argv)
    if args.phone_only:
        with StaticServer(built_site()) as server:
            results = measure_phone(server, args.throttled_runs)
    else:
        results = measure(args.runs, args.throttled_runs)
    for r in results:
        ratio = f"  (ratio {r.ratio:.2f})" if r.ratio else ""
        print(f"{r.name}: {r.value:,.2f} {r.unit}{ratio}")
    for note in NOTES:
        print(f"note: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
