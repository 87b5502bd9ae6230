"""The preview's state between rebuilds, without MkDocs: which generated files to write
again, which outputs to remove, and a fresh start after a failed rebuild."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from material.plugins.search.plugin import SearchIndex

from generator.site.adapters.material_compat import remember_segmentation
from generator.site.incremental import PreviewSession, TextMemo, global_key, remove_output


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


def test_a_text_is_made_once_and_forgotten_after_a_rebuild_that_did_not_ask_for_it() -> None:
    memo = TextMemo()
    made: list[str] = []

    def upper(text: str) -> str:
        made.append(text)
        return text.upper()

    assert memo.get("a", upper) == "A"
    assert memo.get("a", upper) == "A"
    memo.next_generation()
    assert (memo.get("a", upper), memo.get("b", upper)) == ("A", "B")  # "a" kept
    memo.next_generation()
    memo.get("b", upper)
    memo.next_generation()  # "a" was not asked for in the rebuild before
    assert memo.get("a", upper) == "A"
    assert made == ["a", "b", "a"]


def test_the_search_index_segments_each_chinese_run_once_per_session() -> None:
    memo = TextMemo()
    text = "温州市 2009 年度\n继续教育 E-00002：改名测试（公需课）"
    other = "继续教育 另一段文字"
    original = SearchIndex._segment_chinese
    expected = {t: original(SearchIndex(lang=["zh"]), t) for t in (text, other)}
    assert "\u200b" in expected[text]  # segmented: zero-width spaces between the words
    calls: list[str] = []

    def counted(self: SearchIndex, data: str) -> str:
        calls.append(data)
        return original(self, data)

    SearchIndex._segment_chinese = counted  # type: ignore[method-assign]
    try:
        search = SimpleNamespace(search_index=SearchIndex(lang=["zh"]))
        remember_segmentation(search, memo)
        remember_segmentation(search, memo)  # wrapped once, however often a build asks
        assert search.search_index._segment_chinese(text) == expected[text]
        memo.next_generation()
        # The next rebuild's index (Material makes one per build) takes the runs it
        # has seen from the memo: only 另一段文字 is new.
        search.search_index = SearchIndex(lang=["zh"])
        remember_segmentation(search, memo)
        assert search.search_index._segment_chinese(text) == expected[text]
        assert search.search_index._segment_chinese(other) == expected[other]
    finally:
        SearchIndex._segment_chinese = original  # type: ignore[method-assign]
    assert calls == ["温州市", "年度", "继续教育", "改名测试", "公需课", "另一段文字"]


def test_without_a_segmenting_index_nothing_is_changed() -> None:
    memo = TextMemo()
    remember_segmentation(None, memo)
    plain = SimpleNamespace(search_index=SimpleNamespace(entries=[]))
    remember_segmentation(plain, memo)
    assert vars(plain.search_index) == {"entries": []}
