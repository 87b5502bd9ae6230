"""Writing the user's files so that a write cannot hurt.

Every command that writes a file the user names (``import-xlsx``, ``export-xlsx``,
``audit -o``, ``new-year``) goes through here:

- no silent overwrite: an existing file is replaced only with ``--force``, and the
  message says so; an output that is one of the command's inputs (every file it reads,
  ``policy.yaml`` included) is refused even then, and so is anything but a regular file
  (a device such as ``/dev/full``, a FIFO, a socket, a symbolic link);
- written beside and renamed: a failure (disk full, a kill) never leaves half a file,
  and the old file stays as it was;
- the new file gets the mode the user's umask gives (``mkstemp`` makes 0600 files), or
  keeps the mode of the file it replaces;
- an ``OSError`` becomes one Chinese line (:func:`os_error_text`).
"""

from __future__ import annotations

import errno
import io
import logging
import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .inputs import kind

log = logging.getLogger(__name__)

# The errors people meet when writing, in their words; the rest keep the system's text.
_ERRNO_TEXT = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EROFS: "只读文件系统",
    errno.ENOENT: "文件夹不存在",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EISDIR: "这是一个文件夹",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EEXIST: "已存在",
}


class WriteRefused(Exception):
    """A write the command will not do; ``str()`` is the Chinese reason."""


def os_error_text(exc: OSError) -> str:
    """The reason of an ``OSError`` in Chinese (the system's text when it has none)."""
    if exc.errno in _ERRNO_TEXT:
        return _ERRNO_TEXT[exc.errno]
    return exc.strerror or str(exc)


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether ``a`` and ``b`` name the same file (through links, case-folding file systems…)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def check_output(
    output: str | Path, inputs: Iterable[str | Path] = (), *, force: bool = False
) -> None:
    """Refuse to write ``output`` over one of ``inputs``, or over an existing file
    without ``force``; a folder is refused too. Raises :class:`WriteRefused`."""
    path = Path(output)
    for source in inputs:
        if same_file(path, source):
            raise WriteRefused(f"输出文件 {output} 就是输入文件，未写入：请用 -o 另选一个文件名")
    try:
        mode = path.lstat().st_mode
    except OSError:
        return  # nothing there (or an unreachable place: the write says why)
    if stat.S_ISDIR(mode):
        raise WriteRefused(f"输出 {output} 是一个文件夹，未写入：请给出文件名")
    what = kind(mode)
    if what is not None:  # a device, FIFO, socket or link is never replaced, even with --force
        raise WriteRefused(f"输出 {output} 是{what}，不是普通文件，未写入：请用 -o 另选一个文件名")
    if not force:
        raise WriteRefused(f"{output} 已存在，未覆盖：要替换它请加 --force")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def new_file_mode(replacing: Path | None = None) -> int:
    """The mode for a new file: that of the file it replaces, else 0666 less the umask."""
    if replacing is not None:
        try:
            return replacing.stat().st_mode & 0o7777
        except OSError:
            pass
    return 0o666 & ~_umask()


def new_dir_mode() -> int:
    """The mode for a new folder: 0777 less the umask."""
    return 0o777 & ~_umask()


def atomic_write(
    path: str | Path, save: Callable[[str], Any], *, exclusive: bool = False
) -> None:
    """Write ``path`` through ``save(temporary path)``, then rename it into place.

    The temporary file sits beside ``path`` (same file system); on any failure it is
    removed and ``path`` is left as it was. The new file gets :func:`new_file_mode`.
    ``exclusive``: never replace a file, even one that appears meanwhile
    (``FileExistsError``).
    """
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=parent)
    os.close(fd)
    try:
        save(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())  # a full disk is found here, not after the rename
        os.chmod(tmp, new_file_mode(path))
        if exclusive:
            os.link(tmp, path)  # fails if path exists, atomically
            os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def through_memory(save: Callable[[Any], Any]) -> Callable[[str], None]:
    """A ``save`` for :func:`atomic_write` from one that writes a zip (an .xlsx) to a
    stream: the zip is made in memory, then written in one plain write. A full disk then
    fails on that write, and no half-written ``ZipFile`` is left for the garbage
    collector to close (which printed "Exception ignored in ZipFile.__del__" after the
    command's one line)."""

    def write(tmp: str) -> None:
        buffer = io.BytesIO()
        save(buffer)
        with open(tmp, "wb") as f:
            f.write(buffer.getbuffer())

    return write


def write_text(path: str | Path, text: str, *, exclusive: bool = False) -> None:
    """Write ``text`` to ``path`` as UTF-8 with LF line ends, through :func:`atomic_write`
    (``exclusive``: never over an existing file, ``FileExistsError``)."""

    def save(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)

    atomic_write(path, save, exclusive=exclusive)
