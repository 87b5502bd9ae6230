"""The pure wheels the audit page installs in Pyodide beside the rules wheel.

They are part of the browser's Python: the trimmed standard library
(:mod:`generator.browser.stdlib`) holds what they import too.

The XLSX report is written by the CLI's own code (``generator.audit.evaluation``), which uses
openpyxl; in the browser that is the same openpyxl, as its pure ``py3-none-any`` wheel
from PyPI. Each wheel is pinned here by version and sha256, fetched once with pip (from
its cache or the configured index), checked, and kept in the user's cache folder beside
the calculator's snapshot; the site publishes the file unchanged and lists it in the
engine's manifest with its digest. Nothing is fetched from a CDN, at build time or in
the browser.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.catalog.memo import file_sha256

from .snapshot import cache_dir
from .wheel import WheelError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Pin:
    """One wheel from PyPI: its file name and the sha256 PyPI lists for it."""

    project: str
    version: str
    file: str
    sha256: str

    @property
    def requirement(self) -> str:
        return f"{self.project}=={self.version} --hash=sha256:{self.sha256}"


# openpyxl needs et_xmlfile; both are pure Python. Keep the versions the CLI installs
# (a test checks it), so the two write their reports with the same code.
PINS = (
    Pin(
        "openpyxl",
        "3.1.5",
        "openpyxl-3.1.5-py2.py3-none-any.whl",
        "5282c12b107bffeef825f4617dc029afaf41d0ea60823bbb665ef3079dc79de2",
    ),
    Pin(
        "et_xmlfile",
        "2.0.0",
        "et_xmlfile-2.0.0-py3-none-any.whl",
        "7a91720bc756843502c3b7504c77b8fe44217c85c537d85037f0f536151b2caa",
    ),
)


class VendorError(WheelError):
    """A pinned wheel could not be fetched or did not match its digest (Chinese text)."""


def _digest(path: Path) -> str:
    return file_sha256(path).hex()


def _fetch(pins: tuple[Pin, ...], target: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="ceportal-vendor-") as work:
        requirements = Path(work) / "requirements.txt"
        requirements.write_text("".join(p.requirement + "\n" for p in pins), encoding="utf-8")
        command = [
            sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
            "--no-deps", "--only-binary=:all:", "--require-hashes",
            "-r", str(requirements), "-d", work,
        ]
        proc = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
        if proc.returncode != 0:
            reason = (proc.stderr.strip().splitlines() or ["无输出"])[-1]
            raise VendorError(
                f"无法获取批量核查所需的 wheel（{'、'.join(p.file for p in pins)}）：{reason}。"
                "请联网后重试，或先运行 make setup"
            )
        target.mkdir(parents=True, exist_ok=True)
        for pin in pins:
            (Path(work) / pin.file).replace(target / pin.file)


def vendored_wheels() -> dict[str, Path]:
    """The pinned wheels: file name -> checked file in the cache folder."""
    folder = cache_dir() / "wheels"
    missing = tuple(
        p for p in PINS if not (folder / p.file).is_file() or _digest(folder / p.file) != p.sha256
    )
    if missing:
        log.debug("fetching %s", ", ".join(p.file for p in missing))
        _fetch(missing, folder)
    out = {}
    for pin in PINS:
        path = folder / pin.file
        if _digest(path) != pin.sha256:
            raise VendorError(f"{path} 的 sha256 与固定的版本不符，已拒绝使用")
        out[pin.file] = path
    return out
