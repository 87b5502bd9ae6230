"""The scalars of the catalog format, once: patterns, limits, and what a number is.

The checker (:mod:`generator.catalog.validating`), the Excel import and export
(:mod:`generator.catalog.spreadsheets`) and the JSON Schema (:mod:`generator.catalog.schema`) all take
their patterns and limits from here, so that they cannot drift apart.

Numbers are read the way YAML 1.2's core schema reads them, which is how editors
(VS Code's YAML extension) and JSON Schema see a year file: a *plain* scalar such as
``8``, ``8.0``, ``1e1`` or ``0x10`` is a number; a quoted one (``"8"``) is text, and a
number field refuses it (README, "Catalog files": quoted numbers).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

# ASCII digits only: Python's \d also takes full-width and other digits, which the JSON
# Schema (and every other tool) refuses; those get a hint naming the ASCII form.
CODE_PATTERN = "^[A-Za-z0-9-]+$"
DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
NONBLANK_PATTERN = r"\S"  # a required text: something other than spaces
CODE = re.compile(CODE_PATTERN)
DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
# Excel text cells may drop the leading zeros of month and day (2009-5-1).
DATE_TEXT = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
YEAR_FILE = re.compile(r"^([0-9]{4})\.yaml$")
ANY_DIGITS_FILE = re.compile(r"^(\d{4})\.ya?ml$")
# Everything a workbook's list cell may separate its items with.
LIST_SEPARATORS = re.compile(r"[、,，]")

# Upper bounds that catch slips (a misplaced digit) and absurd input; far above real values.
MAX_HOURS = 10000  # a year has 8,760 hours
MAX_COUNT = 100000
MIN_YEAR, MAX_YEAR = 1000, 9999  # "four digits"
# Lengths (characters) a page, a file name and a spreadsheet cell can carry well.
MAX_CODE = 40
MAX_TEXT = 500
MAX_LONG_TEXT = 20000
FIRST_YEAR = 2009  # the notice's first year (policy start_year)

# Characters no page, XLSX cell or file can carry, however they were written (directly,
# or as a YAML escape such as "\x01" or "\e"): C0/C1 controls but tab, LF and CR,
# surrogates and the non-characters U+FFFE/U+FFFF.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
_DECIMAL = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_OCTAL = re.compile(r"0o([0-7]+)")
_HEX = re.compile(r"0x([0-9a-fA-F]+)")
_SPECIAL = {
    ".inf": "Infinity", ".Inf": "Infinity", ".INF": "Infinity",
    "+.inf": "Infinity", "+.Inf": "Infinity", "+.INF": "Infinity",
    "-.inf": "-Infinity", "-.Inf": "-Infinity", "-.INF": "-Infinity",
    ".nan": "NaN", ".NaN": "NaN", ".NAN": "NaN",
}
# Plain scalars YAML 1.2 reads as null: a number, date or list field takes them as left empty.
NULL_WORDS = frozenset({"~", "null", "Null", "NULL"})


def yaml_number(text: str) -> Decimal | None:
    """The number YAML 1.2's core schema reads in the plain scalar ``text``, else None.

    Exact (a ``Decimal``, however many digits); callers compare it with their limits
    before any ``int()``, which refuses over 4300 digits."""
    if text in _SPECIAL:
        return Decimal(_SPECIAL[text])
    try:
        if _DECIMAL.fullmatch(text):
            return Decimal(text)
        if m := _OCTAL.fullmatch(text):
            return Decimal(int(m[1], 8))
        if m := _HEX.fullmatch(text):
            return Decimal(int(m[1], 16))
    except InvalidOperation:  # an exponent beyond Decimal's range: far beyond any limit
        return None
    return None


def model_number(value: Decimal) -> int | float:
    """A finite number as the model keeps it: ``int`` when whole, else ``float``."""
    return int(value) if value == value.to_integral_value() else float(value)


def ascii_hint(text: str) -> str:
    """``：请改用半角数字，写作 8`` when ``text`` has full-width (or other non-ASCII)
    digits whose ASCII form differs, else empty."""
    normal = unicodedata.normalize("NFKC", text)
    if normal != text and normal.isascii() and any(not c.isascii() and c.isdigit() for c in text):
        return f"：请改用半角数字，写作 {normal}"
    if normal != text and normal.isascii():
        return f"：请改用半角字符，写作 {normal}"
    return ""


# A new year's title when none is given (``new-year``, an empty workbook's import).
DEFAULT_TITLE = "{year}年度工程技术（一）系列继续教育课程目录"

# The folder under a year's catalog that holds one page per specialty.
SPECIALTY_SEGMENT = "specialty"
# URL segments under ``catalog/<year>/`` that the site itself uses: a course (or class)
# code may not take one, in any case (the site may be served from a case-insensitive file
# system); ``ceportal check`` refuses it at its line, the build refuses it too.
RESERVED_CODES = ("changes", SPECIALTY_SEGMENT)
