"""SeatsAvailability specs, including the CQRS Journey partial fulfilment scenarios."""
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain_givens import GA, NOW, WORKSHOP
from shared_domain.errors import DomainError
from shared_domain.seats import SeatQuantity
from shared_domain.seats_availability import (
    AddSeats, AvailableSeatsChanged, CancelSeatReservation, CommitSeatReservation,
    MakeSeatReservation, RemoveSeats, SeatsReservationCancelled, SeatsReservationCommitted,
    SeatsReserved, SetSeatQuantity, decide, evolve, fold, from_snapshot, snapshot, stream_id,
)

CONF = "c1"


def seats(**quantities) -> tuple[SeatQuantity, ...]:
    return tuple(SeatQuantity(t, q) for t, q in quantities.items())


def added(**quantities) -> AvailableSeatsChanged:
    return AvailableSeatsChanged(CONF, seats(**quantities))


def reserve(reservation_id, **wanted) -> MakeSeatReservation:
    return MakeSeatReservation(CONF, reservation_id, seats(**wanted), f"cmd-{reservation_id}")


def run(state, command):
    """Decide and apply, as the hub does: returns the new state and the events."""
    events = decide(state, command, now=NOW)
    return fold(events, state), events


def test_availability_streams_are_named_after_the_conference():
    assert stream_id("c1") == "availability-c1"


def test_adding_seats_makes_them_available():
    assert decide(None, AddSeats(CONF, GA, 10), now=NOW) == [added(general=10)]


@pytest.mark.parametrize("quantity", [0, -3, 100_001])
def test_adding_a_silly_quantity_is_refused(quantity):
    with pytest.raises(DomainError) as refused:
        decide(None, AddSeats(CONF, GA, quantity), now=NOW)
    assert refused.value.code == "invalid_quantity"


def test_a_reservation_gets_what_it_wants_while_seats_remain():
    state = fold([added(general=10)])
    assert decide(state, reserve("r1", general=4), now=NOW) == [
        SeatsReserved(CONF, "r1", seats(general=4), seats(general=-4))]


def test_four_registrants_asking_two_each_from_a_quota_of_four():
    """The first two get both seats, the next two get none: 'could not reserve all'."""
    state = fold([added(workshop=4)])
    granted = []
    for registrant in "abcd":
        state, (reserved,) = run(state, reserve(registrant, workshop=2))
        granted.append(reserved.reservation_details)
    assert granted == [seats(workshop=2), seats(workshop=2), (), ()]
    assert state.remaining() == {WORKSHOP: 0}


def test_partial_fulfilment_is_per_seat_type():
    state = fold([added(general=10, workshop=1)])
    (reserved,) = decide(state, reserve("r1", general=3, workshop=2), now=NOW)
    assert reserved.reservation_details == seats(general=3, workshop=1)


def test_unknown_seat_types_get_nothing():
    state = fold([added(general=10)])
    (reserved,) = decide(state, reserve("r1", vip=2, general=1), now=NOW)
    assert reserved.reservation_details == seats(general=1)
    assert reserved.available_seats_changed == seats(general=-1)


def test_reserving_again_adjusts_by_the_difference():
    state, _ = run(fold([added(general=10, workshop=5)]), reserve("r1", general=6, workshop=2))
    (grown,) = decide(state, reserve("r1", general=8), now=NOW)
    assert grown.reservation_details == seats(general=8)
    assert grown.available_seats_changed == seats(general=-2, workshop=2)
    state, (shrunk,) = run(state, reserve("r1", general=1, workshop=2))
    assert shrunk.available_seats_changed == seats(general=5)
    assert state.remaining() == {GA: 9, WORKSHOP: 3}


def test_growing_a_reservation_is_limited_by_what_remains():
    state, _ = run(fold([added(general=5)]), reserve("r1", general=2))
    state, _ = run(state, reserve("r2", general=2))
    (grown,) = decide(state, reserve("r1", general=10), now=NOW)
    assert grown.reservation_details == seats(general=3)


def test_twenty_attempts_for_ten_seats_never_reserve_more_than_ten():
    state = fold([added(general=10)])
    for attempt in range(20):
        state, _ = run(state, reserve(f"r{attempt}", general=1 + attempt % 3))
    held = sum(q.quantity for r in state.pending for q in r.seats)
    assert held == 10 and state.remaining() == {GA: 0}


def test_cancelling_gives_the_seats_back():
    state, _ = run(fold([added(general=10)]), reserve("r1", general=4))
    state, events = run(state, CancelSeatReservation(CONF, "r1"))
    assert events == [SeatsReservationCancelled(CONF, "r1", seats(general=4))]
    assert state.remaining() == {GA: 10} and state.pending == ()


def test_committing_keeps_the_seats_sold():
    state, _ = run(fold([added(general=10)]), reserve("r1", general=4))
    state, events = run(state, CommitSeatReservation(CONF, "r1"))
    assert events == [SeatsReservationCommitted(CONF, "r1")]
    assert state.remaining() == {GA: 6} and state.pending == ()


@pytest.mark.parametrize("command", [CancelSeatReservation(CONF, "nope"),
                                     CommitSeatReservation(CONF, "nope")])
def test_cancel_or_commit_of_an_unknown_reservation_changes_nothing(command):
    assert decide(fold([added(general=10)]), command, now=NOW) == []
    assert decide(None, command, now=NOW) == []


