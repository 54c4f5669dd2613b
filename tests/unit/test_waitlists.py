"""Wait-list specs: given events, when a command, then events or a refusal code; the seats
an offer holds in SeatsAvailability, and the seats kept for the line."""
from datetime import timedelta

import pytest

from domain_givens import NOW, WORKSHOP
from shared_domain import seats_availability as sa
from shared_domain import waitlists as wl
from shared_domain.errors import DomainError
from shared_domain.seats import SeatQuantity

CONF = "c1"


def joined(entry_id, quantity=1, email=None, at=NOW):
    return wl.WaitlistJoined(CONF, WORKSHOP, entry_id, email or f"{entry_id}@example.com",
                             entry_id.title(), quantity, at)


def seats_with(free=0, capacity=10):
    """Availability with `capacity` seats of which `free` are still free (the rest sold)."""
    state = sa.fold([sa.AvailableSeatsChanged(CONF, (SeatQuantity(WORKSHOP, capacity),))])
    taken = capacity - free
    if taken:
        state = sa.fold([sa.SeatsReserved(CONF, "sold", (SeatQuantity(WORKSHOP, taken),),
                                          (SeatQuantity(WORKSHOP, -taken),)),
                         sa.SeatsReservationCommitted(CONF, "sold")], state)
    return state


def decide(events, command, *, seats=None, now=NOW):
    """Decide on the given wait-list, its demand already known to the seats (as the hub
    keeps them, in one transaction)."""
    waitlist = wl.fold(events)
    seats = seats or seats_with()
    if waitlist is not None:
        seats = sa.fold(sa.decide(seats, sa.SetWaitingDemand(CONF, WORKSHOP, waitlist.demand()),
                                  now=now), seats)
    return wl.decide_with_seats(waitlist, seats, command, now=now)


def refusal(events, command, **kw) -> str:
    with pytest.raises(DomainError) as refused:
        decide(events, command, **kw)
    return refused.value.code


def join(entry_id, quantity=1, email=None):
    return wl.JoinWaitlist(CONF, WORKSHOP, entry_id, email or f"{entry_id}@example.com",
                           entry_id.title(), quantity)


def offer(offer_id="o1"):
    return wl.OfferFreedSeats(CONF, WORKSHOP, offer_id)


def test_waitlists_live_in_one_stream_per_conference_and_seat_type():
    assert wl.stream_id("c1", "workshop") == "waitlist-c1-workshop"


def test_joining_puts_the_registrant_at_the_end_and_keeps_their_seats_from_the_public():
    events, seat_events = decide([joined("ann", 2)], join("bob", 3))
    assert events == [joined("bob", 3)]
    assert seat_events == [sa.WaitingDemandChanged(CONF, WORKSHOP, 5,
                                                   (SeatQuantity(WORKSHOP, -3),))]


@pytest.mark.parametrize("quantity", [0, -1, 21, True, "2"])
def test_a_quantity_outside_one_to_twenty_is_refused(quantity):
    assert refusal([], join("ann", quantity)) == "invalid_quantity"


def test_one_open_entry_per_email_whatever_its_case():
    assert refusal([joined("ann", email="Ann@Example.com")],
                   join("ann2", email=" ann@example.COM")) == "already_on_waitlist"


def test_after_leaving_the_same_email_may_join_again():
    events = [joined("ann"), wl.WaitlistLeft(CONF, WORKSHOP, "ann")]
    assert decide(events, join("ann2", email="ann@example.com"))[0][0].entry_id == "ann2"


def test_a_closed_list_takes_nobody():
    assert refusal([wl.WaitlistClosed(CONF, WORKSHOP, "owner")], join("ann")) == "waitlist_closed"


def test_a_full_list_takes_nobody(monkeypatch):
    monkeypatch.setattr(wl, "MAX_OPEN_ENTRIES", 2)
    assert refusal([joined("ann"), joined("bob")], join("cat")) == "waitlist_full"


def test_the_same_join_delivered_twice_joins_once():
    assert decide([joined("ann")], join("ann")) == ([], [])


def test_bad_email_and_blank_name_are_refused():
    assert refusal([], join("ann", email="nope")) == "invalid_email"
    assert refusal([], wl.JoinWaitlist(CONF, WORKSHOP, "x", "a@b.example", " ", 1)) == "invalid_name"


