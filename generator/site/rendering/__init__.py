"""The site's pages as Markdown, generated from the model (see :mod:`.pages`)."""

from __future__ import annotations

from .notice import notice_text, parse_notice
from .pages import render_pages

__all__ = ["notice_text", "parse_notice", "render_pages"]
