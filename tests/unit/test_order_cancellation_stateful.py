"""Orders reserved, sold and cancelled in any order, with the quantity changing and releases
delivered twice: every seat is counted once, a cancelled order's seats come back once, and
nothing offers more seats than the quantity."""
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from domain_givens import GA, NOW
from shared_domain.errors import DomainError
from shared_domain.seats import SeatQuantity
from shared_domain.seats_availability import (
    CommitSeatReservation, MakeSeatReservation, ReleaseOrderSeats, SetSeatQuantity, decide, fold,
    from_snapshot, snapshot,
)

CONF = "c1"
ORDERS = st.sampled_from(["o1", "o2", "o3"])
QUANTITY = st.integers(min_value=0, max_value=12)


class CancellationMachine(RuleBasedStateMachine):
    """The aggregate beside a model of each order's seats: held, sold or given back."""

    def __init__(self):
        super().__init__()
        self.state = None
        self.quantity = 0
        self.held: dict[str, int] = {}
        self.sold: dict[str, int] = {}
        self.cancelled: set[str] = set()
        self.released_with: dict[str, int] = {}

    @initialize(quantity=st.integers(min_value=4, max_value=12))
    def offer_seats(self, quantity):
        self.run(SetSeatQuantity(CONF, GA, quantity))
        self.quantity = quantity

    def run(self, command):
        events = decide(self.state, command, now=NOW)
        self.state = fold(events, self.state)
        return events

    @rule(quantity=QUANTITY)
    def change_quantity(self, quantity):
        try:
            self.run(SetSeatQuantity(CONF, GA, quantity))
        except DomainError:
            assert quantity < sum(self.sold.values()) + sum(self.held.values())
        else:
            self.quantity = quantity

    @rule(order=ORDERS, wanted=QUANTITY)
    def reserve(self, order, wanted):
        if order in self.sold:
            return      # a confirmed order reserves no more (its process is completed)
        events = self.run(MakeSeatReservation(CONF, order, (SeatQuantity(GA, wanted),), "c"))
        if order in self.cancelled:
            assert events == []         # a cancelled order's reservation gets nothing
            return
        self.held[order] = sum(q.quantity for q in events[0].reservation_details)

    @rule(order=ORDERS)
    def confirm(self, order):
        self.run(CommitSeatReservation(CONF, order))
        if order in self.held:
            self.sold[order] = self.held.pop(order)

    @rule(order=ORDERS)
    def cancel(self, order):
        # A cancelled order's release sent again carries the seats it first held.
        holds = self.released_with.setdefault(order, self.held.get(order,
                                                                   self.sold.get(order, 0)))
        self.run(ReleaseOrderSeats(CONF, order, (SeatQuantity(GA, holds),)))
        self.held.pop(order, None)
        self.sold.pop(order, None)
        self.cancelled.add(order)

    @rule()
    def through_a_snapshot(self):
        if self.state is not None:
            self.state = from_snapshot(snapshot(self.state))

    @invariant()
    def every_seat_is_counted_once_within_the_quantity(self):
        if self.state is None:
            return
        available = self.state.remaining().get(GA, 0)
        held, sold = sum(self.held.values()), sum(self.sold.values())
        assert available >= 0
        assert (self.state.held(GA), self.state.sold(GA)) == (held, sold)
        assert available + held + sold == self.quantity


CancellationMachine.TestCase.settings = settings(max_examples=300, stateful_step_count=30,
                                                 deadline=None)
test_cancellations_in_any_order_count_every_seat_once = CancellationMachine.TestCase
