"""What ``generator.browser.files`` produces: the page, the runtime, the wheel,
the data and the integrity manifest."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from generator.browser import EnginePage, RuntimeMissing, build_rules_wheel, delta, stdlib, wheel
from generator.browser import calculator_files as files
from generator.catalog.model import Catalog
from generator.site.calculator_preview import page_html

from .conftest import PLAN_YEAR, ROOT

WHEEL = "ceportal_rules-0.1.0-py3-none-any.whl"


def data(produced: dict[str, Any], name: str) -> bytes:
    content = produced[f"calculator/{name}"]
    return content.read_bytes() if isinstance(content, Path) else bytes(content)


def sri(content: bytes) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(content).digest()).decode()


def version(content: bytes) -> str:
    """The ``?v=`` of a file's URL: the first 96 bits of its sha256, base64url."""
    return base64.urlsafe_b64encode(hashlib.sha256(content).digest()[:12]).decode()


def url(produced: dict[str, Any], name: str) -> str:
    return f"{name}?v={version(data(produced, name))}"


def test_the_files(produced: dict[str, Any]) -> None:
    assert sorted(produced) == [
        "calculator/adapters.js",
        "calculator/base64url.js",
        "calculator/calculator.css",
        "calculator/catalogs.json",
        f"calculator/{WHEEL}",
        "calculator/common.css",
        "calculator/copy-status.js",
        "calculator/dom.js",
        "calculator/engine.js",
        "calculator/form-view.js",
        "calculator/format.js",
        "calculator/index.md",
        "calculator/main.js",
        "calculator/manifest.json",
        "calculator/picker-view.js",
        "calculator/policy.json",
        "calculator/pyodide/pyodide.asm.js",
        "calculator/pyodide/pyodide.asm.wasm",
        "calculator/pyodide/pyodide.js",
        "calculator/pyodide/python_stdlib.zip",
        "calculator/pyodide/python_stdlib_min.zip",
        "calculator/request.js",
        "calculator/result-view.js",
        "calculator/sheet-view.js",
        "calculator/snapdelta.js",
        "calculator/snapshot.bin",
        "calculator/store.js",
        "calculator/sw.js",
        "calculator/validate.js",
        "calculator/worker.js",
    ]
    pyodide = ROOT / "node_modules" / "pyodide"
    assert produced["calculator/pyodide/pyodide.js"] == pyodide / "pyodide.mjs"
    assert produced["calculator/pyodide/pyodide.asm.wasm"] == pyodide / "pyodide.asm.wasm"


def test_manifest_lists_every_checked_file_with_its_digest(produced: dict[str, Any]) -> None:
    manifest = json.loads(data(produced, "manifest.json"))
    assert manifest["version"] == 6
    assert manifest["wheel"] == WHEEL
    assert manifest["snapshot"] == "snapshot.bin"
    assert manifest["snapshot_stdlib"] == "pyodide/python_stdlib_min.zip"
    # The trimmed archive's top-level names, for the calculator's lazy finder.
    assert manifest["snapshot_stdlib_modules"] == stdlib.archive_modules(
        Path(str(produced["calculator/pyodide/python_stdlib_min.zip"])))
    assert "csv" in manifest["snapshot_stdlib_modules"] and "fractions" not in manifest["snapshot_stdlib_modules"]
    # The full archive's top-level names, for the fallback finder: json is one, _winapi not.
    assert "json" in manifest["stdlib_modules"] and "xml" in manifest["stdlib_modules"]
    assert "_winapi" not in manifest["stdlib_modules"]
    assert manifest["stdlib_modules"] == sorted(set(manifest["stdlib_modules"]))
    # What the worker rebuilds from snapshot.bin and the wasm, and checks before restoring.
    assert manifest["snapshot_format"] == "CEsp1"
    restored = delta.decode(data(produced, "snapshot.bin"), data(produced, "pyodide/pyodide.asm.wasm"))
    assert manifest["snapshot_restored"] == {"integrity": sri(restored), "size": len(restored)}
    # The deployment date the page names when it answers from its offline copy: the
    # build's day (SOURCE_DATE_EPOCH 2009-04-01T00:00Z, tests/conftest.py) in Wenzhou.
    assert manifest["deployed"] == "2009-04-01"
    assert (
        manifest["pyodide"]
        == json.loads((ROOT / "node_modules/pyodide/package.json").read_text())["version"]
    )
    assert sorted(manifest["files"]) == sorted(
        [
            WHEEL,
            "catalogs.json",
            "policy.json",
            "pyodide/pyodide.asm.js",
            "pyodide/pyodide.asm.wasm",
            "pyodide/pyodide.js",
            "pyodide/python_stdlib.zip",
            "pyodide/python_stdlib_min.zip",
            "snapdelta.js",
            "snapshot.bin",
            "worker.js",
        ]
    )
    for name, entry in manifest["files"].items():
        content = data(produced, name)
        assert entry == {
            "integrity": sri(content),
            "size": len(content),
            "url": f"{name}?v={version(content)}",
        }, name


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, text: str) -> None:
        if self._in_script and text.strip():
            self.script_text.append(text)


