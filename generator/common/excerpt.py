"""How a message shows a value it did not write: a short excerpt with every control
character, escape sequence and invisible format character written as its code point.

A terminal would act on ``ESC [ 8 m`` (hide the rest of the line) or a bidi override
in a key or a value; a 2 MB value, or a private key a link led to, would fill the
screen. Every message that repeats user input goes through :func:`excerpt`, and every
line the commands print through :func:`safe_line`.
"""

from __future__ import annotations

import re

LIMIT = 40  # characters of a value a message repeats

# C0 and C1 controls, DEL, lone surrogates, and the invisible format characters that
# reorder or hide text (bidi controls, zero-width, line/paragraph separators, BOM).
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb"
    "\ud800-\udfff]"
)


def escape(text: str) -> str:
    """``text`` with each unsafe character as ``<U+XXXX>``."""
    return _UNSAFE.sub(lambda m: f"<U+{ord(m[0]):04X}>", text)


def excerpt(value: object, limit: int = LIMIT) -> str:
    """At most ``limit`` characters of ``str(value)`` (then “…” and the length), escaped."""
    text = value if isinstance(value, str) else str(value)
    if len(text) > limit:
        return escape(text[:limit]) + f"…（共 {len(text)} 个字符）"
    return escape(text)


def safe_line(text: str) -> str:
    """A message as printed: line breaks kept, every other unsafe character escaped."""
    return "\n".join(escape(line) for line in text.split("\n"))
