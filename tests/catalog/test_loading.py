"""The strict loader: every bad input of issue 3 item 1, each with its exact message."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from generator.catalog.loading import MAX_BYTES, Mapping, Scalar, Sequence, parse_yaml, to_plain
from generator.catalog.model import Mark

from .conftest import BASE, SOURCE, replaced

E = f"{SOURCE}:"

# (id, file content, the exact output lines of a check)
CASES: list[tuple[str, str | bytes, list[str]]] = [
    (
        "gbk-file",
        BASE.encode("gbk"),
        [f"{E}2:8: error: 不是 UTF-8 编码（看起来是 GBK）：请另存为 UTF-8"],
    ),
    (
        "gbk-pasted-line",
        BASE.encode().replace("数控技术".encode(), "数控技术".encode("gbk")),
        [f"{E}9:12: error: 不是 UTF-8 编码（看起来是 GBK）：请另存为 UTF-8"],
    ),
    (
        "neither-utf8-nor-gbk",
        replaced("职业道德", "职业\udcff道德").encode("utf-8", "surrogateescape"),
        [f"{E}5:14: error: 不是 UTF-8 编码：请另存为 UTF-8"],
    ),
    (
        "utf16",
        BASE.encode("utf-16"),
        [f"{E}1:1: error: 不是 UTF-8 编码（看起来是 UTF-16）：请另存为 UTF-8"],
    ),
    (
        "too-large",
        BASE.encode() + b"#" * MAX_BYTES,
        [f"{E}1:1: error: 文件过大（5.0 MB），上限为 5 MB：请按年度拆分或精简内容"],
    ),
    (
        "control-character",
        replaced("数控技术", "数控\x07技术"),
        [
            f"{E}9:14: error: 含有不可见的控制字符 U+0007：请删除该字符（常见于从 Excel 或网页复制的文字）"
        ],
    ),
    (
        "duplicate-key",
        replaced("    hours: 8\n", "    hours: 8\n    hours: 9\n"),
        [
            f"{E}8:5: error: courses[0].hours: 重复的键“hours”（第7行已有同名键）：请删除或合并其中一个"
        ],
    ),
    (
        "duplicate-top-level-key",
        BASE + "title: 另一个标题\n",
        [f"{E}21:1: error: title: 重复的键“title”（第2行已有同名键）：请删除或合并其中一个"],
    ),
    (
        "anchor-and-alias",
        replaced("title: 职业道德", "title: &t 职业道德", replaced("title: 数控技术", "title: *t")),
        [
            f"{E}5:12: error: courses[0].title: 不支持锚点“&t”：请直接写出内容",
            f"{E}9:12: error: courses[1].title: 不支持别名“*t”：请直接写出内容",
        ],
    ),
    (
        "yaml-tag",
        replaced("hours: 16", "hours: !!int 16"),
        [f"{E}11:12: error: courses[1].hours: 不支持 YAML 标签“!!int”：直接写出值即可"],
    ),
    (
        "python-tag",
        replaced("title: 数控技术", "title: !!python/object/apply:os.system [ls]"),
        [
            f"{E}9:12: error: courses[1].title: 不支持 YAML 标签“!!python/object/apply:os.system”：直接写出值即可",
            f"{E}9:12: error: courses[1].title: 应为文本，收到列表",
        ],
    ),
    (
        "deep-nesting",
        replaced("hours: 16", "hours: " + "[" * 40 + "]" * 40),
        [f"{E}11:41: error: 嵌套超过 32 层：请检查缩进或括号"],
    ),
    (
        "tab-indentation",
        replaced("    hours: 16", "\thours: 16"),
        [f"{E}11:1: error: 不能用制表符（Tab）缩进：请改用空格"],
    ),
    (
        "broken-flow-sequence",
        replaced("[mechanical]", "[mechanical, electrical"),
        [
            f"{E}12:18: error: 流式列表“[ … ]”没有正确结束：缺少“]”，或项之间缺少“,”；"
            "值中含有“,”“:”“[”等符号时请给整个值加引号"
        ],
    ),
    (
        "unclosed-quote",
        replaced("title: 数控技术", "title: '数控技术"),
        [f"{E}9:12: error: 引号没有闭合：请在值的末尾补上同样的引号"],
    ),
    (
        "text-after-quote",
        replaced("title: 数控技术", 'title: "数控"技术'),
        [f"{E}9:16: error: 引号后面不能再有文字：请把整个值都放在引号内"],
    ),
    (
        "colon-in-value",
        replaced("title: 数控技术", "title: 数控: 技术"),
        [f"{E}9:14: error: 这里不能出现“: ”：值中含有冒号时请给整个值加引号，或检查缩进"],
    ),
    (
        "misaligned-key",
        replaced("    module: elective", "   module: elective"),
        [f"{E}10:4: error: 缩进不一致：同一层的键或列表项（“- ”）必须与第4行左对齐"],
    ),
    (
        "reserved-character",
        replaced("title: 数控技术", "title: @数控"),
        [f"{E}9:12: error: “@”不能作为值的开头：请给整个值加引号"],
    ),
    (
        "two-documents",
        BASE + "---\nyear: 2010\n",
        [
            f"{E}21:1: error: 一个文件只能有一个 YAML 文档：请删除第二个“---”及其后的内容，或拆成两个文件"
        ],
    ),
    (
        "complex-key",
        replaced("    form: training", "    ? [form]\n    : training"),
        [f"{E}13:7: error: courses[1]: 键必须是简单文本，收到列表"],
    ),
]


@pytest.mark.parametrize(("data", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input(check: Callable[..., list[str]], data: str | bytes, expected: list[str]) -> None:
    assert check(data) == expected


@pytest.mark.parametrize("data", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_pure_parser_reports_the_same(data: str | bytes) -> None:
    # The fallback parser (no libyaml) must give editors the same messages and places.
    assert parse_yaml(data, SOURCE, pure=True)[1] == parse_yaml(data, SOURCE)[1]


def test_the_base_file_is_clean(check: Callable[..., list[str]]) -> None:
    assert check(BASE) == []


def test_utf8_bom_is_accepted(check: Callable[..., list[str]]) -> None:
    assert check(b"\xef\xbb\xbf" + BASE.encode()) == []
    assert check("\ufeff" + BASE) == []


def test_a_duplicate_key_keeps_the_first_value() -> None:
    root, _ = parse_yaml("a: 1\nb: 2\na: 3\n")
    assert to_plain(root) == {"a": "1", "b": "2"}


def test_alias_bomb_is_refused_without_expanding() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    root, problems = parse_yaml("\n".join(lines) + "\n", "bomb.yaml")
    # Not expanded: 90 items in all (each alias an empty value), not 9 ** 10.
    assert to_plain(root) == {"a0": ["x"] * 9, **{f"a{i}": [""] * 9 for i in range(1, 10)}}
    assert len([p for p in problems if "不支持别名" in p.message]) == 81
    assert problems[0].format() == "bomb.yaml:1:5: error: a0: 不支持锚点“&a0”：请直接写出内容"


def test_marks_are_one_based_and_count_characters_not_bytes() -> None:
    root, problems = parse_yaml("标题: 中文\nlist:\n  - 值\n", "m.yaml")
    assert problems == []
    assert isinstance(root, Mapping)
    assert root.mark == Mark("m.yaml", 1, 1)
    title = root.items["标题"]
    assert isinstance(title, Scalar)
    assert (title.value, title.mark, root.keys["标题"].mark) == (
        "中文",
        Mark("m.yaml", 1, 5),
        Mark("m.yaml", 1, 1),
    )
    items = root.items["list"]
    assert isinstance(items, Sequence)
    assert items.mark == Mark("m.yaml", 3, 3)
    item = items.items[0]
    assert isinstance(item, Scalar) and (item.value, item.mark) == ("值", Mark("m.yaml", 3, 5))


def test_quoted_and_block_scalars_are_not_plain() -> None:
    root, _ = parse_yaml("a: '1'\nb: |\n  x\nc: 1\n")
    assert isinstance(root, Mapping)
    assert [(n.value, n.plain) for n in root.items.values() if isinstance(n, Scalar)] == [
        ("1", False),
        ("x\n", False),
        ("1", True),
    ]


def test_empty_and_comment_only_documents_give_no_tree() -> None:
    assert parse_yaml("") == (None, [])
    assert parse_yaml("# 只有注释\n") == (None, [])
