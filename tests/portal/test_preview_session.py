"""The preview's state between rebuilds, without MkDocs: which generated files to write
again, which outputs to remove, and a fresh start after a failed rebuild."""

from __future__ import annotations

from pathlib import Path

from generator.site.incremental import PreviewSession, global_key, remove_output


def test_a_rebuild_writes_only_what_changed_and_everything_under_a_new_key() -> None:
    session = PreviewSession()
    assert session.begin({"a.md": "1", "b.md": "2"}, "k") == {"a.md", "b.md"}
    session.finish(set(), Path("/nonexistent"))
    assert session.begin({"a.md": "1", "b.md": "3", "c.md": "4"}, "k") == {"b.md", "c.md"}
    session.finish(set(), Path("/nonexistent"))
    assert session.begin({"a.md": "1", "b.md": "3", "c.md": "4"}, "other") == {"a.md", "b.md", "c.md"}


def test_a_failed_rebuild_that_had_begun_makes_the_next_one_write_everything() -> None:
    session = PreviewSession()
    session.begin({"a.md": "1"}, "k")
    session.finish(set(), Path("/nonexistent"))
    session.failed()  # failed before writing (on_config): nothing lost
    assert session.begin({"a.md": "1"}, "k") == set()
    session.failed()
    assert session.begin({"a.md": "1"}, "k") == {"a.md"}


def test_outputs_of_files_that_are_gone_are_removed_with_their_empty_folders(tmp_path: Path) -> None:
    site = tmp_path / "site"
    kept, gone = site / "catalog" / "2010" / "index.html", site / "catalog" / "2010" / "X" / "index.html"
    for path in (kept, gone):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    session = PreviewSession()
    session.begin({}, "k")
    session.finish({str(kept), str(gone)}, site)
    session.begin({}, "k")
    session.finish({str(kept)}, site)
    assert kept.is_file() and not gone.parent.exists()
    remove_output(kept, site)
    assert not (site / "catalog").exists() and site.is_dir()


def test_the_compiled_templates_start_afresh_when_the_key_changes() -> None:
    session = PreviewSession()
    session.begin({}, "k")
    first = session.bytecode_cache()
    assert session.bytecode_cache() is first
    session.begin({}, "other")
    assert session.bytecode_cache() is not first


def test_global_key_follows_the_configuration_the_theme_and_the_navigation(tmp_path: Path) -> None:
    config, theme = tmp_path / "mkdocs.yml", tmp_path / "theme"
    config.write_text("site_name: a\n", encoding="utf-8")
    theme.mkdir()
    (theme / "main.html").write_text("x", encoding="utf-8")
    key = global_key(config, (None, theme), ["index.md"])
    assert global_key(config, (None, theme), ["index.md"]) == key
    assert global_key(config, (None, theme), ["index.md", "notice/index.md"]) != key
    (theme / "main.html").write_text("xy", encoding="utf-8")
    changed = global_key(config, (None, theme), ["index.md"])
    assert changed != key
    config.write_text("site_name: b\n", encoding="utf-8")
    assert global_key(config, (None, theme), ["index.md"]) != changed
