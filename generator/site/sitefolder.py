"""What a site folder may be, and the build-owned folder a build works in.

A site folder is what a build made. Every build writes :data:`MANIFEST` into the site
it makes, listing every entry it wrote; ``--site-dir DIR`` is replaced only when DIR

- does not exist,
- is empty (no entries at all, or only the hidden entries a site keeps, :data:`KEPT`:
  ``.well-known/`` and ``.git/``, a deploy checkout),
- holds a manifest and nothing but what it lists plus the kept hidden entries, or
- (once, for a site built before manifests) holds only top-level entries a build makes
  (:func:`made_names`).

Anything else — a foreign file or folder, any other dot-file (a home folder's
``.bashrc``), a home folder, ``/``, a mount point — is :class:`~generator.building.BuildRefused`
before anything is written, naming up to three foreign entries.

Every temporary folder of a build lives in one build-owned folder beside the site,
``.NAME.ceportal-build/`` (:func:`work_folder`): its ``lock`` (``fcntl.flock``) makes
concurrent builds of one site take turns, and each build's own ``PID-TOKEN/`` holds the
new site (``site/``), the old one set aside where the swap cannot be atomic (``old/``)
and its temporary files (``tmp/``, the process's ``TMPDIR`` while it builds). The next
build, holding the lock, first puts back into the site any kept hidden entry a killed
build left there (:func:`recover`), then removes the rest; a build that ends, however
it ends short of ``SIGKILL``, removes its own folder and, when nothing else is left,
the build-owned folder itself.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import pwd
import re
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

from generator.common.excerpt import excerpt

log = logging.getLogger(__name__)

MANIFEST = ".ceportal-site.json"
# The hidden entries a site keeps across builds (DESIGN.md, "Site URLs").
KEPT = (".well-known", ".git")
# Top-level entries every build of a portal makes, besides the pages of its docs folder
# (made_names); a site built before manifests is recognised by them.
_MADE = frozenset({
    "404.html", "assets", "audit", "calculator", "catalog", "downloads", "index.html",
    "notice", "policy", "robots.txt", "schedule", "search", "sitemap.xml", "sitemap.xml.gz",
})
_SIBLINGS = (".gz", ".br")  # precompress.py
# The temporary siblings of builds before the build-owned folder.
_LEGACY = r"\.{name}-(?:build|old)-(\d+)-[0-9a-f]+"
_SHOWN = 3  # foreign entries named in a refusal


class NotASite(Exception):
    """``str()`` is the reason (after the folder's name) the folder may not be replaced."""


def made_names(docs_dir: Path | None) -> frozenset[str]:
    """The top-level names a build makes: the portal's own, and what the docs folder's
    entries become (``page.md`` → ``page/``, ``index.md`` → ``index.html``)."""
    names = set(_MADE)
    if docs_dir is not None and docs_dir.is_dir():
        for entry in os.listdir(docs_dir):
            if entry.startswith("."):
                continue
            stem, dot, suffix = entry.rpartition(".")
            if dot and suffix == "md":
                names.add("index.html" if stem in ("index", "README") else stem)
            else:
                names.add(entry)
    return frozenset(names | {name + s for name in names for s in _SIBLINGS})


def entries(folder: Path) -> list[str]:
    """Every entry under ``folder`` (files, folders, links; not followed), relative, sorted."""
    found = []
    for root, dirs, files in os.walk(folder):
        base = Path(root).relative_to(folder)
        for name in dirs + files:
            found.append((base / name).as_posix())
    return sorted(found)


def write_manifest(site: Path) -> None:
    """Record every entry of the freshly built ``site`` in its manifest."""
    listed = [name for name in entries(site) if name != MANIFEST]
    text = json.dumps({"ceportal_site": 1, "entries": listed}, ensure_ascii=False, indent=0)
    (site / MANIFEST).write_text(text + "\n", encoding="utf-8")


def _listed(folder: Path) -> set[str] | None:
    """The entries the manifest of ``folder`` lists; None when it has none (or an
    unreadable one)."""
    try:
        with open(folder / MANIFEST, "rb") as f:
            data = json.loads(f.read(64 * 1024 * 1024))
        listed = data["entries"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(listed, list) or not all(isinstance(n, str) for n in listed):
        return None
    return set(listed)


def foreign(folder: Path, made: frozenset[str]) -> list[str]:
    """The entries of ``folder`` a build did not make (a folder once, ``name/``), in
    order; empty when the folder may be replaced."""
    listed = _listed(folder)
    names = sorted(os.listdir(folder))
    if listed is None:  # empty, or a site from before manifests: top-level names only
        return [_name(folder, n) for n in names if n not in KEPT and n not in made]
    out: list[str] = []
    for root, dirs, files in os.walk(folder):
        base = Path(root).relative_to(folder)
        keep = []
        for name in sorted(dirs) + sorted(files):
            rel = (base / name).as_posix()
            if base == Path(".") and (name in KEPT or name == MANIFEST):
                continue
            if rel in listed:
                if name in dirs:
                    keep.append(name)
            else:
                out.append(_name(folder, rel))
        dirs[:] = sorted(keep)
    return out


def _name(folder: Path, rel: str) -> str:
    path = folder / rel
    return excerpt(rel) + ("/" if path.is_dir() and not path.is_symlink() else "")


def _homes() -> set[str]:
    homes = {os.path.realpath(os.path.expanduser("~"))}
    with contextlib.suppress(OSError, KeyError):
        homes.update(os.path.realpath(p.pw_dir) for p in pwd.getpwall() if p.pw_dir not in ("", "/"))
    return homes


def check_place(real: Path) -> None:
    """:class:`NotASite` when the real folder ``real`` is no place for a site whatever it
    holds: ``/``, a home folder, a mount point."""
    if real == Path(real.anchor):
        raise NotASite("是文件系统的根目录")
    if str(real) in _homes():
        raise NotASite("是用户的主文件夹")
    if real.is_dir() and os.path.ismount(real):
        raise NotASite("是一个挂载点（另一个文件系统的根）")


def check(real: Path, made: frozenset[str]) -> None:
    """:class:`NotASite` unless replacing the real folder ``real`` loses nothing but a
    site a build made (or ``real`` does not exist)."""
    check_place(real)
    if not real.is_dir():
        return
    found = foreign(real, made)
    if found:
        shown = "、".join(found[:_SHOWN])
        more = f" 等 {len(found)} 项" if len(found) > _SHOWN else " "
        raise NotASite(f"不是生成的网站：其中的 {shown}{more}不是生成网站时写入的")
    st = real.stat()
    if os.geteuid() != 0 and (st.st_uid != os.geteuid()
                              or st.st_gid not in {os.getegid(), *os.getgroups()}):
        raise NotASite("属于另一个用户或用户组：替换后无法保留它的所有者")


# --- the build-owned folder -------------------------------------------------------------

def work_folder(real: Path) -> Path:
    """The build-owned folder beside the site folder ``real``."""
    return real.with_name(f".{real.name}.ceportal-build")


# Called by the swap at each of its steps ("moved": hidden entries moved into the new
# site; "swapped": the new site in place, the old one not yet removed); tests replace it
# to kill or hold a build at that moment.
def at_step(step: str, new: Path, target: Path) -> None:
    return None


@contextlib.contextmanager
def locked(work: Path, site: Path) -> Iterator[Path]:
    """Hold the build-owned folder's lock (waiting for another build of the same site);
    yields this build's own folder in it, removed when the block ends. The build-owned
    folder goes too when nothing else is left in it."""
    while True:
        work.mkdir(mode=0o700, exist_ok=True)
        try:
            fd = os.open(work / "lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except FileNotFoundError:  # a build that just finished removed the folder
            continue
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                log.warning("另一个 ceportal build 正在生成 %s，等它完成……", site)
                fcntl.flock(fd, fcntl.LOCK_EX)
            try:  # the lock file a finished build removed is not a lock any more
                same = os.stat(work / "lock").st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                continue
            own = work / f"{os.getpid()}-{secrets.token_hex(4)}"
            try:
                yield own
            finally:
                shutil.rmtree(own, ignore_errors=True)
                with contextlib.suppress(OSError):
                    if os.listdir(work) == ["lock"]:
                        os.unlink(work / "lock")
                        os.rmdir(work)
            return
        finally:
            os.close(fd)


def recover(work: Path, real: Path) -> list[Path]:
    """With the lock held: what builds that were killed left, in the build-owned folder
    (and the temporary siblings of older versions whose process is gone). A site set
    aside (``old/``) with no site in place goes back; kept hidden entries go back into
    the site when it lacks them; then the leftovers are removed. Returns them."""
    leftovers = [work / n for n in sorted(os.listdir(work)) if n != "lock"] if work.is_dir() else []
    pattern = re.compile(_LEGACY.format(name=re.escape(real.name)))
    with contextlib.suppress(OSError):
        for name in sorted(os.listdir(real.parent)):
            m = pattern.fullmatch(name)
            if m and int(m[1]) != os.getpid() and not _alive(int(m[1])):
                leftovers.append(real.parent / name)
    for left in leftovers:
        if not left.is_dir() or left.is_symlink():
            with contextlib.suppress(OSError):
                left.unlink()
            continue
        aside: Path | None
        if left.parent == work:
            aside, parts = left / "old", [left / "site", left / "old"]
        else:
            aside, parts = (left if "-old-" in left.name else None), [left]
        if aside is not None and aside.is_dir() and not os.path.lexists(real):
            aside.rename(real)
            log.warning("已把中断的生成移开的网站放回 %s", real)
        for part in parts:
            for name in KEPT:
                if os.path.lexists(part / name) and real.is_dir() \
                        and not os.path.lexists(real / name):
                    (part / name).rename(real / name)
                    log.warning("已把中断的生成留下的 %s 放回 %s", name, real)
        shutil.rmtree(left, ignore_errors=True)
        log.info("removed %s, left by a build that was stopped", left)
    return leftovers


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
