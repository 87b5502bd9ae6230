"""Downloads and open data generated from the model: ``{site path: bytes}``.

Pure apart from reading the bundled form definition: the same catalog and epoch give
the same bytes (also when taken from the build's :class:`~generator.site.cache.BuildCache`).
"""

from __future__ import annotations

import logging

from generator.catalog.model import Catalog, YearCatalog
from generator.catalog.policy_model import Policy
from generator.site.cache import BuildCache, digest
from generator.site.rendering import urls
from generator.site.rendering.notice import parse_notice

from .calendar import year_ics
from .form_document import form_docx
from .forms import Form, registration_form
from .notice_document import notice_docx
from .opendata import schedule_csv, year_csv, year_json
from .pdf import PdfUnavailable, convert_to_pdf
from .workbooks import class_plan_xlsx, form_xlsx

log = logging.getLogger(__name__)

__all__ = ["Form", "PdfUnavailable", "export_files", "registration_form"]


def export_files(catalog: Catalog, notice_text: str, epoch: int,
                 site_url: str | None = None, cache: BuildCache | None = None,
                 pdfs: bool = True) -> dict[str, bytes]:
    """Every download of the site, keyed by its site path, in a stable order; with
    ``site_url`` (mkdocs.yml) the calendar's events link to their class. A year's files
    are taken from ``cache`` when their inputs are unchanged. With ``pdfs``, a PDF beside
    the notice, the form and each class plan (:mod:`.pdf`, LibreOffice; made as
    ``cache.pdfs`` makes them when it is set: the preview's :class:`.pdf.PreviewPdfs`)."""
    form = registration_form()
    files: dict[str, bytes] = {
        # With a BOM: a host that sends text/plain without a charset still shows Chinese.
        urls.NOTICE_TXT: notice_text.encode("utf-8-sig"),
        **_documents(notice_text, form, epoch, cache),
    }
    for year in catalog.years:
        files.update(_year_files(catalog.policy, year, epoch, site_url, cache))
    if pdfs:
        sources = [urls.NOTICE_DOCX, urls.FORM_DOCX,
                   *(urls.class_plan_xlsx(year.year) for year in catalog.years)]
        convert = cache.pdfs if cache is not None and cache.pdfs is not None else convert_to_pdf
        made = convert({path: files[path] for path in sources}, epoch)
        assert made.keys() == {urls.NOTICE_PDF, urls.FORM_PDF,
                               *(urls.class_plan_pdf(y.year) for y in catalog.years)}
        files.update(made)
    return files


def _documents(notice_text: str, form: Form, epoch: int,
               cache: BuildCache | None) -> dict[str, bytes]:
    """The notice's and the form's documents: made from the notice, the form and the
    epoch alone, so a catalog edit under ``ceportal serve`` takes them from ``cache``."""
    def make() -> dict[str, bytes]:
        return {
            urls.NOTICE_DOCX: notice_docx(parse_notice(notice_text), epoch, notice_text),
            urls.FORM_DOCX: form_docx(form, epoch),
            urls.FORM_XLSX: form_xlsx(form, epoch),
        }

    if cache is None:
        return make()
    return cache.site("documents", digest(notice_text, form, epoch), make)


def _year_files(policy: Policy, year: YearCatalog, epoch: int,
                site_url: str | None, cache: BuildCache | None) -> dict[str, bytes]:
    def make() -> dict[str, bytes]:
        return {
            urls.year_json(year.year): year_json(year),
            urls.year_csv(year.year): year_csv(year, policy),
            urls.schedule_csv(year.year): schedule_csv(year),
            urls.schedule_ics(year.year): year_ics(year, policy, epoch, site_url),
            urls.class_plan_xlsx(year.year): class_plan_xlsx(year, policy, epoch),
        }

    if cache is None:
        return make()
    # `ceportal serve` exports the whole site again on every change; a one-course edit
    # changes one year.
    return cache.year("downloads", year.year, digest(policy.as_rules_data(), year.fingerprint, epoch, site_url), make)
