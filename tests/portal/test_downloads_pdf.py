"""The PDF beside each Office download (issue 29, DESIGN.md /downloads/ v3): A4, fonts
embedded, the same text as the document, reproducible; the Office files name the portal."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from generator.catalog.model import Catalog
from generator.catalog.validating import load_catalog
from generator.common.reproducible import OFFICE_APPLICATION as APPLICATION
from generator.common.reproducible import OFFICE_CREATOR as PORTAL
from generator.common.reproducible import OFFICE_DESCRIPTION as DESCRIPTION
from generator.site.exporting import export_files, registration_form
from generator.site.exporting.pdf import normalize_pdf
from generator.site.exporting.workbooks import PLAN_HEADER_ROW, PLAN_SHEET
from generator.site.rendering import notice_text, urls

pytestmark = pytest.mark.office  # the PDFs are made with LibreOffice headless

CATALOG = Path(__file__).parent / "classes_catalog"
EPOCH = 1238544000
NOTES = ("上课：2026年5月15日—16日、22日—23日\n两个周末上课，请自带计算器。",
         "名额已满：名额已满，请报第四期", "已取消：报名人数不足，本期取消",
         "已延期：延期，日期另行通知")
PORTRAIT = "595.304 x 841.89 pts (A4)"
LANDSCAPE = "841.89 x 595.304 pts (A4)"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(CATALOG)[0].published()


@pytest.fixture(scope="module")
def files(catalog: Catalog, tmp_path_factory: pytest.TempPathFactory,
          ) -> dict[str, bytes]:
    with pytest.MonkeyPatch.context() as mp:  # a cold cache: LibreOffice really runs
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        return export_files(catalog, notice_text(), EPOCH)


@pytest.fixture(scope="module")
def pdfs(files: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdf")
    out = {}
    for path, data in files.items():
        if path.endswith(".pdf"):
            out[path] = folder / Path(path).name
            out[path].write_bytes(data)
    return out


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _pages(pdf: Path) -> list[str]:
    info = _run("pdfinfo", "-f", "1", "-l", "999", str(pdf))
    return re.findall(r"^Page +\d+ size: +(.*)$", info, re.MULTILINE)


def test_a_pdf_beside_the_notice_the_form_and_each_plan(
    pdfs: dict[str, Path], catalog: Catalog
) -> None:
    assert sorted(pdfs) == sorted([urls.NOTICE_PDF, urls.FORM_PDF,
                                   *(urls.class_plan_pdf(y.year) for y in catalog.years)])
    assert _pages(pdfs[urls.NOTICE_PDF]) == [PORTRAIT] * 5
    assert _pages(pdfs[urls.FORM_PDF]) == [PORTRAIT]  # one page
    for year in catalog.years:
        assert _pages(pdfs[urls.class_plan_pdf(year.year)]) == [LANDSCAPE]


def test_every_font_is_embedded(pdfs: dict[str, Path]) -> None:
    for path, pdf in pdfs.items():
        rows = _run("pdffonts", str(pdf)).splitlines()[2:]
        assert rows, path
        assert [r for r in rows if r.split()[-5:-3] != ["yes", "yes"]] == [], path


def test_notice_pdf_keeps_every_character(pdfs: dict[str, Path]) -> None:
    printed = _run("pdftotext", str(pdfs[urls.NOTICE_PDF]), "-")
    # Page numbers (— 1 —) fall inside paragraphs that run over a page: left out.
    text = "".join(re.sub(r"—\s*\d+\s*—", "", printed).split())
    # The marks LibreOffice dropped under negative character spacing (issue 29).
    for words in ("科学技术部、财政部", "初、中", "开展。请各"):
        assert words in text
    body = ["".join(line.split()) for line in notice_text().splitlines() if line.strip()]
    assert [line for line in body if line not in text] == []


def test_form_pdf_prints_labels_and_options_that_do_not_overlap(pdfs: dict[str, Path]) -> None:
    form = registration_form()
    words = set(_run("pdftotext", str(pdfs[urls.FORM_PDF]), "-").split())
    assert {f.label for f in form.fields} <= words
    choices = form.field("target_title").choices
    assert choices == ("初次申报初级职称（技术员、助理工程师）", "技术员晋升助理工程师",
                       "助理工程师晋升工程师", "工程师晋升高级工程师及以上")
    assert {f"□{c}" for c in choices} <= words
    # The seal box: its label line and date line aside, 45 mm clear for a 42 mm seal.
    assert form.layout.approval_height_mm - 12 >= 45


def test_class_plan_prints_at_9_pt_or_more_with_its_notes(pdfs: dict[str, Path]) -> None:
    pdf = pdfs[urls.class_plan_pdf(2026)]
    boxes = re.findall(
        r'xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="[0-9.]+" yMax="([0-9.]+)">([^<]*)<',
        _run("pdftotext", "-bbox", str(pdf), "-"))
    heights = [float(y2) - float(y1) for _, y1, y2, _ in boxes]
    assert min(heights) >= 9.0  # the word boxes of 10.5 pt text, scaled to one page wide
    # Each 备注 is printed whole; wrapped, its lines mix with the next column's.
    text = "".join(w for _, _, _, w in boxes)
    for note in NOTES:
        rest = iter(text)
        assert all(ch in rest for ch in note.replace("\n", "")), note  # its characters, in order


def test_class_plan_notes_column(files: dict[str, bytes]) -> None:
    ws = openpyxl.load_workbook(io.BytesIO(files[urls.class_plan_xlsx(2026)]))[PLAN_SHEET]
    header = [c.value for c in ws[PLAN_HEADER_ROW]]
    assert header[-1] == "备注"
    cells = [row[-1].value for row in ws.iter_rows(min_row=PLAN_HEADER_ROW + 1)]
    assert cells == list(NOTES)  # in start-date order
    assert all(ws.row_dimensions[r].height <= 409 for r in range(1, ws.max_row + 1))


def test_pdfs_are_reproducible(files: dict[str, bytes], catalog: Catalog,
                               tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # converted again, not cached
    again = export_files(catalog, notice_text(), EPOCH)
    assert {p: again[p] for p in files if p.endswith(".pdf")} == {
        p: files[p] for p in files if p.endswith(".pdf")}
    for data in (files[urls.NOTICE_PDF],):
        assert b"/CreationDate(D:20090401000000Z" in data
        assert normalize_pdf(data, EPOCH) == data


def test_office_files_name_the_portal(files: dict[str, bytes]) -> None:
    for path in (urls.NOTICE_DOCX, urls.FORM_DOCX, urls.FORM_XLSX, urls.class_plan_xlsx(2026)):
        with zipfile.ZipFile(io.BytesIO(files[path])) as z:
            names = z.namelist()
            core = z.read("docProps/core.xml").decode()
            app = z.read("docProps/app.xml").decode()
            rels = z.read("_rels/.rels").decode()
        assert f"<Application>{APPLICATION}</Application>" in app, path
        assert PORTAL in core and DESCRIPTION in core, path
        assert "python-docx" not in core and "openpyxl" not in app.lower(), path
        assert "Microsoft" not in app, path
        assert not [n for n in names if "thumbnail" in n] and "thumbnail" not in rels, path


def test_only_the_notices_own_plan_is_its_attachment_1(tmp_path: Path, catalog: Catalog) -> None:
    from generator.site.rendering.pages import downloads_page

    page = downloads_page(catalog, registration_form().title).body
    assert "附件1" not in page  # 2025 and 2026: not the notice's 2009 plan
    bundled = load_catalog(Path(__file__).resolve().parents[2] / "catalog")[0]
    page = downloads_page(bundled, registration_form().title).body
    assert "2009年度办班计划（附件1，Excel，A4横向）" in page
    assert "2010年度办班计划（Excel，A4横向）" in page