def test_the_page(produced: dict[str, Any], policy: dict[str, Any]) -> None:
    page = produced["calculator/index.md"]
    assert isinstance(page, EnginePage)
    text = page.body
    assert (page.kind, page.title) == ("calculator", "学时自查")
    # The theme override renders `calculator` into <head> (partials/calculator-head.html).
    assert page.data == {
        "calculator": {
            "manifest": data(produced, "manifest.json").decode(),
            "engine": {
                "src": url(produced, "engine.js"),
                "integrity": sri(data(produced, "engine.js")),
            },
            # engine.js's import, preloaded from <head> with its integrity.
            "preload": [
                {"src": url(produced, "copy-status.js"), "integrity": sri(data(produced, "copy-status.js"))},
            ],
        },
    }
    parser = _Page()
    parser.feed(text)
    scripts = [attrs for tag, attrs in parser.tags if tag == "script"]
    assert scripts == [
        {
            "type": "module",
            "src": url(produced, "main.js"),
            "integrity": sri(data(produced, "main.js")),
        }
    ]
    assert parser.script_text == []  # no inline script
    assert not [a for _t, attrs in parser.tags for a in attrs if a.startswith("on")]  # no handlers
    assert not [attrs for _t, attrs in parser.tags if "style" in attrs]
    links = [attrs for tag, attrs in parser.tags if tag == "link"]
    # The rules shared with the audit page first, then the page's own.
    assert links[:2] == [
        {
            "rel": "stylesheet",
            "href": url(produced, name),
            "integrity": sri(data(produced, name)),
        }
        for name in ("common.css", "calculator.css")
    ]
    # Every module main.js imports is preloaded with its integrity (modulepreload): the
    # browser checks the imported modules as it checks the script itself. (engine.js's
    # own import, copy-status.js, is preloaded from <head>: test_page_survives_markdown.)
    preloaded = sorted(a["href"] or "" for a in links[2:] if a["rel"] == "modulepreload")
    imported = sorted(
        url(produced, name.removeprefix("calculator/"))
        for name in produced
        if name.endswith(".js")
        and "/pyodide/" not in name
        and name.rsplit("/", 1)[1] not in ("main.js", "engine.js", "copy-status.js", "worker.js", "snapdelta.js", "sw.js")
    )
    assert preloaded == imported
    assert all(a["integrity"] == sri(data(produced, a["href"].split("?")[0])) for a in links[2:])
    root = next(attrs for tag, attrs in parser.tags if attrs.get("id") == "ce-hours")
    names = json.loads(root["data-names"] or "")
    assert names["modules"] == {
        "public": "公共必修课",
        "elective": "专业选修课",
        "other": "其他形式",
    }
    assert list(names["targets"]) == list(policy["promotion"]["targets"])
    assert list(names["specialties"]) == list(policy["specialties"])
    assert (names["startYear"], names["maxRecordHours"]) == (2009, 200)
    assert names["currentTitles"] == {
        "assistant_engineer": "技术员",
        "engineer": "助理工程师",
        "senior_engineer": "工程师",
    }
    # The county choice: for the policy's junior targets and titles, the counties the
    # catalogs' county classes name (newest year first), the levels as the schedule says them.
    assert names["junior"] == {
        "targets": ["junior_first", "assistant_engineer"],
        "titles": ["assistant_engineer", "technician"],
    }
    assert names["counties"] == ["瑞安市", "乐清市"]
    assert names["levels"] == {"city": "市本级", "county": "县（市、区）"}
    assert re.findall(r'<option value="([^"]*)">', text.split('id="ce-county"')[1].split("</select>")[0]) == [
        "", "瑞安市", "乐清市"]
    assert "hidden" in root  # shown by main.js: without JavaScript only the <noscript> message
    # Every form control has a label.
    ids = {attrs["for"] for tag, attrs in parser.tags if tag == "label" and attrs.get("for")}
    controls = [
        attrs["id"]
        for tag, attrs in parser.tags
        # A record row's controls are labelled when main.js copies the row's <template>.
        if tag in {"input", "select"} and attrs.get("type") != "radio" and "data-record" not in attrs
    ]
    assert set(controls) <= ids
    # The options come from the policy, in its order.
    options = re.findall(r'<option value="(\w+)">([^<]+)</option>', text)
    assert options[:4] == [
        ("junior_first", "初次申报初级职称（技术员、助理工程师）"),
        ("assistant_engineer", "技术员晋升助理工程师"),
        ("engineer", "助理工程师晋升工程师"),
        ("senior_engineer", "工程师晋升高级工程师及以上"),
    ]


