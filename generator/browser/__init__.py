"""The browser side: everything that runs in Pyodide, and the bundle that carries it.

What runs in the browser is the pure rules wheel (``ceportal-rules``, built by
:mod:`.wheel` from ``web/wheel/pyproject.toml``): :mod:`generator.rules`, :mod:`generator.audit`,
:mod:`generator.common` and the Web Worker's Python side, :mod:`generator.browser.worker`
(standard library only; a test asserts it). Everything else here runs at build time and
carries that Python to the page: the Pyodide runtime (:mod:`.runtime`), the trimmed standard
library (:mod:`.stdlib`), the memory snapshot (:mod:`.snapshot`, :mod:`.delta`), the vendored
openpyxl wheels (:mod:`.vendor`), and the two pages that run it, ``/calculator/``
(:mod:`.calculator_page`, :mod:`.calculator_data`) and ``/audit/`` (:mod:`.audit_page`,
:mod:`.audit_template`). The JavaScript and the worker live in ``web/``.

:func:`calculator_files` and :func:`audit_files` are what the site's producers add.
"""

from __future__ import annotations

from .audit_page import AUDIT_DIR
from .audit_page import files as audit_files
from .calculator_page import CALCULATOR_DIR, EnginePage
from .calculator_page import files as calculator_files
from .runtime import RuntimeMissing
from .snapshot import SnapshotError
from .vendor import PINS, VendorError
from .wheel import WheelError, build_rules_wheel

__all__ = [
    "AUDIT_DIR",
    "CALCULATOR_DIR",
    "EnginePage",
    "PINS",
    "RuntimeMissing",
    "SnapshotError",
    "VendorError",
    "WheelError",
    "audit_files",
    "build_rules_wheel",
    "calculator_files",
]
