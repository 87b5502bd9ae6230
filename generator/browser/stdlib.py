"""The trimmed standard library: only the modules the browser's Python imports.

Pyodide's ``python_stdlib.zip`` is 2.5 MB, nearly all of it modules the calculator never
imports. The build finds the modules the browser's Python names: in the import
statements of :func:`browser_sources` (the rules wheel's files: the rules, the planner,
the bridges and the batch audit; those inside functions included) and of the pure wheels
the audit page installs beside them (openpyxl and et_xmlfile, :mod:`.vendor`: every file
of theirs, so what they import only when a report is written comes too), the codecs
their calls name (``.decode("utf-8-sig")`` imports ``encodings.utf_8_sig`` with no import
statement) and the worker's own. It imports them all in Pyodide under Node from the full
archive (``generator/browser/web/stdlib.mjs``), and packs every standard-library file then
loaded, and nothing else, into ``python_stdlib_min.zip``. The snapshot is made with that
archive mounted (so it has the same files as a visit) and with every module a calculator
visit imports already imported (:func:`snapshot_imports`). Wherever the worker restores
the snapshot it uses this archive instead of the full one: the audit page fetches it at
once (openpyxl's imports come from it), the calculator only if one of its modules is ever
imported (a finder first on ``sys.meta_path`` fetches it then, checked against the
manifest): a calculator visit does not download it at all (0.75 MB less before the first
result). If anything outside it is ever imported, the worker's fallback finder fetches the
full archive (checked too) and imports from it (``generator/browser/web/worker.js``).

The members are deflated, as in Pyodide's archive (measured: 0.78 MB against 2.7 MB
stored; stored and then gzipped whole by the host would be 0.67 MB, but many hosts do
not compress ``.zip`` responses, which would then cost 2.7 MB).
"""

from __future__ import annotations

import ast
import codecs
import encodings
import encodings.aliases
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

from generator import resources
from generator.catalog.memo import file_sha256, from_files

from .runtime import RuntimeMissing, default_pyodide_dir, missing_message
from .snapshot import SnapshotError, cache_dir, write_atomically
from .vendor import PINS, vendored_wheels
from .wheel import sources as wheel_sources_of_project

# The folder holding the package: module names are paths relative to it.
ROOT = resources.source_root()
SCRIPT = resources.web_dir() / "stdlib.mjs"
GENERATOR = resources.package_dir()
NAME = "python_stdlib_min.zip"
FORMAT = "3"  # bump when the way the archive is made changes
TIMEOUT_S = 300
# The fixed date of every member (zip's earliest): the same files give the same bytes.
_DATE = (1980, 1, 1, 0, 0, 0)

# The modules the worker's own Python imports (the bridge glue and the fallback finder
# in worker.js), besides those of the sources below.
WORKER_IMPORTS = ("base64", "functools", "hashlib", "importlib.abc", "importlib.machinery", "json", "random",
                  "sysconfig", "zipimport")


def _local_imports(path: Path) -> list[Path]:
    """The files of ``generator`` that ``path`` imports (relative or absolute)."""
    package = path.parent
    out = []
    for node in _imports(path):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package
            for _ in range(node.level - 1):
                base = base.parent
            modules = [node.module] if node.module else [alias.name for alias in node.names]
            targets = [base.joinpath(*m.split(".")) for m in modules]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            targets = [ROOT.joinpath(*n.split(".")) for n in names if n.startswith("generator.")]
        else:
            continue
        for target in targets:
            for candidate in (target.with_suffix(".py"), target / "__init__.py"):
                if candidate.is_file():
                    out.append(candidate)
    return out


def _imports(path: Path) -> list[ast.Import | ast.ImportFrom]:
    """The import statements of a source file (parsed again only when it changes)."""
    def parse() -> list[ast.Import | ast.ImportFrom]:
        tree = ast.parse(path.read_bytes(), filename=str(path))
        return [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]

    return from_files("imports", [path], parse)


def _with_imports(start: Iterable[Path]) -> list[Path]:
    """``start`` and every file of ``generator`` they import, directly or not
    (``generator/__init__.py`` aside: in the browser ``generator`` is a namespace package)."""
    found: list[Path] = []
    todo = list(start)
    while todo:
        path = todo.pop(0)
        if path in found or path == GENERATOR / "__init__.py":
            continue
        found.append(path)
        todo.extend(_local_imports(path))
    return found


