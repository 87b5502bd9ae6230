"""ceportal: the continuing-education portal generator (温经贸培训〔2009〕74号)."""

from __future__ import annotations

__version__ = "0.1.0"
