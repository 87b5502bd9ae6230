"""One set of planner vectors, four planners: CPython's ``plan``, ``ceportal plan`` (on a
catalog folder holding the very catalogs the page bundles), the worker's planner bridge
in Pyodide under Node with the built wheel, and ``window.ceHours.plan`` in Chromium.
All must give identical JSON and identical error messages."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.browser.worker.calculator import plan_json
from generator.catalog.writing import year_to_yaml
from generator.rules import RequestError, plan

from .conftest import PLAN_YEAR, ROOT, TODAY
from .test_parity import strict

Y = PLAN_YEAR.year


def promotion(target: str, year: int, records: list[dict[str, Any]]) -> dict[str, Any]:
    return {"kind": "promotion", "target": target, "year": year, "records": records}


SENIOR = promotion(
    "senior_engineer",
    Y,
    [
        {"year": Y - 1, "module": "public", "hours": 16},
        {"year": Y - 2, "module": "elective", "hours": 150},
    ],
)
VECTORS: list[dict[str, Any]] = [
    {"name": "mechanical", "request": SENIOR, "options": {"specialty": "mechanical"}},
    {"name": "electrical", "request": SENIOR, "options": {"specialty": "electrical"}},
    {"name": "no specialty", "request": SENIOR, "options": {}},
    {
        "name": "recorded course skipped",
        "request": promotion(
            "senior_engineer",
            Y,
            [*SENIOR["records"], {"year": Y, "module": "public", "hours": 8, "course": f"{Y}/P-1"}],
        ),
        "options": {"specialty": "mechanical"},
    },
    {
        "name": "class closed",
        "request": SENIOR,
        "options": {
            "specialty": "mechanical",
            "today": (TODAY + dt.timedelta(days=21)).isoformat(),
        },
    },
    {
        "name": "met",
        "request": promotion("junior_first", Y, [{"year": Y, "module": "other", "hours": 16}]),
        "options": {},
    },
    {
        "name": "public only",
        "request": promotion(
            "senior_engineer",
            Y,
            [
                {"year": Y - 1, "module": "public", "hours": 24},
                {"year": Y - 2, "module": "elective", "hours": 180},
            ],
        ),
        "options": {"specialty": "mechanical"},
    },
    {
        "name": "window over",
        "request": promotion("engineer", 2011, []),
        "options": {"specialty": "mechanical"},
    },
    {
        "name": "no catalog yet",
        "request": promotion("engineer", Y + 2, []),
        "options": {"today": f"{Y + 1}-01-05"},
    },
    {
        "name": "cycle",
        "request": {
            "kind": "cycle",
            "title": "technician",
            "cycle_start": Y - 1,
            "year": Y,
            "records": [],
        },
        "options": {"specialty": "metrology"},
    },
    # Junior, short by 16: C-YQ (P-2, 16) covers it exactly; C-RA (P-1, 8) does not, so
    # 瑞安市 gets the city's C-NEXT (24); a senior's plan ignores the county.
    {"name": "junior, any county", "request": promotion("junior_first", Y, []), "options": {}},
    {
        "name": "county",
        "request": promotion("junior_first", Y, []),
        "options": {"county": "瑞安市"},
    },
    {
        "name": "county 乐清市",
        "request": promotion("junior_first", Y, []),
        "options": {"county": "乐清市"},
    },
    {"name": "senior, a county", "request": SENIOR, "options": {"county": "乐清市"}},
    {
        "name": "planned",
        "request": promotion(
            "senior_engineer",
            Y,
            [*SENIOR["records"], {"year": Y, "module": "public", "hours": 8, "planned": True}],
        ),
        "options": {"specialty": "mechanical"},
    },
    {"name": "bad specialty", "request": SENIOR, "options": {"specialty": "机械"}},
    {"name": "bad county", "request": SENIOR, "options": {"county": "  "}},
    {"name": "bad today", "request": SENIOR, "options": {"today": f"{Y}-13-01"}},
    {"name": "bad request", "request": promotion("engineer", 2008, []), "options": {}},
]
IDS = [v["name"] for v in VECTORS]


def options(vector: dict[str, Any]) -> dict[str, Any]:
    """Every planner gets both options spelled out (the CLI's default today is today)."""
    return {"specialty": None, "county": None, "today": TODAY.isoformat(), **vector["options"]}


def cpython(policy: dict[str, Any], catalogs: dict[str, Any], vector: dict[str, Any]) -> str:
    """What the worker's planner bridge prints, computed by CPython."""
    text = plan_json(policy, catalogs, json.dumps(vector["request"]), json.dumps(options(vector)))
    try:
        expected = {"response": plan(policy, catalogs, vector["request"], **options(vector))}
    except RequestError as exc:
        expected = {"error": str(exc), "path": exc.path, "problem": exc.problem}
    assert json.loads(text) == expected  # the bridge is plan's JSON face, nothing more
    return text


@pytest.fixture(scope="module")
def catalogs(produced: dict[str, Any]) -> dict[str, Any]:
    return dict(json.loads(produced["calculator/catalogs.json"]))


def test_vectors_cover_the_cases(policy: dict[str, Any], catalogs: dict[str, Any]) -> None:
    outs = {v["name"]: json.loads(cpython(policy, catalogs, v)) for v in VECTORS}

    def plan_of(name: str) -> tuple[list[str], list[list[str]], list[str]]:
        response = outs[name]["response"]
        return (
            [c["code"] for c in response["classes"]],
            [[s["course"] for s in c["courses"]] for c in response["classes"]],
            [s["course"] for s in response["courses_without_class"]],
        )

    # C-NEXT (P-1, P-2) can be booked, C-PAST cannot; E-1 and E-2 have no class.
    assert plan_of("mechanical") == (["C-NEXT"], [[f"{Y}/P-1", f"{Y}/P-2"]], [f"{Y}/E-1"])
    assert plan_of("electrical") == (["C-NEXT"], [[f"{Y}/P-1", f"{Y}/P-2"]], [f"{Y}/E-2"])
    assert plan_of("no specialty") == (["C-NEXT"], [[f"{Y}/P-1", f"{Y}/P-2"]], [])
    assert plan_of("recorded course skipped") == (["C-NEXT"], [[f"{Y}/P-2"]], [f"{Y}/E-1"])
    # In catalog order.
    assert plan_of("class closed") == ([], [], [f"{Y}/E-1", f"{Y}/P-1", f"{Y}/P-2"])
    assert plan_of("junior, any county")[0] == ["C-YQ"]
    assert plan_of("county")[0] == ["C-NEXT"]
    assert plan_of("county 乐清市")[0] == ["C-YQ"]
    assert outs["senior, a county"] == outs["no specialty"]
    assert outs["mechanical"]["response"]["covers"] == {"total": 24, "public": 24}
    assert outs["mechanical"]["response"]["met_after"] is False
    assert outs["planned"]["response"]["shortfall"] == {"total": 26, "public": 8}
    assert outs["met"]["response"]["note"] == "已达标，无需补充学时。"
    assert outs["no catalog yet"]["response"]["note"].startswith(
        f"尚未公布{Y + 1}—{Y + 2}年度课程目录"
    )
    assert sum("error" in o for o in outs.values()) == 4


@pytest.fixture(scope="module")
def catalog_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled catalog folder plus PLAN_YEAR: what the page's catalogs.json holds."""
    out = tmp_path_factory.mktemp("plan-catalog")
    for path in (ROOT / "catalog").glob("*.yaml"):
        shutil.copyfile(path, out / path.name)
    (out / f"{Y}.yaml").write_text(year_to_yaml(PLAN_YEAR), encoding="utf-8")
    return out


@pytest.mark.cli
@pytest.mark.parametrize("vector", VECTORS, ids=IDS)
def test_cli_agrees(
    policy: dict[str, Any], catalogs: dict[str, Any], catalog_dir: Path, vector: dict[str, Any]
) -> None:
    opts = options(vector)
    args = ["--today", opts["today"], "--catalog", str(catalog_dir)]
    if opts["specialty"]:
        args += ["--specialty", opts["specialty"]]
    if opts["county"] is not None:
        args += ["--county", str(opts["county"])]
    proc = subprocess.run(
        [sys.executable, "-m", "generator.cli", "plan", "-", *args],
        input=json.dumps(vector["request"], ensure_ascii=False),
        capture_output=True,
        text=True,
        check=False,
    )
    expected = json.loads(cpython(policy, catalogs, vector))
    if "error" in expected:
        assert (proc.returncode, proc.stdout, proc.stderr) == (
            2,
            "",
            f"ceportal plan: {expected['error']}\n",
        )
    else:
        assert (proc.returncode, proc.stderr) == (0, "")
        assert strict(json.loads(proc.stdout)) == strict(expected["response"])


@pytest.mark.node
def test_pyodide_in_node_with_the_built_wheel(
    policy: dict[str, Any], catalogs: dict[str, Any], produced: dict[str, Any], tmp_path: Path
) -> None:
    node = shutil.which("node")
    assert node, "node is missing: run make setup"
    manifest = json.loads(produced["calculator/manifest.json"])
    wheel = tmp_path / manifest["wheel"]
    wheel.write_bytes(produced[f"calculator/{manifest['wheel']}"])
    for name in ("policy.json", "catalogs.json"):
        (tmp_path / name).write_bytes(produced[f"calculator/{name}"])
    (tmp_path / "vectors.json").write_text(json.dumps({"vectors": []}), encoding="utf-8")
    (tmp_path / "plans.json").write_text(
        json.dumps(
            [{"request": v["request"], "options": options(v)} for v in VECTORS], ensure_ascii=False
        ),
        encoding="utf-8",
    )
    run = subprocess.run(
        [
            node,
            str(Path(__file__).with_name("pyodide_node.mjs")),
            str(ROOT / "node_modules" / "pyodide"),
            str(wheel),
            str(tmp_path / "policy.json"),
            str(produced["calculator/worker.js"]),
            str(tmp_path / "vectors.json"),
            str(produced[f"calculator/{manifest['snapshot']}"]),
            str(produced[f"calculator/{manifest['snapshot_stdlib']}"]),
        ],
        env={
            **os.environ,
            "CE_CATALOGS": str(tmp_path / "catalogs.json"),
            "CE_PLAN_VECTORS": str(tmp_path / "plans.json"),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    for vector, text in zip(VECTORS, json.loads(run.stdout)["plans"], strict=True):
        assert text == cpython(policy, catalogs, vector), vector["name"]


@pytest.mark.browser
def test_chromium_ce_hours_plan(
    policy: dict[str, Any], catalogs: dict[str, Any], page: Any
) -> None:
    outputs = page.evaluate(
        """async (vectors) => {
            const out = [];
            for (const { request, options } of vectors) {
                try {
                    out.push({ response: JSON.stringify(await window.ceHours.plan(request, options)) });
                } catch (error) {
                    out.push({ error: error.message, path: error.path, problem: error.problem,
                               isError: error instanceof Error });
                }
            }
            return out;
        }""",
        [{"request": v["request"], "options": options(v)} for v in VECTORS],
    )
    for vector, got in zip(VECTORS, outputs, strict=True):
        expected = json.loads(cpython(policy, catalogs, vector))
        if "error" in expected:
            assert got == {**expected, "isError": True}, vector["name"]
            assert expected["path"] in ("specialty", "county", "today", "year"), vector["name"]
        else:
            assert strict(json.loads(got["response"])) == strict(expected["response"]), vector[
                "name"
            ]
    # Without `today` the page plans as of the visitor's local date, as the CLI does.
    default = page.evaluate("(r) => window.ceHours.plan(r, {specialty: 'mechanical'})", SENIOR)
    assert default == json.loads(cpython(policy, catalogs, VECTORS[0]))["response"]
