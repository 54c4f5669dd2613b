"""Hypothesis: the on-site sales rules applied a slice of the log at once
(OnSiteSales.apply_many) end exactly where applying the same log one event at a time ends:
the same ledger, sale records, pending checks (in their order), conflicts, commands, dead
letters and appended events, whatever the facts (grants, sales, cancellations, hand-overs,
returns, top-ups, sales waiting for a peer's facts, reused receipts, broken facts) and
however the log is cut into slices. Two hubs on SQLite files get the same log."""
import contextlib
import datetime as dt
import tempfile

from hypothesis import HealthCheck, example, given, settings, strategies as st

from hub.bootstrap import HubConfig, bootstrap
from hub.venue.onsite_sales import OnSiteSales
from hub.venue.origins import OriginGuard
from shared_domain import edge_facts
from event_store.readers import feed
from tests.support.sale_log import SaleLog

A, B, A2 = "door-a:1", "door-b:1", "door-a:2"   # door A, door B, door A restored (epoch 2)
DOORS = [A, B, A2]
UNKNOWN_PEER = "door-c:1"                         # a peer whose facts never reach the hub
HUB = "hub"           # a faulty node's context may name the hub's origin: its nth event
SEAT_TYPES = ["ga", "ws"]
REFERENCES = ["", "R-1", "R-2"]
NOON = dt.datetime(2026, 12, 8, 12, tzinfo=dt.timezone.utc)
# Each example opens two hubs (every context's tables): 60 keep the file near half a minute.
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


class OneByOne:
    """The reader without its apply_many: the feed applies its slices one event at a time."""

    def __init__(self, reader):
        self.reader, self.name, self.handles = reader, reader.name, reader.handles

    def apply(self, event):
        self.reader.apply(event)


class Watched:
    """The reader, noting every slice its apply_many gave up on (the feed then goes one by one)."""

    def __init__(self, reader):
        self.reader, self.name, self.handles = reader, reader.name, reader.handles
        self.gave_up: list[Exception] = []

    def apply(self, event):
        self.reader.apply(event)

    def apply_many(self, events):
        try:
            self.reader.apply_many(events)
        except Exception as error:
            self.gave_up.append(error)
            raise


door = st.sampled_from(DOORS)
seat_type = st.sampled_from(SEAT_TYPES)
quantity = st.integers(0, 3)
sale_no = st.integers(0, 7)
STEPS = {
    "sale": st.tuples(st.just("sale"), door, sale_no,
                      st.dictionaries(seat_type, st.integers(1, 2), min_size=1, max_size=2),
                      st.sampled_from(["cash", "card_terminal"]), st.sampled_from(REFERENCES),
                      st.lists(st.tuples(st.sampled_from([*DOORS, UNKNOWN_PEER, HUB]),
                                         st.integers(-1, 3)), max_size=2)),
    "grant": st.tuples(st.just("grant"), door, seat_type, quantity),
    "cancel": st.tuples(st.just("cancel"), door, sale_no),
    "hand_over": st.tuples(st.just("hand_over"), door, door, seat_type, st.integers(1, 2)),
    "give_back": st.tuples(st.just("give_back"), door, seat_type, st.integers(1, 2)),
    "top_up": st.tuples(st.just("top_up"), door, seat_type, st.integers(1, 2)),
    "feed": st.tuples(st.just("feed"), st.integers(1, 9)),
    "broken": st.tuples(st.just("broken"), door, sale_no),           # the rules raise on it
    "foreign_cancel": st.tuples(st.just("foreign_cancel"), door, sale_no),   # the guard does
}
# How often each kind comes (sampled_from draws an index, so repeats weigh).
KINDS = (["sale"] * 8 + ["grant"] * 3 + ["cancel"] * 3 + ["feed"] * 3 + ["hand_over"] * 2
         + ["give_back", "top_up"] + ["broken", "foreign_cancel"])
steps = st.lists(st.sampled_from(KINDS).flatmap(STEPS.__getitem__), min_size=6, max_size=60)

def write(log: SaleLog, item) -> None:
    kind, *args = item
    if kind == "grant":
        log.grant(*args)
    elif kind == "sale":
        origin, n, wanted, method, reference, context = args
        log.sale(origin, f"sale-{n}", wanted, method=method, reference=reference,
                 context=tuple(f"{edge_facts.hub_origin(log.conference)}@{3 * ahead + 3}"
                               if peer == HUB else f"{peer}@{max(0, log.seq(peer) + ahead)}"
                               for peer, ahead in context if peer != origin))
    elif kind == "cancel":
        log.cancel(args[0], f"sale-{args[1]}")
    elif kind == "hand_over":
        log.hand_over(*args)
    elif kind == "give_back":
        log.give_back(*args)
    elif kind == "top_up":
        log.top_up(*args)
    elif kind == "broken":
        log.sale(args[0], f"sale-{args[1]}", {"ga": 1}, context=("no-seq-here",))
    elif kind == "foreign_cancel":
        log.cancel(args[0], f"sale-{args[1]}", node_id="door-z")


