"""Reading the files a command is given, so that no input can hang or exhaust it.

An input is a regular file: a FIFO, a device (``/dev/zero``), a socket or a folder is
refused before a byte is read (opened without blocking, then checked), and a read takes
at most the reader's limit plus one byte, so a file still growing, or a pipe, is
refused when it passes the limit instead of filling memory. Files of the portal folder
(catalog files, ``policy.yaml``, ``site_src/``) must also resolve inside it
(:func:`outside`): a link to ``~/.ssh/id_rsa`` is refused at its path, unread.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

_KINDS = (
    (stat.S_ISLNK, "符号链接"),
    (stat.S_ISDIR, "文件夹"),
    (stat.S_ISFIFO, "命名管道（FIFO）"),
    (stat.S_ISCHR, "设备文件"),
    (stat.S_ISBLK, "设备文件"),
    (stat.S_ISSOCK, "套接字"),
)


class InputRefused(Exception):
    """``str()`` is the reason, after the file's name, the input was not read."""


def kind(mode: int) -> str | None:
    """What a file of ``mode`` is in Chinese when it is not a regular file, else None."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "特殊文件"


def megabytes(size: int) -> str:
    """``size`` bytes as the limits say it (``16 MB``)."""
    return f"{size / 1024 / 1024:g} MB"


def open_regular(path: str | Path) -> BinaryIO:
    """``path`` opened for reading, without blocking on a FIFO; :class:`InputRefused`
    when it is not a regular file (``OSError`` when it cannot be opened)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):  # as reading it would say, in the reader's own words
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        what = kind(mode)
        if what is not None:
            raise InputRefused(f"是{what}，不是普通文件，未读取")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_limited(f: BinaryIO, limit: int) -> bytes:
    """At most ``limit`` bytes of ``f``; :class:`InputRefused` when it holds more."""
    data = f.read(limit + 1)
    if len(data) > limit:
        raise InputRefused(f"超过 {megabytes(limit)}，未读取")
    return data


def read_input(path: str | Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them
    (:class:`InputRefused` or ``OSError`` otherwise)."""
    with open_regular(path) as f:
        return read_limited(f, limit)


def outside(path: str | Path, *roots: str | Path) -> bool:
    """Whether ``path`` (through every link) resolves outside all of the folders ``roots``."""
    real = Path(os.path.realpath(path))
    return not any(real.is_relative_to(os.path.realpath(root)) for root in roots)
