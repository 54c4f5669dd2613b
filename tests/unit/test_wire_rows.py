"""A stored row sent as text (the hub's feed) is the same envelope as the row sent as an
object: the body spliced in as the log holds it, or as the server changed it."""
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from event_store.statements import EVENT_COLUMNS
from event_store.store import canonical_json
from sync_protocol.wire import page_text, row_envelope, row_text

TEXT = st.text(alphabet=st.sampled_from(['a', '"', '\\', 'é', '\u2028', '😀', ',', ':', '}']),
               max_size=12)
BODY = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), TEXT),
                    lambda inner: st.one_of(st.lists(inner, max_size=3),
                                            st.dictionaries(TEXT, inner, max_size=3)),
                    max_leaves=8)


def row(data, *, signature=None, causation=None):
    values = {"position": 12, "id": "01890a5d-ac96-774b-bcce-b302099a8057", "origin": "hub/c1",
              "seq": 3, "stream": 'order-"1"', "version": 2, "type": "OrderPlaced", "schema": 1,
              "conference": "c1", "data": canonical_json(data), "occurred_at": "2026-05-04",
              "hlc": "1777000000000-00000", "causation": causation, "correlation": None,
              "signature": signature}
    return tuple(values[c] for c in EVENT_COLUMNS)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(TEXT, BODY, max_size=4), st.one_of(st.none(), TEXT),
       st.one_of(st.none(), st.just("s" * 88)))
def test_a_row_as_text_is_the_row_as_an_envelope(data, causation, signature):
    stored = row(data, signature=signature, causation=causation)
    assert json.loads(row_text(stored)) == row_envelope(stored)


def test_a_changed_body_and_a_signature_made_now_go_in_its_place():
    stored = row({"access_code": "SECRET", "n": 1})
    sent = json.loads(row_text(stored, data=canonical_json({"access_code": "", "n": 1}),
                               sig="new"))
    assert sent["data"] == {"access_code": "", "n": 1} and sent["sig"] == "new"
    assert "SECRET" not in row_text(stored, data=canonical_json({"n": 1}))


def test_a_page_as_text_holds_its_envelopes_and_fields():
    texts = [row_text(row({"n": n})) for n in range(3)]
    page = json.loads(page_text(texts, protocol=1, next_after=12, remaining=0))
    assert [e["data"] for e in page["events"]] == [{"n": 0}, {"n": 1}, {"n": 2}]
    assert (page["protocol"], page["next_after"], page["remaining"]) == (1, 12, 0)
    assert json.loads(page_text([])) == {"events": []}
