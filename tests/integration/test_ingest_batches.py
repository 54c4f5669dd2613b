"""The log's fast paths keep its rules: ingest writes a batch's new events together (the
rules of docs/sync-protocol.md section 3 hold whatever the batching), readers stop at the
end of the log, and events read for the wire are sent as stored without being decoded."""
import pytest

from event_store.database import open_database
from sync_protocol.ingest import events_of, ingest, rows_of
from event_store.readers import catch_up
from event_store.registry import EventRegistry, UnknownEvent
from event_store.store import EventStore
from sync_protocol.wire import ProtocolError, to_wire

ORIGIN = "019393a0-1111-7000-8000-000000000001:1"


@pytest.fixture
def store(tmp_path):
    store = EventStore(open_database(str(tmp_path / "log.sqlite3")), EventRegistry())
    store.create_tables()
    return store


def envelope(seq, **overrides):
    return {"id": f"00000000-0000-7000-8000-{seq:012d}", "origin": ORIGIN, "seq": seq,
            "stream": f"edge-{ORIGIN}", "version": seq, "type": "TestFactObserved", "schema": 1,
            "conference": "c", "data": {"n": seq}, "occurred_at": "2026-05-04T09:00:00+00:00",
            "hlc": "1777000000000-00000", "causation": None, "correlation": None, **overrides}


def held(store):
    E = store.models.EventRecord
    return [(row.seq, row.data) for row in E.select().order_by(E.position)]


def test_a_large_batch_is_stored_in_order_and_acknowledged(store):
    count = 2 * 55 + 7     # more rows than one multi-row INSERT held (before executemany)
    result = ingest(store, [envelope(n) for n in range(1, count + 1)], source="test")
    assert result.acked_through == {ORIGIN: count} and len(result.stored) == count
    assert [seq for seq, _ in held(store)] == list(range(1, count + 1))
    assert store.version_vector() == {ORIGIN: count}


def test_an_event_clashing_with_a_held_one_refuses_the_whole_batch(store):
    ingest(store, [envelope(1)], source="test")
    clash = envelope(3, id=envelope(1)["id"])   # a new seq under an id already held
    with pytest.raises(ProtocolError) as refused:
        ingest(store, [envelope(2), clash, envelope(4)], source="test")
    assert (refused.value.status, refused.value.code) == (409, "event_clash")
    assert [seq for seq, _ in held(store)] == [1]
    assert store.version_vector() == {ORIGIN: 1}


def test_an_event_repeated_inside_its_own_batch_is_a_duplicate(store):
    result = ingest(store, [envelope(1), envelope(2), envelope(1)], source="test")
    assert (len(result.stored), result.duplicates, result.conflicts) == (2, 1, 0)
    assert result.acked_through == {ORIGIN: 2}


def test_a_changed_repeat_inside_its_own_batch_is_an_integrity_conflict(store):
    result = ingest(store, [envelope(1), envelope(1, data={"n": 99})], source="test")
    assert (len(result.stored), result.duplicates, result.conflicts) == (1, 0, 1)
    [conflict] = store.models.IntegrityConflict.select()
    E = store.models.EventRecord
    assert conflict.held_hash == E.get(E.seq == 1).payload_hash != conflict.offered_hash
    assert held(store) == [(1, '{"n":1}')]


class Counter:
    name = "counter"

    def __init__(self):
        self.seen = []

    def apply(self, event):
        self.seen.append(event.seq)


def test_a_batch_prepared_beforehand_is_stored_as_it_would_be_at_once(tmp_path, store):
    batch = [envelope(1), envelope(2, sig="s" * 88), envelope(1), envelope(2, data={"n": 9})]
    rows = rows_of(store, batch)          # e.g. on another thread, before the transaction
    assert rows[0]["payload_hash"] == rows[2]["payload_hash"] != rows[1]["payload_hash"]
    assert rows[1]["payload_hash"] != rows[3]["payload_hash"]
    prepared = ingest(store, batch, source="test", rows=rows)
    other = EventStore(open_database(str(tmp_path / "other.sqlite3")), EventRegistry())
    other.create_tables()
    at_once = ingest(other, batch, source="test")
    assert prepared.reply() == at_once.reply() == {
        "acked_through": {ORIGIN: 2}, "stored": 2, "duplicates": 1, "conflicts": 1}
    columns = lambda s: [(r.seq, r.data, r.payload_hash, r.signature) for r in
                         s.models.EventRecord.select().order_by(s.models.EventRecord.seq)]
    assert columns(store) == columns(other) and columns(store)[1][3] == "s" * 88


def test_a_signature_made_later_is_kept_once_and_never_replaces_one(store):
    ingest(store, [envelope(1), envelope(2, sig="held")], source="test")
    first, second = store.read_all(0, 10)
    store.keep_signatures({first.position: "later", second.position: "other"})
    store.keep_signatures({first.position: "again"})
    assert [e.signature for e in store.read_all(0, 10)] == ["later", "held"]


def test_catch_up_reads_to_the_end_of_the_log_in_one_transaction_per_batch(store):
    for n in range(5):
        store.append("s", None, [UnknownEvent("TestFactObserved", 1, {"n": n})],
                     origin=ORIGIN, conference="c")
    statements = []
    store.db.connection().set_trace_callback(statements.append)
    reader = Counter()
    assert catch_up(store, reader, batch=2) == 5
    store.db.connection().set_trace_callback(None)
    assert reader.seen == [1, 2, 3, 4, 5]
    # batches of 2, 2 and 1: the short one ends it, no transaction just to read nothing
    assert sum(s.startswith("BEGIN") for s in statements) == 3
    assert catch_up(store, reader, batch=2) == 0 and reader.seen == [1, 2, 3, 4, 5]


def test_events_read_for_the_wire_are_the_stored_envelopes_without_decoding(store):
    store.append("s", None, [UnknownEvent("TestFactObserved", 1, {"n": 1})], origin=ORIGIN,
                 conference="c")
    [decoded] = store.read_all(0, 10)
    [for_wire] = store.read_all(0, 10, decode=False)
    [of_origin] = events_of(store, ORIGIN, 0, 10)
    assert decoded.message == UnknownEvent("TestFactObserved", 1, {"n": 1})
    assert for_wire.message is None and of_origin.message is None
    assert to_wire(for_wire) == to_wire(of_origin) == to_wire(decoded)
