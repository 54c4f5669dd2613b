"""A seat type's quantity changed in any order with reservations, sales and node allocations:
what is free, held, sold and allocated never adds up to more than the quantity."""
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from domain_givens import GA, NOW
from shared_domain.errors import DomainError
from shared_domain.seats import SeatQuantity
from shared_domain.seats_availability import (
    AllocateSeatsToNode, CancelSeatReservation, CommitSeatReservation, MakeSeatReservation,
    SeatsAllocatedToNode, SeatsReserved, SetSeatQuantity, TakeBackNodeSeats, decide, fold,
)

CONF = "c1"
RESERVATIONS = st.sampled_from(["r1", "r2", "r3"])
QUANTITY = st.integers(min_value=0, max_value=12)


class SeatQuantityMachine(RuleBasedStateMachine):
    """The aggregate beside a model that counts each seat by where it is."""

    def __init__(self):
        super().__init__()
        self.state = None
        self.quantity = 0
        self.held: dict[str, int] = {}
        self.sold = 0
        self.allocated = 0
        self.returns = 0

    def run(self, command):
        events = decide(self.state, command, now=NOW)
        self.state = fold(events, self.state)
        return events

    @rule(quantity=QUANTITY)
    def change_quantity(self, quantity):
        try:
            self.run(SetSeatQuantity(CONF, GA, quantity))
        except DomainError as refusal:
            gone = self.sold + self.allocated
            assert quantity < gone + sum(self.held.values()), refusal.message
            assert refusal.code == ("quantity_below_sold" if quantity < gone
                                    else "quantity_below_held")
        else:
            self.quantity = quantity

    @rule(reservation=RESERVATIONS, wanted=QUANTITY)
    def reserve(self, reservation, wanted):
        if reservation == "sold":
            return
        events = self.run(MakeSeatReservation(CONF, reservation, (SeatQuantity(GA, wanted),),
                                              f"cmd-{reservation}"))
        got = next((e for e in events if isinstance(e, SeatsReserved)), None)
        self.held[reservation] = sum(q.quantity for q in got.reservation_details)
        assert self.held[reservation] <= wanted

    @rule(reservation=RESERVATIONS)
    def release(self, reservation):
        self.run(CancelSeatReservation(CONF, reservation))
        self.held.pop(reservation, None)

    @rule(reservation=RESERVATIONS)
    def confirm(self, reservation):
        self.run(CommitSeatReservation(CONF, reservation))
        self.sold += self.held.pop(reservation, 0)

    @rule(asked=st.integers(1, 12))
    def allocate(self, asked):
        [granted] = self.run(AllocateSeatsToNode(CONF, "n1", 1, GA, asked, f"a{asked}"))
        assert isinstance(granted, SeatsAllocatedToNode) and granted.quantity <= asked
        self.allocated += granted.quantity

    @rule(data=st.data())
    def give_back(self, data):
        if self.allocated == 0:
            return
        count = data.draw(st.integers(1, self.allocated))
        self.returns += 1
        self.run(TakeBackNodeSeats(CONF, "n1", 1, GA, count, f"ret{self.returns}"))
        self.allocated -= count

    @invariant()
    def every_seat_is_counted_once_within_the_quantity(self):
        if self.state is None:
            return
        available = self.state.remaining().get(GA, 0)
        held = sum(self.held.values())
        assert available >= 0
        assert self.state.held(GA) == held
        assert self.state.sold(GA) == self.sold + self.allocated
        assert available + held + self.sold + self.allocated <= self.quantity
        # Nothing is lost either: every seat of the quantity is somewhere.
        assert available + held + self.sold + self.allocated == self.quantity


SeatQuantityMachine.TestCase.settings = settings(max_examples=150, stateful_step_count=30,
                                                 deadline=None)
test_seat_quantity_changes_in_any_order = SeatQuantityMachine.TestCase
