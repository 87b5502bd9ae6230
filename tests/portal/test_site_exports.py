"""The downloads and open data parse with real readers and agree with the catalog."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import docx
import icalendar
import openpyxl
import pytest

from generator.catalog.model import Catalog
from generator.common.reproducible import normalize_zip
from generator.site.exporting import registration_form
from generator.site.exporting.calendar import deadline_uid, uid
from generator.site.exporting.opendata import CSV_COLUMNS
from generator.site.exporting.workbooks import FORM_SHEET, PLAN_COLUMNS, PLAN_SHEET

pytestmark = pytest.mark.slow


def test_json_is_the_catalog(bundled_site: Path, bundled_catalog: Catalog) -> None:
    for year in bundled_catalog.years:
        data = json.loads((bundled_site / f"catalog/{year.year}.json").read_text("utf-8"))
        assert data["year"] == year.year
        assert data["title"] == year.title
        assert [(c["code"], c["title"], c["module"], c["hours"], c.get("specialties", []))
                for c in data["courses"]] == [
            (c.code, c.title, c.module, c.hours, list(c.specialties)) for c in year.courses]
        assert [(s["code"], s["start"], s["end"], s["courses"]) for s in data["classes"]] == [
            (s.code, s.start.isoformat(), s.end.isoformat(), list(s.courses)) for s in year.classes]


def test_json_keys_are_those_of_the_schema(bundled_site: Path) -> None:
    # The open data has the YAML file's shape, so the published schema describes it.
    schema = json.loads((bundled_site / "catalog/schema.json").read_text("utf-8"))
    data = json.loads((bundled_site / "catalog/2009.json").read_text("utf-8"))
    assert set(data) <= set(schema["properties"])
    assert set(schema["required"]) <= set(data)
    course_keys = set(schema["$defs"]["course"]["properties"])
    assert all(set(c) <= course_keys for c in data["courses"])
    class_keys = set(schema["$defs"]["class"]["properties"])
    assert all(set(s) <= class_keys for s in data["classes"])


def test_csv_has_bom_chinese_headers_and_every_course(bundled_site: Path,
                                                      bundled_catalog: Catalog) -> None:
    policy = bundled_catalog.policy
    for year in bundled_catalog.years:
        raw = (bundled_site / f"catalog/{year.year}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
        assert tuple(rows[0]) == CSV_COLUMNS
        assert rows[1:] == [
            [c.code, c.title, policy.modules[c.module], str(c.hours),
             "、".join(policy.specialties[s] for s in c.specialties),
             policy.forms[c.form] if c.form else "", c.description or "", c.teacher or ""]
            for c in year.courses]


def test_ics_parses_one_event_per_class_and_deadline(bundled_site: Path,
                                                     bundled_catalog: Catalog) -> None:
    for year in bundled_catalog.years:
        raw = (bundled_site / f"schedule/{year.year}.ics").read_bytes()
        events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(raw).walk("VEVENT")}
        assert len(events) == 2 * len(year.classes)  # every bundled class has a deadline
        for session in year.classes:
            event = events[uid(year.year, session.code)]
            assert str(event["SUMMARY"]) == session.name
            assert event["DTSTART"].dt == session.start
            assert event["DTEND"].dt == session.end + dt.timedelta(days=1)
            assert str(event.get("LOCATION", "")) == (session.location or "")
            assert event["DTSTAMP"].dt == dt.datetime(2009, 4, 1, tzinfo=dt.UTC)
            deadline = events[deadline_uid(year.year, session.code)]
            assert str(deadline["SUMMARY"]) == f"报名截止：{session.name}"
            assert deadline["DTSTART"].dt == year.deadline(session)


def test_ics_lines_are_folded_and_crlf(payload_site: Path) -> None:
    raw = (payload_site / "schedule/2009.ics").read_bytes()
    lines = raw.split(b"\r\n")
    assert lines[-1] == b""  # every line ends with CRLF
    assert all(b"\n" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # the long location was folded


def test_ics_text_with_specials_round_trips(payload_site: Path, golden_catalog: Catalog) -> None:
    cal = icalendar.Calendar.from_ical((payload_site / "schedule/2009.ics").read_bytes())
    session = golden_catalog.year(2009).classes[0]
    first = next(e for e in cal.walk("VEVENT") if str(e["UID"]) == uid(2009, session.code))
    assert str(first["SUMMARY"]) == "第一期 <i>培训班</i>, 含逗号; 分号\\反斜杠" == session.name
    assert str(first["LOCATION"]) == session.location
    description = str(first["DESCRIPTION"])
    assert description.splitlines()[1] == "报名截止：2009年4月25日"


def test_registration_form_docx_holds_the_fields(bundled_site: Path) -> None:
    form = registration_form()
    document = docx.Document(str(bundled_site / "downloads/registration-form.docx"))
    texts = [cell.text for row in document.tables[0].rows for cell in row.cells]
    for field in form.fields:
        assert field.label in texts
    assert texts[-1].startswith(form.approval + "：")
    assert document.paragraphs[0].text == form.title == "温州市工程技术人员继续教育培训班报名表"
    assert document.core_properties.created == dt.datetime(2009, 4, 1, tzinfo=dt.UTC)


def test_registration_form_xlsx_holds_the_fields(bundled_site: Path) -> None:
    form = registration_form()
    wb = openpyxl.load_workbook(bundled_site / "downloads/registration-form.xlsx")
    ws = wb[FORM_SHEET]
    assert ws["A1"].value == form.title
    values = [c.value for row in ws.iter_rows() for c in row if c.value]
    assert [v for v in values if v in {f.label for f in form.fields}] == [
        f.label for f in form.fields]  # the same order as the printed form
    lists = {str(v.sqref): v.formula1 for v in ws.data_validations.dataValidation}
    assert lists["D2"] == '"男,女"'


def test_notice_docx_has_every_section(bundled_site: Path) -> None:
    document = docx.Document(str(bundled_site / "downloads/notice.docx"))
    texts = [p.text for p in document.paragraphs]
    assert document.tables[0].rows[0].cells[0].text == "温州市经济贸易委员会\n温州市人事局"
    assert [t for t in texts if t][:3] == [  # after the issuers: number, the title's two lines
        "温经贸培训〔2009〕74号", "关于全面开展工程技术（一）系列专业", "技术人员继续教育培训的通知"]
    assert [t for t in texts if t[:2] in {"一、", "二、", "三、", "四、", "五、"}] == [
        "一、继续教育对象", "二、继续教育周期及学时要求", "三、继续教育内容及要求",
        "四、继续教育的组织安排", "五、继续教育登记管理和使用"]


def test_notice_txt_is_the_notice(bundled_site: Path, root: Path) -> None:
    # UTF-8 with a BOM, so that a browser shows it right from a host that names no charset.
    assert (bundled_site / "downloads/notice.txt").read_bytes() == b"\xef\xbb\xbf" + (
        root / "generator/data/notice.txt").read_bytes()


def test_class_plan_xlsx_lists_the_classes(bundled_site: Path, bundled_catalog: Catalog) -> None:
    for year in bundled_catalog.years:
        ws = openpyxl.load_workbook(bundled_site / f"downloads/class-plan-{year.year}.xlsx")[PLAN_SHEET]
        assert ws.parent.properties.modified == dt.datetime(2009, 4, 1)
        assert ws["A1"].value == f"{year.year}年度工程技术（一）系列继续教育办班计划"
        assert year.notes
        assert ws["A2"].value == year.notes.strip()  # the sample-data mark travels with the file
        assert tuple(c.value for c in ws[3]) == PLAN_COLUMNS
        rows = list(ws.iter_rows(min_row=4, values_only=True))
        ordered = sorted(year.classes, key=lambda s: (s.start, s.code))
        assert [(r[1], r[2], r[7]) for r in rows] == [
            (s.code, s.name, sum(year.course(c).hours for c in s.courses)) for s in ordered]


def test_office_files_have_fixed_zip_timestamps(bundled_site: Path) -> None:
    for path in ("downloads/registration-form.docx", "downloads/class-plan-2009.xlsx"):
        with zipfile.ZipFile(bundled_site / path) as z:
            assert {i.date_time for i in z.infolist()} == {(2009, 4, 1, 0, 0, 0)}


def test_normalize_zip_clamps_to_1980_and_keeps_order() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "a")
        z.writestr("b.xml", "b")
    with zipfile.ZipFile(io.BytesIO(normalize_zip(out.getvalue(), 0))) as z:
        assert [(i.filename, i.date_time) for i in z.infolist()] == [
            ("[Content_Types].xml", (1980, 1, 1, 0, 0, 0)), ("b.xml", (1980, 1, 1, 0, 0, 0))]
