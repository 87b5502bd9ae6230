"""Fuzzing: any text, any bytes, any YAML tree gives a model or our own error, nothing else."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.catalog.format import CLASS_FIELDS, COURSE_FIELDS, REGISTRATION_FIELDS, YEAR_FIELDS
from generator.catalog.loading import parse_yaml
from generator.catalog.problems import CatalogError, Problem
from generator.catalog.validating import check_year_text, load_year_text

from .conftest import BASE, SOURCE

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_outcome(policy: dict[str, Any], data: str | bytes) -> None:
    """The contract: a model without errors, or problems with sane marks; never a crash."""
    model, problems = check_year_text(data, policy, source=SOURCE)
    assert all(isinstance(p, Problem) for p in problems)
    has_error = any(p.severity == "error" for p in problems)
    assert (model is None) == has_error
    for p in problems:
        assert p.mark.file == SOURCE and p.mark.line >= 1 and p.mark.column >= 1
        assert p.format().startswith(f"{SOURCE}:{p.mark.line}:{p.mark.column}: {p.severity}: ")
    try:
        load_year_text(data, policy, source=SOURCE)
    except CatalogError as exc:
        assert exc.problems and has_error
    else:
        assert not has_error


# Scalars YAML would retype, values near the format, and anything at all.
scalars = st.one_of(
    st.sampled_from(
        ["0123", "NO", "off", "10:30", "1.10", "2009-05-01", "2009-02-30", "", "~", "-1", "1e3"]
    ),
    st.sampled_from(
        ["public", "elective", "other", "mechanical", "training", "city", "county", "G-01", "E-01"]
    ),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True),
    st.booleans(),
    st.none(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.text(max_size=20),
)
FIELD_NAMES = sorted({*YEAR_FIELDS, *COURSE_FIELDS, *CLASS_FIELDS, *REGISTRATION_FIELDS})
keys = st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=8))
trees = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=6)
    ),
    max_leaves=40,
)


def records(spec: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Mappings that use the format's own field names, with values of any kind."""
    return st.dictionaries(
        st.sampled_from(list(spec)),
        st.one_of(scalars, st.lists(scalars, max_size=4)),
        max_size=len(spec),
    )


year_files = st.fixed_dictionaries(
    {
        "year": st.one_of(st.just(2009), scalars),
        "title": scalars,
        "courses": st.lists(records(COURSE_FIELDS), max_size=5),
        "classes": st.lists(records(CLASS_FIELDS), max_size=3),
    },
    optional={"registration": records(REGISTRATION_FIELDS), "published": scalars, "notes": scalars},
)


@FUZZ
@given(st.text())
def test_any_text(policy: dict[str, Any], text: str) -> None:
    assert_outcome(policy, text)


@FUZZ
@given(st.binary())
def test_any_bytes(policy: dict[str, Any], data: bytes) -> None:
    assert_outcome(policy, data)


@FUZZ
@given(st.text(alphabet=st.sampled_from(list(" \t\n-:[]{},#&*!|>'\"%@`?abc12中")), max_size=60))
def test_yaml_punctuation_soup(policy: dict[str, Any], text: str) -> None:
    assert_outcome(policy, text)
    # The pure-Python parser is the fallback without libyaml: it must not crash either.
    parse_yaml(text, SOURCE, pure=True)


@FUZZ
@given(trees, st.booleans())
def test_any_yaml_tree(policy: dict[str, Any], tree: Any, flow: bool) -> None:
    assert_outcome(policy, yaml.safe_dump(tree, allow_unicode=True, default_flow_style=flow))


@FUZZ
@given(year_files)
def test_year_file_shaped_trees(policy: dict[str, Any], tree: dict[str, Any]) -> None:
    assert_outcome(policy, yaml.safe_dump(tree, allow_unicode=True, sort_keys=False))


@FUZZ
@given(st.integers(min_value=0, max_value=len(BASE)), st.text(max_size=5))
def test_one_edit_of_a_valid_file(policy: dict[str, Any], at: int, insert: str) -> None:
    # Editors' slips: a few characters typed anywhere in a valid file.
    assert_outcome(policy, BASE[:at] + insert + BASE[at:])
