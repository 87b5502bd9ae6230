"""A PDF beside each Office download (DESIGN.md, "Site URLs": /downloads/, v3), converted
from our own .docx/.xlsx by LibreOffice headless.

Why LibreOffice rather than a PDF library drawing the pages again: the PDF must have the
same content and layout as the Word/Excel file people download, and converting that very
file guarantees it (one layout, not two to keep in step); it is also what offices do by
hand. The cost is an install: ``libreoffice-writer-nogui`` and ``libreoffice-calc-nogui``
(about 250 MB with their dependencies, which ``make setup`` installs and the tests already
need) against a pure-Python library plus a CJK font subset shipped in the wheel (a 15 MB+
font, and a second renderer of our tables to maintain). An institute building its portal
on a server without LibreOffice still gets every other file: the build says what to
install and stops, as it does for a missing Pyodide.

The conversion is reproducible: an isolated LibreOffice profile, a fontconfig file that
maps the documents' fonts (宋体, 仿宋, 黑体, 楷体, Times New Roman) to the Noto CJK and
Liberation fonts of a Debian machine, no network, and the PDF's dates and file ID set from
``SOURCE_DATE_EPOCH`` and the content. Converting takes seconds per file, so results are
cached on disk by the input's content (``$XDG_CACHE_HOME/ceportal/pdf``).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from generator.common.reproducible import build_time

log = logging.getLogger(__name__)

SOFFICE_ENV = "CEPORTAL_SOFFICE"  # another LibreOffice than the one on PATH
TIMEOUT_SECONDS = 600
CACHE_VERSION = "2"  # bump when the conversion or its normalisation changes

# The documents' fonts as the Debian fonts a build machine has (fonts-noto-cjk,
# fonts-liberation): serif faces for 宋体/仿宋/楷体, sans for 黑体.
FONT_ALIASES = {
    "宋体": "Noto Serif CJK SC", "SimSun": "Noto Serif CJK SC",
    "仿宋": "Noto Serif CJK SC", "FangSong": "Noto Serif CJK SC",
    "楷体": "Noto Serif CJK SC", "KaiTi": "Noto Serif CJK SC",
    "黑体": "Noto Sans CJK SC", "SimHei": "Noto Sans CJK SC",
    "Times New Roman": "Liberation Serif", "Calibri": "Carlito",
}


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed, or a conversion failed: the message says what to do."""


def soffice() -> str:
    """The LibreOffice program (``$CEPORTAL_SOFFICE``, else ``soffice`` on PATH)."""
    found = os.environ.get(SOFFICE_ENV) or shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise PdfUnavailable(
            "找不到 LibreOffice（soffice），无法生成下载文件的 PDF 版本：请安装 "
            "libreoffice-writer-nogui 和 libreoffice-calc-nogui（make setup 会安装），"
            f"或用环境变量 {SOFFICE_ENV} 指明 soffice 的位置"
        )
    return found


def _fontconfig() -> str:
    aliases = "".join(
        f"<alias binding=\"same\"><family>{name}</family><prefer><family>{target}</family>"
        "</prefer></alias>"
        for name, target in FONT_ALIASES.items()
    )
    return ('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
            "<include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>"
            f"{aliases}</fontconfig>\n")


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ceportal" / "pdf"


def _key(name: str, data: bytes, epoch: int, program: str) -> str:
    h = hashlib.sha256()
    for part in (CACHE_VERSION, PurePosixPath(name).suffix, str(epoch), program, _fontconfig()):
        h.update(part.encode() + b"\0")
    h.update(data)
    return h.hexdigest()


_DATE = re.compile(rb"/(CreationDate|ModDate)\(D:[0-9]{14}[^)]*\)")
_ID = re.compile(rb"/ID\s*\[\s*<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>\s*\]")
# LibreOffice's trailer also holds an MD5 of the file as written (with its own dates).
_CHECKSUM = re.compile(rb"/DocChecksum\s*/[0-9A-Fa-f]{32}")