def test_freed_seats_go_to_the_first_in_line_and_are_held_under_the_offer():
    events, seat_events = decide([joined("ann", 2), joined("bob", 1)], offer("o1"),
                                 seats=seats_with(free=2))
    assert events == [wl.WaitlistOfferMade(CONF, WORKSHOP, "o1", "ann", 2,
                                           NOW + timedelta(hours=24))]
    assert seat_events == [
        sa.SeatsReserved(CONF, "o1", (SeatQuantity(WORKSHOP, 2),), (SeatQuantity(WORKSHOP, -2),)),
        sa.WaitingDemandChanged(CONF, WORKSHOP, 1, (SeatQuantity(WORKSHOP, 2),))]


def test_nobody_passes_the_first_in_line_when_their_seats_are_not_all_free():
    assert decide([joined("ann", 3), joined("bob", 1)], offer(), seats=seats_with(free=2)) \
        == ([], [])


def test_an_entry_is_offered_once_and_an_offer_id_used_once():
    given = [joined("ann"), joined("bob"),
             wl.WaitlistOfferMade(CONF, WORKSHOP, "o1", "ann", 1, NOW + timedelta(hours=1))]
    assert decide(given, offer("o1"), seats=seats_with(free=5)) == ([], [])
    events, _ = decide(given, offer("o2"), seats=seats_with(free=5))
    assert [(e.offer_id, e.entry_id) for e in events] == [("o2", "bob")]


def test_a_closed_list_offers_nothing_and_its_demand_goes_back_to_the_public():
    events, seat_events = decide([joined("ann", 2)], wl.CloseWaitlist(CONF, WORKSHOP, "owner"))
    assert seat_events[-1].waiting == 0
    assert decide([joined("ann"), *events], offer(), seats=seats_with(free=5)) == ([], [])


def test_the_offer_window_is_the_lists_own():
    given = [joined("ann"), wl.OfferWindowSet(CONF, WORKSHOP, 60, "owner")]
    events, _ = decide(given, offer(), seats=seats_with(free=1))
    assert events[0].expires_at == NOW + timedelta(minutes=60)


@pytest.mark.parametrize("minutes", [14, 14 * 24 * 60 + 1, 2.5])
def test_an_offer_window_out_of_bounds_is_refused(minutes):
    assert refusal([], wl.SetOfferWindow(CONF, WORKSHOP, minutes, "o")) == "invalid_offer_window"


OFFERED = [joined("ann", 2), wl.WaitlistOfferMade(CONF, WORKSHOP, "o1", "ann", 2,
                                                  NOW + timedelta(hours=1))]


def held_offer(free_after=0):
    seats = seats_with(free=free_after + 2)
    return sa.fold([sa.SeatsReserved(CONF, "o1", (SeatQuantity(WORKSHOP, 2),),
                                     (SeatQuantity(WORKSHOP, -2),))], seats)


def test_an_offer_is_accepted_before_it_ends_and_keeps_its_seats():
    events, seat_events = decide(OFFERED, wl.AcceptWaitlistOffer(CONF, WORKSHOP, "o1"),
                                 seats=held_offer())
    assert events == [wl.WaitlistOfferAccepted(CONF, WORKSHOP, "o1", "ann")]
    assert seat_events == []


def test_accepting_after_the_end_is_refused_even_before_the_alarm():
    later = NOW + timedelta(hours=1)
    assert refusal(OFFERED, wl.AcceptWaitlistOffer(CONF, WORKSHOP, "o1"), now=later) \
        == "offer_expired"


def test_an_unknown_offer_is_not_found():
    assert refusal(OFFERED, wl.AcceptWaitlistOffer(CONF, WORKSHOP, "zz")) == "offer_not_found"


def test_an_offer_expires_at_its_end_and_gives_its_seats_back():
    later = NOW + timedelta(hours=1)
    events, seat_events = decide(OFFERED, wl.ExpireWaitlistOffer(CONF, WORKSHOP, "o1"),
                                 seats=held_offer(), now=later)
    assert events == [wl.WaitlistOfferExpired(CONF, WORKSHOP, "o1", "ann")]
    assert seat_events == [sa.SeatsReservationCancelled(CONF, "o1", (SeatQuantity(WORKSHOP, 2),))]


