"""Writes that cannot hurt (issue 19, item 5): no silent overwrite, output = input refused,
the umask honoured, a full disk or a refused permission one Chinese line with nothing
half written. Every case compares the folder's files byte for byte before and after."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.common import safefiles

CAT = str(Path(__file__).resolve().parents[2] / "catalog")

CSV = (
    "编号,姓名,类型,拟申报,现职称,年度,周期起始,学时年度,类别,学时\r\n"
    "A01,张三,申报晋升,工程师,,2011,,2011,公共必修课,16\r\n"
)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.csv").write_bytes(CSV.encode())
    return tmp_path


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    old = os.umask(0o022)
    os.umask(old)

    def set_mask(mask: int) -> None:
        os.umask(mask)

    yield set_mask
    os.umask(old)


def _disk_full(monkeypatch: pytest.MonkeyPatch) -> None:
    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(safefiles.os, "fsync", fsync)


# --- audit -------------------------------------------------------------------


@pytest.mark.parametrize("output", ["in.csv", "./in.csv", "link.csv"])
def test_audit_refuses_to_write_over_its_input(
    work: Path, ceportal: Callable[..., Any], output: str
) -> None:
    (work / "link.csv").symlink_to(work / "in.csv")
    before = files(work)
    run = ceportal("audit", "--catalog", CAT, "in.csv", "-o", output, "--force")
    assert run.code == 3
    assert run.err == (
        f"ceportal audit: 输出文件 {output} 就是输入文件，未写入：请用 -o 另选一个文件名\n"
    )
    assert files(work) == before


def test_audit_does_not_overwrite_without_force(work: Path, ceportal: Callable[..., Any]) -> None:
    (work / "report.csv").write_bytes(b"last week's report\n")
    before = files(work)
    run = ceportal("audit", "--catalog", CAT, "in.csv", "-o", "report.csv")
    assert (run.code, run.out) == (3, "")
    assert run.err == "ceportal audit: report.csv 已存在，未覆盖：要替换它请加 --force\n"
    assert files(work) == before
    run = ceportal("audit", "--catalog", CAT, "in.csv", "-o", "report.csv", "--force")
    assert run.code == 0
    assert (work / "report.csv").read_bytes().startswith("\ufeff编号,姓名".encode())


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_new_files_follow_the_umask(
    work: Path, ceportal: Callable[..., Any], umask: Callable[[int], None], mask: int, mode: int
) -> None:
    umask(mask)
    for report in ("r.csv", "r.xlsx"):
        assert ceportal("audit", "--catalog", CAT, "in.csv", "-o", report).code == 0
        assert stat.S_IMODE((work / report).stat().st_mode) == mode


def test_a_replaced_file_keeps_its_mode(work: Path, ceportal: Callable[..., Any]) -> None:
    (work / "r.csv").write_bytes(b"old")
    (work / "r.csv").chmod(0o600)
    assert ceportal("audit", "--catalog", CAT, "in.csv", "-o", "r.csv", "--force").code == 0
    assert stat.S_IMODE((work / "r.csv").stat().st_mode) == 0o600


@pytest.mark.parametrize("report", ["r.csv", "r.xlsx"])
def test_a_full_disk_is_one_line_and_nothing_half_written(
    work: Path, ceportal: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, report: str
) -> None:
    (work / report).write_bytes(b"the previous report")
    before = files(work)
    _disk_full(monkeypatch)
    run = ceportal("audit", "--catalog", CAT, "in.csv", "-o", report, "--force")
    assert run.code == 3
    assert run.err == f"ceportal audit: 无法写入 {report}：磁盘空间不足；未写入任何文件\n"
    assert files(work) == before  # the old report as it was, no temporary file left


def test_a_read_only_folder_is_one_line(
    work: Path, ceportal: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    (work / "out").mkdir()
    (work / "out").chmod(0o555)
    if os.access(work / "out", os.W_OK):  # root: the kernel's answer is faked
        def mkstemp(**kwargs: Any) -> Any:
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr(safefiles.tempfile, "mkstemp", mkstemp)
    before = files(work)
    run = ceportal("audit", "--catalog", CAT, "in.csv", "-o", "out/r.csv")
    (work / "out").chmod(0o755)
    assert run.code == 3
    assert run.err == "ceportal audit: 无法写入 out/r.csv：没有写入权限；未写入任何文件\n"
    assert files(work) == before


# --- import-xlsx / export-xlsx / new-year ----------------------------------------


@pytest.fixture
def workbook(catalog_copy: Path, ceportal: Callable[..., Any]) -> Path:
    out = catalog_copy.parent / "plan.xlsx"
    assert ceportal("export-xlsx", "--year", "2010", "--catalog", str(catalog_copy),
                    "-o", str(out)).code == 0
    return out


def test_import_does_not_overwrite_a_hand_written_year_file(
    workbook: Path, catalog_copy: Path, ceportal: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(catalog_copy.parent)
    before = files(catalog_copy.parent)
    run = ceportal("import-xlsx", "plan.xlsx", "--year", "2010", "--catalog", "catalog")
    assert (run.code, run.out) == (3, "")
    assert run.err == (
        "ceportal import-xlsx: catalog/2010.yaml 已存在，未覆盖：要替换它请加 --force\n"
    )
    assert files(catalog_copy.parent) == before
    run = ceportal("import-xlsx", "plan.xlsx", "--year", "2010", "--catalog", "catalog", "--force")
    assert run.code == 0, run
    assert run.out.startswith("已写入 catalog/2010.yaml：")
    # The hand-written comments are gone only because --force said so.
    assert (catalog_copy / "2010.yaml").read_bytes() != before["catalog/2010.yaml"]


def test_import_refuses_its_own_workbook_as_output(
    workbook: Path, catalog_copy: Path, ceportal: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(catalog_copy.parent)
    before = files(catalog_copy.parent)
    run = ceportal("import-xlsx", "plan.xlsx", "--year", "2010", "--catalog", "catalog",
                   "-o", "plan.xlsx", "--force")
    assert run.code == 3
    assert run.err == (
        "ceportal import-xlsx: 输出文件 plan.xlsx 就是输入文件，未写入：请用 -o 另选一个文件名\n"
    )
    assert files(catalog_copy.parent) == before


def test_import_on_a_full_disk_leaves_the_year_file(
    workbook: Path, catalog_copy: Path, ceportal: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(catalog_copy.parent)
    before = files(catalog_copy.parent)
    _disk_full(monkeypatch)
    run = ceportal("import-xlsx", "plan.xlsx", "--year", "2010", "--catalog", "catalog", "--force")
    assert run.code == 3
    assert run.err == (
        "ceportal import-xlsx: 无法写入 catalog/2010.yaml：磁盘空间不足；未写入任何文件\n"
    )
    assert files(catalog_copy.parent) == before


def test_export_does_not_overwrite_and_never_writes_into_the_catalog(
    workbook: Path, catalog_copy: Path, ceportal: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(catalog_copy.parent)
    before = files(catalog_copy.parent)
    run = ceportal("export-xlsx", "--year", "2010", "--catalog", "catalog", "-o", "plan.xlsx")
    assert run.code == 3
    assert run.err == "ceportal export-xlsx: plan.xlsx 已存在，未覆盖：要替换它请加 --force\n"
    run = ceportal("export-xlsx", "--year", "2010", "--catalog", "catalog",
                   "-o", "catalog/2010.yaml", "--force")
    assert run.code == 3
    assert run.err == (
        "ceportal export-xlsx: 输出文件 catalog/2010.yaml 就是输入文件，未写入："
        "请用 -o 另选一个文件名\n"
    )
    assert files(catalog_copy.parent) == before


def test_new_year_on_a_full_disk_writes_nothing(
    catalog_copy: Path, ceportal: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(catalog_copy.parent)
    before = files(catalog_copy.parent)
    _disk_full(monkeypatch)
    run = ceportal("new-year", "2011", "--catalog", "catalog")
    assert run.code == 3
    assert run.err == "ceportal new-year: 无法写入 catalog/2011.yaml：磁盘空间不足；未写入任何文件\n"
    assert files(catalog_copy.parent) == before


# --- outputs are regular files the user meant (issue 24, item 2) -------------------------


def test_force_never_replaces_a_device_a_fifo_or_a_link(
    work: Path, ceportal: Callable[..., Any]
) -> None:
    """``export-xlsx -o /dev/full --force`` turned the device into an .xlsx."""
    os.mkfifo(work / "pipe.csv")
    (work / "target.csv").write_bytes(b"kept\n")
    (work / "link.csv").symlink_to(work / "target.csv")
    (work / "dangling.csv").symlink_to(work / "nowhere.csv")
    before = files(work)
    device = os.stat("/dev/full")
    # The device last: a regression fails on the FIFO first, before it could touch /dev.
    for output, what in [("pipe.csv", "命名管道（FIFO）"), ("link.csv", "符号链接"),
                         ("dangling.csv", "符号链接"), ("/dev/full", "设备文件")]:
        for force in (["--force"], []):
            run = ceportal("audit", "--catalog", CAT, "in.csv", "-o", output, *force)
            assert (run.code, run.out) == (3, "")
            assert run.err == (f"ceportal audit: 输出 {output} 是{what}，不是普通文件，未写入："
                               "请用 -o 另选一个文件名\n")
    run = ceportal("export-xlsx", "--year", "2010", "--catalog", CAT, "-o", "/dev/full", "--force")
    assert run.code == 3
    assert run.err == ("ceportal export-xlsx: 输出 /dev/full 是设备文件，不是普通文件，未写入："
                       "请用 -o 另选一个文件名\n")
    assert files(work) == before
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    assert os.stat("/dev/full").st_ino == device.st_ino
    assert os.path.islink(work / "link.csv") and stat.S_ISFIFO(os.lstat(work / "pipe.csv").st_mode)


def test_import_refuses_policy_yaml_as_output(
    workbook: Path, catalog_copy: Path, ceportal: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``import-xlsx … -o catalog/policy.yaml --force`` replaced the rules with a year file."""
    monkeypatch.chdir(catalog_copy.parent)
    before = files(catalog_copy.parent)
    run = ceportal("import-xlsx", "plan.xlsx", "--year", "2010", "--catalog", "catalog",
                   "-o", "catalog/policy.yaml", "--force")
    assert (run.code, run.out) == (3, "")
    assert run.err == (
        "ceportal import-xlsx: 输出文件 catalog/policy.yaml 就是输入文件，未写入："
        "请用 -o 另选一个文件名\n"
    )
    run = ceportal("schema", "--catalog", "catalog", "-o", "catalog/policy.yaml", "--force")
    assert run.code == 3
    assert files(catalog_copy.parent) == before


