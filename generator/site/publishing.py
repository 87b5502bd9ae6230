"""Building the site in a sibling folder and swapping it in, so the published folder is
always a whole site: the previous one until the new one is complete.

A build only ever replaces a site folder. Before anything is written it refuses a
target that is, contains or lies inside the project folder (where mkdocs.yml is), the
docs folder or the catalog, a target that is a file, and a folder that is not a site a
build made (:mod:`generator.site.sitefolder`: foreign entries, a home folder, ``/``, a mount
point); and it checks ``SOURCE_DATE_EPOCH``. A symlinked target (the usual
``current -> releases/vN``) is built beside the folder it points to and swapped there,
so the link keeps pointing at a whole site. The kept hidden entries of the old site
(``.well-known/``, ``.git/``) move into the new one, which takes the old folder's mode
and owner. Builds of one site take turns (a lock), and the next build puts back what a
killed one left and removes its temporary folders.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from generator.common.excerpt import excerpt
from generator.common.safefiles import new_dir_mode, os_error_text

from . import sitefolder
from .sitefolder import KEPT

log = logging.getLogger(__name__)

_RENAME_EXCHANGE = 2  # linux/fs.h
# Zip entries (the .xlsx/.docx downloads, the rules wheel) hold years up to 2107; the
# epoch must be a plain decimal count of seconds.
EPOCH_MAX = 4102444799  # 2099-12-31T23:59:59Z
_EPOCH = re.compile(r"[0-9]{1,10}")


class BuildRefused(Exception):
    """The build will not run; ``str()`` is the one-line Chinese reason."""


def check_source_date_epoch() -> None:
    """Refuse an invalid ``SOURCE_DATE_EPOCH`` (set but not 0…EPOCH_MAX) before anything
    is written."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None or value == "":
        return
    if not (value.isascii() and _EPOCH.fullmatch(value) and int(value) <= EPOCH_MAX):
        raise BuildRefused(
            f"环境变量 SOURCE_DATE_EPOCH 应为 0 到 {EPOCH_MAX} 之间的整数秒数"
            f"（1970-01-01 至 2099-12-31），现在是“{value[:40]}”：未生成网站；"
            "请改正或删除它（unset SOURCE_DATE_EPOCH）"
        )


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def swap_in(new: Path, target: Path, aside: Path | None = None) -> None:
    """Make the folder ``new`` the folder at ``target`` (a real folder, not a link); the
    old one's kept hidden entries (``.well-known/``, ``.git/``) move into the new one,
    the rest is removed afterwards.

    On Linux the two folders trade places in one atomic step. Elsewhere the old folder is
    renamed to ``aside`` first (in the build's own folder), leaving only a moment with no
    folder at ``target`` (never a partial one). A build killed at any step leaves what
    :func:`generator.site.sitefolder.recover` puts back.
    """
    moved: list[str] = []
    old: Path | None = None
    if target.is_dir():
        try:
            for name in KEPT:
                if os.path.lexists(target / name) and not os.path.lexists(new / name):
                    (target / name).rename(new / name)
                    moved.append(name)
        except BaseException:
            for name in moved:
                (new / name).rename(target / name)
            raise
    try:
        sitefolder.at_step("moved", new, target)
        if target.is_dir() and _exchange(new, target):
            sitefolder.at_step("swapped", new, target)
            shutil.rmtree(new)  # now holds the old site
            return
        if target.is_dir():
            old = aside or new.with_name(f"{new.name}-old")
            target.rename(old)
            sitefolder.at_step("aside", new, target)
        new.rename(target)
        sitefolder.at_step("swapped", new, target)
    except BaseException:
        if new.is_dir():
            if old is not None and not os.path.lexists(target):
                old.rename(target)
            for name in moved:
                with contextlib.suppress(OSError):
                    (new / name).rename(target / name)
        raise
    if old is not None:
        shutil.rmtree(old)


def _shown(folder: Path) -> str:
    """``folder`` relative to the current folder when it is or lies under it."""
    cwd = Path.cwd()
    return os.path.relpath(folder, cwd) if folder.is_relative_to(cwd) else str(folder)


def _relation(target: Path, other: Path) -> str | None:
    """How ``target`` stands to ``other`` (both resolved): 是 / 包含 / 位于…之内, or None."""
    if target == other:
        return "是"
    if other.is_relative_to(target):
        return "包含"
    if target.is_relative_to(other):
        return "位于"
    return None


