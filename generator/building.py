"""Building the site in a sibling folder and swapping it in, so the published folder is
always a whole site: the previous one until the new one is complete."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import os
import shutil
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

_RENAME_EXCHANGE = 2  # linux/fs.h


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


def swap_in(new: Path, target: Path) -> None:
    """Make ``new`` the folder at ``target``; the old one (if any) is removed afterwards.

    On Linux the two folders trade places in one atomic step. Elsewhere the old folder is
    renamed aside first, leaving only a moment with no folder at ``target`` (never a
    partial one).
    """
    if target.exists() and _exchange(new, target):
        shutil.rmtree(new)  # now holds the old site
        return
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        target.rename(old)
    new.rename(target)
    if old is not None:
        shutil.rmtree(old)


def build_site(
    site_dir: str | Path = "site",
    catalog_dir: str | Path | None = None,
    config_file: str | Path = "mkdocs.yml",
    strict: bool = True,
) -> Path:
    """Build the portal into ``site_dir``: into a temporary sibling folder first, then swapped
    in. Any failure (invalid catalog, strict-mode warning…) leaves ``site_dir`` untouched and
    propagates (``mkdocs.exceptions.Abort`` for build failures)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    target = Path(site_dir).absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        config = load_config(config_file=str(config_file), site_dir=str(temp), strict=strict)
        if catalog_dir is not None:
            plugin = config.plugins["ceportal"]
            plugin.config.catalog_dir = str(Path(catalog_dir).absolute())
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
        from .precompress import precompress_site

        precompress_site(temp)
        # mkdtemp makes a private folder; a published site must be readable by the server.
        temp.chmod(0o755)
        swap_in(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(temp)
        raise
    log.info("site built in %s", target)
    return target
