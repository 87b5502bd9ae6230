"""The portal folder is the boundary, messages repeat only short escaped excerpts, and
every input is bounded (issue 24, items 3 and 4): each case compares the folders byte for
byte before and after, and checks the exact lines printed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.hardening.common import snapshot

ROOT = Path(__file__).resolve().parents[2]
KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def portal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A portal folder (its catalog a copy of the bundled one) beside a folder of secrets."""
    secrets = tmp_path / "home" / ".ssh"
    secrets.mkdir(parents=True)
    (secrets / "id_rsa").write_text(KEY)
    folder = tmp_path / "portal"
    folder.mkdir()
    shutil.copytree(ROOT / "catalog", folder / "catalog")
    monkeypatch.chdir(folder)
    return folder


def test_a_catalog_file_linking_out_of_the_portal_is_refused_unread(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``catalog/2011.yaml -> ~/.ssh/id_rsa`` printed the private key in an error."""
    (portal / "catalog" / "2011.yaml").symlink_to(portal.parent / "home" / ".ssh" / "id_rsa")
    before = snapshot(portal.parent)
    code, out, err = run(capsys, "check")
    assert (code, err) == (1, "")
    assert out == (
        "catalog/2011.yaml:1:1: error: 文件链接到门户文件夹之外，未读取：目录文件和 policy.yaml "
        "须在门户文件夹之内，请改为文件夹内的文件\n检查未通过：1 个错误\n"
    )
    assert snapshot(portal.parent) == before


def test_policy_yaml_linking_out_of_the_portal_is_refused_unread(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = portal / "catalog" / "policy.yaml"
    shutil.move(policy, portal.parent / "home" / "policy.yaml")
    policy.symlink_to(portal.parent / "home" / "policy.yaml")
    code, out, _ = run(capsys, "check")
    assert code == 1
    assert out.splitlines()[0] == (
        "catalog/policy.yaml:1:1: error: 文件链接到门户文件夹之外，未读取：目录文件和 policy.yaml "
        "须在门户文件夹之内，请改为文件夹内的文件"
    )


def test_a_link_inside_the_portal_is_read(portal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The boundary is the portal folder, not the link: a year file kept beside the
    catalog folder (inside the portal) is read as before."""
    (portal / "catalog" / "2010.yaml").rename(portal / "2010.yaml")
    (portal / "catalog" / "2010.yaml").symlink_to(portal / "2010.yaml")
    code, out, _ = run(capsys, "check")
    assert code == 0, out


def test_a_catalog_deeper_in_the_portal_may_link_to_the_portals_policy(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The portal folder is the one holding mkdocs.yml: ``--catalog tests/fixture`` whose
    policy.yaml links to the portal's own ``catalog/policy.yaml`` is read; a link out of
    the portal is still refused."""
    (portal / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    deep = portal / "tests" / "fixture" / "catalog"
    deep.mkdir(parents=True)
    (deep / "policy.yaml").symlink_to(portal / "catalog" / "policy.yaml")
    shutil.copyfile(portal / "catalog" / "2010.yaml", deep / "2010.yaml")
    code, out, _ = run(capsys, "check", "--catalog", "tests/fixture/catalog")
    assert code == 0, out
    (deep / "2011.yaml").symlink_to(portal.parent / "home" / ".ssh" / "id_rsa")
    code, out, _ = run(capsys, "check", "--catalog", "tests/fixture/catalog")
    assert (code, out.splitlines()[0]) == (1, (
        "tests/fixture/catalog/2011.yaml:1:1: error: 文件链接到门户文件夹之外，未读取：目录文件和 "
        "policy.yaml 须在门户文件夹之内，请改为文件夹内的文件"))


@pytest.mark.cli
def test_a_fifo_catalog_file_does_not_hang(portal: Path) -> None:
    """A FIFO named like a year file is not read (``check`` returned, rather than waiting
    for a writer forever): checked in a subprocess that would otherwise never end."""
    import os

    os.mkfifo(portal / "catalog" / "2011.yaml")
    done = subprocess.run([sys.executable, "-m", "generator.cli", "check"], cwd=portal,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout


@pytest.mark.build
def test_a_site_src_link_out_of_the_portal_is_not_published(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "site_src", project / "site_src")
    shutil.copytree(ROOT / "tests" / "golden" / "catalog", project / "catalog")
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    (tmp_path / "secret.txt").write_text(KEY)
    (project / "site_src" / "key.txt").symlink_to(tmp_path / "secret.txt")
    monkeypatch.chdir(project)
    before = snapshot(tmp_path)
    code, out, err = run(capsys, "build")
    assert (code, out) == (1, "")
    assert "BEGIN" not in err
    assert err.splitlines()[0] == (
        "ceportal build: site_src/key.txt：链接到门户文件夹之外，未发布：网站源文件夹中的文件须在门户"
        "文件夹之内，请改为文件夹内的文件或删除该链接"
    )
    assert snapshot(tmp_path) == before  # no site/, no build folder


def test_escape_sequences_in_keys_and_values_are_shown_as_code_points(
    portal: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A key ``"\\u001b[8mhidden"`` reached the terminal raw in an error line."""
    request = tmp_path / "r.json"
    request.write_text(json.dumps({"kind": "promotion", "target": "engineer", "year": 2011,
                                   "records": [], "\x1b[8mhidden": 1}))
    code, out, err = run(capsys, "hours", str(request))
    assert (code, out) == (2, "")
    assert err == ("ceportal hours: \\u001b[8mhidden: 不认识的字段，可用字段："
                   "kind、records、target、year\n")
    year = (portal / "catalog" / "2010.yaml").read_text(encoding="utf-8")
    year = year.replace("title:", 'title: "\\e[8m' + "x" * 5000 + '"\n  old_title:', 1)
    (portal / "catalog" / "2010.yaml").write_text(year, encoding="utf-8")
    code, out, err = run(capsys, "check")
    assert code == 1
    assert "\x1b" not in out and "x" * 41 not in out


def _flood(portal: Path, items: int) -> None:
    """catalog/2011.yaml: 2010's with one course listing ``items`` specialties."""
    text = (portal / "catalog" / "2010.yaml").read_text(encoding="utf-8")
    text = text.replace("year: 2010", "year: 2011", 1)
    text = re.sub(r"specialties: \[[^\]\n]*\]", "specialties: [" + ",".join(["y"] * items) + "]",
                  text, count=1)
    (portal / "catalog" / "2011.yaml").write_text(text, encoding="utf-8")


def test_reports_list_200_problems_and_count_the_rest(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """2.4 million list items printed 2.4 million lines (308 MB, 2.4 GB of memory)."""
    _flood(portal, 5000)
    code, out, _ = run(capsys, "check")
    lines = out.splitlines()
    assert code == 1
    assert len(lines) == 202
    assert lines[-2] == "……另有 4800 个问题未列出（最多列出 200 个；请先改正以上问题）"
    assert lines[-1] == "检查未通过：5000 个错误"


def test_a_year_file_of_millions_of_values_is_refused_at_once(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _flood(portal, 1_000_000)
    code, out, _ = run(capsys, "check")
    assert code == 1
    assert re.fullmatch(
        r"catalog/2011\.yaml:\d+:\d+: error: 内容过多：一个文件最多 200,000 项（值、列表和映射），"
        r"已停止读取：请检查是否有异常长的列表，或按年度拆分\n检查未通过：1 个错误\n", out)


@pytest.mark.parametrize("source", ["/dev/zero", "fifo"])
def test_hours_reads_at_most_its_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], source: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``ceportal hours /dev/zero`` read until memory ran out; a FIFO hung."""
    import os

    monkeypatch.chdir(tmp_path)
    if source == "fifo":
        os.mkfifo(tmp_path / "fifo")
    code, out, err = run(capsys, "hours", source)
    what = "设备文件" if source == "/dev/zero" else "命名管道（FIFO）"
    assert (code, out) == (2, "")
    assert err == f"ceportal hours: 请求文件 {source} 是{what}，不是普通文件，未读取\n"


@pytest.mark.cli
def test_hours_from_a_pipe_stops_at_its_limit() -> None:
    with subprocess.Popen([sys.executable, "-m", "generator.cli", "hours", "-"],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as proc:
        assert proc.stdin is not None and proc.stderr is not None
        chunk = b" " * (1 << 20)
        try:
            for _ in range(64):  # 64 MB offered; the reader stops at 16 MB and exits
                proc.stdin.write(chunk)
        except BrokenPipeError:
            pass
        proc.stdin.close()
        err = proc.stderr.read().decode()
        assert proc.wait() == 2
    assert err == "ceportal hours: 请求超过 16 MB，未读取\n"


@pytest.mark.parametrize("name", ["fifo.csv", "fifo.xlsx"])
def test_audit_refuses_a_fifo(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                              monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """``audit fifo.csv`` waited forever for a writer."""
    import os

    monkeypatch.chdir(tmp_path)
    os.mkfifo(tmp_path / name)
    code, out, err = run(capsys, "audit", name)
    assert (code, out) == (2, "")
    assert err == f"ceportal audit: {name}：是命名管道（FIFO），不是普通文件，未读取\n"


@pytest.mark.parametrize("data", [b"\xff\xfe{\x00}\x00", b'{"a": "\xc3("}'])
def test_hours_refuses_what_the_calculator_import_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes
) -> None:
    """The same message as adapters.js NOT_UTF8 (tests/calculator/js/adapters.test.mjs)."""
    (tmp_path / "r.json").write_bytes(data)
    code, out, err = run(capsys, "hours", str(tmp_path / "r.json"))
    assert (code, out, err) == (2, "", "ceportal hours: 请求文件不是 UTF-8 编码：请另存为 UTF-8\n")
