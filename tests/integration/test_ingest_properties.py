"""Hypothesis: a hostile body (wrong types, huge integers, long strings, NUL, surrogates, bad
hlc, missing or extra fields) is refused with a 4xx and leaves the log, the vector and the
hub's clock as they were; a valid fact of the node's own constructors is always accepted."""
import copy
import dataclasses
import typing

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from hub.bootstrap import message_registry
from shared_domain import edge_facts, sales
from shared_domain.checkin import TicketScanned
from shared_domain.people import PersonalInfo
from event_store.ids import format_hlc, parse_hlc
from tests.support.door_facts import now_hlc
from tests.support.door_venue import (door_facts, enroll_node, envelopes, hub_with_conference,
                                      log_state, push)

REGISTRY = message_registry()
DAY_MS = 86_400_000
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def venue(tmp_path):
    api = hub_with_conference(tmp_path)
    api.creds = enroll_node(api)
    api.seq = 0
    yield api
    api.hub.close()


def cls_of(envelope):
    return REGISTRY._by_name[envelope["type"]]


def leaves(cls, body, path=()):
    """(path, hint, field name) of every scalar in a body, nested ones included."""
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        hint, value, here = hints[f.name], body[f.name], path + (f.name,)
        if dataclasses.is_dataclass(hint):
            yield from leaves(hint, value, here)
        elif typing.get_origin(hint) is tuple:
            item = typing.get_args(hint)[0]
            if value and dataclasses.is_dataclass(item):
                yield from leaves(item, value[0], here + (0,))
            elif value:
                yield here + (0,), item, f.name
        else:
            yield here, hint, f.name


def objects(cls, body, path=()):
    """(path, dataclass) of the body and every object nested in it."""
    yield path, cls
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        hint, value = hints[f.name], body[f.name]
        if dataclasses.is_dataclass(hint):
            yield from objects(hint, value, path + (f.name,))
        elif typing.get_origin(hint) is tuple and value \
                and dataclasses.is_dataclass(typing.get_args(hint)[0]):
            yield from objects(typing.get_args(hint)[0], value[0], path + (f.name, 0))


def at(body, path):
    for step in path:
        body = body[step]
    return body


def put(body, path, value):
    at(body, path[:-1])[path[-1]] = value


def insert(text, char, where):
    where = where % (len(text) + 1)
    return text[:where] + char + text[where:]