def normalize_pdf(data: bytes, epoch: int) -> bytes:
    """``data`` with its dates the build time, and its file ID and checksum derived from
    its content.

    Each replacement has the length of what it replaces, so the cross-reference table's
    byte offsets stay right."""
    stamp = build_time(epoch).strftime("%Y%m%d%H%M%S").encode()

    def date(m: re.Match[bytes]) -> bytes:
        text = b"/" + m[1] + b"(D:" + stamp + b"Z"
        return text + b"'" * (len(m[0]) - len(text) - 1) + b")"

    data = _DATE.sub(date, data)
    content = _CHECKSUM.sub(b"", _ID.sub(b"", data))
    ident = hashlib.md5(content).hexdigest().upper().encode()  # noqa: S324 - an ID, not security
    data = _CHECKSUM.sub(b"/DocChecksum /" + ident, data)

    def file_id(m: re.Match[bytes]) -> bytes:
        text = b"/ID [ <" + ident + b"> <" + ident + b"> ]"
        if len(text) > len(m[0]):  # pragma: no cover - LibreOffice writes 32-digit IDs
            return m[0]
        return text + b" " * (len(m[0]) - len(text))

    return _ID.sub(file_id, data)


def pdf_name(name: str) -> str:
    """``downloads/notice.docx`` -> ``downloads/notice.pdf``."""
    return PurePosixPath(name).with_suffix(".pdf").as_posix()


def convert_to_pdf(files: dict[str, bytes], epoch: int) -> dict[str, bytes]:
    """``{name.pdf: bytes}`` for each ``{name.docx|name.xlsx: bytes}``, in one LibreOffice
    run for those not cached. Raises :class:`PdfUnavailable`."""
    program = soffice()
    out, todo = _cached(files, epoch, program)
    if todo:
        out.update(_convert(program, todo, epoch, _cache_dir()))
    return {pdf_name(name): out[pdf_name(name)] for name in files}


_Todo = dict[str, tuple[bytes, str]]  # name -> (its bytes, its cache key)


def _cached(files: dict[str, bytes], epoch: int, program: str,
            made: dict[str, bytes] | None = None) -> tuple[dict[str, bytes], _Todo]:
    """The PDFs of ``files`` already made (in ``made`` by cache key, else in the disk
    cache), and the files still to convert."""
    cache = _cache_dir()
    out: dict[str, bytes] = {}
    todo: _Todo = {}
    for name, data in files.items():
        key = _key(name, data, epoch, program)
        if made is not None and key in made:
            out[pdf_name(name)] = made[key]
            continue
        try:
            out[pdf_name(name)] = (cache / f"{key}.pdf").read_bytes()
        except OSError:
            todo[name] = (data, key)
    return out, todo


