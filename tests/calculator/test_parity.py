"""One set of request vectors (tests/vectors/hours.json), four evaluators: CPython's
``evaluate`` (through the worker's bridge), ``ceportal hours``, Pyodide in Node with the
built wheel, and ``window.ceHours.evaluate`` in Chromium. All must give identical JSON
and identical error messages. A vector is a ``request`` (an object) or a ``text`` (request
text no object can carry: repeated keys, broken JSON); ``ceHours.evaluate`` takes objects,
so Chromium runs the ``request`` vectors."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from generator.browser.worker import calculator as bridge
from generator.cli import main

from .conftest import ROOT, VECTORS, vectors

VECTOR_LIST = vectors()
IDS = [v["name"] for v in VECTOR_LIST]
OBJECTS = [v for v in VECTOR_LIST if "request" in v]


def text_of(vector: dict[str, Any]) -> str:
    if "text" in vector:
        return str(vector["text"])
    # As the page sends an object: JSON.stringify, which writes no spaces.
    return json.dumps(vector["request"], ensure_ascii=False, separators=(",", ":"))


def cpython(policy: dict[str, Any], vector: dict[str, Any]) -> str:
    """What the worker's bridge prints, computed by CPython."""
    return bridge.evaluate_json(policy, text_of(vector))


def as_js(value: Any) -> Any:
    """A response as it comes back through JavaScript: integral floats become ints."""
    if isinstance(value, dict):
        return {k: as_js(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_js(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def strict(value: Any) -> Any:
    """Make 96 and 96.0 differ, so a comparison also checks number types."""
    if isinstance(value, dict):
        return {k: strict(v) for k, v in value.items()}
    if isinstance(value, list):
        return [strict(v) for v in value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (type(value).__name__, value)
    return value


def test_vectors_cover_every_kind_target_title_and_error(policy: dict[str, Any]) -> None:
    valid = [v for v in OBJECTS if "error" not in v]
    requests = [v["request"] for v in valid]
    targets = {r["target"] for r in requests if r["kind"] == "promotion"}
    titles = {r["title"] for r in requests if r["kind"] == "cycle"}
    assert targets == set(policy["promotion"]["targets"])
    assert titles == set(policy["titles"])
    errors = [v["error"] for v in VECTOR_LIST if "error" in v]
    assert len(errors) == len(set(errors)), "each invalid vector should fail differently"
    assert any(
        r["records"] and any(isinstance(x["hours"], float) for x in r["records"]) for r in requests
    )
    responses = [json.loads(cpython(policy, v))["response"] for v in valid]
    assert any(r["ignored"] for r in responses), "some vector ignores records"
    assert any(r["warnings"] for r in responses), "some vector has a warning"
    used = {a["id"] for r in responses for a in r["assumptions"]}
    assert used == set(policy["assumptions"]), "every assumption appears in some vector"
    assert any(not r["assumptions"] for r in responses)


@pytest.mark.parametrize("vector", VECTOR_LIST, ids=IDS)
def test_cpython_matches_the_recorded_error(policy: dict[str, Any], vector: dict[str, Any]) -> None:
    out = json.loads(cpython(policy, vector))
    if "error" in vector:
        assert out["error"] == vector["error"]
        path = vector["error"].split(": ")[0] if ": " in vector["error"] else ""
        assert out["path"] == path
        # The parts as fields, so the page never splits the line.
        assert out["problem"] == vector["error"].removeprefix(f"{path}: " if path else "")
    else:
        assert "response" in out


@pytest.mark.parametrize("vector", VECTOR_LIST, ids=IDS)
def test_cli_agrees(
    policy: dict[str, Any],
    vector: dict[str, Any],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    request = tmp_path / "request.json"
    request.write_text(text_of(vector), encoding="utf-8")
    code = main(["hours", str(request)])  # the shipped policy
    out, err = capsys.readouterr()
    expected = json.loads(cpython(policy, vector))
    if "error" in expected:
        assert (code, out, err) == (2, "", f"ceportal hours: {expected['error']}\n")
    else:
        assert code == 0 and err == ""
        assert strict(json.loads(out)) == strict(expected["response"])


UNKNOWN_FIELDS = [v for v in VECTOR_LIST if "不认识的字段" in v.get("error", "")]


@pytest.mark.parametrize("vector", UNKNOWN_FIELDS, ids=[v["name"] for v in UNKNOWN_FIELDS])
def test_reading_refuses_an_unknown_field_as_the_cli_does(
    policy: dict[str, Any], vector: dict[str, Any]
) -> None:
    """An imported file or a link is read by read_json: a field the form would drop is
    refused with the line `ceportal hours` prints (the vector's, which test_cli_agrees
    holds to the CLI), even in a request the page would otherwise open incomplete."""
    got = json.loads(bridge.read_json(policy, text_of(vector)))
    assert got["error"] == vector["error"]
    incomplete = dict(json.loads(text_of(vector)))
    incomplete.pop("year", None)
    got = json.loads(bridge.read_json(policy, json.dumps(incomplete)))
    assert got["error"] == vector["error"]


def test_reading_still_opens_an_incomplete_request(policy: dict[str, Any]) -> None:
    """Missing fields and bad figures are the rules' to show next to the form's fields."""
    text = '{"kind": "cycle", "title": "engineer", "records": [{"module": "public", "hours": -1}]}'
    assert json.loads(bridge.read_json(policy, text)) == {"request": json.loads(text)}


@pytest.mark.node
@pytest.mark.parametrize("start", ["fresh", "snapshot"])
def test_pyodide_in_node_with_the_built_wheel(
    policy: dict[str, Any], produced: dict[str, Any], tmp_path: Path, start: str
) -> None:
    node = shutil.which("node")
    assert node, "node is missing: run make setup"
    manifest = json.loads(produced["calculator/manifest.json"])
    wheel = tmp_path / manifest["wheel"]
    wheel.write_bytes(produced[f"calculator/{manifest['wheel']}"])
    policy_json = tmp_path / "policy.json"
    policy_json.write_bytes(produced["calculator/policy.json"])
    snapshot = produced[f"calculator/{manifest['snapshot']}"]  # a file in the cache folder
    run = subprocess.run(
        [
            node,
            str(Path(__file__).with_name("pyodide_node.mjs")),
            str(ROOT / "node_modules" / "pyodide"),
            str(wheel),
            str(policy_json),
            str(produced["calculator/worker.js"]),
            str(VECTORS),
            *([str(snapshot), str(produced[f"calculator/{manifest['snapshot_stdlib']}"])]
              if start == "snapshot" else []),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    # The rules came from the wheel, installed in site-packages, not from this checkout.
    assert result["module"].endswith("/site-packages/generator/rules/__init__.py")
    # `decimal` (for the rules) is imported by the start-up only when it is the snapshot's.
    assert result["preloaded"] is (start == "snapshot")
    for vector, text in zip(VECTOR_LIST, result["outputs"], strict=True):
        assert text == cpython(policy, vector), vector["name"]


@pytest.mark.browser
def test_chromium_ce_hours_evaluate(policy: dict[str, Any], page: Any) -> None:
    outputs = page.evaluate(
        """async (requests) => {
            const out = [];
            for (const request of requests) {
                try {
                    out.push({ response: JSON.stringify(await window.ceHours.evaluate(request)) });
                } catch (error) {
                    out.push({ error: error.message, isError: error instanceof Error });
                }
            }
            return out;
        }""",
        [v["request"] for v in OBJECTS],
    )
    for vector, got in zip(OBJECTS, outputs, strict=True):
        expected = json.loads(cpython(policy, vector))
        if "error" in expected:
            assert got == {"error": expected["error"], "isError": True}, vector["name"]
        else:
            # JavaScript has one number type: JSON.stringify writes 16.0 as 16.
            assert strict(json.loads(got["response"])) == strict(as_js(expected["response"])), (
                vector["name"]
            )


@pytest.mark.browser
def test_chromium_reads_request_text_with_the_same_reasons(
    policy: dict[str, Any], page: Any
) -> None:
    """engine.js's readRequest (for an imported file or a #r= link) goes through the one
    reader in the worker: the text vectors get exactly the CLI's reasons."""
    texts = [v for v in VECTOR_LIST if "text" in v]
    outputs = page.evaluate(
        """async (texts) => {
            const src = document.querySelector('script[src*="engine.js"]').src;
            const { readRequest } = await import(src);
            const out = [];
            for (const text of texts) {
                try {
                    out.push({ request: await readRequest(text) });
                } catch (error) {
                    out.push({ error: error.message, path: error.path, problem: error.problem });
                }
            }
            return out;
        }""",
        [v["text"] for v in texts],
    )
    for vector, got in zip(texts, outputs, strict=True):
        expected = json.loads(bridge.read_json(policy, vector["text"]))
        assert got == expected, vector["name"]
    assert any("request" in got for got in outputs) and any("error" in got for got in outputs)


@pytest.mark.browser
def test_chromium_reports_values_json_cannot_carry(page: Any) -> None:
    """NaN, Infinity and a BigInt are reported as such, with their path: not as "收到 null"
    (what JSON.stringify would make of NaN) nor in the engine's English (a BigInt)."""
    outputs = page.evaluate(
        """async () => {
            const out = [];
            const record = (hours) => ({ kind: "promotion", target: "engineer", year: 2011,
                                         records: [{ year: 2011, module: "public", hours }] });
            const requests = [record(NaN), record(-Infinity),
                              { ...record(8), year: 2011n }, [1, 2, { a: [Infinity] }]];
            for (const request of requests) {
                try {
                    await window.ceHours.evaluate(request);
                    out.push(null);
                } catch (error) {
                    out.push([error.message, error.path, error.problem]);
                }
            }
            return out;
        }"""
    )
    assert outputs == [
        ["records[0].hours: NaN 不是JSON允许的数字，无法计算", "records[0].hours",
         "NaN 不是JSON允许的数字，无法计算"],
        ["records[0].hours: -Infinity 不是JSON允许的数字，无法计算", "records[0].hours",
         "-Infinity 不是JSON允许的数字，无法计算"],
        ["year: 2011n 不是JSON允许的数字，无法计算", "year", "2011n 不是JSON允许的数字，无法计算"],
        ["[2].a[0]: Infinity 不是JSON允许的数字，无法计算", "[2].a[0]",
         "Infinity 不是JSON允许的数字，无法计算"],
    ]
