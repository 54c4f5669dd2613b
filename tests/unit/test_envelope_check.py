"""check_envelope's one-pass answer never admits what the field-by-field checks refuse."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sync_protocol import wire
from sync_protocol.wire import ProtocolError, check_envelope

GOOD = {"id": "01890a5d-ac96-774b-bcce-b302099a8057", "origin": "hub/c1", "seq": 3,
        "stream": "order-1", "version": 2, "type": "OrderPlaced", "schema": 1,
        "conference": "c1", "data": {"order_id": "o1", "seats": [{"n": 1}]},
        "occurred_at": "2026-05-04T09:00:00+00:00", "hlc": "1777000000000-00000",
        "causation": None, "correlation": None, "position": 7, "sig": "abc"}
STRANGE = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-2 ** 64, max_value=2 ** 64),
    st.text(alphabet=st.sampled_from(["a", "0", "-", "\x00", "\ud800", "é"]), max_size=130),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=2), st.none(),
                                                         max_size=2),
    st.just("1777000000000-00000"), st.just("x" * 201))


def slow(raw):
    """The answer of the field-by-field checks alone."""
    fine, wire._envelope_fine = wire._envelope_fine, lambda raw: False
    try:
        check_envelope(raw, 0)
        return None
    except ProtocolError as refused:
        return refused.message
    finally:
        wire._envelope_fine = fine


@settings(max_examples=600, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(GOOD) + ["extra"]), STRANGE, max_size=4),
       st.lists(st.sampled_from(sorted(GOOD)), max_size=2))
def test_the_quick_answer_agrees_with_the_field_checks(changes, removed):
    raw = {k: v for k, v in {**GOOD, **changes}.items() if k not in removed}
    try:
        check_envelope(raw, 0)
        quick = None
    except ProtocolError as refused:
        quick = refused.message
    assert quick == slow(raw)


def test_a_good_envelope_passes_the_quick_answer():
    assert wire._envelope_fine(dict(GOOD)) and slow(dict(GOOD)) is None
