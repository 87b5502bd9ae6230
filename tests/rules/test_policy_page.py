"""The policy page marks exactly the cells and sentences that rest on an assumption, each
linked to its reason, and nothing else (DESIGN.md, the table of what the notice states)."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from generator.catalog.policy_model import as_policy
from generator.site.rendering.policy_page import policy_page

AFTER = "assistant_engineer_after_transition"


class _Page(HTMLParser):
    """Table cells and paragraphs as (text, [assumption ids linked]), and the notes' ids."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[tuple[str, list[str]]]]] = {}
        self.paragraphs: list[tuple[str, list[str]]] = []
        self.notes: list[str] = []
        self._caption = ""
        self._in: str | None = None
        self._table: list[list[tuple[str, list[str]]]] | None = None
        self._text = ""
        self._links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self._table = []
        elif tag == "caption":
            self._in, self._text = "caption", ""
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th", "p"):
            self._in, self._text, self._links = tag, "", []
        elif tag == "a" and (a.get("href") or "").startswith("#assumption-"):
            self._links.append(str(a["href"]).removeprefix("#assumption-"))
        elif tag == "li" and (a.get("id") or "").startswith("assumption-"):
            self.notes.append(str(a["id"]).removeprefix("assumption-"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self._caption = self._text.split("（")[0]
        elif tag in ("td", "th") and self._table is not None:
            self._table[-1].append((self._text, self._links))
        elif tag == "p" and self._in == "p":
            self.paragraphs.append((self._text, self._links))
        elif tag == "table" and self._table is not None:
            self.tables[self._caption] = self._table
            self._table = None
        if tag in ("td", "th", "p", "caption"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text += data


def page(policy: dict[str, Any]) -> _Page:
    parsed = _Page()
    parsed.feed(policy_page(as_policy(policy)).body)
    return parsed


def marks(rows: list[list[tuple[str, list[str]]]]) -> list[list[list[str]]]:
    return [[links for _text, links in row] for row in rows[1:]]


def test_cycle_table_marks_the_two_public_figures_the_notice_does_not_state(
    policy: dict[str, Any],
) -> None:
    table = page(policy).tables["各级职称继续教育周期"]
    assert marks(table) == [
        [[], [], [], ["senior_engineer_public"]],
        [[], [], [], []],
        [[], [], [], []],
        [[], [], [], ["technician_public"]],
    ]


def test_promotion_table_marks_cell_by_cell(policy: dict[str, Any]) -> None:
    table = page(policy).tables["申报晋升须完成的学时"]
    assert [row[0][0] for row in table[1:]] == [
        "初次申报初级职称（技术员、助理工程师）", "技术员晋升助理工程师",
        "助理工程师晋升工程师", "工程师晋升高级工程师及以上",
    ]
    assert marks(table) == [
        [[], [], *[["junior_first_public"]] * 5],
        # 第（一）项 states 2009 and 2010 word for word; 2011 on is the portal's reading.
        [[], [], [], [], [AFTER], [AFTER], [AFTER]],
        [[]] * 7,
        [[]] * 7,
    ]


def test_modules_table_marks_only_other_forms_counted_hour_for_hour(
    policy: dict[str, Any],
) -> None:
    table = page(policy).tables["继续教育内容的三个模块"]
    assert marks(table) == [[[], [], [], []], [[], [], [], []], [[], ["other_forms"], [], []]]


def test_window_sentences(policy: dict[str, Any]) -> None:
    paragraphs = [p for p in page(policy).paragraphs if "学时" in p[0] and "计入" in p[0]]
    by_start = {text[:8]: links for text, links in paragraphs}
    assert by_start["申报晋升时，自2"] == []  # the transition's cumulative window is stated
    assert by_start["超过一个周期年数"] == ["sliding_window"]
    assert by_start["初次申报初级职称"] == ["junior_first_window"]
    assert by_start["周期验审时，计入"] == []


def test_every_mark_links_to_a_note_and_every_note_is_used(policy: dict[str, Any]) -> None:
    parsed = page(policy)
    linked = {a for t in parsed.tables.values() for row in t for _x, links in row for a in links}
    linked |= {a for _x, links in parsed.paragraphs for a in links}
    assert parsed.notes == list(policy["assumptions"])
    assert linked == set(parsed.notes)


def test_a_stated_figure_carries_no_mark(policy: dict[str, Any]) -> None:
    import copy

    stated = copy.deepcopy(policy)
    stated["titles"]["senior_engineer"]["public_hours"] = {"value": 32, "clause": "第二条"}
    table = page(stated).tables["各级职称继续教育周期"]
    assert marks(table)[0] == [[], [], [], []]
    assert "senior_engineer_public" not in page(stated).notes


def other_readings(policy: dict[str, Any]) -> dict[str, str]:
    """The other-reading line of each assumption's note on the policy page, by id."""
    import re

    body = policy_page(as_policy(policy)).body
    notes = re.findall(r'<li id="assumption-(\w+)">(.*?)</li>', body, re.S)
    return {
        aid: re.sub(r"<[^>]+>", "", line)
        for aid, note in notes
        for line in re.findall(r'<p class="ce-other-reading">(.*?)</p>', note, re.S)
    }


def test_the_other_readings_beside_their_assumptions(policy: dict[str, Any]) -> None:
    # One line beside each assumption that has an other_reading (policy.yaml), what it
    # would change computed by the rules from the data.
    assert other_readings(policy) == {
        "senior_engineer_public": (
            "另一种理解：若高级工程师周期内不单列公共必修课学时，"
            "则高级工程师周期内公共必修课为0学时（本门户按32学时）。"
        ),
        "technician_public": (
            "另一种理解：若技术员周期内不单列公共必修课学时，"
            "则技术员周期内公共必修课为0学时（本门户按16学时）；"
            "技术员晋升助理工程师各年度公共必修课为0学时（本门户按8、16学时）。"
        ),
        "sliding_window": (
            "另一种理解：若按2009年度以来的全部学时计算，则2015年度申报晋升计入2009—2015年度的学时"
            "（本门户：技术员晋升助理工程师计入2014—2015年度，助理工程师晋升工程师计入2012—2015年度，"
            "工程师晋升高级工程师及以上计入2011—2015年度）。"
        ),
        "other_forms": (
            "另一种理解：若其他形式的学时在计算办法另行规定前不予计入，"
            "则其他形式的学时不计入总学时（本门户计入）。"
        ),
    }


def test_an_other_reading_follows_the_data(policy: dict[str, Any]) -> None:
    import copy

    changed = copy.deepcopy(policy)
    changed["assumptions"]["senior_engineer_public"]["other_reading"] = {
        "text": "若高级工程师周期内公共必修课按40学时计算", "value": 40}
    del changed["assumptions"]["other_forms"]["other_reading"]
    lines = other_readings(changed)
    assert lines["senior_engineer_public"] == (
        "另一种理解：若高级工程师周期内公共必修课按40学时计算，"
        "则高级工程师周期内公共必修课为40学时（本门户按32学时）。"
    )
    assert "other_forms" not in lines
    # The note keeps the anchor the calculator's reading line links to.
    assert 'id="assumption-sliding_window"' in policy_page(as_policy(changed)).body
