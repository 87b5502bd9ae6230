"""A site folder is what a build made (issue 24, item 1).

Refusals leave the parent folder byte for byte as it was (every entry, its mode, owner
and inode); accepted folders keep their mode and owner and their kept hidden entries,
through a build killed at each step of the swap (a hook, :func:`generator.site.sitefolder.at_step`)
and two builds at once (one held at the swap).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.site import sitefolder
from tests.hardening.common import snapshot

pytestmark = pytest.mark.build  # the accepted folders are built into, the refusals start a build

MESSAGE_END = "：为免误删，未生成网站；请用 --site-dir 另选一个文件夹（不存在或空的文件夹，或以前生成的网站）"
PLACE_END = "：生成网站会替换这个文件夹，未生成网站；请用 --site-dir 另选一个文件夹（默认 site）"


def state(folder: Path) -> dict[str, object]:
    """Every entry under ``folder`` with its content, mode, owner and inode."""
    out: dict[str, object] = {}
    for rel, content in snapshot(folder).items():
        st = os.lstat(folder / rel)
        out[rel] = (content, st.st_mode, st.st_uid, st.st_gid, st.st_ino)
    st = os.lstat(folder)
    out["."] = (st.st_mode, st.st_uid, st.st_gid, st.st_ino)
    return out


def _refused(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["build", *args]) == 3
    out, err = capsys.readouterr()
    assert out == ""
    assert "Traceback" not in err
    assert err.count("\n") == 1, err
    return err.strip()


def _hidden(site: Path) -> None:
    (site / ".well-known").mkdir(parents=True)
    (site / ".well-known" / "security.txt").write_bytes(b"Contact: mailto:a@example.org\n")
    (site / ".git").mkdir()
    (site / ".git" / "HEAD").write_bytes(b"ref: refs/heads/pages\n")


def _kept(site: Path) -> bool:
    return ((site / ".well-known" / "security.txt").read_bytes() == b"Contact: mailto:a@example.org\n"
            and (site / ".git" / "HEAD").read_bytes() == b"ref: refs/heads/pages\n")


def test_a_folder_of_dot_files_is_not_empty(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A home folder's look (``.bashrc``, ``.ssh/``) was taken for an empty folder."""
    home = project.parent / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_rsa").write_bytes(b"-----BEGIN OPENSSH PRIVATE KEY-----\n")
    (home / ".bashrc").write_bytes(b"alias ll='ls -l'\n")
    (home / ".well-known").mkdir()
    home.chmod(0o700)
    before = state(project.parent)
    assert _refused(["--site-dir", str(home)], capsys) == (
        f"ceportal build: 输出文件夹 {home} 不是生成的网站：其中的 .bashrc、.ssh/ "
        f"不是生成网站时写入的{MESSAGE_END}"
    )
    assert state(project.parent) == before


def test_the_home_folder_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = project.parent / "user"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    before = state(project.parent)
    assert _refused(["--site-dir", str(home)], capsys) == (
        f"ceportal build: 输出文件夹 {home} 是用户的主文件夹{PLACE_END}"
    )
    assert state(project.parent) == before


def test_the_root_and_a_mount_point_are_refused(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = state(project.parent)
    assert _refused(["--site-dir", "/"], capsys) == (
        f"ceportal build: 输出文件夹 / 是文件系统的根目录{PLACE_END}"
    )
    mounted = project.parent / "volume"
    mounted.mkdir()
    real_ismount = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda p: str(p) == str(mounted) or real_ismount(p))
    before = state(project.parent)
    assert _refused(["--site-dir", str(mounted)], capsys) == (
        f"ceportal build: 输出文件夹 {mounted} 是一个挂载点（另一个文件系统的根）{PLACE_END}"
    )
    assert state(project.parent) == before


