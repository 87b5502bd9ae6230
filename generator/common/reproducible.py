"""Byte-identical output: one build time for every artefact, and normalised zip files.

``SOURCE_DATE_EPOCH`` (https://reproducible-builds.org/specs/source-date-epoch/) fixes the
time that ends up in files; without it the current time is used.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import time
import zipfile
from collections.abc import Callable

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
