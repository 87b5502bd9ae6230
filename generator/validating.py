"""Validating catalog files into the model (:mod:`generator.model`).

The loader (:mod:`generator.loading`) gives a tree of marked text; this module checks it
against the catalog format of DESIGN.md ("Catalog files") and converts it into frozen
dataclasses. Every problem of every file is collected first, then
:func:`load_catalog` raises one :class:`CatalogError` carrying them all.

The model is plain dataclasses, not pydantic: each message must point at the YAML line
and column of the offending key or value and every problem must be collected, which we
do directly from the marked tree; pydantic would add a dependency and lose the marks.

The format is declared once, in :mod:`generator.catalog_format` (its field tables
``YEAR_FIELDS``…, patterns and limits): the checker walks those tables, dispatching on
each field's kind; :mod:`generator.schema` turns the same tables into the JSON Schema.
"""

from __future__ import annotations

import datetime as dt
import difflib
import logging
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from .catalog_format import (
    CLASS_FIELDS,
    COURSE_FIELDS,
    ENUM_TITLES,
    LEVELS,  # noqa: F401 - re-exported: the pages and exports import it from here
    REGISTRATION_FIELDS,
    YEAR_FIELDS,
    Field,
)
from .catalog_format.fields import NUMBER_KINDS
from .catalog_format.scalars import (
    ANY_DIGITS_FILE,
    CODE,
    CONTROL,
    DATE,
    FIRST_YEAR,
    MAX_CODE,
    MAX_YEAR,
    MIN_YEAR,
    NULL_WORDS,
    YEAR_FILE,
    ascii_hint,
    model_number,
    yaml_number,
)
from .loading import Mapping, Node, Scalar, Sequence, kind_name, parse_yaml, read_bytes
from .model import Catalog, ClassSession, Course, Hours, Mark, Registration, YearCatalog
from .policy import POLICY_FILE, read_policy
from .policy_model import Policy, enum_names
from .problems import CatalogError, Problem, sort_problems

log = logging.getLogger(__name__)


def last_year() -> int:
    """The last year a catalog may be for: next year (catalogs are published ahead)."""
    return dt.date.today().year + 1


_MISSING = object()  # a field left out (or left empty): distinct from a refused value


def enums(policy: Policy | dict[str, Any] | None) -> dict[str, dict[str, str]]:
    """The ids (and Chinese names) allowed for each enum, from the policy."""
    return enum_names(policy)