def test_a_folder_with_an_index_and_other_files_is_not_a_site(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``public_html/`` with ``index.html``, ``thesis.docx`` and ``photos/`` lost the docx
    and the photos; more than three foreign entries are counted."""
    public = project.parent / "public_html"
    (public / "photos").mkdir(parents=True)
    (public / "photos" / "1.jpg").write_bytes(b"\xff\xd8")
    (public / "index.html").write_text("<h1>my page</h1>")
    (public / "thesis.docx").write_bytes(b"PK\x03\x04")
    before = state(project.parent)
    assert _refused(["--site-dir", str(public)], capsys) == (
        f"ceportal build: 输出文件夹 {public} 不是生成的网站：其中的 photos/、thesis.docx "
        f"不是生成网站时写入的{MESSAGE_END}"
    )
    for name in ("a.txt", "b.txt", ".profile"):
        (public / name).write_text("mine")
    before = state(project.parent)
    assert _refused(["--site-dir", str(public)], capsys) == (
        f"ceportal build: 输出文件夹 {public} 不是生成的网站：其中的 .profile、a.txt、b.txt 等 5 项"
        f"不是生成网站时写入的{MESSAGE_END}"
    )
    assert state(project.parent) == before


def test_escaped_names_of_foreign_entries(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = project.parent / "x"
    folder.mkdir()
    (folder / "\x1b[8mhidden").write_text("")
    assert _refused(["--site-dir", str(folder)], capsys) == (
        f"ceportal build: 输出文件夹 {folder} 不是生成的网站：其中的 <U+001B>[8mhidden "
        f"不是生成网站时写入的{MESSAGE_END}"
    )


def test_a_site_keeps_its_mode_hidden_entries_and_refuses_what_its_manifest_lacks(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder holding only the kept hidden entries is empty; the site a build made is
    replaced again (its manifest lists every entry); a file added to it makes it foreign."""
    site = project.parent / "www"
    _hidden(site)
    site.chmod(0o711)
    assert main(["build", "--site-dir", str(site)]) == 0
    capsys.readouterr()
    assert _kept(site)
    assert site.stat().st_mode & 0o777 == 0o711
    assert sorted(p.name for p in project.parent.iterdir()) == ["project", "www"]  # no leftovers
    listed = json.loads((site / sitefolder.MANIFEST).read_text(encoding="utf-8"))["entries"]
    assert listed == [n for n in sitefolder.entries(site)
                      if n != sitefolder.MANIFEST and n.split("/")[0] not in sitefolder.KEPT]
    assert "index.html" in listed and "catalog/2010/index.html" in listed
    inode = site.stat().st_ino
    assert main(["build", "--site-dir", str(site)]) == 0
    capsys.readouterr()
    assert site.stat().st_ino != inode and _kept(site)
    assert site.stat().st_mode & 0o777 == 0o711
    (site / "catalog" / "2010" / "my-notes.txt").write_text("mine")
    before = state(project.parent)
    assert _refused(["--site-dir", str(site)], capsys) == (
        f"ceportal build: 输出文件夹 {site} 不是生成的网站：其中的 catalog/2010/my-notes.txt "
        f"不是生成网站时写入的{MESSAGE_END}"
    )
    assert state(project.parent) == before


# --- a build killed at the swap, two builds at once ---------------------------------------

DRIVER = """
import os, signal, sys
from pathlib import Path
from generator.site import publishing as building, sitefolder
from generator.cli import main

step, mode = sys.argv[1], sys.argv[2]
if mode == "plain":
    building._exchange = lambda a, b: False  # the swap where renameat2 is missing

def at_step(name, new, target):
    if name != step:
        return
    if mode == "litter":  # killed while a temporary folder is in use
        import tempfile
        Path(tempfile.mkdtemp(prefix="ceportal-snapshot-"), "snapshot.bin").write_bytes(b"x")
    if mode == "term":
        os.kill(os.getpid(), signal.SIGTERM)
    elif mode == "hold":
        Path("ready").open("w").close()      # the test waits on this FIFO …
        Path("go").read_text()              # … then lets the build go on
    else:
        os.kill(os.getpid(), signal.SIGKILL)

sitefolder.at_step = at_step
sys.exit(main(["build", "--site-dir", sys.argv[3]]))
"""


def _driver(project: Path, *args: str, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", DRIVER, *args], cwd=project, text=True,
                            **kwargs)  # type: ignore[call-overload]


def _old_site(site: Path) -> None:
    _hidden(site)
    (site / "index.html").write_text("old site")
    (site / "404.html").write_text("old 404")


@pytest.mark.parametrize(("step", "mode"), [("moved", "atomic"), ("swapped", "atomic"),
                                           ("moved", "plain"), ("aside", "plain"),
                                           ("swapped", "plain")])
def test_a_build_killed_at_the_swap_loses_no_hidden_entry(
    project: Path, capsys: pytest.CaptureFixture[str], step: str, mode: str
) -> None:
    site = project.parent / "www"
    _old_site(site)
    killed = _driver(project, step, mode, str(site))
    assert killed.wait() == -9
    assert main(["build", "--site-dir", str(site)]) == 0
    capsys.readouterr()
    assert _kept(site)
    assert (site / "index.html").read_text() != "old site"
    assert sorted(p.name for p in project.parent.iterdir()) == ["project", "www"]


def test_two_builds_at_once_keep_the_hidden_entries(project: Path) -> None:
    """A is held after moving the hidden entries into its new site; B waits for A's lock
    (it says so), then builds: both exit 0 and ``.well-known/``, ``.git/`` are still there."""
    site = project.parent / "www"
    _old_site(site)
    os.mkfifo(project / "ready")
    os.mkfifo(project / "go")
    a = _driver(project, "moved", "hold", str(site))
    (project / "ready").read_text()  # A holds the lock, at its swap
    with subprocess.Popen([sys.executable, "-m", "generator.cli", "build", "--site-dir", str(site)],
                          cwd=project, stderr=subprocess.PIPE, text=True) as b:
        assert b.stderr is not None
        line = b.stderr.readline()
        assert line == f"WARNING: 另一个 ceportal build 正在生成 {site}，等它完成……\n"
        (project / "go").write_text("go")
        assert a.wait() == 0
        rest = b.stderr.read()
        assert b.wait() == 0, rest
    assert _kept(site)
    assert sorted(p.name for p in project.parent.iterdir()) == ["project", "www"]


def test_no_temporary_folder_outlives_a_build(
    project: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Killed builds left ``$TMPDIR/ceportal-snapshot-*`` and ``ceportal-stdlib-*``: a
    build's temporary files are in its own folder, which the next build removes."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    site = project.parent / "www"
    killed = _driver(project, "moved", "litter", str(site), env={**os.environ, "TMPDIR": str(tmp)})
    assert killed.wait() == -9
    assert main(["build", "--site-dir", str(site)]) == 0
    capsys.readouterr()
    assert os.listdir(tmp) == []
    assert sorted(p.name for p in project.parent.iterdir()) == ["project", "tmp", "www"]


def test_a_terminated_build_cleans_up_and_leaves_the_old_site(project: Path) -> None:
    site = project.parent / "www"
    _old_site(site)
    before = state(project.parent)
    ended = _driver(project, "moved", "term", str(site))
    assert ended.wait() == 128 + 15
    assert state(project.parent) == before
