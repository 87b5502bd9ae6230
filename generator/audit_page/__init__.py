"""The reviewers' batch audit page (``/audit/``): ``ceportal audit`` in the browser.

:func:`files` is the whole public surface: the site's list of producers
(:mod:`generator.assembling`) adds what it returns to the site.
"""

from __future__ import annotations

from ..calculator.vendor import PINS, VendorError
from .page import AUDIT_DIR, files

__all__ = ["AUDIT_DIR", "PINS", "VendorError", "files"]