class _Checker:
    """Checks one year file's tree, collecting problems; builds the model when it can."""

    def __init__(
        self, source: str, policy: Policy | dict[str, Any] | None, year: int | None
    ) -> None:
        self.source = source
        self.year = year
        self.enums = enums(policy)
        self.problems: list[Problem] = []
        # One converter per kind of the format (catalog_format.fields.Kind).
        self.scalars: dict[str, Callable[[str, Scalar, str, Field], Any]] = {
            "text": self._text,
            "code": self._code,
            "year": self._year,
            "date": self._date,
            "hours": self._hours,
            "count": self._count,
            "choice": self._choice,
        }
        self.nested: dict[str, Callable[[Node, str, Field], Any]] = {
            "courses": lambda node, path, f: self.items(node, path, self.course),
            "classes": lambda node, path, f: self.items(node, path, self.klass),
            "registration": lambda node, path, f: self.registration(node, path),
            "choices": self.scalar_list,
            "codes": self.scalar_list,
        }

    # -- reporting ----------------------------------------------------------------------

    def error(self, mark: Mark, path: str, message: str) -> None:
        self.problems.append(Problem(mark, message, path=path))

    def warning(self, mark: Mark, path: str, message: str) -> None:
        self.problems.append(Problem(mark, message, "warning", path))

    # -- fields -------------------------------------------------------------------------

    def fields(self, node: Node, path: str, spec: dict[str, Field]) -> dict[str, Any] | None:
        """Convert a mapping's fields by ``spec``; missing/empty fields map to _MISSING."""
        if not isinstance(node, Mapping):
            if not (isinstance(node, Scalar) and node.broken):
                self.error(node.mark, path, f"应为映射（“键: 值”的形式），收到{self._got(node)}")
            return None
        for key, key_node in node.keys.items():
            if key not in spec:
                close = difflib.get_close_matches(key, spec, n=1, cutoff=0.6)
                hint = (
                    f"（是否应为“{close[0]}”？）" if close else f"，可用的字段：{'、'.join(spec)}"
                )
                self.error(key_node.mark, _join(path, key), f"未知字段{hint}")
        values: dict[str, Any] = {}
        for name, f in spec.items():
            child = node.items.get(name)
            field_path = _join(path, name)
            if child is None or _empty(child, f):
                if f.required:
                    self.error(
                        child.mark if child is not None else node.mark,
                        field_path,
                        f"缺少必填字段（{f.title}）" if child is None else f"{f.title}不能为空",
                    )
                values[name] = _MISSING
                continue
            values[name] = self.value(child, field_path, f)
        return values

    def value(self, node: Node, path: str, f: Field) -> Any:
        """The converted value, or None when refused (after reporting why)."""
        if isinstance(node, Scalar) and node.broken:
            return None
        if f.kind in self.nested:
            return self.nested[f.kind](node, path, f)
        if not isinstance(node, Scalar):
            self.error(node.mark, path, f"应为{f.expects}，收到{kind_name(node)}")
            return None
        text = node.value.strip()
        if f.kind in NUMBER_KINDS and not node.plain and yaml_number(text) is not None:
            # A quoted number is text (as in editors and the JSON Schema): README,
            # "Catalog files".
            self.error(
                node.mark, path, f"{f.title}要写成数字，不能加引号：请去掉“{text}”两边的引号"
            )
            return None
        return self.scalars[f.kind](text, node, path, f)

    def _text(self, text: str, node: Scalar, path: str, f: Field) -> str | None:
        bad = CONTROL.search(text)
        if bad:
            code = ord(bad[0])
            self.error(
                node.mark, path,
                f"{f.title}中有控制字符 U+{code:04X}（直接写入或写成 \\x{code:02x} 之类的转义"
                "都不行）：请删除它" if code <= 0xFF else
                f"{f.title}中有无效字符 U+{code:04X}：请删除它",
            )
            return None
        limit = f.limits["max_length"]
        if len(text) > limit:
            self.error(
                node.mark, path, f"{f.title}太长（{len(text)} 个字符）：不超过 {limit} 个字符"
            )
            return None
        return text

    def _code(self, text: str, node: Scalar, path: str, f: Field) -> str | None:
        if not CODE.match(text):
            shown = text if len(text) <= 40 else text[:40] + "…"
            self.error(
                node.mark, path, f"代码只能包含字母、数字和“-”，收到“{shown}”{ascii_hint(text)}"
            )
            return None
        if len(text) > MAX_CODE:  # a code field's limit, also for the codes in a list
            self.error(
                node.mark, path, f"代码太长（{len(text)} 个字符）：不超过 {MAX_CODE} 个字符"
            )
            return None
        return text

    def _year(self, text: str, node: Scalar, path: str, f: Field) -> int | None:
        number = _finite(text)
        if (
            number is None
            or number != number.to_integral_value()
            or not MIN_YEAR <= number <= MAX_YEAR
        ):
            self.error(
                node.mark, path, f"年度必须是四位数字，如 2009，收到“{text}”{ascii_hint(text)}"
            )
            return None
        if self.year is not None and int(number) != self.year:
            name = Path(self.source).name
            self.error(node.mark, path, f"年度 {text} 与文件名 {name} 不一致：请改正其中之一")
            return None
        return int(number)

    def _date(self, text: str, node: Scalar, path: str, f: Field) -> dt.date | None:
        m = DATE.match(text)
        if not m:
            self.error(
                node.mark, path, f"日期应写成 2009-05-11 的形式，收到“{text}”{ascii_hint(text)}"
            )
            return None
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            self.error(node.mark, path, f"日期不存在：{text}")
            return None

    def _hours(self, text: str, node: Scalar, path: str, f: Field) -> Hours | None:
        number = _finite(text)
        if number is None or number <= f.limits["exclusive_minimum"]:
            self.error(node.mark, path, f"学时必须是大于0的数字，收到“{text}”{ascii_hint(text)}")
            return None
        limit = f.limits["maximum"]
        if number > limit:
            self.error(
                node.mark, path, f"学时 {text} 过大：一门课程不超过 {limit} 学时，请检查"
            )
            return None
        return model_number(number)

    def _count(self, text: str, node: Scalar, path: str, f: Field) -> int | None:
        number = _finite(text)
        if (
            number is None
            or number != number.to_integral_value()
            or number <= f.limits["exclusive_minimum"]
        ):
            self.error(
                node.mark, path, f"{f.title}必须是大于0的整数，收到“{text}”{ascii_hint(text)}"
            )
            return None
        limit = f.limits["maximum"]
        if number > limit:
            self.error(node.mark, path, f"{f.title} {text} 过大：不超过 {limit}，请检查")
            return None
        return int(number)

    def _choice(self, text: str, node: Scalar, path: str, f: Field) -> str | None:
        assert f.enum is not None
        allowed = self.enums.get(f.enum)
        if allowed is None:  # policy.yaml unreadable: its problems are reported already
            return text
        if text not in allowed:
            options = "、".join(f"{k}（{v}）" for k, v in allowed.items())
            self.error(node.mark, path, f"未知的{ENUM_TITLES[f.enum]}“{text}”，可选：{options}")
            return None
        return text

    def scalar_list(self, node: Node, path: str, f: Field) -> tuple[str, ...] | None:
        if not isinstance(node, Sequence):
            self.error(node.mark, path, f"应为列表，如 [{f.example}]，收到{self._got(node)}")
            return None
        result: list[str] = []
        seen: dict[str, int] = {}
        ok = True
        for i, item in enumerate(node.items):
            item_path = f"{path}[{i}]"
            if isinstance(item, Scalar) and item.broken:
                ok = False
                continue
            if not isinstance(item, Scalar) or not item.value.strip():
                self.error(item.mark, item_path, f"应为{f.expects}，收到{self._got(item)}")
                ok = False
                continue
            text = item.value.strip()
            if text in seen:
                self.error(item.mark, item_path, f"“{text}”重复列出（第{seen[text]}行已有）")
                continue
            seen[text] = item.mark.line
            if f.kind == "choices":
                if self._choice(text, item, item_path, f) is None:
                    ok = False
                    continue
            elif self._code(text, item, item_path, f) is None:
                ok = False
                continue
            result.append(text)
        if f.kind == "codes" and not node.items:
            self.error(node.mark, path, "至少要列出一门课程")
        return tuple(result) if ok else None

    @staticmethod
    def _got(node: Node) -> str:
        if isinstance(node, Scalar):
            return f"文本“{node.value}”" if node.value else "空值"
        return kind_name(node)

    # -- records ------------------------------------------------------------------------

    def items(self, node: Node, path: str, build: Callable[[Node, str], Any]) -> list[Any] | None:
        if not isinstance(node, Sequence):
            self.error(node.mark, path, f"应为列表（每项以“- ”开头），收到{self._got(node)}")
            return None
        return [build(item, f"{path}[{i}]") for i, item in enumerate(node.items)]

    def course(self, node: Node, path: str) -> Course | None:
        v = self.fields(node, path, COURSE_FIELDS)
        if _incomplete(v, COURSE_FIELDS):
            return None
        assert v is not None
        return Course(
            code=v["code"],
            title=v["title"],
            module=v["module"],
            hours=v["hours"],
            specialties=_opt(v["specialties"]) or (),
            form=_opt(v["form"]),
            description=_opt(v["description"]),
            teacher=_opt(v["teacher"]),
            mark=node.mark,
        )

    def klass(self, node: Node, path: str) -> ClassSession | None:
        v = self.fields(node, path, CLASS_FIELDS)
        if v is None:
            return None
        assert isinstance(node, Mapping)
        start, end, closes = v["start"], v["end"], v["registration_closes"]
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            self.error(
                node.items["end"].mark, f"{path}.end", f"结束日期 {end} 早于开班日期 {start}"
            )
            v["end"] = None
        if isinstance(start, dt.date) and isinstance(closes, dt.date) and closes > start:
            self.error(
                node.items["registration_closes"].mark,
                f"{path}.registration_closes",
                f"报名截止日期 {closes} 晚于开班日期 {start}",
            )
            v["registration_closes"] = None
        if v["location"] is _MISSING:
            self.warning(node.mark, path, "没有填写上课地点（location）")
        if v["level"] == "county" and v["county"] is _MISSING:
            self.warning(
                node.mark, path, "县级办班（level: county）没有填写县（市、区）名称（county）"
            )
        if _incomplete(v, CLASS_FIELDS):
            return None
        return ClassSession(
            code=v["code"],
            name=v["name"],
            start=v["start"],
            end=v["end"],
            courses=v["courses"],
            location=_opt(v["location"]),
            organizer=_opt(v["organizer"]),
            level=_opt(v["level"]),
            county=_opt(v["county"]),
            capacity=_opt(v["capacity"]),
            fee=_opt(v["fee"]),
            registration_closes=_opt(v["registration_closes"]),
            contact=_opt(v["contact"]),
            mark=node.mark,
        )

    def registration(self, node: Node, path: str) -> Registration | None:
        v = self.fields(node, path, REGISTRATION_FIELDS)
        if v is None:
            return None
        assert isinstance(node, Mapping)
        opens, closes = v["opens"], v["closes"]
        if isinstance(opens, dt.date) and isinstance(closes, dt.date) and closes < opens:
            self.error(
                node.items["closes"].mark,
                f"{path}.closes",
                f"报名截止日期 {closes} 早于报名开始日期 {opens}",
            )
            return None
        if any(v[k] is None for k in v):
            return None
        return Registration(opens=_opt(opens), closes=_opt(closes), contact=_opt(v["contact"]))

    def year_file(self, root: Node | None) -> YearCatalog | None:
        if root is None:
            self.error(
                Mark(self.source, 1, 1),
                "",
                "文件是空的：年度目录至少要有 year、title、courses 和 classes",
            )
            return None
        v = self.fields(root, "", YEAR_FIELDS)
        if v is None:
            return None
        assert isinstance(root, Mapping)
        self.cross_check(root, v)
        if any(p.severity == "error" for p in self.problems):
            return None
        return YearCatalog(
            year=v["year"],
            title=v["title"],
            courses=tuple(v["courses"]),
            classes=tuple(v["classes"]),
            publisher=_opt(v["publisher"]),
            published=_opt(v["published"]),
            registration=_opt(v["registration"]),
            notes=_opt(v["notes"]),
            source=self.source,
        )

    def cross_check(self, root: Mapping, v: dict[str, Any]) -> None:
        """Checks across records: unique codes, class courses exist, electives offered."""
        courses_node = root.items.get("courses")
        classes_node = root.items.get("classes")
        course_codes = self.unique_codes(courses_node, "courses", "课程代码")
        self.unique_codes(classes_node, "classes", "办班编号")
        if course_codes is None or not isinstance(classes_node, Sequence):
            return
        offered: set[str] = set()
        for i, klass in enumerate(classes_node.items):
            if not isinstance(klass, Mapping):
                continue
            codes = klass.items.get("courses")
            if not isinstance(codes, Sequence):
                continue
            for j, item in enumerate(codes.items):
                if not isinstance(item, Scalar) or item.broken:
                    continue
                code = item.value.strip()
                offered.add(code)
                if code and CODE.match(code) and len(code) <= MAX_CODE and code not in course_codes:
                    self.error(
                        item.mark, f"classes[{i}].courses[{j}]", f"本年度目录中没有课程“{code}”"
                    )
        if not isinstance(v["classes"], list):
            return  # classes is not a list: warnings about it would only add noise
        for code, (i, course) in course_codes.items():
            module = course.items.get("module")
            if (
                isinstance(module, Scalar)
                and module.value.strip() == "elective"
                and code not in offered
            ):
                self.warning(
                    course.mark, f"courses[{i}]", f"专业选修课“{code}”没有安排在任何办班中"
                )

    def unique_codes(
        self, node: Node | None, path: str, what: str
    ) -> dict[str, tuple[int, Mapping]] | None:
        """``code -> (index, record)`` of a list of records, reporting duplicate codes."""
        if not isinstance(node, Sequence):
            return None
        from .rendering.urls import RESERVED_CODES  # here: rendering imports this module

        seen: dict[str, tuple[int, Mapping]] = {}
        folded: dict[str, str] = {}  # casefolded code -> the code as first written
        for i, record in enumerate(node.items):
            if not isinstance(record, Mapping):
                continue
            code_node = record.items.get("code")
            if not isinstance(code_node, Scalar) or code_node.broken:
                continue
            code = code_node.value.strip()
            if not CODE.match(code) or len(code) > MAX_CODE:
                continue  # reported as an invalid code already
            where = f"{path}[{i}].code"
            if code.lower() in RESERVED_CODES:
                self.error(
                    code_node.mark, where,
                    f"{what}“{code}”是网站保留的网址名称（{'、'.join(RESERVED_CODES)}，"
                    "不区分大小写），请改用其他代码",
                )
            other = folded.get(code.lower())
            if other is not None:
                first = seen[other][1].items["code"]
                if other == code:
                    message = f"{what}“{code}”重复（第{first.mark.line}行已使用）"
                else:
                    message = (
                        f"{what}“{code}”与第{first.mark.line}行的“{other}”只有大小写不同："
                        "在不区分大小写的文件系统（Windows、macOS）上网页会互相覆盖，请改用不同的代码"
                    )
                self.error(code_node.mark, where, message)
                continue
            folded[code.lower()] = code
            seen[code] = (i, record)
        return seen


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _incomplete(values: dict[str, Any] | None, spec: dict[str, Field]) -> bool:
    """True when a value was refused or a required one is missing (already reported)."""
    if values is None:
        return True
    return any(v is None or (v is _MISSING and spec[k].required) for k, v in values.items())


