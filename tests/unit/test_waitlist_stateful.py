"""A stateful property test of a wait-list and the conference's SeatsAvailability, driven
as the hub drives them: joins, leaves, removals, public orders reserved, paid, expired and
cancelled, quantities raised, offers made, accepted, declined and expired, commands
delivered twice, and "crashes" (the state rebuilt from the logs, through a snapshot).

Whatever the order: never more seats held and sold than the quantity; every open offer is
held in SeatsAvailability for exactly its quantity, under its own id; an offer goes to the
first in line only; nobody is offered twice; public orders and nodes never take the seats
the line waits for."""
from datetime import timedelta

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from domain_givens import NOW, WORKSHOP
from shared_domain import seats_availability as sa
from shared_domain import waitlists as wl
from shared_domain.errors import DomainError
from shared_domain.seats import SeatQuantity, as_mapping

CONF = "c1"
EMAILS = [f"p{i}@example.com" for i in range(6)]


class WaitlistAndSeats(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.now = NOW
        self.seat_log = [sa.AvailableSeatsChanged(CONF, (SeatQuantity(WORKSHOP, 4),))]
        self.waitlist_log: list = []
        self.seats = sa.fold(self.seat_log)
        self.waitlist = None
        self.n = 0
        self.public: list[str] = []       # public orders holding seats
        self.sold: list[str] = []         # orders paid for (public or from offers)
        self.accepted: list[str] = []     # offers whose order holds the seats, not yet paid
        self.last_command = None
        self.offered_entries: list[str] = []

    def fresh(self, prefix):
        self.n += 1
        return f"{prefix}{self.n}"

    # --- the hub's two ways of writing ---------------------------------------

    def waitlist_command(self, command):
        """decide_with_seats, both logs appended together, or nothing on a refusal."""
        self.last_command = command
        try:
            events, seat_events = wl.decide_with_seats(self.waitlist, self.seats, command,
                                                       now=self.now)
        except DomainError:
            return []
        self.waitlist_log += events
        self.seat_log += seat_events
        self.waitlist = wl.fold(events, self.waitlist)
        self.seats = sa.fold(seat_events, self.seats)
        return events

    def seat_command(self, command):
        events = sa.decide(self.seats, command, now=self.now)
        self.seat_log += events
        self.seats = sa.fold(events, self.seats)
        return events

    # --- registrants on the list ----------------------------------------------

    @rule(email=st.sampled_from(EMAILS), quantity=st.integers(1, 3))
    def join(self, email, quantity):
        self.waitlist_command(wl.JoinWaitlist(CONF, WORKSHOP, self.fresh("e"), email,
                                              "Someone", quantity))

    def entries(self, *statuses):
        return [e for e in (self.waitlist.entries if self.waitlist else ())
                if e.status in statuses]

    @precondition(lambda self: self.entries(*wl.OPEN))
    @rule(data=st.data(), organiser=st.booleans())
    def leave_or_be_removed(self, data, organiser):
        entry = data.draw(st.sampled_from(self.entries(*wl.OPEN)))
        self.waitlist_command(
            wl.RemoveFromWaitlist(CONF, WORKSHOP, entry.entry_id, "owner") if organiser
            else wl.LeaveWaitlist(CONF, WORKSHOP, entry.entry_id))

    @rule(close=st.booleans())
    def close_or_reopen(self, close):
        self.waitlist_command((wl.CloseWaitlist if close else wl.ReopenWaitlist)(
            CONF, WORKSHOP, "owner"))

    # --- seats coming free, and the offers -------------------------------------

    @rule()
    def offer_freed_seats(self):
        first = next(iter(self.entries(wl.WAITING)), None)
        events = self.waitlist_command(wl.OfferFreedSeats(CONF, WORKSHOP, self.fresh("o")))
        for event in events:
            assert first is not None and event.entry_id == first.entry_id   # first in line
            assert event.entry_id not in self.offered_entries               # offered once
            self.offered_entries.append(event.entry_id)

    @precondition(lambda self: self.entries(wl.OFFERED))
    @rule(data=st.data(), outcome=st.sampled_from(["accept", "decline", "expire"]))
    def answer_an_offer(self, data, outcome):
        entry = data.draw(st.sampled_from(self.entries(wl.OFFERED)))
        if outcome == "expire":
            self.now = entry.offer_expires_at
            self.waitlist_command(wl.ExpireWaitlistOffer(CONF, WORKSHOP, entry.offer_id))
        elif outcome == "decline":
            self.waitlist_command(wl.DeclineWaitlistOffer(CONF, WORKSHOP, entry.offer_id))
        elif self.waitlist_command(wl.AcceptWaitlistOffer(CONF, WORKSHOP, entry.offer_id)):
            # the order placed on the offer reserves under the offer's id: takes it over
            self.seat_command(sa.MakeSeatReservation(
                CONF, entry.offer_id, (SeatQuantity(WORKSHOP, entry.quantity),), "x"))
            self.accepted.append(entry.offer_id)

    @precondition(lambda self: self.accepted)
    @rule(data=st.data(), paid=st.booleans())
    def accepted_order_paid_or_expired(self, data, paid):
        order = data.draw(st.sampled_from(self.accepted))
        self.accepted.remove(order)
        if paid:
            self.seat_command(sa.CommitSeatReservation(CONF, order))
            self.sold.append(order)
        else:
            self.seat_command(sa.CancelSeatReservation(CONF, order))

    @precondition(lambda self: self.last_command is not None)
    @rule()
    def redeliver_the_last_command(self):
        self.waitlist_command(self.last_command)

    @rule()
    def crash(self):
        """The process dies: the states are rebuilt from the logs (the seats through a
        snapshot of half their log and the rest folded on)."""
        half = len(self.seat_log) // 2
        memento = sa.snapshot(sa.fold(self.seat_log[:half]) or sa.SeatsAvailabilityState(CONF))
        self.seats = sa.fold(self.seat_log[half:], sa.from_snapshot(memento))
        self.waitlist = wl.fold(self.waitlist_log)

    @rule(minutes=st.integers(0, 60 * 30))
    def time_passes(self, minutes):
        self.now += timedelta(minutes=minutes)

    # --- the public, nodes and the organiser -------------------------------------

    @rule(quantity=st.integers(1, 4), node=st.booleans())
    def public_order_or_node_takes_seats(self, quantity, node):
        free, waiting = self.seats.remaining()[WORKSHOP], as_mapping(self.seats.waiting)
        public_free = max(free - waiting.get(WORKSHOP, 0), 0)
        if node:
            event, = self.seat_command(sa.AllocateSeatsToNode(
                CONF, "n1", 1, WORKSHOP, quantity, self.fresh("a")))
            assert event.quantity <= public_free
            return
        order = self.fresh("p")
        event, = self.seat_command(sa.MakeSeatReservation(
            CONF, order, (SeatQuantity(WORKSHOP, quantity),), "x"))
        assert as_mapping(event.reservation_details).get(WORKSHOP, 0) <= public_free
        self.public.append(order)

    @precondition(lambda self: self.public)
    @rule(data=st.data(), outcome=st.sampled_from(["pay", "expire"]))
    def public_order_settles(self, data, outcome):
        order = data.draw(st.sampled_from(self.public))
        self.public.remove(order)
        if outcome == "pay":
            self.seat_command(sa.CommitSeatReservation(CONF, order))
            self.sold.append(order)
        else:
            self.seat_command(sa.CancelSeatReservation(CONF, order))

    @precondition(lambda self: self.sold)
    @rule(data=st.data())
    def a_paid_order_is_cancelled(self, data):
        order = data.draw(st.sampled_from(self.sold))
        self.sold.remove(order)
        # the order's seats as it last reserved them (each SeatsReserved is the whole of it)
        last = [e for e in self.seat_log if isinstance(e, sa.SeatsReserved)
                and e.reservation_id == order][-1]
        self.seat_command(sa.ReleaseOrderSeats(CONF, order, last.reservation_details))

    @rule(more=st.integers(1, 3))
    def quantity_raised(self, more):
        self.seat_command(sa.SetSeatQuantity(CONF, WORKSHOP,
                                             self.seats.capacity(WORKSHOP) + more))

    # --- what must always hold ---------------------------------------------------

    @invariant()
    def never_more_held_and_sold_than_the_quantity(self):
        s = self.seats
        assert s.sold(WORKSHOP) + s.held(WORKSHOP) <= s.capacity(WORKSHOP)
        assert s.remaining()[WORKSHOP] >= 0

    @invariant()
    def every_open_offer_is_held_for_its_quantity_under_its_own_id(self):
        offers = [e for e in self.entries(wl.OFFERED)]
        assert len({e.offer_id for e in offers}) == len(offers)
        for entry in offers:
            held = self.seats.reservation(entry.offer_id)
            assert held is not None and as_mapping(held.seats) == {WORKSHOP: entry.quantity}

    @invariant()
    def ended_offers_hold_nothing(self):
        for entry in self.entries(wl.DECLINED, wl.EXPIRED, wl.LEFT, wl.REMOVED):
            if entry.offer_id:
                assert self.seats.reservation(entry.offer_id) is None

    @invariant()
    def the_seats_know_what_the_line_waits_for(self):
        demand = self.waitlist.demand() if self.waitlist else 0
        assert as_mapping(self.seats.waiting).get(WORKSHOP, 0) == demand

    @invariant()
    def replaying_the_logs_gives_the_same_states(self):
        assert sa.fold(self.seat_log) == self.seats
        assert wl.fold(self.waitlist_log) == self.waitlist


WaitlistAndSeats.TestCase.settings = settings(max_examples=150, stateful_step_count=40,
                                              deadline=None)
TestWaitlistAndSeats = WaitlistAndSeats.TestCase