def test_removing_seats_only_removes_the_free_ones():
    state, _ = run(fold([added(general=10)]), reserve("r1", general=7))
    state, events = run(state, RemoveSeats(CONF, GA, 5))
    assert events == [added(general=-3)]
    assert state.remaining() == {GA: 0}
    assert decide(state, RemoveSeats(CONF, GA, 1), now=NOW) == []


def _sold_and_held(sold=4, held=3, quantity=10):
    state, _ = run(None, SetSeatQuantity(CONF, GA, quantity))
    state, _ = run(state, reserve("sold", general=sold))
    state, _ = run(state, CommitSeatReservation(CONF, "sold"))
    state, _ = run(state, reserve("held", general=held))
    return state


def test_lowering_then_raising_the_quantity_never_offers_more_than_it():
    """The bug: 10 seats, 4 sold, 3 held; down to 7 and back to 10 left 10 free, not 3."""
    state, _ = run(_sold_and_held(), SetSeatQuantity(CONF, GA, 7))
    assert state.remaining() == {GA: 0}
    state, _ = run(state, SetSeatQuantity(CONF, GA, 10))
    assert state.remaining() == {GA: 3}
    assert (state.sold(GA), state.held(GA), state.capacity(GA)) == (4, 3, 10)


def test_a_quantity_below_what_is_sold_is_refused_with_the_number_sold():
    with pytest.raises(DomainError) as refused:
        decide(_sold_and_held(), SetSeatQuantity(CONF, GA, 3), now=NOW)
    assert refused.value.code == "quantity_below_sold"
    assert "4 seats" in refused.value.message


def test_a_quantity_below_sold_and_held_is_refused_until_the_held_seats_go():
    state = _sold_and_held()
    with pytest.raises(DomainError) as refused:
        decide(state, SetSeatQuantity(CONF, GA, 5), now=NOW)
    assert refused.value.code == "quantity_below_held"
    state, _ = run(state, CancelSeatReservation(CONF, "held"))
    state, events = run(state, SetSeatQuantity(CONF, GA, 5))
    assert events == [added(general=-5)] and state.remaining() == {GA: 1}


def test_setting_the_same_quantity_changes_nothing():
    assert decide(_sold_and_held(), SetSeatQuantity(CONF, GA, 10), now=NOW) == []


# --- properties -------------------------------------------------------------

SEAT_TYPES = st.sampled_from([GA, WORKSHOP, "cocktail"])
RESERVATIONS = st.sampled_from(["r1", "r2", "r3", "r4"])
QUANTITY = st.integers(min_value=0, max_value=12)
COMMANDS = st.one_of(
    st.builds(AddSeats, st.just(CONF), SEAT_TYPES, st.integers(1, 12)),
    st.builds(RemoveSeats, st.just(CONF), SEAT_TYPES, st.integers(1, 12)),
    st.builds(MakeSeatReservation, st.just(CONF), RESERVATIONS,
              st.lists(st.builds(SeatQuantity, SEAT_TYPES, QUANTITY), max_size=3).map(tuple),
              st.just("cmd")),
    st.builds(CancelSeatReservation, st.just(CONF), RESERVATIONS),
    st.builds(CommitSeatReservation, st.just(CONF), RESERVATIONS),
    st.builds(SetSeatQuantity, st.just(CONF), SEAT_TYPES, QUANTITY),
)


def _play(commands):
    state, history = None, []
    for command in commands:
        try:
            events = decide(state, command, now=NOW)
        except DomainError:
            continue  # a refused quantity changes nothing
        history += events
        state = fold(events, state)
        yield state, history


@settings(max_examples=300, deadline=None)
@given(st.lists(COMMANDS, max_size=40))
def test_remaining_never_negative_and_every_seat_is_accounted_for(commands):
    for state, history in _play(commands):
        if state is None:
            continue
        committed = _committed_per_type(history)
        for stock in state.stock:
            pending = sum(q.quantity for r in state.pending for q in r.seats
                          if q.seat_type == stock.seat_type)
            assert stock.remaining >= 0
            assert stock.remaining + pending + committed.get(stock.seat_type, 0) == stock.capacity


def _committed_per_type(history) -> dict[str, int]:
    """Seats sold, counted from the events alone (independently of the state's bookkeeping)."""
    held, sold = {}, {}
    for event in history:
        if isinstance(event, SeatsReserved):
            held[event.reservation_id] = event.reservation_details
        elif isinstance(event, SeatsReservationCancelled):
            held.pop(event.reservation_id, None)
        elif isinstance(event, SeatsReservationCommitted):
            for q in held.pop(event.reservation_id, ()):
                sold[q.seat_type] = sold.get(q.seat_type, 0) + q.quantity
    return sold


@settings(max_examples=200, deadline=None)
@given(st.lists(COMMANDS, max_size=30))
def test_snapshot_round_trips_exactly_through_json(commands):
    for state, history in _play(commands):
        if state is None:
            continue
        memento = json.loads(json.dumps(snapshot(state)))
        assert from_snapshot(memento) == state
        assert snapshot(from_snapshot(memento)) == snapshot(state)


@given(st.lists(COMMANDS, max_size=30), st.integers(0, 30))
def test_folding_from_a_snapshot_equals_folding_from_the_start(commands, cut):
    *_, (state, history) = [(None, [])] + list(_play(commands))
    cut = min(cut, len(history))
    head = fold(history[:cut])
    resumed = fold(history[cut:], from_snapshot(snapshot(head)) if head else None)
    assert resumed == state


def test_an_unsupported_snapshot_schema_is_refused():
    with pytest.raises(ValueError):
        from_snapshot({"schema": 99})


def test_first_event_creates_the_state():
    assert evolve(None, added(general=1)).conference_id == CONF