def test_a_full_disk_while_writing_a_workbook_leaves_no_stray_message(
    work: Path, ceportal: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the full-disk line, Python printed "Exception ignored in ZipFile.__del__"
    when the half-written zip was collected (issue 24, item 4)."""
    import builtins
    import gc
    import io
    import sys

    real_open = builtins.open

    class Full(io.BufferedWriter):
        def write(self, data: Any) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    def full_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, str) and file.endswith(".tmp") and "w" in mode and "b" in mode:
            return Full(io.FileIO(file, "w"))
        return real_open(file, mode, *args, **kwargs)

    unraisable: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    monkeypatch.setattr(builtins, "open", full_open)
    monkeypatch.setattr(io, "open", full_open)
    before = files(work)
    run = ceportal("audit", "--catalog", CAT, "in.csv", "-o", "report.xlsx")
    export = ceportal("export-xlsx", "--year", "2010", "--catalog", CAT, "-o", "plan.xlsx")
    monkeypatch.undo()
    gc.collect()
    assert (run.code, run.err) == (3, "ceportal audit: 无法写入 report.xlsx：磁盘空间不足；未写入任何文件\n")
    assert (export.code, export.err) == (
        3, "ceportal export-xlsx: 无法写入 plan.xlsx：磁盘空间不足；未写入任何文件\n")
    assert unraisable == []
    assert files(work) == before
