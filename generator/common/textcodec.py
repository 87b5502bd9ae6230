"""Telling why bytes are not UTF-8: the one guess every reader of editors' files makes.

Catalog files (:mod:`generator.catalog.loading`) and audit tables (:mod:`generator.audit.reading`)
must be UTF-8; a file saved by a Chinese Windows editor or Excel is usually GBK, and the
message then says so and what to do. Standard library only (it runs in the browser too).
"""

from __future__ import annotations


def looks_like_gbk(data: bytes, start: int = 0) -> bool:
    """Whether the file, or the character at ``start`` (where UTF-8 failed), reads as
    GBK (GB18030).

    The second test catches a line pasted from a GBK file into a UTF-8 one.
    """
    try:
        data.decode("gb18030")
        return True
    except UnicodeDecodeError:
        pass
    try:
        char = data[start : start + 2].decode("gb18030")
    except UnicodeDecodeError:
        return False
    return len(char) == 1 and ("\u4e00" <= char <= "\u9fff" or "\u3000" <= char <= "\u303f")