def check_target(
    site_dir: str | Path, protected: list[tuple[str, Path]],
    made: frozenset[str] = frozenset(),
) -> Path:
    """The real folder a build of ``site_dir`` replaces (through a link), or
    :class:`BuildRefused` when replacing it could delete anything but an old site
    (:mod:`generator.site.sitefolder`; ``made``: the top-level names a build makes).

    ``protected`` names the folders a site folder must keep clear of, first the project
    (the site folder may lie inside it, not be it or hold it)."""
    shown = excerpt(str(site_dir), 200)
    target = Path(site_dir).absolute()
    real = Path(os.path.realpath(target))
    link = f"（链接，指向 {real}）" if target.is_symlink() else ""
    if real.exists() and not real.is_dir():
        raise BuildRefused(
            f"输出位置 {shown}{link} 是一个文件，不是文件夹：未生成网站；请用 --site-dir 另选一个文件夹"
        )
    try:
        sitefolder.check_place(real)
    except sitefolder.NotASite as exc:
        raise BuildRefused(
            f"输出文件夹 {shown}{link} {exc}：生成网站会替换这个文件夹，未生成网站；"
            "请用 --site-dir 另选一个文件夹（默认 site）"
        ) from None
    for i, (what, folder) in enumerate(protected):
        folder = Path(os.path.realpath(folder))
        relation = _relation(real, folder)
        if relation is None or (i == 0 and relation == "位于"):
            continue
        where = f"{what} {_shown(folder)}"
        place = f"位于{where}之内" if relation == "位于" else f"{relation}{where}"
        raise BuildRefused(
            f"输出文件夹 {shown}{link} {place}：生成网站会替换这个文件夹，未生成网站；"
            "请用 --site-dir 另选一个文件夹（默认 site）"
        )
    try:
        sitefolder.check(real, made)
    except sitefolder.NotASite as exc:
        raise BuildRefused(
            f"输出文件夹 {shown}{link} {exc}：为免误删，未生成网站；"
            "请用 --site-dir 另选一个文件夹（不存在或空的文件夹，或以前生成的网站）"
        ) from None
    return real


@contextlib.contextmanager
def _temporary_files_in(folder: Path) -> Iterator[None]:
    """While the block runs, this process's temporary files (``tempfile``, and the
    ``TMPDIR`` of the programs it starts) go into ``folder``; a signal that would end
    the process unwinds it instead, so every ``finally`` removes what it made."""
    folder.mkdir(parents=True)
    before = tempfile.tempdir, os.environ.get("TMPDIR")
    handlers: dict[signal.Signals, object] = {}

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGHUP):
            handlers[signum] = signal.signal(signum, stop)
    tempfile.tempdir = str(folder)
    os.environ["TMPDIR"] = str(folder)
    try:
        yield
    finally:
        tempfile.tempdir = before[0]
        if before[1] is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = before[1]
        for signum, handler in handlers.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]  # what signal() returned


BUILDERS = ("mkdocs", "zensical")


class BuildFailed(Exception):
    """The builder stopped (an invalid catalog, a failed Zensical run…); ``str()`` is the
    Chinese reason. MkDocs' own failures stay ``mkdocs.exceptions.Abort``."""


