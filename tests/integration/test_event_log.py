import datetime as dt
import threading
from dataclasses import dataclass

import pytest

from event_store.database import open_database
from event_store.ids import HybridClock, parse_hlc, uuid7
from event_store.readers import ReaderPositions, catch_up, rebuild
from event_store.registry import EventRegistry, UnknownEvent
from event_store.store import ConcurrencyError, EventStore


@dataclass(frozen=True)
class ThingHappened:
    thing_id: str
    size: int
    when: dt.datetime | None = None


@dataclass(frozen=True)
class Renamed:
    thing_id: str
    full_name: str


@pytest.fixture
def registry():
    registry = EventRegistry()
    registry.register(ThingHappened)
    registry.register(Renamed, schema=2)
    # schema 1 had a "name" field; schema 2 calls it "full_name"
    registry.add_upcaster("Renamed", 1, lambda body: {"thing_id": body["thing_id"],
                                                       "full_name": body["name"]})
    return registry


@pytest.fixture(params=["sqlite", "postgres"])
def store(request, tmp_path, registry):
    """The same storage tests run against every backend."""
    if request.param == "sqlite":
        target = str(tmp_path / "log.sqlite3")
    else:
        target = request.getfixturevalue("postgres_cluster").new_database()
    store = EventStore(open_database(target), registry)
    store.create_tables()
    yield store
    store.db.close()


