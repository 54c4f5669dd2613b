"""A reader that fails on one event sets it aside and goes on: the log's own mechanism, on
every backend, for the hub's readers and the node's alike."""
import logging
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from event_store import dead_letters
from event_store.database import open_database
from event_store.readers import ReaderPositions, catch_up, rebuild
from event_store.registry import EventRegistry, UnknownEvent
from event_store.store import EventStore


@dataclass(frozen=True)
class Counted:
    key: str
    amount: int


class DisallowedEvent(Exception):
    """Like the guard's refusal of a hub-only type from a node origin."""


class Totals:
    """Sums amounts per key in a table; fails on the amounts it is told to."""
    name = "totals"

    def __init__(self, store, fail_on=(), failure=DisallowedEvent):
        self.store, self.fail_on, self.failure = store, set(fail_on), failure
        store.db.execute_sql("CREATE TABLE IF NOT EXISTS total (k TEXT PRIMARY KEY, n INT)")

    def apply(self, event):
        p = self.store.db.param
        self.store.db.execute_sql(
            f"INSERT INTO total VALUES ({p}, {p}) ON CONFLICT(k) "
            "DO UPDATE SET n = total.n + excluded.n", (event.message.key, event.message.amount))
        if event.message.amount in self.fail_on:  # after writing: the savepoint must undo it
            if self.failure == "sql":     # the database refuses: PostgreSQL aborts the savepoint
                self.store.db.execute_sql("SELECT * FROM no_such_table")
            raise self.failure(f"amount {event.message.amount} refused")

    def reset(self):
        self.store.db.execute_sql("DELETE FROM total")

    def rows(self):
        return dict(self.store.db.execute_sql("SELECT k, n FROM total").fetchall())


@pytest.fixture(params=["sqlite", "postgres"])
def store(request, tmp_path):
    registry = EventRegistry()
    registry.register(Counted)
    if request.param == "sqlite":
        target = str(tmp_path / "log.sqlite3")
    else:
        target = request.getfixturevalue("postgres_cluster").new_database()
    store = EventStore(open_database(target), registry)
    store.create_tables()
    yield store
    store.db.close()


def add(store, *amounts, conference="conf-a", origin="hub/conf-a"):
    return [store.append("s", None, [Counted("k", n)], origin=origin, conference=conference)[0]
            for n in amounts]


def letters(store):
    D = store.models.DeadLetter
    return list(D.select().order_by(D.position))


def test_a_failing_event_is_set_aside_and_the_reader_goes_on(store, caplog):
    stored = add(store, 1, 2, 4, 8)
    reader = Totals(store, fail_on={2})
    with caplog.at_level(logging.ERROR, logger="event_store.dead_letters"):
        assert catch_up(store, reader, batch=3) == 4
    assert reader.rows() == {"k": 13}     # 2 written then rolled back alone
    assert ReaderPositions(store).get("totals") == stored[-1].position
    [letter] = letters(store)
    bad = stored[1]
    assert (letter.reader, letter.event_id, letter.position, letter.type, letter.origin,
            letter.conference, letter.attempts, letter.status) == (
        "totals", bad.id, bad.position, "Counted", "hub/conf-a", "conf-a", 1, "open")
    assert letter.error == "DisallowedEvent: amount 2 refused"
    assert "in apply" in letter.traceback and letter.first_failed_at == letter.last_failed_at
    [line] = [r.getMessage() for r in caplog.records]
    assert "totals" in line and bad.id in line and "Counted" in line and "hub/conf-a" in line
    assert "amount 2 refused" in line


def test_a_statement_the_database_refuses_undoes_only_that_event(store):
    add(store, 1, 2, 4)
    reader = Totals(store, fail_on={2}, failure="sql")
    assert catch_up(store, reader) == 3 and reader.rows() == {"k": 5}
    [letter] = letters(store)
    assert "no_such_table" in letter.error


def test_a_body_that_does_not_decode_is_set_aside_not_raised(store):
    add(store, 1)
    store.append("s", None, [UnknownEvent("Counted", 1, {"key": "k"})], origin="node-x",
                 conference="conf-a")      # stored before ingest checked bodies
    add(store, 5)
    reader = Totals(store)
    assert catch_up(store, reader) == 3 and reader.rows() == {"k": 6}
    [letter] = letters(store)
    assert letter.origin == "node-x" and "amount" in letter.error


@pytest.mark.parametrize("stop", [KeyboardInterrupt, SystemExit])
def test_stopping_the_process_is_not_an_error_to_set_aside(store, stop):
    add(store, 1, 2, 3)
    reader = Totals(store, fail_on={2}, failure=stop)
    with pytest.raises(stop):
        catch_up(store, reader)
    assert reader.rows() == {} and ReaderPositions(store).get("totals") == 0
    assert letters(store) == []


def test_failing_again_on_a_rebuild_counts_an_attempt_on_the_same_row(store):
    add(store, 1, 2, 3)
    reader = Totals(store, fail_on={2})
    catch_up(store, reader)
    [first] = letters(store)
    rebuild(store, reader)
    [again] = letters(store)
    assert again.id == first.id and again.attempts == 2 and reader.rows() == {"k": 4}
    assert again.first_failed_at == first.first_failed_at


