"""The tool outside this repository (DESIGN.md; issue 16, "what done means"): the wheel,
installed into a fresh virtual environment outside the checkout, is the whole tool.

`ceportal new`, `npm ci` there, then `ceportal check` and `ceportal build` in the new
portal folder and `ceportal hours` from yet another folder, with no PYTHONPATH and no
working directory inside the checkout; the site the installed tool builds is byte for
byte the one this checkout builds from the same folder. About a minute, most of it pip
installing the dependencies (from its cache when it has them).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from generator.site.publishing import build_site

ROOT = Path(__file__).resolve().parents[2]
EPOCH = "1238544000"

pytestmark = pytest.mark.slow


def run(args: list[str | Path], cwd: Path, env: dict[str, str], timeout: int = 600
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A fresh venv outside the checkout with the wheel built from it; the environment
    to run it in (no PYTHONPATH, nothing of the checkout's)."""
    base = tmp_path_factory.mktemp("wheel")
    assert not base.is_relative_to(ROOT)
    dist = base / "dist"
    # As the repository builds its own wheels: the PEP 517 front end, no isolation.
    built = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist),
         str(ROOT)], capture_output=True, text=True, timeout=300, check=False)
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = dist.glob("ceportal-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for name in ("generator/browser/web/worker.js", "generator/browser/web/wheel/pyproject.toml",
                 "generator/browser/web/audit/audit.js", "generator/site/theme/main.html",
                 "generator/site/theme/assets/javascripts/registration-status.js",
                 "generator/skeleton/mkdocs.yml", "generator/skeleton/package-lock.json",
                 "generator/data/policy.yaml", "generator/site/templates/home.md.j2"):
        assert name in names, name
    # Links in the checkout are files in the wheel.
    assert (zipfile.ZipFile(wheel).read("generator/skeleton/mkdocs.yml")
            == (ROOT / "mkdocs.yml").read_bytes())
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "VIRTUAL_ENV", "CEPORTAL_"))}
    env.update(PYTHONNOUSERSITE="1", SOURCE_DATE_EPOCH=EPOCH, NO_MKDOCS_2_WARNING="1")
    venv = base / "venv"
    made = run([sys.executable, "-m", "venv", venv], base, env)
    assert made.returncode == 0, made.stderr
    pip = run([venv / "bin" / "python", "-m", "pip", "install", "--quiet",
               "--disable-pip-version-check", wheel], base, env)
    assert pip.returncode == 0, pip.stderr[-2000:]
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return venv, env


def test_the_installed_tool_makes_and_builds_a_portal(
    installed: tuple[Path, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    venv, env = installed
    ceportal = venv / "bin" / "ceportal"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # Nothing is imported from the checkout.
    where = run([venv / "bin" / "python", "-c",
                 "import generator, generator.resources as r; "
                 "print(generator.__file__); print(r.web_dir())"], elsewhere, env)
    module, web = where.stdout.split()
    assert Path(module).is_relative_to(venv) and Path(web).is_relative_to(venv), where.stdout

    made = run([ceportal, "new", "portal"], elsewhere, env)
    assert (made.returncode, made.stderr) == (0, ""), made.stderr
    portal = elsewhere / "portal"
    again = run([ceportal, "new", "portal"], elsewhere, env)
    assert again.returncode == 3 and "不是空的" in again.stderr

    # Before npm ci: the build stops with the one line saying how to get the runtime.
    early = run([ceportal, "build"], portal, env)
    assert (early.returncode, early.stderr) == (3, (
        "ceportal build: 找不到 Pyodide 运行环境（node_modules/pyodide）：请在门户文件夹"
        "（mkdocs.yml 所在的文件夹）中运行 npm ci 安装，或用 --pyodide DIR 指定已安装的 "
        "pyodide 包所在的文件夹\n"))
    npm = run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], portal, env)
    assert npm.returncode == 0, npm.stderr
    assert json.loads((portal / "node_modules/pyodide/package.json").read_text())["version"] == \
        json.loads((ROOT / "node_modules/pyodide/package.json").read_text())["version"]

    check = run([ceportal, "check"], portal, env)
    assert (check.returncode, check.stdout, check.stderr) == (
        0, "检查通过：年度目录 2010，共 18 门课程、3 期办班\n", "")

    built = run([ceportal, "build"], portal, env)
    assert built.returncode == 0, built.stderr
    site = portal / "site"
    home = (site / "index.html").read_text("utf-8")
    assert "温州市工程技术（一）系列继续教育" in home and "2010年度" in home
    for name in ("calculator/index.html", "calculator/worker.js", "calculator/engine.js",
                 "calculator/manifest.json", "calculator/snapshot.bin",
                 "calculator/pyodide/pyodide.asm.wasm", "calculator/pyodide/python_stdlib_min.zip",
                 "calculator/ceportal_rules-0.1.0-py3-none-any.whl", "audit/index.html",
                 "audit/audit.js", "assets/javascripts/registration-status.js",
                 "assets/stylesheets/ceportal.css", "404.html", "robots.txt",
                 "catalog/2010/index.html", "downloads/index.html"):
        assert (site / name).is_file(), name
    manifest = json.loads((site / "calculator/manifest.json").read_text())
    assert manifest["pyodide"] == "314.0.7"

    # The checkout's tool builds the very same site from the same folder.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    ours = build_site(tmp_path / "ours", portal / "catalog", portal / "mkdocs.yml")
    assert tree(ours) == tree(site)

    # From another folder: the shipped policy, and a build naming its folders.
    (elsewhere / "request.json").write_text(json.dumps(
        {"kind": "promotion", "target": "engineer", "year": 2011,
         "records": [{"year": 2010, "module": "public", "hours": 8}]}), "utf-8")
    hours = run([ceportal, "hours", "request.json"], elsewhere, env)
    assert (hours.returncode, hours.stderr) == (0, "")
    response = json.loads(hours.stdout)
    assert response["met"] is False
    assert response["required"] == {"total": 96, "public": 24}
    assert response["counted"] == {"total": 8, "public": 8}
    assert response["shortfall"] == {"total": 88, "public": 16}
    assert response["window"] == {"from": 2009, "to": 2011}
    assert response["basis"].startswith("按温经贸培训〔2009〕74号第二条")
    assert (response["ignored"], response["assumptions"], response["warnings"]) == ([], [], [])

    shutil.move(portal / "node_modules", elsewhere / "runtime")
    far = run([ceportal, "build", "--config", "portal/mkdocs.yml", "--site-dir", "far",
               "--pyodide", "runtime/pyodide"], elsewhere, env)
    assert far.returncode == 0, far.stderr
    assert tree(elsewhere / "far") == tree(site)
