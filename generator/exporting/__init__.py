"""Downloads and open data generated from the model: ``{site path: bytes}``.

Pure apart from reading the bundled form definition: the same catalog and epoch give
the same bytes.
"""

from __future__ import annotations

import logging
from typing import Any

from ..model import Catalog, YearCatalog
from ..rendering import urls
from ..rendering.notice import parse_notice
from .calendar import year_ics
from .form_document import form_docx
from .forms import Form, registration_form
from .notice_document import notice_docx
from .opendata import year_csv, year_json
from .workbooks import class_plan_xlsx, form_xlsx

log = logging.getLogger(__name__)

__all__ = ["Form", "export_files", "registration_form"]


def export_files(catalog: Catalog, notice_text: str, epoch: int,
                 site_url: str | None = None) -> dict[str, bytes]:
    """Every download of the site, keyed by its site path, in a stable order; with
    ``site_url`` (mkdocs.yml) the calendar's events link to their class."""
    form = registration_form()
    files: dict[str, bytes] = {
        # With a BOM: a host that sends text/plain without a charset still shows Chinese.
        urls.NOTICE_TXT: notice_text.encode("utf-8-sig"),
        urls.NOTICE_DOCX: notice_docx(parse_notice(notice_text), epoch, notice_text),
        urls.FORM_DOCX: form_docx(form, epoch),
        urls.FORM_XLSX: form_xlsx(form, epoch),
    }
    for year in catalog.years:
        files.update(_year_files(catalog.policy, year, epoch, site_url))
    return files


# The last files of each year with what they were made from (the policy, the year, the
# epoch, the site URL): `ceportal serve` exports the whole site again on every change,
# and a one-course edit changes one year.
_YearKey = tuple[dict[str, Any], YearCatalog, int, str | None]
_year_cache: dict[int, tuple[_YearKey, dict[str, bytes]]] = {}


def _year_files(policy: dict[str, Any], year: YearCatalog, epoch: int,
                site_url: str | None) -> dict[str, bytes]:
    key: _YearKey = (policy, year, epoch, site_url)
    cached = _year_cache.get(year.year)
    if cached is not None and cached[0] == key:
        return cached[1]
    files = {
        urls.year_json(year.year): year_json(year),
        urls.year_csv(year.year): year_csv(year, policy),
        urls.schedule_ics(year.year): year_ics(year, policy, epoch, site_url),
        urls.class_plan_xlsx(year.year): class_plan_xlsx(year, policy, epoch),
    }
    _year_cache[year.year] = (key, files)
    return files