NOT_A_STRING = st.one_of(st.integers(), st.none(), st.booleans(), st.floats(allow_nan=False),
                         st.lists(st.integers(), max_size=2),
                         st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
NOT_AN_INT = st.one_of(st.text(max_size=5), st.none(), st.booleans(),
                       st.floats(allow_nan=False, allow_infinity=False).map(lambda f: f + 0.5),
                       st.lists(st.integers(), max_size=2))
NOT_A_BOOL = st.one_of(st.integers(), st.text(max_size=5), st.none())
HUGE = st.one_of(st.integers(min_value=2 ** 63, max_value=2 ** 70),
                 st.integers(min_value=-(2 ** 70), max_value=-(2 ** 63) - 1))
SURROGATE = st.integers(0xD800, 0xDFFF).map(chr)


@st.composite
def hostile_envelope(draw, creds):
    [envelope] = draw(st.sampled_from([[e] for e in envelopes(creds, door_facts(creds))]))
    envelope = copy.deepcopy(envelope)
    cls, body = cls_of(envelope), envelope["data"]
    kind = draw(st.sampled_from(["type", "huge", "range", "long", "nul", "surrogate",
                                 "missing", "extra", "hlc"]))
    if kind == "hlc":
        envelope["hlc"] = draw(bad_hlc())
        return envelope
    if kind in ("missing", "extra"):
        path, obj_cls = draw(st.sampled_from(list(objects(cls, body))))
        obj = at(body, path)
        if kind == "extra":
            names = {f.name for f in dataclasses.fields(obj_cls)}
            obj[draw(st.text(min_size=1, max_size=8).filter(lambda n: n not in names))] = 1
        else:
            required = [f.name for f in dataclasses.fields(obj_cls)
                        if f.default is dataclasses.MISSING
                        and f.default_factory is dataclasses.MISSING]
            del obj[draw(st.sampled_from(required))]
        return envelope
    path, hint, name = draw(st.sampled_from(list(leaves(cls, body))))
    value = at(body, path)
    if kind == "type":
        new = draw({str: NOT_A_STRING, int: NOT_AN_INT, bool: NOT_A_BOOL}[hint])
    elif hint is int and kind in ("huge", "range"):
        low, high = edge_facts.INT_RANGES.get(name, (-(2 ** 63), 2 ** 63 - 1))
        new = draw(HUGE if kind == "huge" or name not in edge_facts.INT_RANGES else
                   st.one_of(st.integers(max_value=low - 1), st.integers(min_value=high + 1)))
    elif hint is str and kind == "long":
        limit = edge_facts.TEXT_LIMITS.get(name, edge_facts.TEXT_MAX)
        new = value + "x" * (limit + 1 - len(value) + draw(st.integers(0, 50)))
    elif hint is str and kind in ("nul", "surrogate"):
        char = "\x00" if kind == "nul" else draw(SURROGATE)
        new = insert(value, char, draw(st.integers(0, 1000)))
    else:
        new = draw({str: NOT_A_STRING, int: HUGE, bool: NOT_A_BOOL}[hint])
    put(body, path, new)
    return envelope


@st.composite
def bad_hlc(draw):
    def from_now(offset):   # drawn as an offset: the clock moves between examples
        return format_hlc(min(max(parse_hlc(now_hlc())[0] + offset, 0), 9_999_999_999_999), 0)

    return draw(st.one_of(
        st.integers(400 * DAY_MS + 60_000, 10 ** 13).map(from_now),
        st.integers(-(10 ** 13), -401 * DAY_MS).map(from_now),
        st.text(max_size=25).filter(lambda t: not _looks_like_hlc(t)),
        st.sampled_from(["١٧٧٧٠٠٠٠٠٠٠٠٠-00000", "1777000000000-00000\n",
                         "1777000000000-000000", "-1777000000000-00000"])))


def _looks_like_hlc(text):
    head, _, tail = text.partition("-")
    return len(head) == 13 and len(tail) == 5 and (head + tail).isascii() \
        and (head + tail).isdigit()


@SETTINGS
@given(data=st.data())
def test_a_hostile_body_is_refused_and_changes_nothing(venue, data):
    before, clock_before = log_state(venue), venue.hub.store.hlc.now()
    envelope = data.draw(hostile_envelope(venue.creds))
    r = push(venue, venue.creds, [envelope])
    assert r.status_code in (400, 403), (r.status_code, r.get_json(), envelope)
    assert r.get_json()["error"]["code"] in ("malformed_event", "fact_not_owned")
    assert log_state(venue) == before
    assert parse_hlc(venue.hub.store.hlc.now())[0] <= parse_hlc(now_hlc())[0] + 1000
    assert venue.hub.store.hlc.now() > clock_before


NAME = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               min_size=1, max_size=60).filter(str.strip)


@SETTINGS
@given(first=NAME, last=NAME, company=st.text(max_size=100).filter(
           lambda t: "\x00" not in t and all(not 0xD800 <= ord(c) <= 0xDFFF for c in t)),
       quantity=st.integers(1, 50), price=st.integers(0, 10 ** 7), by=NAME,
       payment=st.sampled_from(sales.PAYMENT_METHODS))
def test_a_valid_sale_or_scan_of_the_node_is_always_accepted(venue, first, last, company,
                                                             quantity, price, by, payment):
    creds = venue.creds
    [sale] = [f for f in door_facts(creds) if isinstance(f, sales.OnSiteSaleMade)]
    lines = (sales.SaleLine("ga", "General", quantity, price, quantity * price),)
    sale = dataclasses.replace(
        sale, buyer=PersonalInfo(first, last, "ada@example.org", company), lines=lines,
        total_cents=quantity * price, payment_method=payment, by=by)
    scan = TicketScanned("n", "d", "", creds["node_id"], "2026-12-08T09:00:00", "refused",
                         "malformed", by)
    events = envelopes(creds, [sale, scan], start=venue.seq + 1)
    r = push(venue, creds, events)
    assert r.status_code == 200, r.get_json()
    venue.seq += 2
    assert r.get_json()["acked_through"] == {creds["origin"]: venue.seq}
