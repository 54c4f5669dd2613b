"""An event's signature covers every field replicas compare, and nothing signed for another
purpose with the same key passes as an event's signature."""
import base64

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, strategies as st

from onsite_node import credentials as creds_file
from sync_protocol import origin_signatures
from event_store.store import EventStore
from event_store.database import open_database
from event_store.registry import EventRegistry

PRIVATE, PUBLIC = creds_file.new_signing_key()
SIGN = origin_signatures.signer(PRIVATE)
KEY = base64.urlsafe_b64decode(PUBLIC)
ENVELOPE = {"id": "0190d2c4-0000-7000-8000-000000000001", "origin": "door-1:1", "seq": 1,
            "stream": "edge-door-1:1", "version": 1, "type": "TicketScanned", "schema": 1,
            "conference": "c-1", "data": {"result": "refused", "by": "kiosk", "n": 1},
            "occurred_at": "2026-12-08T09:00:00+00:00", "hlc": "1796720400000-00000",
            "causation": None, "correlation": None}
TEXT_FIELDS = ["id", "origin", "stream", "type", "conference", "occurred_at", "hlc",
               "causation", "correlation"]


def test_a_signed_envelope_verifies_with_its_origins_key_only():
    signed = origin_signatures.signed(ENVELOPE, SIGN)
    assert origin_signatures.verifies(signed, KEY)
    other = base64.urlsafe_b64decode(creds_file.new_signing_key()[1])
    assert not origin_signatures.verifies(signed, other)
    assert origin_signatures.refusal(signed, KEY) is None
    assert origin_signatures.refusal(signed, None).code == "unknown_origin_key"
    assert origin_signatures.refusal(ENVELOPE, KEY).code == "unsigned_event"


@given(field=st.sampled_from(TEXT_FIELDS), value=st.text(max_size=20))
def test_changing_any_text_field_breaks_the_signature(field, value):
    signed = origin_signatures.signed(ENVELOPE, SIGN)
    if signed[field] == value:
        return
    assert not origin_signatures.verifies({**signed, field: value}, KEY)


@given(field=st.sampled_from(["seq", "version", "schema"]), value=st.integers(2, 2**40))
def test_changing_any_number_breaks_the_signature(field, value):
    signed = origin_signatures.signed(ENVELOPE, SIGN)
    assert not origin_signatures.verifies({**signed, field: value}, KEY)


@given(st.dictionaries(st.text(max_size=8), st.integers() | st.text(max_size=8), max_size=4))
def test_changing_the_body_breaks_the_signature(data):
    signed = origin_signatures.signed(ENVELOPE, SIGN)
    if data == ENVELOPE["data"]:
        return
    assert not origin_signatures.verifies({**signed, "data": data}, KEY)


@given(st.text(max_size=120))
def test_a_malformed_signature_is_refused_not_raised(signature):
    assert not origin_signatures.verifies({**ENVELOPE, "sig": signature}, KEY)


def test_what_the_same_key_signs_without_the_event_context_is_no_event_signature():
    key = Ed25519PrivateKey.from_private_bytes(base64.urlsafe_b64decode(PRIVATE))
    digest = origin_signatures.envelope_digest(ENVELOPE)
    bare = base64.urlsafe_b64encode(key.sign(digest.encode())).decode()
    assert not origin_signatures.verifies({**ENVELOPE, "sig": bare}, KEY)


def test_a_log_of_an_older_release_gains_the_signature_column_when_opened(tmp_path):
    path = str(tmp_path / "old.sqlite3")
    db = open_database(path)
    store = EventStore(db, EventRegistry())
    store.create_tables()
    db.execute_sql("ALTER TABLE event DROP COLUMN signature")
    db.close()
    db = open_database(path)
    store = EventStore(db, EventRegistry())
    store.create_tables()
    assert "signature" in {c.name for c in db.get_columns("event")}
    db.close()
