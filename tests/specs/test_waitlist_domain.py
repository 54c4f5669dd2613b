"""The wait-list feature at the domain level: the pure SeatsAvailability and Waitlist
deciders, driven as the hub's handlers and its offer reader drive them."""
from datetime import datetime, timezone

import pytest
from pytest_bdd import scenarios

from shared_domain import seats_availability as sa
from shared_domain import waitlists as wl
from shared_domain.seats import SeatQuantity, as_mapping
from tests.specs.waitlist_steps import *  # noqa: F401,F403  (the feature's steps)

scenarios("features/waitlist.feature")
CONF = "cqrs-summit"


class DomainWorld:
    def __init__(self):
        self.now = datetime(2026, 5, 4, 9, 0, tzinfo=timezone.utc)
        self.seats = None
        self.lists: dict[str, wl.WaitlistState | None] = {}
        self.emails: dict[tuple[str, str], str] = {}      # (person, seat type) -> entry id
        self.registrant_reservation = {}
        self.n = 0

    def fresh(self, prefix):
        self.n += 1
        return f"{prefix}-{self.n}"

    def seat(self, command):
        events = sa.decide(self.seats, command, now=self.now)
        self.seats = sa.fold(events, self.seats)
        return events

    def waitlist(self, command):
        state = self.lists.get(command.seat_type)
        events, seat_events = wl.decide_with_seats(state, self.seats, command, now=self.now)
        self.lists[command.seat_type] = wl.fold(events, state)
        self.seats = sa.fold(seat_events, self.seats)
        return events

    def offer_freed_seats(self, seat_type):
        """What the hub's offer reader does when seats come free: offer until nobody fits."""
        while self.waitlist(wl.OfferFreedSeats(CONF, seat_type, self.fresh("offer"))):
            pass

    # --- the steps' vocabulary ---------------------------------------------------

    def conference(self, seat_types):
        for name, (_price, quota) in seat_types.items():
            self.seat(sa.SetSeatQuantity(CONF, name, quota))

    def sell_out(self, seat_type):
        left = self.seats.remaining()[seat_type]
        for order, quantity in ((f"sold-{seat_type}", left - 1), (f"single-{seat_type}", 1)):
            self.seat(sa.MakeSeatReservation(CONF, order, (SeatQuantity(seat_type, quantity),),
                                             "c"))
            self.seat(sa.CommitSeatReservation(CONF, order))

    def join(self, person, seat_type, quantity):
        entry_id = self.fresh("entry")
        self.waitlist(wl.JoinWaitlist(CONF, seat_type, entry_id, f"{person}@example.org",
                                      person, quantity))
        self.emails[(person, seat_type)] = entry_id

    def place(self, chosen, to_wait):
        for seat_type, quantity in to_wait.items():
            if quantity:
                self.join("registrant", seat_type, quantity)
        wanted = tuple(SeatQuantity(t, q) for t, q in chosen.items() if q)
        if wanted:
            event, = self.seat(sa.MakeSeatReservation(CONF, "registrant-order", wanted, "c"))
            self.registrant_reservation = as_mapping(event.reservation_details)

    def entries_of(self, person):
        for (who, seat_type), entry_id in self.emails.items():
            if who == person:
                yield seat_type, self.lists[seat_type].entry(entry_id)

    def waiting_of(self, person):
        return {t: e.quantity for t, e in self.entries_of(person) if e.status == wl.WAITING}

    def reserved(self):
        return {t: q for t, q in self.registrant_reservation.items() if q}

    def cancel_single_order(self, seat_type):
        self.seat(sa.ReleaseOrderSeats(CONF, f"single-{seat_type}", (SeatQuantity(seat_type, 1),)))
        self.offer_freed_seats(seat_type)

    def offer_of(self, person, seat_type):
        entry = self.lists[seat_type].entry(self.emails[(person, seat_type)])
        return entry.status, entry.quantity, entry.offer_expires_at - self.now

    def status_of(self, person):
        (_, entry), = self.entries_of(person)
        return entry.status

    def public_reserves(self, seat_type, quantity):
        event, = sa.decide(self.seats, sa.MakeSeatReservation(
            CONF, "someone-else", (SeatQuantity(seat_type, quantity),), "c"), now=self.now)
        return as_mapping(event.reservation_details).get(seat_type, 0)

    def pass_time(self, delta):
        self.now += delta
        for seat_type, state in self.lists.items():      # the offers' alarms go off
            for entry in state.entries:
                if entry.status == wl.OFFERED and entry.offer_expires_at <= self.now:
                    self.waitlist(wl.ExpireWaitlistOffer(CONF, seat_type, entry.offer_id))
            self.offer_freed_seats(seat_type)

    def take_offer(self, person):
        (seat_type, entry), = self.entries_of(person)
        self.waitlist(wl.AcceptWaitlistOffer(CONF, seat_type, entry.offer_id))
        # the order placed on the offer reserves under the offer's id
        event, = self.seat(sa.MakeSeatReservation(
            CONF, entry.offer_id, (SeatQuantity(seat_type, entry.quantity),), "c"))
        self.orders = {person: as_mapping(event.reservation_details)}

    def order_of(self, person):
        return self.orders[person]


@pytest.fixture
def world():
    return DomainWorld()
