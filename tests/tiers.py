"""The suite's tiers: the markers, the fixtures that imply them, and ``--fast``.

Every test that starts something costly carries the marker of what it starts. Most get it
without remembering: a test whose fixtures (direct or not) include one of
:data:`FIXTURE_TIERS` is marked here at collection; the others carry it in their file.

``pytest --fast`` (``make test-fast``) leaves out every marked test and runs the rest with a
guard: a test that starts Chromium, Node.js, LibreOffice, a site build, ``ceportal serve``
or the ``ceportal`` command in a child process fails, naming the marker it lacks. So a new
test that forgets its marker cannot slip into the fast tier unnoticed. ``make test`` (CI)
runs every tier.

``CEPORTAL_TEST_ORDER=reverse`` runs the collected tests in reverse order, to check that no
test depends on another having run first.

Registered as a plugin by ``tests/conftest.py``.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

# Marker -> what it means. Every marker the suite uses is one of these (--strict-markers).
TIERS = {
    "browser": "starts headless Chromium (Debian's /usr/bin/chromium)",
    "node": "runs Node.js: Pyodide, or the JavaScript modules",
    "office": "opens the downloads with LibreOffice headless (soffice) and reads the PDFs "
              "with poppler",
    "build": "builds a site (MkDocs) or the calculator's bundle (the rules wheel, the "
             "Pyodide snapshot)",
    "serve": "runs `ceportal serve` (MkDocs' live-reload server)",
    "cli": "runs the installed `ceportal` command in a child process",
    "slow": "costly in-process work: many generated examples, brotli at its best setting",
}

# A test whose fixtures include one of these gets its marker at collection.
FIXTURE_TIERS = {
    "browser": "browser",
    "bundled_site": "build",
    "zensical_site": "build",  # the same site built by Zensical (--builder zensical)
    "payload_site": "build",
    # The calculator's and the audit page's files: the rules wheel (a PEP 517 build),
    # the trimmed standard library and the snapshot (made by Pyodide in Node.js).
    "produced": "build",
    # `ceportal audit` run in a child process on every audit input.
    "cli_reports": "cli",
    # Office-style audit inputs, round-tripped through LibreOffice (tests/audit).
    "office_layouts": "office",
}

_PLAYWRIGHT_DRIVER = f"{os.sep}playwright{os.sep}driver{os.sep}"
_OFFICE = {"soffice", "libreoffice", "soffice.bin", "pdftoppm", "pdftotext", "pdfinfo"}


def spawned_tier(argv: list[str]) -> str | None:
    """The marker a child process started with ``argv`` calls for, if any."""
    if not argv:
        return None
    program = argv[0]
    name = Path(program).name
    if _PLAYWRIGHT_DRIVER in program or name in {"chromium", "chromium-browser", "chrome"}:
        return "browser"
    if name in {"node", "nodejs"}:
        return "node"
    if name in _OFFICE:
        return "office"
    if name == "zensical":
        return "build"  # `ceportal build --builder zensical` runs `zensical build`
    if any(Path(a).name == "_in_process.py" for a in argv[1:]):
        return "build"  # a PEP 517 backend: the rules wheel being built
    if name == "ceportal":
        command = argv[1:]
    elif "generator.cli" in argv and argv[argv.index("generator.cli") - 1] == "-m":
        command = argv[argv.index("generator.cli") + 1:]
    else:
        return None
    return "serve" if command[:1] == ["serve"] else ("build" if command[:1] == ["build"] else "cli")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fast", action="store_true",
        help="the fast tier: leave out the tests marked " + ", ".join(TIERS)
             + "; a test that starts one of those without its marker fails",
    )


def pytest_configure(config: pytest.Config) -> None:
    for name, meaning in TIERS.items():
        config.addinivalue_line("markers", f"{name}: {meaning}")
    if config.getoption("fast", default=False):
        _arm_guard()


@pytest.hookimpl(tryfirst=True)  # before -m selects: it sees the markers given here
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        for fixture in getattr(item, "fixturenames", ()):
            tier = FIXTURE_TIERS.get(fixture)
            if tier and item.get_closest_marker(tier) is None:
                item.add_marker(tier)
    if config.getoption("fast", default=False):
        kept = [i for i in items if not any(i.get_closest_marker(t) for t in TIERS)]
        left_out = [i for i in items if any(i.get_closest_marker(t) for t in TIERS)]
        if left_out:
            config.hook.pytest_deselected(items=left_out)
        items[:] = kept
    if os.environ.get("CEPORTAL_TEST_ORDER") == "reverse":
        items.reverse()


def _refuse(tier: str, what: str) -> None:
    pytest.fail(
        f"this test {what} but is not marked `{tier}`: mark it @pytest.mark.{tier} "
        f"(or use a fixture of tests/tiers.py FIXTURE_TIERS) so that `make test-fast` "
        f"leaves it out",
        pytrace=False,
    )


def _arm_guard() -> None:
    """In the fast tier every test is unmarked: refuse what only marked tests may start."""
    original_init = subprocess.Popen.__init__

    def guarded_init(self: subprocess.Popen[Any], args: Any, *rest: Any, **kwargs: Any) -> None:
        if isinstance(args, str | bytes | os.PathLike):
            argv = shlex.split(os.fsdecode(args)) if kwargs.get("shell") else [os.fsdecode(args)]
        else:
            argv = [os.fsdecode(a) for a in args]
        tier = spawned_tier(argv)
        if tier is not None:
            _refuse(tier, f"starts `{' '.join(argv)[:120]}`")
        original_init(self, args, *rest, **kwargs)

    subprocess.Popen.__init__ = guarded_init  # type: ignore[method-assign]

    def refusing(tier: str, what: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def guarded(*args: Any, **kwargs: Any) -> Any:
            _refuse(tier, what)
            return original(*args, **kwargs)

        return guarded

    import mkdocs.commands.build
    import mkdocs.livereload

    mkdocs.commands.build.build = refusing("build", "builds a site", mkdocs.commands.build.build)
    server = mkdocs.livereload.LiveReloadServer
    server.__init__ = refusing("serve", "starts MkDocs' live-reload server",  # type: ignore[method-assign]
                               server.__init__)
    try:
        from playwright.sync_api import BrowserType
    except ImportError:  # then no test can start Chromium anyway
        return

    BrowserType.launch = refusing("browser", "starts Chromium",  # type: ignore[method-assign]
                                  BrowserType.launch)
