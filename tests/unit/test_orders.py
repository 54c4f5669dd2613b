"""Order specs: given events, when a command, then events or a refusal code."""
from dataclasses import replace

import pytest

from domain_givens import COCKTAIL, GA, NOW, PRICES, WINDOW, WORKSHOP
from shared_domain.errors import DomainError
from shared_domain.orders import (
    AssignRegistrantDetails, ConfirmOrder, MarkSeatsAsReserved, OrderConfirmed, OrderExpired,
    OrderPartiallyReserved, OrderPlaced, OrderRegistrantAssigned, OrderReinstated,
    OrderReservationCompleted, OrderTotalsCalculated, OrderUpdated, RegisterToConference,
    ReinstateOrder, RejectOrder, fold, decide, stream_id,
)
from shared_domain.pricing import OrderLine
from shared_domain.seats import SeatQuantity

ORDER, CONF = "o1", "c1"
EXPIRES = NOW + WINDOW
WANTED = (SeatQuantity(GA, 2), SeatQuantity(COCKTAIL, 1))
PLACED = OrderPlaced(ORDER, CONF, WANTED, EXPIRES, "ABC123")
RESERVED = OrderReservationCompleted(ORDER, EXPIRES, WANTED)


def when(given, command, **context):
    context.setdefault("prices", PRICES)
    return decide(fold(given), command, now=context.pop("now", NOW), **context)


def refusal(given, command, **context) -> str:
    with pytest.raises(DomainError) as refused:
        when(given, command, **context)
    return refused.value.code


def test_order_streams_are_named_after_the_order():
    assert stream_id("o1") == "order-o1"


def test_registering_places_the_order_priced_on_the_wanted_seats():
    events = when([], RegisterToConference(ORDER, CONF, WANTED), access_code="ABC123")
    assert events == [
        PLACED,
        OrderTotalsCalculated(ORDER, (
            OrderLine(GA, "General admission", 2, 19900, 39800),
            OrderLine(COCKTAIL, "Additional cocktail party", 1, 5000, 5000),
        ), 44800, False),
    ]


def test_reservation_expires_after_the_given_window():
    events = when([], RegisterToConference(ORDER, CONF, WANTED), access_code="X",
                  reservation_window=WINDOW * 2)
    assert events[0].reservation_auto_expiration == NOW + 2 * WINDOW


def test_zero_quantity_lines_are_dropped():
    seats = (SeatQuantity(GA, 1), SeatQuantity(WORKSHOP, 0))
    placed, _ = when([], RegisterToConference(ORDER, CONF, seats), access_code="X")
    assert placed.seats == (SeatQuantity(GA, 1),)


@pytest.mark.parametrize("seats", [(), (SeatQuantity(GA, 0),)])
def test_an_order_must_ask_for_at_least_one_seat(seats):
    assert refusal([], RegisterToConference(ORDER, CONF, seats), access_code="X") == "empty_order"


@pytest.mark.parametrize("quantity", [-1, 100_001, True, 1.5])
def test_silly_quantities_are_refused(quantity):
    command = RegisterToConference(ORDER, CONF, (SeatQuantity(GA, quantity),))
    assert refusal([], command, access_code="X") == "invalid_quantity"


def test_unknown_seat_types_are_refused():
    command = RegisterToConference(ORDER, CONF, (SeatQuantity("vip", 1),))
    assert refusal([], command, access_code="X") == "unknown_seat_type"


def test_registering_again_updates_the_wanted_seats_and_reprices():
    seats = (SeatQuantity(WORKSHOP, 10), SeatQuantity(GA, 3))
    updated, totals = when([PLACED, RESERVED], RegisterToConference(ORDER, CONF, seats))
    assert updated == OrderUpdated(ORDER, seats)
    assert totals.total_cents == 559700


def test_an_update_after_confirmation_is_refused():
    given = [PLACED, RESERVED, OrderConfirmed(ORDER)]
    assert refusal(given, RegisterToConference(ORDER, CONF, WANTED)) == "order_confirmed"


def test_an_update_after_expiry_is_refused():
    given = [PLACED, OrderExpired(ORDER)]
    assert refusal(given, RegisterToConference(ORDER, CONF, WANTED)) == "order_expired"


def test_full_reservation_completes_the_order_and_reprices():
    events = when([PLACED], MarkSeatsAsReserved(ORDER, WANTED, EXPIRES))
    assert events[0] == RESERVED
    assert events[1].total_cents == 44800


def test_partial_reservation_is_reported_and_repriced_on_what_was_reserved():
    got = (SeatQuantity(GA, 1),)
    events = when([PLACED], MarkSeatsAsReserved(ORDER, got, EXPIRES))
    assert events == [
        OrderPartiallyReserved(ORDER, EXPIRES, got),
        OrderTotalsCalculated(ORDER, (OrderLine(GA, "General admission", 1, 19900, 19900),),
                              19900, False),
    ]