def test_page_survives_markdown(produced: dict[str, Any]) -> None:
    """Python-Markdown (as MkDocs runs it) passes the raw HTML through untouched, and
    the head carries the manifest and starts the engine (as the theme override does)."""
    parser = _Page()
    parser.feed(page_html(produced["calculator/index.md"]))
    meta = next(attrs for tag, attrs in parser.tags if attrs.get("name") == "ceportal-calculator")
    assert json.loads(meta["content"] or "") == json.loads(data(produced, "manifest.json"))
    # engine.js's import is preloaded with its integrity before engine.js starts.
    head = [attrs for tag, attrs in parser.tags if tag == "script" or attrs.get("rel") == "modulepreload"]
    assert head[:2] == [
        {"rel": "modulepreload", "href": url(produced, "copy-status.js"),
         "integrity": sri(data(produced, "copy-status.js"))},
        {"type": "module", "async": None, "src": url(produced, "engine.js"),
         "integrity": sri(data(produced, "engine.js"))},
    ]
    scripts = [attrs for tag, attrs in parser.tags if tag == "script"]
    assert scripts == [
        {
            "type": "module",
            "async": None,
            "src": url(produced, "engine.js"),
            "integrity": sri(data(produced, "engine.js")),
        },
        {
            "type": "module",
            "src": url(produced, "main.js"),
            "integrity": sri(data(produced, "main.js")),
        },
    ]
    assert parser.script_text == []