def test_database_file_uses_wal_and_full_sync(store, tmp_path):
    if store.db.param != "?":
        pytest.skip("SQLite pragmas")
    assert store.db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute_sql("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_append_assigns_contiguous_seq_per_origin_and_stream_versions(store):
    a = store.append("thing-1", 0, [ThingHappened("1", 1), ThingHappened("1", 2)],
                     origin="hub/c1", conference="c1")
    b = store.append("thing-2", 0, [ThingHappened("2", 3)], origin="hub/c1", conference="c1")
    c = store.append("thing-3", 0, [ThingHappened("3", 3)], origin="hub/c2", conference="c2")
    assert [e.seq for e in a + b] == [1, 2, 3]
    assert [e.version for e in a] == [1, 2] and b[0].version == 1
    assert c[0].seq == 1
    assert store.version_vector() == {"hub/c1": 3, "hub/c2": 1}
    assert store.version_vector("c2") == {"hub/c2": 1}
    assert [e.position for e in a + b + c] == sorted(e.position for e in a + b + c)


def test_stream_version_clash_raises_and_stores_nothing(store):
    store.append("thing-1", 0, [ThingHappened("1", 1)], origin="hub/c1", conference="c1")
    with pytest.raises(ConcurrencyError):
        store.append("thing-1", 0, [ThingHappened("1", 9)], origin="hub/c1", conference="c1")
    assert [e.message.size for e in store.load("thing-1")] == [1]
    assert store.version_vector() == {"hub/c1": 1}


def test_concurrent_writers_to_one_stream_one_wins_per_version(store):
    errors, done = [], []

    def writer(n):
        try:
            store.append("thing-x", 0, [ThingHappened("x", n)], origin="hub/c", conference="c")
            done.append(n)
        except ConcurrencyError as e:
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(done) == 1 and len(errors) == 5
    assert len(store.load("thing-x")) == 1


def test_events_round_trip_with_datetimes(store):
    when = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    store.append("thing-1", 0, [ThingHappened("1", 7, when)], origin="o", conference="c")
    [event] = store.load("thing-1")
    assert event.message == ThingHappened("1", 7, when)
    assert event.data == {"thing_id": "1", "size": 7, "when": when.isoformat()}


def test_old_schema_is_upcast_on_read(store, registry):
    with store.atomic():
        store.models.EventRecord.create(**store._record(
            uuid7(), "o", 1, "thing-1", 1, "Renamed", 1, "c", {"thing_id": "1", "name": "Ada"},
            "2026-01-01T00:00:00+00:00", "0000000000001-00000", None, None), stored_at="x")
    [event] = store.load("thing-1")
    assert event.message == Renamed("1", "Ada")


def test_unknown_event_types_are_stored_and_returned_untouched(store):
    future = UnknownEvent("FromTheFuture", 3, {"x": [1, 2], "y": "é"})
    store.append("f-1", 0, [future], origin="o", conference="c")
    [event] = store.load("f-1")
    assert event.message == future and event.type == "FromTheFuture" and event.schema == 3


def test_newer_schema_of_a_known_type_is_kept_untouched(store):
    with store.atomic():
        store.models.EventRecord.create(**store._record(
            uuid7(), "o", 1, "t-1", 1, "ThingHappened", 5, "c", {"new": True},
            "2026-01-01T00:00:00+00:00", "0000000000001-00000", None, None), stored_at="x")
    [event] = store.load("t-1")
    assert event.message == UnknownEvent("ThingHappened", 5, {"new": True})


def test_snapshot_round_trip(store):
    store.save_snapshot("s-1", 3, {"remaining": {"a": 1}})
    store.save_snapshot("s-1", 7, {"remaining": {"a": 2}})
    assert store.load_snapshot("s-1") == (7, {"remaining": {"a": 2}})
    assert store.load_snapshot("nope") is None


class SizeTotals:
    """A tiny projection into its own table, for the reader tests."""
    name = "size_totals"

    def __init__(self, store, fail_on=None, failure=RuntimeError):
        self.store, self.fail_on, self.failure = store, fail_on, failure
        store.db.execute_sql("CREATE TABLE IF NOT EXISTS size_total (thing TEXT PRIMARY KEY, total INT)")

    def apply(self, event):
        if event.message.size == self.fail_on:
            raise self.failure("projection bug")
        p = self.store.db.param
        self.store.db.execute_sql(
            f"INSERT INTO size_total VALUES ({p}, {p}) ON CONFLICT(thing) "
            "DO UPDATE SET total = size_total.total + excluded.total",
            (event.message.thing_id, event.message.size))

    def reset(self):
        self.store.db.execute_sql("DELETE FROM size_total")

    def rows(self):
        return dict(self.store.db.execute_sql("SELECT thing, total FROM size_total").fetchall())


def test_projection_position_commits_with_its_rows(store):
    for n in range(1, 6):
        store.append(f"t-{n % 2}", None, [ThingHappened(str(n % 2), n)], origin="o", conference="c")
    # The process stops mid-batch (an Exception would only set the event aside)
    failing = SizeTotals(store, fail_on=5, failure=KeyboardInterrupt)
    with pytest.raises(KeyboardInterrupt):
        catch_up(store, failing, batch=10)
    assert failing.rows() == {} and ReaderPositions(store).get("size_totals") == 0
    good = SizeTotals(store)
    assert catch_up(store, good, batch=2) == 5
    assert good.rows() == {"1": 9, "0": 6}
    assert catch_up(store, good) == 0  # already done: nothing applied twice
    assert good.rows() == {"1": 9, "0": 6}


def test_rebuild_from_zero_equals_live_and_reports_progress(store):
    projection = SizeTotals(store)
    for n in range(1, 30):
        store.append("t-a", None, [ThingHappened("a", n)], origin="o", conference="c")
        catch_up(store, projection)
    live = projection.rows()
    seen = []
    rebuild(store, projection, batch=7, progress=lambda done, total: seen.append((done, total)))
    assert projection.rows() == live
    assert seen[-1] == (29, 29) and len(seen) == 5


def test_uuid7_sorts_in_creation_order_and_is_version_7():
    ids = [uuid7() for _ in range(2000)]
    assert ids == sorted(ids)
    assert all(i[14] == "7" for i in ids)


def test_hybrid_clock_never_goes_back_and_moves_past_observed_stamps():
    wall = [1000]
    clock = HybridClock(lambda: wall[0])
    a = clock.now()
    wall[0] = 500  # the wall clock jumps back
    b = clock.now()
    clock.observe("0000000009999-00003")
    c = clock.now()
    assert a < b < c
    assert parse_hlc(c) == (9999, 4)