def test_an_early_or_stale_expiry_does_nothing():
    assert decide(OFFERED, wl.ExpireWaitlistOffer(CONF, WORKSHOP, "o1"), seats=held_offer()) \
        == ([], [])
    accepted = OFFERED + [wl.WaitlistOfferAccepted(CONF, WORKSHOP, "o1", "ann")]
    assert decide(accepted, wl.ExpireWaitlistOffer(CONF, WORKSHOP, "o1"), seats=held_offer(),
                  now=NOW + timedelta(days=2)) == ([], [])


def test_declining_gives_the_seats_back():
    events, seat_events = decide(OFFERED, wl.DeclineWaitlistOffer(CONF, WORKSHOP, "o1"),
                                 seats=held_offer())
    assert events == [wl.WaitlistOfferDeclined(CONF, WORKSHOP, "o1", "ann")]
    assert isinstance(seat_events[0], sa.SeatsReservationCancelled)


def test_leaving_while_offered_ends_the_offer_and_frees_its_seats():
    events, seat_events = decide(OFFERED, wl.LeaveWaitlist(CONF, WORKSHOP, "ann"),
                                 seats=held_offer())
    assert events == [wl.WaitlistLeft(CONF, WORKSHOP, "ann", "o1")]
    assert seat_events[0].reservation_id == "o1"


def test_the_organiser_removes_a_waiting_entry_and_its_demand():
    events, seat_events = decide([joined("ann", 2)],
                                 wl.RemoveFromWaitlist(CONF, WORKSHOP, "ann", "owner:o@x"))
    assert events == [wl.WaitlistEntryRemoved(CONF, WORKSHOP, "ann", "owner:o@x")]
    assert seat_events[-1].waiting == 0


def test_an_accepted_entry_cannot_leave_and_an_unknown_one_is_not_found():
    accepted = OFFERED + [wl.WaitlistOfferAccepted(CONF, WORKSHOP, "o1", "ann")]
    assert refusal(accepted, wl.LeaveWaitlist(CONF, WORKSHOP, "ann")) == "entry_not_open"
    assert refusal([], wl.LeaveWaitlist(CONF, WORKSHOP, "x")) == "entry_not_found"


def test_public_reservations_leave_the_seats_the_line_waits_for():
    seats = seats_with(free=3)
    seats = sa.fold(sa.decide(seats, sa.SetWaitingDemand(CONF, WORKSHOP, 2), now=NOW), seats)
    reserved = sa.decide(seats, sa.MakeSeatReservation(
        CONF, "public", (SeatQuantity(WORKSHOP, 3),), "cmd"), now=NOW)
    assert reserved[0].reservation_details == (SeatQuantity(WORKSHOP, 1),)
    allocated = sa.decide(seats, sa.AllocateSeatsToNode(CONF, "n", 1, WORKSHOP, 3, "a"), now=NOW)
    assert allocated[0].quantity == 1


def test_the_offers_order_takes_over_its_held_seats_when_nothing_is_free():
    seats = held_offer()
    seats = sa.fold(sa.decide(seats, sa.SetWaitingDemand(CONF, WORKSHOP, 4), now=NOW), seats)
    reserved = sa.decide(seats, sa.MakeSeatReservation(
        CONF, "o1", (SeatQuantity(WORKSHOP, 2),), "cmd"), now=NOW)
    assert reserved == [sa.SeatsReserved(CONF, "o1", (SeatQuantity(WORKSHOP, 2),), ())]


def test_waiting_demand_survives_a_snapshot_and_old_snapshots_read_as_before():
    seats = sa.fold(sa.decide(seats_with(free=1), sa.SetWaitingDemand(CONF, WORKSHOP, 2),
                              now=NOW), seats_with(free=1))
    assert sa.from_snapshot(sa.snapshot(seats)) == seats
    old = sa.snapshot(seats_with(free=1))
    del old["waiting"]
    assert sa.from_snapshot(old) == seats_with(free=1)


def test_a_hold_is_all_or_nothing_and_made_once():
    assert sa.decide(seats_with(free=1), sa.HoldSeatsForOffer(CONF, "o1", WORKSHOP, 2),
                     now=NOW) == []
    assert sa.decide(held_offer(free_after=5), sa.HoldSeatsForOffer(CONF, "o1", WORKSHOP, 2),
                     now=NOW) == []
