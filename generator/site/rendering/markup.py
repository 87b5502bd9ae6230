"""Making text safe for the two languages a generated page is written in.

Catalog text is data, never markup: pages put it in HTML blocks through Jinja's
autoescape (Markdown leaves raw HTML blocks alone), and the few places that need
Markdown (headings that feed the table of contents) escape it with :func:`md_inline`.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from generator.catalog.format.kinds import number_text

# Python-Markdown's backslash escapes (core + tables + attr_list): every character that
# could start inline markup. "<" and "&" are handled by HTML-escaping first.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|:~^=])")


def md_inline(text: str) -> str:
    """``text`` as literal inline Markdown (one line; HTML and Markdown syntax neutralised)."""
    one_line = " ".join(text.split())
    return _MD_SPECIAL.sub(r"\\\1", html.escape(one_line, quote=False))


def html_attr(text: str) -> str:
    """``text`` escaped for an HTML attribute or element (quotes included)."""
    return html.escape(text, quote=True)


def hours(value: float) -> str:
    """8 -> "8", 8.5 -> "8.5" (whole numbers are ints in the model, but be safe)."""
    return number_text(value)


def cn_date(value: dt.date | None) -> str:
    """2009-05-11 -> "2009年5月11日"."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def cn_span(start: dt.date, end: dt.date) -> str:
    """A date range in Chinese, shortened when both ends share the year or the month."""
    if start == end:
        return cn_date(start)
    if start.year != end.year:
        return f"{cn_date(start)}至{cn_date(end)}"
    if start.month != end.month:
        return f"{cn_date(start)}至{end.month}月{end.day}日"
    return f"{cn_date(start)}至{end.day}日"


def _periods_parts(periods: Any) -> list[str]:
    """Each session as text, dropping the year and month its predecessor already gave:
    ``2027年5月15日—16日``, ``22日—23日``, ``6月5日``."""
    parts: list[str] = []
    shown: dt.date | None = None  # the last date written
    for p in periods:
        text = ""
        for day in (p.start, p.end) if p.start != p.end else (p.start,):
            if shown is None or shown.year != day.year:
                piece = cn_date(day)
            elif shown.month != day.month:
                piece = f"{day.month}月{day.day}日"
            else:
                piece = f"{day.day}日"
            text = f"{text}—{piece}" if text else piece
            shown = day
        parts.append(text)
    return parts


def cn_periods(periods: Any) -> str:
    """A class's dates in Chinese: one session as :func:`cn_span`, several as
    ``2027年5月15日—16日、22日—23日``."""
    if len(periods) == 1:
        return cn_span(periods[0].start, periods[0].end)
    return "、".join(_periods_parts(periods))


def periods_html(periods: Any) -> str:
    """:func:`cn_periods` with each session unbreakable (a line may break at 、)."""
    if len(periods) == 1:
        return span_html(periods[0].start, periods[0].end)
    return "、".join(f'<span class="ce-date">{part}</span>' for part in _periods_parts(periods))


def date_html(value: dt.date | None) -> str:
    """A date that never breaks inside a line: ``<time class="ce-date">2010年3月31日</time>``."""
    if value is None:
        return ""
    return f'<time class="ce-date" datetime="{value.isoformat()}">{cn_date(value)}</time>'


def span_html(start: dt.date, end: dt.date) -> str:
    """:func:`cn_span` with each end unbreakable (a line may break only at 至)."""
    text = cn_span(start, end)
    first, sep, last = text.partition("至")
    html_text = f'<span class="ce-date">{first}</span>'
    if sep:
        html_text += f'至<span class="ce-date">{last}</span>'
    return html_text


# What a contact text may hold that a phone can act on: the registration form's name
# (linked to the form), an e-mail address, a telephone number (0577-88888888, 13812345678).
_EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
_PHONE = r"(?<![\d-])(?:0\d{2,3}-?\d{7,8}|1[3-9]\d{9})(?![\d-])"
# The same expressions for the calculator's plan cards (format.js contactParts).
CONTACT_PATTERNS = {"email": _EMAIL, "phone": _PHONE}


def contact_html(text: str, form_names: tuple[str, ...], form_href: str) -> str:
    """``text`` HTML-escaped, with every name of the registration form linked to
    ``form_href`` and e-mail addresses and telephone numbers made into links."""
    names = sorted({n for n in form_names if n}, key=len, reverse=True)
    parts = [re.escape(n) for n in names] + [_EMAIL, _PHONE]
    pattern = re.compile("(" + "|".join(f"(?:{p})" for p in parts) + ")")
    out = []
    for i, piece in enumerate(pattern.split(text)):
        if i % 2 == 0:
            out.append(html.escape(piece))
        elif piece in names:
            out.append(f'<a href="{html.escape(form_href)}">{html.escape(piece)}</a>')
        elif "@" in piece:
            out.append(f'<a href="mailto:{piece}">{html.escape(piece)}</a>')
        else:
            out.append(f'<a class="ce-nowrap" href="tel:{piece.replace("-", "")}">{piece}</a>')
    return "".join(out)