def _opt(value: Any) -> Any:
    return None if value is _MISSING else value


def _empty(node: Node, f: Field) -> bool:
    """Whether a value was left empty: blank, or (where the field is not text) a YAML null
    word such as ``~``, which editors and the JSON Schema read as null. Text stays text."""
    if not isinstance(node, Scalar) or node.broken:
        return False
    text = node.value.strip()
    return text == "" or (node.plain and f.kind != "text" and text in NULL_WORDS)


def _finite(text: str) -> Decimal | None:
    """The finite number a plain scalar is (YAML 1.2's core schema), else None."""
    number = yaml_number(text)
    return number if number is not None and number.is_finite() else None


def expected_year(source: str) -> int | None:
    """The year a file's name says (``2009.yaml`` -> 2009), else None."""
    m = YEAR_FILE.match(Path(source).name)
    return int(m[1]) if m else None


def check_year_text(
    data: bytes | str,
    policy: Policy | dict[str, Any] | None,
    *,
    source: str = "<text>",
    year: int | None = None,
) -> tuple[YearCatalog | None, list[Problem]]:
    """Check one year file's text (or bytes) without raising.

    Returns the model (None when any error was found) and every problem, errors and
    warnings, sorted. ``year`` is the year the file must state; by default the one in
    ``source``'s name (``2009.yaml``), else not checked. With ``policy`` None (the
    policy itself is broken), module/specialty/form ids are not checked.
    """
    root, problems = parse_yaml(data, source)
    return _check_tree(root, problems, policy, source, year)