def test_policy_and_catalogs_json(
    produced: dict[str, Any], catalog: Catalog, policy: dict[str, Any]
) -> None:
    # Same dict, same key order (the rules' messages list options in policy order).
    assert json.loads(data(produced, "policy.json")) == policy
    assert list(json.loads(data(produced, "policy.json"))["promotion"]["targets"]) == list(
        policy["promotion"]["targets"]
    )
    years = json.loads(data(produced, "catalogs.json"))["years"]
    assert [y["year"] for y in years] == [y.year for y in catalog.years]
    newest = years[-1]
    assert newest["courses"][3] == {
        "code": "E-2",
        "title": "电气安全规范",
        "module": "elective",
        "hours": 12.5,
        "form": "seminar",
        "specialties": ["electrical"],
    }
    assert newest["registration"] is None
    assert years[0]["registration"] == {
        "opens": None, "closes": "2009-04-30",
        "contact": "填写《温州市工程技术人员继续教育培训班报名表》（通知附件2），报温州市工业科学研究院",
    }
    assert newest["classes"][0]["courses"] == ["P-1", "P-2"]
    assert newest["classes"][0]["start"] == PLAN_YEAR.classes[0].start.isoformat()


# What runs in the browser: whole packages (generator/browser/web/wheel/pyproject.toml).
WHEEL_PACKAGES = ["generator/rules", "generator/audit", "generator/common", "generator/browser/worker"]


def test_wheel_holds_exactly_the_rules(produced: dict[str, Any]) -> None:
    archive = zipfile.ZipFile(io.BytesIO(data(produced, WHEEL)))
    names = archive.namelist()
    tracked = subprocess.run(
        ["git", "ls-files", *WHEEL_PACKAGES], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert sorted(n for n in names if not n.startswith("ceportal_rules-")) == sorted(tracked)
    for name in tracked:
        assert archive.read(name) == (ROOT / name).read_bytes()
    wheel_meta = archive.read("ceportal_rules-0.1.0.dist-info/WHEEL").decode()
    assert "Root-Is-Purelib: true" in wheel_meta
    assert "Tag: py3-none-any" in wheel_meta
    metadata = archive.read("ceportal_rules-0.1.0.dist-info/METADATA").decode()
    assert "Requires-Dist" not in metadata


@pytest.mark.build
def test_wheel_is_reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    builds = []
    for epoch in ("1262304000", "1262304000", "1577836800"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        wheel._cache.clear()  # build for real each time
        builds.append(build_rules_wheel())
    assert builds[0] == builds[1]
    assert builds[0][0] == builds[2][0] == WHEEL
    assert builds[0][1] != builds[2][1]  # the epoch is honoured: member dates differ
    stamps = {info.date_time for info in zipfile.ZipFile(io.BytesIO(builds[0][1])).infolist()}
    assert stamps == {(2010, 1, 1, 0, 0, 0)}


def test_missing_runtime_says_what_to_do(catalog: Catalog, tmp_path: Path) -> None:
    with pytest.raises(RuntimeMissing) as error:
        files(catalog, pyodide_dir=tmp_path)
    assert str(error.value) == (
        f"找不到 Pyodide 运行环境（{tmp_path}）：请在门户文件夹（mkdocs.yml 所在的文件夹）中运行 "
        "npm ci 安装，或用 --pyodide DIR 指定已安装的 pyodide 包所在的文件夹"
    )


def test_same_input_same_bytes(catalog: Catalog, produced: dict[str, Any]) -> None:
    again = files(catalog)
    assert again.keys() == produced.keys()
    for name in produced:
        if isinstance(produced[name], EnginePage):
            assert again[name] == produced[name]
            continue
        assert data(again, name.removeprefix("calculator/")) == data(
            produced, name.removeprefix("calculator/")
        )


def test_imports_point_at_versioned_modules(produced: dict[str, Any]) -> None:
    """Each published module imports the others by their versioned URL, so a module's
    URL changes when anything it imports changes; main.js reaches the very engine.js
    instance the page starts from <head>."""
    main = data(produced, "main.js").decode()
    assert f'from "./{url(produced, "engine.js")}"' in main
    for name in produced:
        if name.endswith(".js") and "/pyodide/" not in name:
            text = data(produced, name.removeprefix("calculator/")).decode()
            assert not re.search(r"""from\s*["']\./[\w.-]+\.js["']""", text), name
