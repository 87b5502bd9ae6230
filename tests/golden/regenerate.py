"""Regenerate the site's golden files: ``make golden`` (``python -m tests.golden.regenerate``).

The small fixture catalog in ``tests/golden/catalog/`` goes through the generation core;
its pages, as the builder-neutral site model has them (:class:`generator.site.model.Page`:
``PATH`` holds the page's Markdown body, ``PATH.json`` its other fields: kind, title,
navigation, search, layout), and its text exports are written to
``tests/golden/expected/``, which ``tests/portal/test_site_golden.py`` compares byte for
byte. No site builder is involved. Review the diff before committing it: it is the
change the site's visitors will see.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.site.exporting import export_files, registration_form
from generator.site.rendering import notice_text, render_pages
from generator.catalog.validating import load_catalog

HERE = Path(__file__).resolve().parent
CATALOG = HERE / "catalog"
EXPECTED = HERE / "expected"
EPOCH = 1_238_544_000  # 2009-04-01T00:00:00Z, fixed so the calendar's DTSTAMP is stable
TEXT_EXPORTS = (".json", ".csv", ".ics")


def generate() -> dict[str, bytes]:
    """The golden files as ``{path under expected/: bytes}``."""
    catalog, _ = load_catalog(CATALOG)
    pages = render_pages(catalog, notice_text(), registration_form().title)
    files: dict[str, bytes] = {}
    for path, page in pages.items():
        files[path] = page.body.encode("utf-8")
        files[f"{path}.json"] = page.fields_json().encode("utf-8")
    exports = export_files(catalog, notice_text(), EPOCH, pdfs=False)  # text exports only
    files |= {path: data for path, data in exports.items() if path.endswith(TEXT_EXPORTS)}
    return dict(sorted(files.items()))


def main() -> None:
    if EXPECTED.exists():
        shutil.rmtree(EXPECTED)
    for path, data in generate().items():
        target = EXPECTED / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    print(f"golden files written to {EXPECTED.relative_to(Path.cwd())}")


if __name__ == "__main__":
    main()