def _check_tree(
    root: Node | None,
    problems: list[Problem],
    policy: Policy | dict[str, Any] | None,
    source: str,
    year: int | None,
) -> tuple[YearCatalog | None, list[Problem]]:
    if root is None and problems:  # unreadable: the loader said why
        return None, sort_problems(problems)
    checker = _Checker(source, policy, year if year is not None else expected_year(source))
    model = checker.year_file(root)
    found = sort_problems([*problems, *checker.problems])
    if any(p.severity == "error" for p in found):
        model = None
    return model, found


def load_year_text(
    data: bytes | str,
    policy: dict[str, Any],
    *,
    source: str = "<text>",
    year: int | None = None,
    strict: bool = False,
) -> tuple[YearCatalog, list[Problem]]:
    """One year file's text into the model: ``(year catalog, warnings)``.

    Raises :class:`CatalogError` with every problem when there is any error (with
    ``strict``, when there is any problem at all). For import tools and tests.
    """
    model, problems = check_year_text(data, policy, source=source, year=year)
    return _finish(model, problems, strict)


def _finish(model: Any, problems: list[Problem], strict: bool) -> Any:
    if strict:
        problems = [p.as_error() for p in problems]
    if model is None or any(p.severity == "error" for p in problems):
        raise CatalogError(problems)
    return model, problems


