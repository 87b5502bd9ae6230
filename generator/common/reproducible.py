"""Byte-identical output: one build time for every artefact, and normalised zip files.

``SOURCE_DATE_EPOCH`` (https://reproducible-builds.org/specs/source-date-epoch/) fixes the
time that ends up in files; without it the current time is used.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import re
import time
import zipfile
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl import Workbook

log = logging.getLogger(__name__)

_ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)  # the earliest time a zip entry can hold


def source_date_epoch() -> int:
    """``SOURCE_DATE_EPOCH`` if set (seconds since 1970), else now."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value:
        try:
            return int(value)
        except ValueError:
            log.warning("SOURCE_DATE_EPOCH 不是整数（%r），改用当前时间", value)
    return int(time.time())


def build_time(epoch: int) -> dt.datetime:
    """The build time as an aware UTC datetime."""
    return dt.datetime.fromtimestamp(epoch, tz=dt.UTC)


# The portal's time zone (Wenzhou; China Standard Time has no daylight saving): the
# calendar's X-WR-TIMEZONE, and the day a deployment is dated by.
PORTAL_TZ = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


def build_date(epoch: int) -> str:
    """The build's day in the portal's time zone, as ``YYYY-MM-DD``: the deployment date
    the engine pages' manifests record (a build at 01:00 in Wenzhou is dated that day,
    not the day before as in UTC)."""
    return build_time(epoch).astimezone(PORTAL_TZ).date().isoformat()


def normalize_zip(data: bytes, epoch: int, fix: Callable[[str, bytes], bytes] | None = None) -> bytes:
    """Rewrite a zip (docx/xlsx) with every entry stamped ``epoch`` and fixed attributes,
    in the original entry order (Office wants ``[Content_Types].xml`` first); ``fix``
    may rewrite an entry's bytes (given its name)."""
    stamp = max(build_time(epoch), _ZIP_EPOCH).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 3  # Unix, whatever the build machine
            content = src.read(info.filename)
            dst.writestr(entry, fix(info.filename, content) if fix else content)
    return out.getvalue()


# The portal's name in every Office file's core properties and docProps/app.xml (never
# python-docx's or openpyxl's), and no thumbnail of another document.
OFFICE_CREATOR = "温州市工程技术（一）系列继续教育门户"
OFFICE_APPLICATION = "ceportal"
OFFICE_DESCRIPTION = f"由{OFFICE_CREATOR}（{OFFICE_APPLICATION}）根据课程目录生成"


def office_app_xml() -> bytes:
    """docProps/app.xml: the application that wrote the file, and nothing stale (page
    and word counts from a template would be wrong)."""
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            'extended-properties"><Application>'
            f"{OFFICE_APPLICATION}</Application><Company>{OFFICE_CREATOR}</Company>"
            "</Properties>").encode()


def new_workbook(title: str, epoch: int) -> Workbook:
    """An openpyxl workbook whose core properties name the portal and the build time."""
    from openpyxl import Workbook

    wb = Workbook()
    when = build_time(epoch).replace(tzinfo=None)
    wb.properties.title = title
    wb.properties.creator = OFFICE_CREATOR
    wb.properties.description = OFFICE_DESCRIPTION
    wb.properties.lastModifiedBy = wb.properties.creator
    wb.properties.created = when
    wb.properties.modified = when
    wb.properties.language = "zh-CN"
    return wb


_MODIFIED = re.compile(rb"(<dcterms:modified\b[^>]*>)[^<]*(</dcterms:modified>)")


def save_workbook(wb: Workbook, epoch: int) -> bytes:
    """The workbook's bytes, the same for the same content and ``epoch``."""
    out = io.BytesIO()
    wb.save(out)
    stamp = build_time(epoch).strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")

    def fix(name: str, content: bytes) -> bytes:
        if name == "docProps/app.xml":  # openpyxl names itself
            return office_app_xml()
        # openpyxl stamps "modified" with the current time when saving, whatever we set.
        if name != "docProps/core.xml":
            return content
        return _MODIFIED.sub(lambda m: m.group(1) + stamp + m.group(2), content)

    return normalize_zip(out.getvalue(), epoch, fix)
