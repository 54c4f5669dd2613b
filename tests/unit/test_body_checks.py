"""The event body checks built once per class refuse exactly what check_body refuses, with the
same field and message, for every event type and many broken bodies."""
from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared_domain import edge_facts
from shared_domain.catalog import ALL_EVENTS, by_name
from sync_protocol.validation import (EventSchemas, FieldRules, InvalidField, _check_json_text,
                                      check_body, check_json_text)

RULES = FieldRules(**edge_facts.FIELD_RULES)
SCHEMAS = EventSchemas(by_name(ALL_EVENTS), RULES)
STRANGE = [None, "", "x" * 5000, "a\x00b", "\ud800", 0, -1, 2 ** 70, True, 1.5, [], {}, ["x"],
           [{}], {"first_name": "A"}, "2026-05-04T09:00:00+00:00", "not a time"]


def outcome(check, *args):
    try:
        check(*args)
    except InvalidField as refused:
        return refused.field, refused.message
    return None


def bodies(cls):
    """A body with every field a plain string, then each field replaced by strange values,
    removed, and an unknown field added."""
    base = {f.name: "x" for f in dataclasses.fields(cls)}
    yield base
    yield {**base, "unknown": 1}
    yield ["not an object"]
    for name in base:
        yield {k: v for k, v in base.items() if k != name}
        for value in STRANGE:
            yield {**base, name: value}


def old_check(cls, body):
    """What EventSchemas.check did before: the JSON text, then check_body."""
    check_json_text(body)
    check_body(cls, body, RULES)


@pytest.mark.parametrize("name", sorted(by_name(ALL_EVENTS)))
def test_the_built_check_refuses_what_check_body_refuses(name):
    cls = by_name(ALL_EVENTS)[name]
    schema = getattr(cls, "SCHEMA", 1)
    for body in bodies(cls):
        assert outcome(SCHEMAS.check, name, schema, body) == outcome(old_check, cls, body), body


TEXTS = st.text(alphabet=st.sampled_from(["a", "é", "\x00", "\ud800", "\U0001f600", "."]),
                max_size=4)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2 ** 65, max_value=2 ** 65) | TEXTS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXTS, inner, max_size=3),
    max_leaves=40)


def nested(value, levels: int):
    for _ in range(levels):
        value = {"k": [value]}
    return value


@settings(max_examples=400, deadline=None)
@given(JSON, st.integers(min_value=0, max_value=9))
def test_the_quick_json_text_check_agrees_with_the_walk_that_names_the_path(value, levels):
    value = nested(value, levels)     # up to 18 levels: past the limit of 16 too
    assert outcome(check_json_text, value) == outcome(_check_json_text, value)
