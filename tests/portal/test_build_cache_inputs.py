"""What a preview session keeps across rebuilds is made again when one of its inputs
changes: the notice's and the form's documents (the notice text, the form, the epoch),
a year's part of the calculator's ``catalogs.json`` (its courses and classes), the audit's
input templates (the policy), and what is derived from files (:mod:`generator.catalog.memo`)."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from generator.browser import audit_page
from generator.browser.calculator_data import catalogs_data
from generator.browser.calculator_page import catalogs_json
from generator.catalog import memo
from generator.catalog.model import Catalog
from generator.site import exporting
from generator.site.cache import BuildCache
from generator.site.exporting import export_files, registration_form
from generator.site.rendering import notice_text, urls

DOCUMENTS = (urls.NOTICE_DOCX, urls.FORM_DOCX, urls.FORM_XLSX)


def _documents(made: dict[str, bytes]) -> dict[str, bytes]:
    return {path: made[path] for path in DOCUMENTS}


def test_a_changed_notice_text_remakes_the_notice_document(golden_catalog: Catalog) -> None:
    cache = BuildCache()
    before = export_files(golden_catalog, notice_text(), 0, None, cache, pdfs=False)
    edited = notice_text().replace("继续教育", "继续再教育", 1)
    assert edited != notice_text()
    after = export_files(golden_catalog, edited, 0, None, cache, pdfs=False)
    assert after[urls.NOTICE_DOCX] != before[urls.NOTICE_DOCX]
    assert _documents(after) == _documents(export_files(golden_catalog, edited, 0, None, pdfs=False))


def test_a_changed_form_remakes_the_form_documents(
        golden_catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = BuildCache()
    before = export_files(golden_catalog, notice_text(), 0, None, cache, pdfs=False)
    form = registration_form()
    monkeypatch.setattr(exporting, "registration_form", lambda: replace(form, title=form.title + "（新）"))
    after = export_files(golden_catalog, notice_text(), 0, None, cache, pdfs=False)
    assert after[urls.FORM_DOCX] != before[urls.FORM_DOCX]
    assert after[urls.FORM_XLSX] != before[urls.FORM_XLSX]
    assert _documents(after) == _documents(export_files(golden_catalog, notice_text(), 0, None, pdfs=False))


def test_another_epoch_remakes_the_documents(golden_catalog: Catalog) -> None:
    cache = BuildCache()
    export_files(golden_catalog, notice_text(), 0, None, cache, pdfs=False)
    later = export_files(golden_catalog, notice_text(), 1262304000, None, cache, pdfs=False)
    assert _documents(later) == _documents(
        export_files(golden_catalog, notice_text(), 1262304000, None, pdfs=False))


def test_catalogs_json_is_the_catalogs_data_and_follows_an_edited_years_classes(
        golden_catalog: Catalog) -> None:
    cache = BuildCache()
    made = catalogs_json(golden_catalog, cache)
    assert made == json.dumps(catalogs_data(golden_catalog), ensure_ascii=False,
                              separators=(",", ":")).encode()
    assert catalogs_json(golden_catalog, cache) == made
    assert cache.hits == len(golden_catalog.years)
    first, *rest = golden_catalog.years
    session = first.classes[0]
    edited = replace(first, classes=(replace(session, name=f"{session.name}（改）"),
                                     *first.classes[1:]))
    catalog = Catalog(golden_catalog.policy, (edited, *rest))
    after = catalogs_json(catalog, cache)
    assert after != made
    assert after == catalogs_json(catalog)
    assert json.loads(after)["years"][0]["classes"][0]["name"] == f"{session.name}（改）"


def test_a_changed_policy_remakes_the_audit_templates(golden_catalog: Catalog) -> None:
    cache = BuildCache()
    before = audit_page._templates(golden_catalog, cache)
    data = dict(golden_catalog.policy.as_rules_data())
    # A title renamed: the xlsx template's 现职称 drop-down lists it.
    first = next(iter(data["titles"]))
    renamed = {**data["titles"][first], "name": data["titles"][first]["name"] + "（新）"}
    data["titles"] = {**data["titles"], first: renamed}
    other = Catalog(data, golden_catalog.years)
    after = audit_page._templates(other, cache)
    assert after == audit_page._templates(other, None)
    assert after != before
    assert audit_page._templates(golden_catalog, cache) == before


def _touch_later(path: Path) -> None:
    # Filesystem clocks are coarse: two writes within one tick can share a time.
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))


def test_a_value_derived_from_files_is_made_again_when_a_file_changes(tmp_path: Path) -> None:
    first, second = tmp_path / "a.bin", tmp_path / "b.bin"
    first.write_bytes(b"one")
    second.write_bytes(b"two")
    made: list[bytes] = []

    def joined() -> bytes:
        made.append(value := first.read_bytes() + second.read_bytes())
        return value

    assert memo.from_files("joined", [first, second], joined) == b"onetwo"
    assert memo.from_files("joined", [first, second], joined) == b"onetwo"
    assert len(made) == 1
    second.write_bytes(b"TWO")  # the same size
    _touch_later(second)
    assert memo.from_files("joined", [first, second], joined) == b"oneTWO"
    replacement = tmp_path / "new.bin"
    replacement.write_bytes(b"ONE")
    os.utime(replacement, ns=(first.stat().st_atime_ns, first.stat().st_mtime_ns))
    replacement.replace(first)  # the same size and time, another file
    assert memo.from_files("joined", [first, second], joined) == b"ONETWO"
    assert len(made) == 3
    assert memo.file_sha256(first) == memo.file_sha256(replacement.with_name("a.bin"))
    with pytest.raises(FileNotFoundError):
        memo.from_files("joined", [tmp_path / "gone.bin"], joined)
