"""Building the site in a sibling folder and swapping it in, so the published folder is
always a whole site: the previous one until the new one is complete.

A build only ever replaces a site folder. Before anything is written it refuses a
target that is, contains or lies inside the project folder (where mkdocs.yml is), the
docs folder or the catalog, a target that is a file, and a folder that holds other
files but no site; and it checks ``SOURCE_DATE_EPOCH``. A symlinked target (the usual
``current -> releases/vN``) is built beside the folder it points to and swapped there,
so the link keeps pointing at a whole site. Hidden entries of the old site
(``.well-known/``, ``.git/``) move into the new one, as MkDocs' own clean keeps them.
The temporary folders of builds that were killed are removed by the next build.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import os
import re
import secrets
import shutil
import tempfile
from pathlib import Path

from generator.common.safefiles import new_dir_mode, os_error_text

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


def _hidden(folder: Path) -> list[str]:
    try:
        return sorted(name for name in os.listdir(folder) if name.startswith("."))
    except FileNotFoundError:
        return []


def swap_in(new: Path, target: Path) -> None:
    """Make the folder ``new`` the folder at ``target`` (a real folder, not a link); the
    old one's hidden entries move into the new one, the rest is removed afterwards.

    On Linux the two folders trade places in one atomic step. Elsewhere the old folder is
    renamed aside first, leaving only a moment with no folder at ``target`` (never a
    partial one).
    """
    moved: list[str] = []
    if target.is_dir():
        try:
            for name in _hidden(target):
                if not os.path.lexists(new / name):
                    (target / name).rename(new / name)
                    moved.append(name)
        except BaseException:
            for name in moved:
                (new / name).rename(target / name)
            raise
    try:
        if target.is_dir() and _exchange(new, target):
            shutil.rmtree(new)  # now holds the old site
            return
        old = None
        if target.is_dir():
            old = target.with_name(f".{target.name}-old-{os.getpid()}-{secrets.token_hex(4)}")
            target.rename(old)
        new.rename(target)
    except BaseException:
        if new.is_dir():
            for name in moved:
                with contextlib.suppress(OSError):
                    (new / name).rename(target / name)
        raise
    if old is not None:
        shutil.rmtree(old)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(real: Path) -> list[Path]:
    """Remove the temporary folders beside ``real`` left by builds that were killed
    (``.site-build-PID-…``, ``.site-old-PID-…``, Zensical's ``.site-stage-PID-…`` whose
    process is gone); returns them."""
    pattern = re.compile(rf"\.{re.escape(real.name)}-(?:build|old|stage)-(\d+)-[0-9a-f]+")
    removed = []
    try:
        names = os.listdir(real.parent)
    except OSError:
        return []
    for name in names:
        m = pattern.fullmatch(name)
        if m and int(m[1]) != os.getpid() and not _alive(int(m[1])):
            path = real.parent / name
            shutil.rmtree(path, ignore_errors=True)
            log.info("removed %s, left by a build that was stopped", path)
            removed.append(path)
    return removed


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


def check_target(site_dir: str | Path, protected: list[tuple[str, Path]]) -> Path:
    """The real folder a build of ``site_dir`` replaces (through a link), or
    :class:`BuildRefused` when replacing it could delete anything but an old site.

    ``protected`` names the folders a site folder must keep clear of, first the project
    (the site folder may lie inside it, not be it or hold it)."""
    shown = str(site_dir)
    target = Path(site_dir).absolute()
    real = Path(os.path.realpath(target))
    link = f"（链接，指向 {real}）" if target.is_symlink() else ""
    if real.exists() and not real.is_dir():
        raise BuildRefused(
            f"输出位置 {shown}{link} 是一个文件，不是文件夹：未生成网站；请用 --site-dir 另选一个文件夹"
        )
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
    if real.is_dir() and not (real / "index.html").is_file():
        others = [name for name in os.listdir(real) if not name.startswith(".")]
        if others:
            raise BuildRefused(
                f"输出文件夹 {shown}{link} 里已有其他文件，但不是生成的网站（没有 index.html）："
                "为免误删，未生成网站；请用 --site-dir 另选一个文件夹，或先清空它"
            )
    return real


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
    Material through the plugin, or Zensical on a staged docs folder): into a temporary
    sibling folder first, post-steps included, then swapped in. Any failure (invalid
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
    token = f"{os.getpid()}-{secrets.token_hex(4)}"
    temp = real.with_name(f".{real.name}-build-{token}")
    if builder == "zensical":
        _build_with_zensical(site_dir, real, temp, token, catalog_dir, config_file, strict,
                             drafts)
    else:
        _build_with_mkdocs(site_dir, real, temp, catalog_dir, config_file, strict, drafts)
    log.info("site built in %s", target)
    return target


def _prepare(site_dir: str | Path, protected: list[tuple[str, Path]]) -> Path:
    real = check_target(site_dir, protected)
    real.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(real)
    return real


def _publish(temp: Path, real: Path) -> None:
    # A published site must be readable by the server: the user's umask decides.
    temp.chmod(new_dir_mode())
    swap_in(temp, real)


def _build_with_mkdocs(site_dir: str | Path, real: Path, temp: Path,
                       catalog_dir: str | Path | None, config_file: str | Path,
                       strict: bool, drafts: str) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from .adapters.mkdocs_plugin import catalog_folder, use_catalog, use_drafts

    # MkDocs' own site_dir checks would see the temporary name; ours come first, below.
    placeholder = Path(tempfile.gettempdir()) / temp.name
    config = load_config(config_file=str(config_file), site_dir=str(placeholder), strict=strict)
    project = Path(config.config_file_path or config_file).absolute().parent
    if catalog_dir is not None:
        use_catalog(config, catalog_dir)
    use_drafts(config, drafts)  # a build leaves draft years out unless asked (--drafts)
    real = _prepare(site_dir, [("项目文件夹", project), ("网站源文件夹", Path(config.docs_dir)),
                               ("目录文件夹", catalog_folder(config))])
    temp.mkdir()
    config["site_dir"] = str(temp)
    try:
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)  # the plugin runs the post-steps at the end (on_post_build)
        finally:
            config.plugins.on_shutdown()
        _publish(temp, real)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(temp)
        raise


def _build_with_zensical(site_dir: str | Path, real: Path, temp: Path, token: str,
                         catalog_dir: str | Path | None, config_file: str | Path,
                         strict: bool, drafts: str) -> None:
    from .adapters import zensical

    try:
        found = zensical.portal(config_file, catalog_dir)
    except zensical.ZensicalFailed as exc:
        raise BuildFailed(str(exc)) from None
    real = _prepare(site_dir, [("项目文件夹", found.project), ("网站源文件夹", found.docs_dir),
                               ("目录文件夹", found.catalog_dir)])
    stage = real.with_name(f".{real.name}-stage-{token}")
    try:
        zensical.build(found, stage, temp, strict=strict, drafts=drafts)
        _publish(temp, real)
    except zensical.ZensicalFailed as exc:
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(temp)
        raise BuildFailed(str(exc)) from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(temp)
        raise


def describe_os_error(exc: OSError, site_dir: str | Path) -> str:
    """One Chinese line for a file-system failure of the build."""
    where = str(exc.filename or site_dir)
    if re.search(r"/\.[^/]*-(?:build|stage)-\d+-[0-9a-f]+(/|$)", where):  # inside the temporary folder
        where = str(Path(site_dir).absolute())
    return f"无法写入 {where}：{os_error_text(exc)}；网站未更新（原有网站保持不变）"
