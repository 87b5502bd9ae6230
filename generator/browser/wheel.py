"""The rules wheel: ``generator/rules`` as a pure ``py3-none-any`` wheel for Pyodide.

Built through the standard PEP 517 interface (the ``build`` package driving
hatchling, no isolation: both are installed with ceportal, and the build must work
offline) from the small project in ``generator/browser/web/wheel/``, whose only content is
the files of ``generator/rules`` and the batch audit's modules (its ``force-include``). hatchling stamps every archive member with
``SOURCE_DATE_EPOCH`` (or a fixed date), so the same sources give the same bytes.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import tempfile
import tomllib
from pathlib import Path

from generator import resources

log = logging.getLogger(__name__)

# The folder holding the package (a checkout or site-packages): paths in the key are
# relative to it, so the key is the same wherever the tool is installed.
ROOT = resources.source_root()
WHEEL_PROJECT = resources.web_dir() / "wheel"
RULES_DIR = resources.package_dir() / "rules"

# One build per process and source state: the site build, the tests and the bench
# ask for the wheel several times. Process-wide on purpose, unlike the site's
# BuildCache: the key is the sources' content and the epoch, so it is never stale.
_cache: dict[tuple[str, str | None], tuple[str, bytes]] = {}


class WheelError(RuntimeError):
    """The rules wheel could not be built; ``str()`` says why, in Chinese."""


def sources() -> list[Path]:
    """The files the wheel is made of: its project's ``force-include`` entries."""
    project = WHEEL_PROJECT / "pyproject.toml"
    config = tomllib.loads(project.read_text(encoding="utf-8"))
    included = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    found = [project]
    for source in included:
        path = (WHEEL_PROJECT / source).resolve()
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return found


def _sources_key() -> str:
    digest = hashlib.sha256()
    for path in sorted(sources()):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    digest.update((resources.package_dir() / "__init__.py").read_bytes())  # the version
    return digest.hexdigest()


def build_rules_wheel() -> tuple[str, bytes]:
    """Build the rules wheel; return ``(file name, bytes)``.

    Honours ``SOURCE_DATE_EPOCH`` like every other build step.
    """
    key = (_sources_key(), os.environ.get("SOURCE_DATE_EPOCH"))
    if key in _cache:
        return _cache[key]
    try:
        from build import BuildBackendException, ProjectBuilder
        from pyproject_hooks import quiet_subprocess_runner
    except ImportError as exc:  # pragma: no cover - installed with ceportal
        raise WheelError(f"无法构建规则 wheel：缺少 build 包（{exc}），请运行 make setup") from exc
    with tempfile.TemporaryDirectory(prefix="ceportal-wheel-") as out:
        # The backend runs in a subprocess; keep its chatter out of our output.
        builder = ProjectBuilder(
            WHEEL_PROJECT, python_executable=sys.executable, runner=quiet_subprocess_runner
        )
        try:
            path = Path(builder.build("wheel", out))
        except BuildBackendException as exc:
            raise WheelError(f"无法构建规则 wheel：{exc}") from exc
        result = (path.name, path.read_bytes())
    log.debug("built %s (%d bytes)", result[0], len(result[1]))
    _cache[key] = result
    return result
