"""The preview's PDFs (exporting.pdf.PreviewPdfs): a rebuild never waits for LibreOffice
once the preview has a PDF; the new one goes into the preview's folder when made."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest

from generator.site.exporting import pdf
from generator.site.exporting.pdf import PdfUnavailable, PreviewPdfs
from generator.site.incremental import PreviewSession

EPOCH = 1238544000
PLAN = "downloads/class-plan-2026.xlsx"


class FakeLibreOffice:
    """``_convert`` as LibreOffice does it (the PDF written to the cache), each run held
    until the test lets it finish when ``hold`` is set."""

    def __init__(self, hold: bool = False) -> None:
        self.runs: list[list[str]] = []
        self.background: list[bool] = []
        self.hold = hold
        self.go = threading.Event()
        self.fail = False

    def __call__(self, program: str, todo: dict[str, tuple[bytes, str]], epoch: int,
                 cache: Path, background: bool = False) -> dict[str, bytes]:
        self.runs.append(sorted(todo))
        self.background.append(background)
        if self.hold:
            assert self.go.wait(30), "the test never let the conversion finish"
        if self.fail:
            raise PdfUnavailable("LibreOffice 未能把 x 转换为 PDF（退出码 1）")
        cache.mkdir(parents=True, exist_ok=True)
        out = {}
        for name, (data, key) in todo.items():
            out[pdf.pdf_name(name)] = b"%PDF " + data
            (cache / f"{key}.pdf").write_bytes(b"%PDF " + data)
        return out


@pytest.fixture()
def office(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> FakeLibreOffice:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(pdf, "soffice", lambda: "/usr/bin/soffice")
    fake = FakeLibreOffice()
    monkeypatch.setattr(pdf, "_convert", fake)
    return fake


def test_the_first_build_and_a_pdf_the_preview_never_had_wait_for_libreoffice(
        office: FakeLibreOffice) -> None:
    pdfs = PreviewPdfs()
    assert pdfs({PLAN: b"v1"}, EPOCH) == {"downloads/class-plan-2026.pdf": b"%PDF v1"}
    pdfs.publish = lambda made: None
    notice = "downloads/notice.docx"
    assert pdfs({PLAN: b"v1", notice: b"n"}, EPOCH) == {
        "downloads/class-plan-2026.pdf": b"%PDF v1", "downloads/notice.pdf": b"%PDF n"}
    assert office.runs == [[PLAN], [notice]]  # v1 came from the cache the second time


def test_a_changed_pdf_is_made_in_the_background_and_put_in_place(
        office: FakeLibreOffice) -> None:
    pdfs = PreviewPdfs()
    pdfs({PLAN: b"v1"}, EPOCH)
    published: list[dict[str, bytes]] = []
    done = threading.Event()
    pdfs.publish = lambda made: (published.append(made), done.set())
    office.hold = True
    # The rebuild after an edit does not wait: it keeps the PDF the preview shows, and
    # LibreOffice starts once the rebuild is done (flush).
    assert pdfs({PLAN: b"v2"}, EPOCH) == {"downloads/class-plan-2026.pdf": b"%PDF v1"}
    assert office.runs == [[PLAN]]
    pdfs.flush()
    # A second rebuild while LibreOffice still works starts no second conversion.
    assert pdfs({PLAN: b"v2"}, EPOCH) == {"downloads/class-plan-2026.pdf": b"%PDF v1"}
    pdfs.flush()
    assert not done.is_set()
    office.go.set()
    assert done.wait(30)
    assert published == [{"downloads/class-plan-2026.pdf": b"%PDF v2"}]
    # The next rebuild has it, without converting again.
    assert pdfs({PLAN: b"v2"}, EPOCH) == {"downloads/class-plan-2026.pdf": b"%PDF v2"}
    assert office.runs == [[PLAN], [PLAN]]
    assert office.background == [False, True]  # the second at a lower priority (nice)


def test_only_the_newest_edit_s_pdf_is_put_in_place(office: FakeLibreOffice) -> None:
    pdfs = PreviewPdfs()
    pdfs({PLAN: b"v1"}, EPOCH)
    published: list[dict[str, bytes]] = []
    pdfs.publish = published.append
    office.hold = True
    for version in (b"v2", b"v3"):  # two edits while LibreOffice works on the first
        assert pdfs({PLAN: version}, EPOCH) == {"downloads/class-plan-2026.pdf": b"%PDF v1"}
        pdfs.flush()
    workers = [t for t in threading.enumerate() if t.name == "ceportal-pdf"]
    assert len(workers) == 2
    office.go.set()
    for worker in workers:
        worker.join(30)
    assert not any(worker.is_alive() for worker in workers)
    # Whichever finished last, the preview gets v3 (v2 went to the cache only).
    assert published == [{"downloads/class-plan-2026.pdf": b"%PDF v3"}]


def test_a_failed_rebuild_starts_no_conversion(office: FakeLibreOffice) -> None:
    pdfs = PreviewPdfs()
    pdfs({PLAN: b"v1"}, EPOCH)
    pdfs.publish = lambda made: None
    pdfs({PLAN: b"v2"}, EPOCH)
    session = PreviewSession()
    session.pdfs = pdfs
    session.failed()
    pdfs.flush()
    assert office.runs == [[PLAN]]


def test_the_session_puts_a_published_file_in_the_preview_folder(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "downloads").mkdir(parents=True)
    (site / "downloads/class-plan-2026.pdf").write_bytes(b"%PDF v1")
    session = PreviewSession()
    session.publish(site, {"downloads/class-plan-2026.pdf": b"%PDF v2"})
    assert (site / "downloads/class-plan-2026.pdf").read_bytes() == b"%PDF v2"
    assert sorted(p.name for p in (site / "downloads").iterdir()) == ["class-plan-2026.pdf"]
    session.publish(tmp_path / "gone", {"downloads/class-plan-2026.pdf": b"%PDF v3"})  # no error


def test_a_read_only_cache_does_not_convert_again_and_again(
        office: FakeLibreOffice, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    pdfs = PreviewPdfs()
    pdfs({PLAN: b"v1"}, EPOCH)
    for cached in (tmp_path / "cache").rglob("*.pdf"):
        cached.unlink()  # as if the cache could not be written
    pdfs.publish = lambda made: None
    assert pdfs({PLAN: b"v1"}, EPOCH) == {"downloads/class-plan-2026.pdf": b"%PDF v1"}
    assert office.runs == [[PLAN]]  # kept in memory


def test_a_failed_background_conversion_keeps_the_old_pdf_and_says_so(
        office: FakeLibreOffice, caplog: pytest.LogCaptureFixture) -> None:
    pdfs = PreviewPdfs()
    pdfs({PLAN: b"v1"}, EPOCH)
    done = threading.Event()
    pdfs.publish = lambda made: done.set()
    office.fail = True
    office.hold = True
    with caplog.at_level(logging.WARNING, logger=pdf.__name__):
        assert pdfs({PLAN: b"v2"}, EPOCH) == {"downloads/class-plan-2026.pdf": b"%PDF v1"}
        pdfs.flush()
        worker = next(t for t in threading.enumerate() if t.name == "ceportal-pdf")
        office.go.set()
        worker.join(30)
    assert not worker.is_alive()
    assert not done.is_set()  # nothing new to show
    assert caplog.messages == ["预览中的 PDF 未能更新（保留上一版）：LibreOffice 未能把 x 转换为 PDF（退出码 1）"]
