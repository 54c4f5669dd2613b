"""A log of on-site sales and allocation facts from a few doors, written the same way into
any number of hubs: the doors' facts as fixed envelopes (the same ids everywhere), the hub's
grants through its own publishing function, so every hub holds the same log at the same
positions and their readers' outputs can be compared."""
import hashlib

from hub.bootstrap import message_registry
from shared_domain import allocations, edge_facts, sales, seats_availability
from shared_domain.people import PersonalInfo
from sync_protocol.ingest import ingest

CONFERENCE = "01930000-0000-7000-8000-0000000c0f01"
AT = "2026-12-08T09:00:00+00:00"
HLC = "1796720400000-00000"
BUYER = PersonalInfo("Walk", "In", "walk.in@example.org", "Fabrikam")
PRICES = {"ga": 19900, "ws": 5000}


class SaleLog:
    """Facts in the order they reach the hub; `write_into(hub)` appends the ones not yet
    written there (call it again after more facts: the same hub continues)."""

    def __init__(self, conference: str = CONFERENCE):
        self.conference = conference
        self.registry = message_registry()
        self.seqs: dict[str, int] = {}
        self.steps: list[tuple[str, object]] = []    # ("door", envelope) | ("hub", message)
        self.written: dict[int, int] = {}             # id(hub) -> steps written into it

    # --- the hub's grants ------------------------------------------------------------------

    def grant(self, origin: str, seat_type: str, quantity: int) -> None:
        node_id, epoch = edge_facts.node_origin(origin)
        self.steps.append(("hub", seats_availability.SeatsAllocatedToNode(
            self.conference, node_id, epoch, seat_type, quantity, f"a-{len(self.steps)}")))

    # --- a door's facts ----------------------------------------------------------------------

    def sale(self, origin: str, sale_id: str, wanted: dict[str, int], *, method: str = "cash",
             reference: str = "", context: tuple[str, ...] = ()) -> sales.OnSiteSaleMade:
        node_id, epoch = edge_facts.node_origin(origin)
        lines = tuple(sales.SaleLine(t, t.upper(), q, PRICES[t], q * PRICES[t])
                      for t, q in wanted.items())
        seats = tuple(sales.SoldSeat(f"{sale_id}:{i}", i, t, f"CODE-{sale_id}-{i}")
                      for i, t in enumerate(t for t, q in wanted.items() for _ in range(q)))
        made = sales.OnSiteSaleMade(sale_id, self.conference, node_id, epoch, BUYER, "", lines,
                                    sum(line.line_total_cents for line in lines), method,
                                    reference, AT, "planner", seats, context)
        self.door(origin, made)
        return made

    def cancel(self, origin: str, sale_id: str, *, node_id: str | None = None) -> None:
        own_node, epoch = edge_facts.node_origin(origin)
        self.door(origin, sales.OnSiteSaleCancelled(sale_id, node_id or own_node, epoch, AT,
                                                    "planner", 100, "cash"))

    def hand_over(self, origin: str, to_origin: str, seat_type: str, quantity: int) -> None:
        node_id, epoch = edge_facts.node_origin(origin)
        to_node, to_epoch = edge_facts.node_origin(to_origin)
        self.door(origin, allocations.AllocationHandedOver(
            f"h-{len(self.steps)}", self.conference, node_id, epoch, to_node, to_epoch,
            seat_type, quantity, AT, "planner"))

    def give_back(self, origin: str, seat_type: str, quantity: int) -> None:
        node_id, epoch = edge_facts.node_origin(origin)
        self.door(origin, allocations.AllocationReturned(
            f"r-{len(self.steps)}", self.conference, node_id, epoch, seat_type, quantity, AT,
            "planner"))

    def top_up(self, origin: str, seat_type: str, quantity: int) -> None:
        node_id, epoch = edge_facts.node_origin(origin)
        self.door(origin, allocations.AllocationTopUpRequested(
            f"t-{len(self.steps)}", self.conference, node_id, epoch, seat_type, quantity, AT))

    def door(self, origin: str, message) -> None:
        """Any fact of a door's origin, as the node's replica would have stored it."""
        seq = self.seqs[origin] = self.seqs.get(origin, 0) + 1
        type_, schema, body = self.registry.encode(message)
        self.steps.append(("door", {
            "id": _event_id(origin, seq), "origin": origin, "seq": seq,
            "stream": edge_facts.edge_stream(origin), "version": seq, "type": type_,
            "schema": schema, "conference": self.conference, "data": body,
            "occurred_at": AT, "hlc": HLC}))

    def seq(self, origin: str) -> int:
        return self.seqs.get(origin, 0)

    # --- into a hub --------------------------------------------------------------------------

    def write_into(self, hub) -> None:
        """The facts not yet in this hub: runs of door facts ingested as a push stores them,
        grants published as the hub's seat allocation does."""
        start = self.written.get(id(hub), 0)
        run: list[dict] = []
        for kind, item in self.steps[start:]:
            if kind == "door":
                run.append(item)
                continue
            self._ingest(hub, run)
            run = []
            hub.publish(seats_availability.stream_id(self.conference), [item],
                        conference=self.conference)
        self._ingest(hub, run)
        self.written[id(hub)] = len(self.steps)

    @staticmethod
    def _ingest(hub, envelopes: list[dict]) -> None:
        if envelopes:
            result = ingest(hub.store, envelopes, source="test")
            assert len(result.stored) == len(envelopes), result.reply()


def _event_id(origin: str, seq: int) -> str:
    digest = hashlib.sha256(f"{origin}#{seq}".encode()).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-7{digest[13:16]}-8{digest[17:20]}-{digest[20:32]}"