def build_site(
    site_dir: str | Path = "site",
    catalog_dir: str | Path | None = None,
    config_file: str | Path = "mkdocs.yml",
    strict: bool = True,
    builder: str = "mkdocs",
    drafts: str = "hide",
) -> Path:
    """Build the portal into ``site_dir`` with ``builder`` (:data:`BUILDERS`: MkDocs +
    Material through the plugin, or Zensical on a staged docs folder): into the build-owned
    folder beside it first, post-steps included, then swapped in. Any failure (invalid
    catalog, strict-mode warning…) leaves ``site_dir`` untouched and propagates
    (``mkdocs.exceptions.Abort`` or :class:`BuildFailed` for build failures,
    :class:`BuildRefused` for a target or environment the build will not use, ``OSError``
    for the file system). ``drafts``: ``hide`` (draft years not published) or ``preview``
    (published, every page saying the site is a preview; :mod:`generator.site.drafts`)."""
    if builder not in BUILDERS:
        raise BuildRefused(f"未知的生成器“{builder}”：可选 {'、'.join(BUILDERS)}")
    check_source_date_epoch()
    target = Path(site_dir).absolute()
    real = Path(os.path.realpath(target))
    if builder == "zensical":
        protected, docs_dir, run = _zensical(catalog_dir, config_file, strict, drafts)
    else:
        protected, docs_dir, run = _mkdocs(real, catalog_dir, config_file, strict, drafts)
    made = sitefolder.made_names(docs_dir)
    real = check_target(site_dir, protected, made)
    real.parent.mkdir(parents=True, exist_ok=True)
    with sitefolder.locked(sitefolder.work_folder(real), target) as own:
        sitefolder.recover(own.parent, real)
        real = check_target(site_dir, protected, made)  # as it is now, the lock held
        temp = own / "site"
        with _temporary_files_in(own / "tmp"):
            temp.mkdir()
            run(temp, own)  # the whole site, post-steps (CSP, precompression) included
            sitefolder.write_manifest(temp)
            _take_mode_and_owner(temp, real)
            swap_in(temp, real, own / "old")
    log.info("site built in %s", target)
    return target


_Run = Callable[[Path, Path], None]  # (the folder to build into, the build-owned folder)


def _mkdocs(real: Path, catalog_dir: str | Path | None, config_file: str | Path,
            strict: bool, drafts: str) -> tuple[list[tuple[str, Path]], Path, _Run]:
    """MkDocs + Material through the plugin (:mod:`.adapters.mkdocs_plugin`)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from .adapters.mkdocs_plugin import catalog_folder, use_catalog, use_drafts

    # MkDocs' own site_dir checks would see the temporary name; ours come first.
    placeholder = Path(tempfile.gettempdir()) / f".{real.name}-build-{os.getpid()}"
    config = load_config(config_file=str(config_file), site_dir=str(placeholder), strict=strict)
    project = Path(config.config_file_path or config_file).absolute().parent
    if catalog_dir is not None:
        use_catalog(config, catalog_dir)
    use_drafts(config, drafts)  # a build leaves draft years out unless asked (--drafts)
    docs = Path(config.docs_dir)
    protected = [("项目文件夹", project), ("网站源文件夹", docs),
                 ("目录文件夹", catalog_folder(config))]

    def run(temp: Path, own: Path) -> None:
        config["site_dir"] = str(temp)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)  # the plugin runs the post-steps at the end (on_post_build)
        finally:
            config.plugins.on_shutdown()

    return protected, docs, run


def _zensical(catalog_dir: str | Path | None, config_file: str | Path, strict: bool,
              drafts: str) -> tuple[list[tuple[str, Path]], Path, _Run]:
    """Zensical on a staged docs folder (:mod:`.adapters.zensical`)."""
    from .adapters import zensical

    try:
        found = zensical.portal(config_file, catalog_dir)
    except zensical.ZensicalFailed as exc:
        raise BuildFailed(str(exc)) from None
    protected = [("项目文件夹", found.project), ("网站源文件夹", found.docs_dir),
                 ("目录文件夹", found.catalog_dir)]

    def run(temp: Path, own: Path) -> None:
        try:
            zensical.build(found, own / "stage", temp, strict=strict, drafts=drafts)
        except zensical.ZensicalFailed as exc:
            raise BuildFailed(str(exc)) from None

    return protected, found.docs_dir, run


def _take_mode_and_owner(new: Path, old: Path) -> None:
    """The new site folder gets the old one's mode and owner; a first one the mode the
    user's umask gives (a published site must be readable by the server)."""
    try:
        st = old.stat()
    except FileNotFoundError:
        new.chmod(new_dir_mode())
        return
    new.chmod(st.st_mode & 0o7777)
    if (st.st_uid, st.st_gid) != (new.stat().st_uid, new.stat().st_gid):
        os.chown(new, st.st_uid, st.st_gid)


def describe_os_error(exc: OSError, site_dir: str | Path) -> str:
    """One Chinese line for a file-system failure of the build."""
    where = str(exc.filename or site_dir)
    if re.search(r"/\.[^/]*\.ceportal-build(/|$)", where):  # inside the build-owned folder
        where = str(Path(site_dir).absolute())
    return f"无法写入 {where}：{os_error_text(exc)}；网站未更新（原有网站保持不变）"