@dataclass(frozen=True)
class _Checked:
    data: bytes  # the file's bytes, compared in full: a cache must never hide a change
    policy: str  # repr of the policy the file was checked against
    model: YearCatalog
    warnings: tuple[Problem, ...]


class YearCache:
    """Valid year files remembered by path, for a process that reads the catalog again
    after every change (``ceportal serve``): an unchanged file checked against the same
    policy gives the same model and warnings, so it is neither parsed nor checked again.

    A file is looked up by its full bytes and the policy's content; only valid results
    are kept, so a file with errors is checked (and every problem reported) every time.
    """

    def __init__(self) -> None:
        self._checked: dict[str, _Checked] = {}

    def get(self, source: str, data: bytes, policy: str) -> tuple[YearCatalog, list[Problem]] | None:
        entry = self._checked.get(source)
        if entry is None or entry.data != data or entry.policy != policy:
            return None
        return entry.model, list(entry.warnings)

    def put(self, source: str, data: bytes, policy: str, model: YearCatalog,
            warnings: list[Problem]) -> None:
        self._checked[source] = _Checked(data, policy, model, tuple(warnings))

    def keep_only(self, sources: set[str]) -> None:
        """Forget the files that are gone."""
        self._checked = {s: e for s, e in self._checked.items() if s in sources}