def caught_up(hub, reader, batch: int) -> None:
    while True:
        with hub.db.atomic():
            if not feed(hub.store, [reader], batch=batch):
                return


def outcome(hub) -> dict:
    """Everything the reader leaves behind, without what differs by nature (the hub's own
    event and command ids, stamps taken from the wall clock)."""
    m, log = hub.models, hub.store.models
    E, Q, D = log.EventRecord, m.QueuedCommand, log.DeadLetter
    return {
        "ledger": sorted(tuple(sorted({k: v for k, v in row.items() if k != "id"}.items()))
                         for row in m.NodeLedger.select().dicts()),
        "sales": sorted(tuple(sorted(row.items())) for row in m.SaleRecord.select().dicts()),
        "pending": [tuple(row.values()) for row in m.PendingSaleCheck.select().dicts()],
        "conflicts": sorted(tuple(sorted(row.items())) for row in m.Conflict.select().dicts()),
        "commands": [(c.type, c.body, c.status) for c in Q.select()],
        "events": [(e.position, e.origin, e.seq, e.stream, e.version, e.type, e.data,
                    e.causation, e.correlation) for e in E.select().order_by(E.position)],
        "dead_letters": sorted((d.reader, d.event_id, d.error) for d in D.select()),
        "positions": [(r.name, r.position) for r in log.ReaderPosition.select()],
    }


@contextlib.contextmanager
def fresh_hub(db_url=None):
    with tempfile.TemporaryDirectory() as folder:
        hub = bootstrap(HubConfig(data_dir=folder, db_url=db_url), lambda: NOON)
        try:
            yield hub
        finally:
            hub.close()


@SETTINGS
@given(steps=steps, last_batch=st.integers(1, 500))
# A sale waiting for door A's next fact is judged on that fact, the last of the log.
@example(steps=[("sale", B, 0, {"ga": 1}, "cash", "", [(A, 1)]), ("top_up", A, "ga", 1)],
         last_batch=500)
# A sale waiting for the hub's 6th event is judged at the next door fact, not at a grant.
@example(steps=[("sale", B, 0, {"ga": 2}, "cash", "", [(HUB, 1)]), ("feed", 9),
                ("grant", B, "ga", 1), ("grant", B, "ga", 1), ("top_up", A, "ga", 1)],
         last_batch=500)
def test_a_slice_at_once_ends_where_one_event_at_a_time_ends(steps, last_batch):
    log = SaleLog()
    log.grant(A, "ga", 2)
    with fresh_hub() as one_hub, fresh_hub() as many_hub:
        one = OriginGuard(OneByOne(OnSiteSales(one_hub)))
        watched = Watched(OnSiteSales(many_hub))
        many = OriginGuard(watched)
        for item in [*steps, ("feed", last_batch)]:
            if item[0] != "feed":
                write(log, item)
                continue
            for hub, reader in ((one_hub, one), (many_hub, many)):
                log.write_into(hub)
                caught_up(hub, reader, item[1])
        assert outcome(many_hub) == outcome(one_hub)
        if not any(item[0] == "broken" for item in steps):
            assert watched.gave_up == []   # the slices were applied at once, not one by one


def test_five_hundred_sales_in_one_slice_end_as_one_by_one():
    """One pump round's slice: 500 sales of two doors, some waiting for the other door's
    hand-over, some over the allocation, some with a reused receipt, some cancelled."""
    with fresh_hub() as one_hub, fresh_hub() as many_hub:
        five_hundred_sales_both_ways(one_hub, many_hub)


def test_five_hundred_sales_in_one_slice_end_as_one_by_one_on_postgres(postgres_cluster):
    with fresh_hub(postgres_cluster.new_database()) as one_hub, \
            fresh_hub(postgres_cluster.new_database()) as many_hub:
        five_hundred_sales_both_ways(one_hub, many_hub)


def five_hundred_sales_both_ways(one_hub, many_hub) -> None:
    log = SaleLog()
    log.grant(A, "ga", 300)
    for i in range(500):
        origin = A if i % 2 else B
        context = (f"{A}@{log.seq(A) + 1}",) if origin == B and i % 10 == 0 else ()
        log.sale(origin, f"sale-{i}", {"ga": 1 + i % 2}, method="card_terminal",
                 reference=f"R-{i % 240}", context=context)
        if i % 50 == 49:
            log.hand_over(A, B, "ga", 5)
            log.cancel(origin, f"sale-{i - 2}")
    watched = Watched(OnSiteSales(many_hub))
    for hub, reader in ((one_hub, OriginGuard(OneByOne(OnSiteSales(one_hub)))),
                        (many_hub, OriginGuard(watched))):
        log.write_into(hub)
        caught_up(hub, reader, 600)
    found = outcome(many_hub)
    assert found == outcome(one_hub) and watched.gave_up == []
    assert {dict(c)["kind"] for c in found["conflicts"]} == {
        "sale_beyond_allocation", "payment_reference_reused"}
