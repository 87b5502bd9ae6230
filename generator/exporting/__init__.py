"""Downloads and open data generated from the model: ``{site path: bytes}``.

Pure apart from reading the bundled form definition: the same catalog and epoch give
the same bytes.
"""

from __future__ import annotations

import logging

from ..model import Catalog
from ..rendering import urls
from ..rendering.notice import parse_notice
from .calendar import year_ics
from .documents import form_docx, notice_docx
from .forms import Form, registration_form
from .opendata import year_csv, year_json
from .workbooks import class_plan_xlsx, form_xlsx

log = logging.getLogger(__name__)

__all__ = ["Form", "export_files", "registration_form"]


def export_files(catalog: Catalog, notice_text: str, epoch: int) -> dict[str, bytes]:
    """Every download of the site, keyed by its site path, in a stable order."""
    form = registration_form()
    files: dict[str, bytes] = {
        urls.NOTICE_TXT: notice_text.encode("utf-8"),
        urls.NOTICE_DOCX: notice_docx(parse_notice(notice_text), epoch),
        urls.FORM_DOCX: form_docx(form, epoch),
        urls.FORM_XLSX: form_xlsx(form, epoch),
    }
    for year in catalog.years:
        files[urls.year_json(year.year)] = year_json(year)
        files[urls.year_csv(year.year)] = year_csv(year, catalog.policy)
        files[urls.schedule_ics(year.year)] = year_ics(year, catalog.policy, epoch)
        files[urls.class_plan_xlsx(year.year)] = class_plan_xlsx(year, catalog.policy, epoch)
    return files