def test_free_orders_are_flagged_free_of_charge():
    prices = {GA: replace(PRICES[GA], price_cents=0)}
    placed = OrderPlaced(ORDER, CONF, (SeatQuantity(GA, 1),), EXPIRES, "X")
    events = when([placed], MarkSeatsAsReserved(ORDER, placed.seats, EXPIRES), prices=prices)
    assert events[1].is_free_of_charge and events[1].total_cents == 0


def test_rejecting_expires_the_order_once():
    assert when([PLACED], RejectOrder(ORDER)) == [OrderExpired(ORDER)]
    assert when([PLACED, OrderExpired(ORDER)], RejectOrder(ORDER)) == []


def test_a_confirmed_order_cannot_be_rejected():
    assert refusal([PLACED, RESERVED, OrderConfirmed(ORDER)], RejectOrder(ORDER)) == "order_confirmed"


def test_a_reserved_order_is_confirmed_once():
    assert when([PLACED, RESERVED], ConfirmOrder(ORDER)) == [OrderConfirmed(ORDER)]
    assert when([PLACED, RESERVED, OrderConfirmed(ORDER)], ConfirmOrder(ORDER)) == []


def test_an_order_expired_before_payment_is_never_confirmed():
    assert refusal([PLACED, RESERVED, OrderExpired(ORDER)], ConfirmOrder(ORDER)) == "order_expired"


def test_an_order_still_being_reserved_cannot_be_confirmed():
    assert refusal([PLACED], ConfirmOrder(ORDER)) == "order_not_reserved"


def test_an_order_that_got_no_seats_cannot_be_confirmed():
    nothing = OrderPartiallyReserved(ORDER, EXPIRES, ())
    assert refusal([PLACED, nothing], ConfirmOrder(ORDER)) == "empty_order"


def test_commands_for_an_unknown_order_are_refused():
    assert refusal([], ConfirmOrder(ORDER)) == "unknown_order"


def test_registrant_details_are_recorded_trimmed():
    command = AssignRegistrantDetails(ORDER, " Ada ", "Lovelace", "ada@example.com ")
    assert when([PLACED], command) == [
        OrderRegistrantAssigned(ORDER, "Ada", "Lovelace", "ada@example.com")]


@pytest.mark.parametrize("email", ["", "ada", "ada@example", "a b@example.com", "@example.com"])
def test_registrant_email_must_look_like_an_email(email):
    command = AssignRegistrantDetails(ORDER, "Ada", "Lovelace", email)
    assert refusal([PLACED], command) == "invalid_email"


@pytest.mark.parametrize("first, last", [("", "Lovelace"), ("Ada", "  ")])
def test_registrant_names_are_required(first, last):
    command = AssignRegistrantDetails(ORDER, first, last, "ada@example.com")
    assert refusal([PLACED], command) == "invalid_name"


def test_registrant_of_an_expired_order_cannot_be_assigned():
    command = AssignRegistrantDetails(ORDER, "Ada", "Lovelace", "ada@example.com")
    assert refusal([PLACED, OrderExpired(ORDER)], command) == "order_expired"


def test_an_expired_order_is_reinstated_on_reacquired_seats_then_confirmed():
    later = NOW + WINDOW * 2
    given = [PLACED, RESERVED, OrderExpired(ORDER)]
    reinstated = when(given, ReinstateOrder(ORDER, WANTED, later))
    assert reinstated == [OrderReinstated(ORDER, WANTED, later)]
    assert when(given + reinstated, ConfirmOrder(ORDER)) == [OrderConfirmed(ORDER)]


def test_reinstating_twice_changes_nothing():
    given = [PLACED, RESERVED, OrderExpired(ORDER), OrderReinstated(ORDER, WANTED, EXPIRES)]
    assert when(given, ReinstateOrder(ORDER, WANTED, EXPIRES)) == []


def test_only_an_expired_order_is_reinstated():
    assert refusal([PLACED], ReinstateOrder(ORDER, WANTED, EXPIRES)) == "order_not_expired"


def test_naive_datetimes_are_a_programming_error():
    with pytest.raises(ValueError):
        when([PLACED], ConfirmOrder(ORDER), now=NOW.replace(tzinfo=None))


def test_folding_tracks_status_seats_and_totals():
    totals = OrderTotalsCalculated(ORDER, (), 44800, False)
    state = fold([PLACED, totals, RESERVED, OrderConfirmed(ORDER)])
    assert (state.status, state.reserved_seats, state.total_cents) == ("confirmed", WANTED, 44800)