def _check_year_file(
    path: Path, policy: Policy | None, cache: YearCache | None
) -> tuple[YearCatalog | None, list[Problem]]:
    source = str(path)
    data, found = read_bytes(path)
    if data is None:
        return _check_tree(None, found, policy, source, None)
    # repr, not ==: 1, 1.0 and True are equal but not the same policy.
    policy_key = repr(policy and policy.as_rules_data()) if cache is not None else ""
    if cache is not None and (hit := cache.get(source, data, policy_key)) is not None:
        return hit
    root, found = parse_yaml(data, source)
    model, found = _check_tree(root, found, policy, source, None)
    if cache is not None and model is not None:
        cache.put(source, data, policy_key, model, found)
    return model, found


def load_catalog(
    catalog_dir: str | Path = "catalog", *, strict: bool = False, cache: YearCache | None = None
) -> tuple[Catalog, list[Problem]]:
    """Read ``policy.yaml`` and every ``<year>.yaml`` of ``catalog_dir``.

    Returns ``(catalog, warnings)``; raises :class:`CatalogError` carrying every problem
    of every file when any is an error (with ``strict``, warnings count as errors).
    Other ``*.yaml``/``*.yml`` files get a warning and are ignored. With ``cache``, year
    files unchanged since an earlier call with the same cache are not checked again
    (the policy always is).
    """
    directory = Path(catalog_dir)
    problems: list[Problem] = []
    policy, policy_problems = read_policy(directory)
    problems += policy_problems
    typed = Policy.from_data(policy) if policy is not None else None  # once, for every year
    first = typed.start_year if typed is not None else FIRST_YEAR
    years: list[YearCatalog] = []
    seen: set[str] = set()
    if directory.is_dir():
        for path in sorted(directory.iterdir()):
            name = path.name
            if name == POLICY_FILE or not path.is_file():
                continue
            if not YEAR_FILE.match(name) and (m := ANY_DIGITS_FILE.match(name)):
                ascii_name = unicodedata.normalize("NFKC", name)
                if not name.isascii():
                    problems.append(Problem(
                        Mark(str(path), 1, 1),
                        f"{name}: 文件名中的年份不是半角数字：请改名为 {ascii_name}",
                    ))
                    continue
            if m := YEAR_FILE.match(name):
                if not first <= int(m[1]) <= last_year():
                    problems.append(Problem(
                        Mark(str(path), 1, 1),
                        f"{name}: 年度 {m[1]} 超出范围：年度目录应在 {first} 到 {last_year()} 年之间",
                    ))
                    continue
                seen.add(str(path))
                model, found = _check_year_file(path, typed, cache)
                problems += found
                if model is not None:
                    years.append(model)
            elif name.endswith((".yaml", ".yml")):
                problems.append(
                    Problem(
                        Mark(str(path), 1, 1),
                        f"{name}: 不是年度目录文件，已忽略（年度目录的文件名是四位年份，如 2009.yaml）",
                        "warning",
                    )
                )
    if cache is not None:
        cache.keep_only(seen)
    years.sort(key=lambda y: y.year)
    log.debug("read %d year file(s) from %s", len(years), directory)
    catalog = Catalog(policy=policy or {}, years=tuple(years))
    return _finish(catalog if policy is not None else None, sort_problems(problems), strict)
