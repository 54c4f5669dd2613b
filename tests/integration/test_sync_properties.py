"""Hypothesis stateful test of the sync protocol over a lossy network, with crashes.

The real store and the real ingest rules; the network between replicas is modelled:
requests dropped, replies dropped after the receiver committed, messages duplicated.
"""
import peewee
from hypothesis import settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from sync_protocol.ingest import events_missing_from, events_of, ingest
from event_store.registry import EventRegistry, UnknownEvent
from event_store.store import EventStore
from sync_protocol.wire import to_wire

CONFERENCE = "conf-1"
NODES = ("n1", "n2", "n3")
DELIVERY = st.sampled_from(["ok", "ok", "ok", "drop_request", "drop_reply", "duplicate"])


def new_store():
    db = peewee.SqliteDatabase(":memory:")
    store = EventStore(db, EventRegistry())
    store.create_tables()
    return store


class Node:
    def __init__(self, name):
        self.name = name
        self.origin = f"{name}:1"
        self.store = new_store()
        self.hub_acked = {}      # what the hub acknowledged, as far as this node knows (memory)
        self.cursor = 0          # hub feed position, durable (kept with the store)


class SyncProtocol(RuleBasedStateMachine):
    @initialize()
    def setup(self):
        self.hub = new_store()
        self.nodes = {name: Node(name) for name in NODES}
        self.hub_seq = 0
        # (receiver, origin, seq) acknowledged to a sender: must never be lost
        self.acknowledged = set()

    # --- things happening -----------------------------------------------------------

    @rule(name=st.sampled_from(NODES), count=st.integers(1, 7))
    def node_records_facts(self, name, count):
        node = self.nodes[name]
        node.store.append(f"edge-{node.origin}", None,
                          [UnknownEvent("Fact", 1, {"n": i}) for i in range(count)],
                          origin=node.origin, conference=CONFERENCE)

    @rule(count=st.integers(1, 3))
    def hub_records_events(self, count):
        self.hub_seq += 1
        self.hub.append(f"order-{self.hub_seq}", 0,
                        [UnknownEvent("HubFact", 1, {"k": i}) for i in range(count)],
                        origin=f"hub/{CONFERENCE}", conference=CONFERENCE)

    @rule(name=st.sampled_from(NODES), delivery=DELIVERY, batch=st.integers(1, 6))
    def node_pushes_to_hub(self, name, delivery, batch):
        node = self.nodes[name]
        for origin, held in node.store.version_vector(CONFERENCE).items():
            acked = node.hub_acked.get(origin, 0)
            if origin.startswith("hub/") or acked >= held:
                continue
            events = [to_wire(e) for e in events_of(node.store, origin, acked, batch)]
            if delivery == "drop_request":
                return
            result = ingest(self.hub, events, source=name)
            if delivery == "duplicate":
                result = ingest(self.hub, events, source=name)
            if delivery == "drop_reply":
                return
            self._acknowledge("hub", result.acked_through)
            node.hub_acked.update(result.acked_through)
            return

    @rule(name=st.sampled_from(NODES), delivery=DELIVERY, limit=st.integers(1, 8))
    def node_pulls_from_hub(self, name, delivery, limit):
        node = self.nodes[name]
        page = [to_wire(e) for e in self.hub.read_all(node.cursor, limit, CONFERENCE)]
        if delivery in ("drop_request", "drop_reply") or not page:
            return
        for _ in range(2 if delivery == "duplicate" else 1):
            with node.store.atomic():
                result = ingest(node.store, page, source="hub")
                if result.processed:
                    node.cursor = max(node.cursor, page[result.processed - 1]["position"])

    @rule(a=st.sampled_from(NODES), b=st.sampled_from(NODES), delivery=DELIVERY,
          limit=st.integers(1, 10))
    def peers_gossip(self, a, b, delivery, limit):
        if a == b or delivery == "drop_request":
            return
        sender, receiver = self.nodes[a], self.nodes[b]
        missing = events_missing_from(sender.store, receiver.store.version_vector(CONFERENCE),
                                      conference=CONFERENCE, limit=limit)
        result = ingest(receiver.store, [to_wire(e) for e in missing], source=a)
        if delivery == "duplicate":
            ingest(receiver.store, [to_wire(e) for e in missing], source=a)
        if delivery != "drop_reply":
            self._acknowledge(b, result.acked_through)

    @rule(name=st.sampled_from(NODES))
    def node_crashes_and_restarts(self, name):
        self.nodes[name].hub_acked = {}  # memory is lost; the database is not

    @rule(name=st.sampled_from(NODES))
    def node_learns_the_hub_vector(self, name):
        self.nodes[name].hub_acked = dict(self.hub.version_vector(CONFERENCE))

    # --- what must always hold ---------------------------------------------------------

    def _acknowledge(self, receiver, acked_through):
        for origin, seq in acked_through.items():
            for s in range(1, seq + 1):
                self.acknowledged.add((receiver, origin, s))

    def _store(self, who):
        return self.hub if who == "hub" else self.nodes[who].store

    @invariant()
    def nothing_acknowledged_is_lost(self):
        if not hasattr(self, "hub"):
            return
        for receiver, origin, seq in self.acknowledged:
            assert self._store(receiver).version_vector().get(origin, 0) >= seq

    @invariant()
    def every_origin_is_held_contiguously_and_once(self):
        if not hasattr(self, "hub"):
            return
        for store in [self.hub] + [n.store for n in self.nodes.values()]:
            E = store.models.EventRecord
            for origin, held in store.version_vector().items():
                seqs = [r.seq for r in E.select(E.seq).where(E.origin == origin).order_by(E.seq)]
                assert seqs == list(range(1, held + 1))

    @invariant()
    def replicas_agree_on_every_event_they_share(self):
        if not hasattr(self, "hub"):
            return
        digests = {}
        for store in [self.hub] + [n.store for n in self.nodes.values()]:
            for row in store.models.EventRecord.select():
                key = (row.origin, row.seq)
                assert digests.setdefault(key, row.payload_hash) == row.payload_hash

    def teardown(self):
        if not hasattr(self, "hub"):
            return
        # The network heals: sync everything until quiet, and all replicas converge.
        for _ in range(20):
            for node in self.nodes.values():
                node.hub_acked = dict(self.hub.version_vector(CONFERENCE))
                for origin, held in node.store.version_vector(CONFERENCE).items():
                    acked = node.hub_acked.get(origin, 0)
                    if not origin.startswith("hub/") and acked < held:
                        ingest(self.hub, [to_wire(e) for e in events_of(node.store, origin, acked, 1000)],
                               source=node.name)
            for node in self.nodes.values():
                page = [to_wire(e) for e in self.hub.read_all(node.cursor, 10_000, CONFERENCE)]
                if page:
                    ingest(node.store, page, source="hub")
                    node.cursor = page[-1]["position"]
        everything = self.hub.version_vector(CONFERENCE)
        for node in self.nodes.values():
            assert node.store.version_vector(CONFERENCE) == everything
        assert sum(everything.values()) == self.hub.count()


SyncProtocol.TestCase.settings = settings(max_examples=40, stateful_step_count=40,
                                          deadline=None)
test_sync_protocol = SyncProtocol.TestCase