def browser_sources() -> list[Path]:
    """The Python files that run in the browser: the rules wheel's (the rules with the
    planner and the bridge, the batch audit with its bridge and its xlsx reader), and
    every file of ``generator`` they import."""
    return _with_imports(p for p in wheel_sources_of_project() if p.suffix == ".py")


def calculator_sources() -> list[Path]:
    """The Python files the calculator runs: its bridge (what the worker's BRIDGE and
    PLAN_BRIDGE import) and every file of ``generator`` it imports."""
    return _with_imports([GENERATOR / "browser" / "worker" / "calculator.py"])


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def wheel_sources(wheel: Path) -> list[tuple[str, bytes]]:
    """The Python files of a wheel: (member name, source)."""
    with zipfile.ZipFile(wheel) as archive:
        return [(n, archive.read(n)) for n in sorted(archive.namelist()) if n.endswith(".py")]


def codec_module(encoding: str) -> str | None:
    """The module of ``encodings`` that Python imports for a codec name (``"utf-8-sig"``
    -> ``encodings.utf_8_sig``), as its search function finds it; None if unknown."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        return None
    normalized = encodings.normalize_encoding(encoding).lower()
    module = encodings.aliases.aliases.get(normalized, normalized)
    return f"encodings.{module}"


def _codec_names(node: ast.AST) -> list[str]:
    """The codec names a call spells out: ``.decode("x")``, ``.encode("x")``,
    ``encoding="x"``, ``codecs.lookup("x")`` (imported by name when first used, so no
    import statement shows them)."""
    if not isinstance(node, ast.Call):
        return []
    texts = [k.value for k in node.keywords if k.arg == "encoding"]
    if isinstance(node.func, ast.Attribute) and node.func.attr in ("decode", "encode", "lookup") and node.args:
        texts.append(node.args[0])
    return [t.value for t in texts if isinstance(t, ast.Constant) and isinstance(t.value, str)]


def stdlib_imports(paths: Iterable[Path | tuple[str, bytes]]) -> list[str]:
    """Every standard-library module an ``import`` statement of ``paths`` names (a path,
    or a file's name and source), and the codec modules their calls name."""
    found: set[str] = set()
    for path in paths:
        name, source = path if isinstance(path, tuple) else (str(path), path.read_bytes())
        tree = ast.parse(source, filename=name)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                found.update(m for m in map(codec_module, _codec_names(node)) if m)
                continue
            found.update(n for n in names if n.split(".")[0] in sys.stdlib_module_names)
    found.discard("__future__")
    return sorted(found)


# zipfile reads a member name without the UTF-8 flag as cp437: unpacking the rules wheel
# in the worker (pyodide.unpackArchive) imports this codec.
UNPACK_IMPORTS = ("encodings.cp437",)


def snapshot_imports() -> list[str]:
    """The standard-library modules a calculator visit imports: imported once in the
    snapshot (``snapshot.mjs``), so that the visit reads nothing of the archive and the
    worker fetches it only if something outside them is ever imported (worker.js, the
    lazy standard library). Measured in Node: the calculator's evaluate, read, plan and
    warm-up calls then import no module of the archive."""
    sources = calculator_sources()  # their import statements: parsed once per file stamp

    def find() -> list[str]:
        return sorted(set(stdlib_imports(sources)) | set(WORKER_IMPORTS) | set(UNPACK_IMPORTS))

    return list(from_files("snapshot_imports", sources, find))  # no source changed: serve's rebuilds


def imports_to_check() -> list[str]:
    """The modules the archive is computed from: the browser's own modules, every
    standard-library module they or the audit's wheels name, and the worker's."""
    sources = browser_sources()
    own = [_module_name(p) for p in sources]
    wheels = [f for path in vendored_wheels().values() for f in wheel_sources(path)]
    return [*own, *sorted(set(stdlib_imports([*sources, *wheels])) | set(WORKER_IMPORTS)
                          | set(UNPACK_IMPORTS))]


def _key(pyodide_dir: Path) -> str:
    # Everything imports_to_check() is computed from, rather than its result: parsing the
    # browser's modules and the vendored wheels' sources took about 2 s of every build
    # (cProfile, issue 26); their bytes (below), the pinned wheels' digests, the worker's
    # own imports and the standard library's module names decide it as well.
    digest = hashlib.sha256(FORMAT.encode())
    digest.update(SCRIPT.read_bytes())
    digest.update(json.dumps([sorted(WORKER_IMPORTS), sorted(UNPACK_IMPORTS),
                              sorted(sys.stdlib_module_names)]).encode())
    digest.update(json.dumps([p.sha256 for p in PINS]).encode())
    # The wheel's sources are among browser_sources(); its bytes also carry the build
    # date, which must not change the archive (nor, through it, the snapshot).
    for path in (pyodide_dir / "python_stdlib.zip", pyodide_dir / "pyodide.asm.wasm",
                 *browser_sources()):
        if not path.is_file():
            raise RuntimeMissing(missing_message(pyodide_dir))
        digest.update(file_sha256(path))
    return digest.hexdigest()


def members(pyodide_dir: Path, wheel: bytes) -> list[str]:
    """Run ``stdlib.mjs`` in Node: the archive members the imports load."""
    node = shutil.which("node")
    if node is None:
        raise SnapshotError("无法生成精简标准库：找不到 node。请先运行 make setup（安装 Node.js 与 npm 包）")
    with tempfile.TemporaryDirectory(prefix="ceportal-stdlib-") as work:
        sources = Path(work) / "sources"
        (Path(work) / "rules.whl").write_bytes(wheel)
        for path in browser_sources():
            if path.parent.name == "rules":  # the rules come from the wheel, as in the worker
                continue
            target = sources / path.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        env = {
            "PATH": os.environ.get("PATH", ""),
            "CEPORTAL_PYODIDE_URL": pyodide_dir.resolve().as_uri() + "/",
            "CEPORTAL_WHEEL": str(Path(work) / "rules.whl"),
            "CEPORTAL_SOURCES": str(sources),
            "CEPORTAL_IMPORTS": json.dumps(imports_to_check()),
        }
        try:
            proc = subprocess.run(
                [node, "--input-type=module", "-"], input=SCRIPT.read_bytes(), env=env,
                cwd=work, capture_output=True, timeout=TIMEOUT_S, check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SnapshotError(f"无法生成精简标准库：{exc}") from exc
    if proc.returncode != 0:
        lines = [x for x in proc.stderr.decode("utf-8", "replace").splitlines() if x.strip()]
        raise SnapshotError(
            f"无法生成精简标准库（node 退出码 {proc.returncode}）：{lines[-1] if lines else '无输出'}"
        )
    names = json.loads(proc.stdout)
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise SnapshotError("无法生成精简标准库：stdlib.mjs 的输出不是文件名列表")
    return names


def archive_modules(archive: Path) -> list[str]:
    """The top-level modules and packages of a standard-library archive: the worker's
    fallback finder fetches the full archive only for one of them, not for a module
    Pyodide has nowhere (``_winapi``, which ``mimetypes`` tries and does without)."""
    def read() -> list[str]:
        with zipfile.ZipFile(archive) as source:
            tops = {n.split("/")[0] for n in source.namelist()}
        return sorted({t.removesuffix(".pyc").removesuffix(".py") for t in tops})

    return list(from_files("archive_modules", [archive], read))


def pack(full: Path, names: Iterable[str]) -> bytes:
    """The members ``names`` of the archive ``full``, deflated, in name order, dated 1980."""
    out = io.BytesIO()
    with zipfile.ZipFile(full) as source, zipfile.ZipFile(
        out, "w", zipfile.ZIP_DEFLATED, compresslevel=9
    ) as target:
        for name in sorted(set(names)):
            info = zipfile.ZipInfo(name, date_time=_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(name))
    return out.getvalue()


def build_trimmed_stdlib(wheel: bytes, pyodide_dir: Path | None = None) -> Path:
    """The file of the trimmed archive for the runtime in ``pyodide_dir`` (cached in
    :func:`~generator.browser.snapshot.cache_dir`); ``wheel`` is the rules wheel."""
    base = pyodide_dir or default_pyodide_dir()
    key = _key(base)
    stored = cache_dir() / f"stdlib-{key}.zip"
    if not stored.is_file():
        write_atomically(stored, pack(base / "python_stdlib.zip", members(base, wheel)))
    return stored
