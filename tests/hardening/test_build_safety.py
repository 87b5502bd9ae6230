"""A build can only replace a site folder (issue 19, item 1), and an invalid
SOURCE_DATE_EPOCH stops it before anything is written.

Each refusal is checked by its exact message and by comparing every file of the project
copy (and of the target) byte for byte before and after.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.site.publishing import remove_stale

ROOT = Path(__file__).resolve().parents[2]
GOLDEN_CATALOG = ROOT / "tests" / "golden" / "catalog"


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry under ``folder``: file bytes, link targets, and folders, by path."""
    out: dict[str, bytes | str] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        base = Path(dirpath)
        for name in dirnames + filenames:
            path = base / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                out[rel] = "link:" + os.readlink(path)
            elif path.is_dir():
                out[rel] = "dir"
            else:
                out[rel] = path.read_bytes()
    return out


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project (mkdocs.yml, site_src, a small catalog, node_modules, a .git
    folder) as cwd."""
    copy = tmp_path / "project"
    copy.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", copy / "mkdocs.yml")
    shutil.copytree(ROOT / "site_src", copy / "site_src")
    shutil.copytree(GOLDEN_CATALOG, copy / "catalog")
    (copy / "node_modules").symlink_to(ROOT / "node_modules")  # the portal folder's runtime
    (copy / ".git").mkdir()
    (copy / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    monkeypatch.chdir(copy)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1238544000")
    return copy


def _refused(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["build", *args]) == 3  # refused: nothing written
    out, err = capsys.readouterr()
    assert out == ""
    assert "Traceback" not in err
    assert err.count("\n") == 1, err  # one line
    return err.strip()


@pytest.mark.parametrize(
    ("site_dir", "message"),
    [
        (".", "输出文件夹 . 是项目文件夹 .：生成网站会替换这个文件夹，未生成网站；"
              "请用 --site-dir 另选一个文件夹（默认 site）"),
        ("..", "输出文件夹 .. 包含项目文件夹 .：生成网站会替换这个文件夹，未生成网站；"
               "请用 --site-dir 另选一个文件夹（默认 site）"),
        ("catalog", "输出文件夹 catalog 是目录文件夹 catalog：生成网站会替换这个文件夹，"
                    "未生成网站；请用 --site-dir 另选一个文件夹（默认 site）"),
        ("catalog/site", "输出文件夹 catalog/site 位于目录文件夹 catalog之内：生成网站会替换"
                         "这个文件夹，未生成网站；请用 --site-dir 另选一个文件夹（默认 site）"),
        ("site_src", "输出文件夹 site_src 是网站源文件夹 site_src：生成网站会替换这个文件夹，"
                     "未生成网站；请用 --site-dir 另选一个文件夹（默认 site）"),
        ("site_src/own", "输出文件夹 site_src/own 位于网站源文件夹 site_src之内："
                               "生成网站会替换这个文件夹，未生成网站；"
                               "请用 --site-dir 另选一个文件夹（默认 site）"),
        ("mkdocs.yml", "输出位置 mkdocs.yml 是一个文件，不是文件夹：未生成网站；"
                       "请用 --site-dir 另选一个文件夹"),
        (".git", "输出文件夹 .git 里已有其他文件，但不是生成的网站（没有 index.html）："
                 "为免误删，未生成网站；请用 --site-dir 另选一个文件夹，或先清空它"),
    ],
)
def test_build_refuses_what_is_not_a_site_folder(
    project: Path, capsys: pytest.CaptureFixture[str], site_dir: str, message: str
) -> None:
    before = snapshot(project.parent)
    assert _refused(["--site-dir", site_dir], capsys) == f"ceportal build: {message}"
    assert snapshot(project.parent) == before


def test_build_refuses_a_link_to_the_catalog(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "current").symlink_to(project / "catalog")
    before = snapshot(project.parent)
    assert _refused(["--site-dir", "current"], capsys) == (
        f"ceportal build: 输出文件夹 current（链接，指向 {project / 'catalog'}） 是目录文件夹 "
        "catalog：生成网站会替换这个文件夹，未生成网站；请用 --site-dir 另选一个文件夹（默认 site）"
    )
    assert snapshot(project.parent) == before


@pytest.mark.parametrize("value", ["-1", "99999999999", "abc", "1e9", "１２３"])
def test_build_refuses_an_invalid_source_date_epoch(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    value: str,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    before = snapshot(project.parent)
    assert _refused([], capsys) == (
        "ceportal build: 环境变量 SOURCE_DATE_EPOCH 应为 0 到 4102444799 之间的整数秒数"
        f"（1970-01-01 至 2099-12-31），现在是“{value}”：未生成网站；"
        "请改正或删除它（unset SOURCE_DATE_EPOCH）"
    )
    assert snapshot(project.parent) == before


def test_build_in_a_read_only_parent_is_one_line(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = project / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    if os.access(locked, os.W_OK):  # root: permissions do not apply, the kernel's answer is faked
        real_mkdir = Path.mkdir

        def mkdir(self: Path, *args: object, **kwargs: object) -> None:
            if self.parent == locked:
                raise PermissionError(errno.EACCES, "Permission denied", str(self))
            real_mkdir(self, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(Path, "mkdir", mkdir)
    before = snapshot(project.parent)
    try:
        message = _refused(["--site-dir", "locked/site"], capsys)
    finally:
        locked.chmod(0o755)
    assert message == (
        f"ceportal build: 无法写入 {locked / 'site'}：没有写入权限；网站未更新（原有网站保持不变）"
    )
    assert snapshot(project.parent) == before


def test_stale_temporary_folders_are_removed(tmp_path: Path) -> None:
    # A process that has exited stands for a killed build.
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    pid = int(dead.stdout)
    stale = [tmp_path / f".site-build-{pid}-0123abcd", tmp_path / f".site-old-{pid}-89ef0123"]
    mine = tmp_path / f".site-build-{os.getpid()}-00000000"  # this process: still building
    keep = [tmp_path / ".site-backup", tmp_path / f".other-build-{pid}-0123abcd", mine]
    for folder in stale + keep:
        folder.mkdir()
        (folder / "index.html").write_text("x")
    assert sorted(remove_stale(tmp_path / "site")) == sorted(stale)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in keep)


@pytest.mark.build
def test_build_through_a_link_keeps_hidden_entries(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The usual ``current -> releases/v1``: the new site lands in releases/v1, the link
    stays, hidden entries (.well-known, .git) survive, a killed build's folder goes, and
    the files get the user's umask."""
    releases = project.parent / "releases"
    old = releases / "v1"
    (old / ".well-known").mkdir(parents=True)
    (old / ".well-known" / "security.txt").write_bytes(b"Contact: mailto:a@example.org\n")
    (old / ".git").mkdir()
    (old / ".git" / "HEAD").write_bytes(b"ref: refs/heads/pages\n")
    (old / "index.html").write_text("old site")
    (old / "gone.html").write_text("a page of the old site")
    current = project.parent / "current"
    current.symlink_to(old)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    stale = releases / f".v1-build-{int(dead.stdout)}-deadbeef"
    stale.mkdir()
    (stale / "partial.html").write_text("half a site")
    project_before = snapshot(project)
    mask = os.umask(0o027)
    try:
        assert main(["build", "--site-dir", str(current)]) == 0
    finally:
        os.umask(mask)
    out, err = capsys.readouterr()
    assert out == f"网站已生成：{current}\n"
    assert current.is_symlink() and os.readlink(current) == str(old)
    assert (old / ".well-known" / "security.txt").read_bytes() == b"Contact: mailto:a@example.org\n"
    assert (old / ".git" / "HEAD").read_bytes() == b"ref: refs/heads/pages\n"
    assert not (old / "gone.html").exists()
    assert (old / "index.html").read_text() != "old site"
    assert sorted(p.name for p in releases.iterdir()) == ["v1"]  # the stale folder is gone
    assert old.stat().st_mode & 0o777 == 0o750
    assert snapshot(project) == project_before


@pytest.mark.build
def test_a_full_disk_during_the_build_leaves_the_site(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import mkdocs.utils

    site = project / "site"
    site.mkdir()
    (site / "index.html").write_bytes(b"the published site")
    before = snapshot(project.parent)

    def full(content: bytes, output_path: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", output_path)

    monkeypatch.setattr(mkdocs.utils, "write_file", full)
    message = _refused([], capsys)
    assert message == (
        f"ceportal build: 无法写入 {site}：磁盘空间不足；网站未更新（原有网站保持不变）"
    )
    assert snapshot(project.parent) == before  # the old site, and no temporary folder
