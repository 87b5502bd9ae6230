"""policy.yaml through the strict loader: same dict as before, marked structure errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.catalog.policy import PolicyError, load_policy, policy_from_text
from generator.catalog.policy_model import Policy
from generator.catalog.problems import CatalogError

from .conftest import ROOT

POLICY = (ROOT / "catalog" / "policy.yaml").read_text(encoding="utf-8")
SOURCE = "catalog/policy.yaml"


def at(marker: str, text: str, offset: int = 0) -> str:
    """``LINE:COL`` of ``marker`` (unique) in ``text``, plus ``offset`` columns."""
    assert text.count(marker) == 1, marker
    index = text.index(marker) + offset
    line = text.count("\n", 0, index) + 1
    return f"{line}:{index - text.rfind(chr(10), 0, index)}"


def errors(text: str) -> list[str]:
    with pytest.raises(PolicyError) as info:
        policy_from_text(text, SOURCE)
    return [p.format() for p in info.value.problems]


def test_the_bundled_policy_reads_as_plain_data() -> None:
    # Same dict as PyYAML's reading: numbers for figures, booleans, text elsewhere.
    assert load_policy(ROOT / "catalog") == yaml.safe_load(POLICY)


def test_a_figure_in_words() -> None:
    old = "    name: 工程师\n    cycle_years: {value: 5,"
    text = POLICY.replace(old, "    name: 工程师\n    cycle_years: {value: 五,")
    where = at("value: 五", text, len("value: "))
    assert errors(text) == [
        f"{SOURCE}:{where}: error: titles.engineer.cycle_years.value: 必须是数字，收到“五”"
    ]


def test_a_flag_that_is_not_true_or_false() -> None:
    text = POLICY.replace("    counts_toward_public: true", "    counts_toward_public: yes")
    where = at("counts_toward_public: yes", text, len("counts_toward_public: "))
    assert errors(text) == [
        f"{SOURCE}:{where}: error: modules.public.counts_toward_public: 必须是 true 或 false，收到“yes”"
    ]


def test_a_figure_without_its_source() -> None:
    text = POLICY.replace(
        "  value: 2009\n  clause: 通知正文（“决定自2009年开始……全面开展……继续教育”）\n",
        "  value: 2009\n",
    )
    where = at("  value: 2009", text, 2)
    assert errors(text) == [
        f"{SOURCE}:{where}: error: start_year: 每个数字都要写明出处：clause（条款）或 assumption（推定代号）"
    ]


def test_a_target_naming_an_unknown_title() -> None:
    text = POLICY.replace("current_title: technician", "current_title: technicain")
    where = at("technicain", text)
    assert errors(text) == [
        f"{SOURCE}:{where}: error: promotion.targets.assistant_engineer.current_title: "
        "titles 中没有“technicain”，可选：senior_engineer、engineer、assistant_engineer、technician"
    ]


def test_a_missing_section_and_a_duplicate_key() -> None:
    text = POLICY[: POLICY.index("specialties:")] + "forms:\n  workshop: 研修\n"
    first_line = at("forms:\n  training:", text).split(":")[0]
    assert errors(text) == [
        f"{SOURCE}:{at('document:', text)}: error: specialties: 缺少必填项",
        f"{SOURCE}:{at('forms:' + chr(10) + '  workshop', text)}: error: "
        f"forms: 重复的键“forms”（第{first_line}行已有同名键）：请删除或合并其中一个",
    ]


def test_policy_errors_are_catalog_errors_and_value_errors(tmp_path: Path) -> None:
    (tmp_path / "policy.yaml").write_bytes(POLICY.encode("gbk"))
    with pytest.raises(PolicyError) as info:
        load_policy(tmp_path)
    assert isinstance(info.value, CatalogError) and isinstance(info.value, ValueError)
    first = next(i for i, c in enumerate(POLICY) if ord(c) > 127)  # first byte GBK changes
    line = POLICY.count("\n", 0, first) + 1
    column = first - POLICY.rfind("\n", 0, first)
    assert str(info.value) == (
        f"{tmp_path}/policy.yaml:{line}:{column}: error: "
        "不是 UTF-8 编码（看起来是 GBK）：请另存为 UTF-8"
    )


def test_a_missing_policy_file(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as info:
        load_policy(tmp_path)
    assert (
        str(info.value)
        == f"{tmp_path}/policy.yaml:1:1: error: 找不到规则文件 policy.yaml：请检查目录文件夹 {tmp_path}"
    )


def test_the_typed_policy_names_every_id(policy: dict[str, Any]) -> None:
    typed = Policy.from_data(policy)
    assert typed.as_rules_data() is policy  # policy.json stays the loader's dict
    assert typed.start_year == 2009
    assert typed.document == "温经贸培训〔2009〕74号"
    assert dict(typed.modules) == {"public": "公共必修课", "elective": "专业选修课", "other": "其他形式"}
    assert typed.public_modules == {"public"}
    assert dict(typed.forms) == {"training": "培训班", "lecture": "专题讲座", "seminar": "学术研讨"}
    assert list(typed.specialties) == list(policy["specialties"])
    assert list(typed.titles) == list(policy["titles"])
    assert list(typed.targets) == list(policy["promotion"]["targets"])
    assert dict(typed.levels) == {"city": "市本级", "county": "县（市、区）"}
    with pytest.raises(AttributeError):
        typed.start_year = 2010  # type: ignore[misc]
    with pytest.raises(TypeError):
        typed.modules["x"] = "y"  # type: ignore[index]


def test_the_typed_policy_has_what_the_audit_and_the_pages_look_up(
    policy: dict[str, Any],
) -> None:
    typed = Policy.from_data(policy)
    assert dict(typed.document_info) == {
        "number": "温经贸培训〔2009〕74号",
        "title": "关于全面开展工程技术（一）系列专业技术人员继续教育培训的通知",
    }
    assert typed.target_aliases["engineer"] == ("工程师", "晋升工程师", "中级", "中级工程师", "晋升中级")
    assert typed.target_names()["晋升助理工程师"] == "assistant_engineer"
    assert dict(typed.current_titles) == {
        "assistant_engineer": "technician", "engineer": "assistant_engineer",
        "senior_engineer": "engineer",
    }  # fmt: skip
    assert typed.applies_for["junior_first"] == "初级职称（技术员、助理工程师）"
    assert typed.max_cycle_hours == 200
    # 助理工程师 is applied for both first and by promotion, and names no target.
    assert dict(typed.ambiguous_titles) == {"助理工程师": ("junior_first", "assistant_engineer")}


def test_the_audits_own_vocabulary_agrees_with_the_typed_policy(policy: dict[str, Any]) -> None:
    # The audit runs in the browser on the plain dict (it cannot import the catalog): its
    # reading of the targets' names and of the ambiguous titles is the typed policy's.
    from generator.audit.evaluation import _Vocabulary

    typed = Policy.from_data(policy)
    vocab = _Vocabulary.from_policy(policy)
    assert vocab.targets == {**{k.lower(): k for k in typed.targets}, **typed.target_names()}
    # A title's aliases (policy.yaml: 助工, 中级…) are read as the title, and one of a title
    # two targets share is refused as the title is.
    aliases = {a: k for k, v in policy["titles"].items() for a in v.get("aliases", ())}
    assert set(vocab.ambiguous) == set(typed.ambiguous_titles) | {
        a for a, k in aliases.items() if policy["titles"][k]["name"] in typed.ambiguous_titles
    }
    assert vocab.titles == {
        **{k.lower(): k for k in typed.titles}, **{v: k for k, v in typed.titles.items()}, **aliases
    }


def test_the_public_modules_are_the_rules_counts_toward_public(policy: dict[str, Any]) -> None:
    changed = {**policy, "modules": {**policy["modules"], "other": {
        **policy["modules"]["other"], "counts_toward_public": True}}}
    assert Policy.from_data(changed).public_modules == {"public", "other"}
