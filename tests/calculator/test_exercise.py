"""The worker's warm-up (generator.browser.worker.calculator.exercise, worker.js EXERCISE): the page's
own calls on requests made from the policy, each one answered, none refused; and in
Chromium it runs once the page is idle, without delaying a visitor's calls."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from generator import resources
from generator.browser.worker import calculator as bridge

WORKER = resources.web_dir() / "worker.js"


@pytest.fixture(scope="module")
def catalogs(produced: dict[str, Any]) -> dict[str, Any]:
    return dict(json.loads(produced["calculator/catalogs.json"]))


def test_every_call_of_the_exercise_is_answered(policy: dict[str, Any], catalogs: dict[str, Any],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    answers: list[tuple[str, dict[str, Any]]] = []

    def recording(name: str) -> Any:
        real = getattr(bridge, name)

        def call(*args: Any) -> str:
            text = real(*args)
            answers.append((name, json.loads(text)))
            return text
        return call

    for name in ("read_json", "evaluate_json", "plan_json"):
        monkeypatch.setattr(bridge, name, recording(name))
    targets = policy["promotion"]["targets"]
    assert bridge.exercise(policy, catalogs, 2) == len(answers) == 2 * (2 * len(targets) + 1)
    refused = [(name, a) for name, a in answers if "error" in a]
    assert refused == []
    evaluated = [a["response"] for name, a in answers if name == "evaluate_json"]
    # Each target once a round (each its own requirement), its records counted.
    assert len({json.dumps(r["required"]) for r in evaluated}) == len(targets)
    assert all(r["counted"]["total"] > 0 for r in evaluated)
    assert {name for name, _ in answers} == {"read_json", "evaluate_json", "plan_json"}


EXERCISED = """() => new Promise((resolve) => {
  const look = () => {
    const [mark] = performance.getEntriesByName("ceportal-engine-exercised");
    if (mark) resolve(mark.detail.calls);
    else setTimeout(look, 50);
  };
  look();
})"""

# A visitor's calls while the warm-up runs: each answered, in order, with its own result.
CALLS_MEANWHILE = """async (requests) => {
  await window.ceHours.ready;
  const out = [];
  for (let i = 0; i < 60; i++) {
    out.push(await window.ceHours.evaluate(requests[i % requests.length]));
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  return out;
}"""


@pytest.mark.browser
def test_the_worker_exercises_itself_once_idle(shared: tuple[Any, Any], base_url: str,
                                               policy: dict[str, Any], catalogs: dict[str, Any]) -> None:
    context, seen = shared
    seen.reset()
    page = context.new_page()
    try:
        page.goto(base_url + "calculator/")
        requests = [
            {"kind": "promotion", "target": target, "year": 2011,
             "records": [{"year": 2010, "module": "public", "hours": n}]}
            for n, target in enumerate(policy["promotion"]["targets"], start=1)
        ]
        # About two seconds of calls from the page, through the warm-up (1 s after ready).
        answers = page.evaluate(CALLS_MEANWHILE, requests)
        expected = [json.loads(bridge.evaluate_json(policy, json.dumps(r)))["response"] for r in requests]
        assert answers == [expected[i % len(requests)] for i in range(60)]
        rounds = int(re.search(r"slices: (\d+)", WORKER.read_text(encoding="utf-8"))[1])
        assert page.evaluate(EXERCISED) == bridge.exercise(policy, catalogs, rounds)
    finally:
        page.close()
    seen.check()