class PreviewPdfs:
    """The PDFs of ``ceportal serve``: LibreOffice takes about 2 s, as long as the rest of
    a rebuild after a one-course edit, and a course title is in its year's class plan. A
    PDF the cache does not hold yet is made in the background once the rebuild is done
    (:meth:`flush`): the rebuild keeps the one the preview shows (so MkDocs does not
    write it again), and once the new one is made,
    :attr:`publish` (set by the MkDocs adapter: it writes into the preview's folder) puts
    it in place, without a rebuild or a reload of the page. For a PDF the preview has not
    shown yet (the first build), or without :attr:`publish`, the conversion is waited for,
    as a build does.

    Called as :func:`convert_to_pdf` is. PDFs made here are also kept in memory (by
    cache key, the newest few), so a read-only cache never makes a rebuild convert again."""

    def __init__(self) -> None:
        self.publish: Callable[[dict[str, bytes]], None] | None = None
        self._shown: dict[str, bytes] = {}  # each PDF as the last rebuild published it
        self._made: dict[str, bytes] = {}  # by cache key
        self._running: set[str] = set()  # cache keys being converted
        self._pending: tuple[str, _Todo, int] | None = None  # for flush()
        self._wanted: dict[str, str] = {}  # each PDF's newest cache key asked for
        self._lock = threading.Lock()

    def __call__(self, files: dict[str, bytes], epoch: int) -> dict[str, bytes]:
        program = soffice()
        with self._lock:
            made = dict(self._made)
        out, todo = _cached(files, epoch, program, made)
        later = self.publish is not None and all(pdf_name(name) in self._shown for name in todo)
        if todo and not later:
            converted = _convert(program, todo, epoch, _cache_dir())
            out.update(converted)
            self._keep({key: converted[pdf_name(name)] for name, (_, key) in todo.items()})
        elif todo:
            out.update({pdf_name(name): self._shown[pdf_name(name)] for name in todo})
            self._pending = (program, todo, epoch)
        with self._lock:
            self._wanted = {pdf_name(name): key for name, (_, key) in todo.items()}
        self._shown = {pdf_name(name): out[pdf_name(name)] for name in files}
        return dict(self._shown)

    def flush(self) -> None:
        """Start making the PDFs the last rebuild did not wait for: called once the
        rebuild is done, so LibreOffice does not take a core from the pages."""
        pending, self._pending = self._pending, None
        if pending is not None:
            self._start(*pending)

    def forget(self) -> None:
        """The rebuild failed: nothing of it is made (the next one asks again)."""
        self._pending = None

    def _keep(self, converted: dict[str, bytes]) -> None:
        with self._lock:
            self._made.update(converted)
            if len(self._made) > 64:  # a long session: keep the newest
                self._made = dict(list(self._made.items())[-64:])

    def _start(self, program: str, todo: _Todo, epoch: int) -> None:
        keys = {key for _, key in todo.values()}
        with self._lock:
            if keys <= self._running:
                return  # already being made
            self._running |= keys

        def work() -> None:
            try:
                converted = _convert(program, todo, epoch, _cache_dir(), background=True)
            except PdfUnavailable as exc:
                log.warning("预览中的 PDF 未能更新（保留上一版）：%s", exc)
                return
            finally:
                with self._lock:
                    self._running -= keys
            self._keep({key: converted[pdf_name(name)] for name, (_, key) in todo.items()})
            with self._lock:  # a later edit may want another PDF there by now
                newest = {pdf_name(name): converted[pdf_name(name)] for name, (_, key) in todo.items()
                          if self._wanted.get(pdf_name(name)) == key}
            publish = self.publish
            if publish is not None and newest:
                publish(newest)

        threading.Thread(target=work, name="ceportal-pdf", daemon=True).start()


def _convert(program: str, todo: dict[str, tuple[bytes, str]], epoch: int,
             cache: Path, background: bool = False) -> dict[str, bytes]:
    with tempfile.TemporaryDirectory(prefix="ceportal-pdf-") as tmp:
        work = Path(tmp)
        (work / "in").mkdir()
        inputs = []
        for i, (name, (data, _)) in enumerate(todo.items()):
            # Distinct stems: registration-form.docx and .xlsx would both give .pdf.
            path = work / "in" / f"{i:03d}{PurePosixPath(name).suffix}"
            path.write_bytes(data)
            inputs.append(path)
        (work / "fonts.conf").write_text(_fontconfig(), encoding="utf-8")
        env = {
            **os.environ,
            "FONTCONFIG_FILE": str(work / "fonts.conf"),
            "HOME": str(work / "home"),
            "SAL_USE_VCLPLUGIN": "svp",
            "TZ": "UTC",
        }
        command = [
            program, f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
            "--convert-to", "pdf", "--outdir", str(work / "out"), *map(str, inputs),
        ]
        nice = shutil.which("nice") if background else None
        if nice:  # the preview's rebuilds come first
            command = [nice, "-n", "10", *command]
        try:
            run = subprocess.run(command, env=env, capture_output=True, timeout=TIMEOUT_SECONDS,
                                 check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PdfUnavailable(f"LibreOffice 转换 PDF 失败：{exc}") from None
        result: dict[str, bytes] = {}
        for (name, (_, key)), path in zip(todo.items(), inputs, strict=True):
            made = work / "out" / f"{path.stem}.pdf"
            if not made.exists():
                detail = run.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
                raise PdfUnavailable(
                    f"LibreOffice 未能把 {name} 转换为 PDF（退出码 {run.returncode}"
                    f"{'：' + detail[0] if detail else ''}）"
                )
            data = normalize_pdf(made.read_bytes(), epoch)
            result[pdf_name(name)] = data
            try:  # the cache is an optimisation: a read-only home only makes builds slower
                cache.mkdir(parents=True, exist_ok=True)
                temp = cache / f".{key}.{os.getpid()}.tmp"
                temp.write_bytes(data)
                temp.replace(cache / f"{key}.pdf")
            except OSError as exc:
                log.debug("PDF cache not written: %s", exc)
        log.debug("converted %d file(s) to PDF", len(result))
        return result
