"""Excel downloads (openpyxl): the registration form and a year's class plan (附件1)."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..model import YearCatalog
from ..rendering.markup import cn_date, hours
from ..validating import LEVELS
from .forms import Form
from .reproducible import build_time, normalize_zip

log = logging.getLogger(__name__)

FORM_SHEET = "报名表"
PLAN_SHEET = "办班计划"
FORM_ROWS = 50  # blank rows prepared (and validated) for a unit's applicants
PLAN_COLUMNS = ("序号", "班次编号", "班次名称", "办班日期", "地点", "课程（学时）", "总学时",
                "主办单位", "级别", "名额", "费用", "报名截止", "联系方式")


def _new_workbook(title: str, epoch: int) -> Workbook:
    wb = Workbook()
    when = build_time(epoch).replace(tzinfo=None)
    wb.properties.title = title
    wb.properties.creator = "温州市工程技术（一）系列继续教育门户"
    wb.properties.lastModifiedBy = wb.properties.creator
    wb.properties.created = when
    wb.properties.modified = when
    return wb


_MODIFIED = re.compile(rb"(<dcterms:modified\b[^>]*>)[^<]*(</dcterms:modified>)")


def _save(wb: Workbook, epoch: int) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    stamp = build_time(epoch).strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")

    def fix(name: str, content: bytes) -> bytes:
        # openpyxl stamps "modified" with the current time when saving, whatever we set.
        if name != "docProps/core.xml":
            return content
        return _MODIFIED.sub(lambda m: m.group(1) + stamp + m.group(2), content)

    return normalize_zip(out.getvalue(), epoch, fix)


def form_xlsx(form: Form, epoch: int) -> bytes:
    """The registration form as a sheet: title, instructions, one header row of the form's
    field labels, and blank rows with drop-down lists where the form defines choices."""
    wb = _new_workbook(form.title, epoch)
    ws = wb.active
    ws.title = FORM_SHEET
    width = len(form.fields)
    ws.append([form.title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([form.instructions])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.append([f.label for f in form.fields])
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for i, field in enumerate(form.fields, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = max(10, len(field.label) * 2 + 4)
        if field.choices:
            rule = DataValidation(type="list", formula1='"' + ",".join(field.choices) + '"',
                                  allow_blank=True)
            rule.error = f"请从列表中选择{field.label}"
            rule.add(f"{letter}4:{letter}{3 + FORM_ROWS}")
            ws.add_data_validation(rule)
    ws.freeze_panes = "A4"
    return _save(wb, epoch)


def class_plan_xlsx(year: YearCatalog, policy: Mapping[str, Any], epoch: int) -> bytes:
    """附件1: the year's classes, one row each, in start-date order."""
    title = f"{year.year}年度工程技术（一）系列继续教育办班计划"
    wb = _new_workbook(title, epoch)
    ws = wb.active
    ws.title = PLAN_SHEET
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(PLAN_COLUMNS))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([year.notes or ""])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(PLAN_COLUMNS))
    ws.append(list(PLAN_COLUMNS))
    for cell in ws[3]:
        cell.font = Font(bold=True)
    sessions = sorted(year.classes, key=lambda s: (s.start, s.code))
    for n, s in enumerate(sessions, start=1):
        courses = [year.course(code) for code in s.courses]
        closes = s.registration_closes or (year.registration.closes if year.registration else None)
        level = LEVELS.get(s.level or "", "")
        if s.county:
            level = f"{level}：{s.county}" if level else s.county
        ws.append([
            n, s.code, s.name,
            cn_date(s.start) if s.start == s.end else f"{cn_date(s.start)}—{cn_date(s.end)}",
            s.location or "",
            "；".join(f"{c.title}（{hours(c.hours)}）" for c in courses),
            sum(c.hours for c in courses),
            s.organizer or "", level, s.capacity or "", s.fee or "", cn_date(closes),
            s.contact or "",
        ])
    for i in range(1, len(PLAN_COLUMNS) + 1):
        ws.column_dimensions[get_column_letter(i)].width = {3: 30, 4: 26, 6: 40}.get(i, 12)
    ws.freeze_panes = "A4"
    return _save(wb, epoch)