def test_a_retry_after_the_fix_applies_the_event_once_and_resolves_it(store):
    add(store, 1, 2, 3)
    reader = Totals(store, fail_on={2})
    catch_up(store, reader)
    [letter] = letters(store)
    failed = dead_letters.retry(store, reader, letter.id, "admin@example.org")
    assert (failed.status, failed.attempts) == ("open", 2) and reader.rows() == {"k": 4}
    reader.fail_on.clear()
    reader.failure = RuntimeError
    done = dead_letters.retry(store, reader, letter.id, "admin@example.org")
    assert (done.status, done.resolved_by) == ("resolved", "admin@example.org")
    assert reader.rows() == {"k": 6} and catch_up(store, reader) == 0


def test_a_failed_retry_keeps_the_new_error(store):
    add(store, 1, 2)
    reader = Totals(store, fail_on={2})
    catch_up(store, reader)
    [letter] = letters(store)
    reader.failure = ValueError
    failed = dead_letters.retry(store, reader, letter.id, "a@example.org")
    assert failed.error == "ValueError: amount 2 refused" and failed.status == "open"


def test_dismissing_closes_the_letter_without_applying(store):
    add(store, 1, 2)
    reader = Totals(store, fail_on={2})
    catch_up(store, reader)
    [letter] = letters(store)
    closed = dead_letters.dismiss(store, letter.id, "a@example.org")
    assert (closed.status, closed.resolved_by) == ("dismissed", "a@example.org")
    assert closed.resolved_at and reader.rows() == {"k": 1}


def test_an_error_text_is_bounded():
    text = dead_letters.error_text(ValueError("x" * 10_000))
    assert len(text) == dead_letters.ERROR_MAX


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amounts=st.lists(st.integers(1, 50), min_size=1, max_size=25),
       failing=st.sets(st.integers(1, 50), max_size=10), batch=st.integers(1, 6))
def test_whatever_fails_the_others_are_applied_exactly_once(tmp_path_factory, amounts,
                                                             failing, batch):
    registry = EventRegistry()
    registry.register(Counted)
    store = EventStore(open_database(str(tmp_path_factory.mktemp("p") / "log.sqlite3")),
                       registry)
    store.create_tables()
    try:
        stored = add(store, *amounts)
        reader = Totals(store, fail_on=failing)
        assert catch_up(store, reader, batch=batch) == len(amounts)
        good = sum(n for n in amounts if n not in failing)
        assert reader.rows().get("k", 0) == good
        assert [d.event_id for d in letters(store)] == [
            e.id for e in stored if e.message.amount in failing]
        assert ReaderPositions(store).get("totals") == stored[-1].position
    finally:
        store.db.close()


def test_a_nodes_replica_sets_a_poison_event_aside_and_projects_the_rest(tmp_path):
    from onsite_node.replica import Replica
    from shared_domain.checkin import TicketIssued
    replica = Replica(str(tmp_path), {"conference": {"id": "conf-a"}, "origin": "node-door-a"})
    try:
        store = replica.store
        store.append("edge-node-door-b", None, [UnknownEvent("AttendeeCheckedIn", 1, {})],
                     origin="node-door-b", conference="conf-a")
        store.append("tickets-o1", None, [TicketIssued("o1", 0, "o1:0", "CT1-X", "d1", "Ada", "k")],
                     origin="hub/conf-a", conference="conf-a")
        assert replica.project() == 6            # two events, three readers
        T = replica.models.TicketCodeView
        assert T.get(T.seat_id == "o1:0").code == "CT1-X"
        # Only the projection that acts on check-ins decodes them, so only it sets one aside.
        assert {d.reader for d in letters(store)} == {"node_views"}
    finally:
        replica.close()


def test_an_error_quoting_a_nul_or_a_lone_surrogate_is_still_recorded(store):
    add(store, 1, 2)

    class Quoting(Totals):
        def apply(self, event):
            if event.message.amount == 2:
                raise ValueError("name 'a\x00b\ud800' refused")
            super().apply(event)

    reader = Quoting(store)
    assert catch_up(store, reader) == 2 and reader.rows() == {"k": 1}
    [letter] = letters(store)
    assert letter.error == "ValueError: name 'a\\x00b\\ud800' refused"


def test_a_letter_settled_meanwhile_is_not_applied_again(store):
    add(store, 1, 2)
    reader = Totals(store, fail_on={2})
    catch_up(store, reader)
    [letter] = letters(store)
    reader.fail_on.clear()
    dead_letters.retry(store, reader, letter.id, "first@example.org")
    again = dead_letters.retry(store, reader, letter.id, "second@example.org")
    closed = dead_letters.dismiss(store, letter.id, "third@example.org")
    assert reader.rows() == {"k": 3} and again.resolved_by == "first@example.org"
    assert closed.status == "resolved"
