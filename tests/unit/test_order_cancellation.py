"""Cancelling an order, as specs: the order refuses or records it, the process manager gives
the seats back and refunds, the availability releases them once, the door refuses the ticket."""
from dataclasses import replace
from datetime import timedelta

import pytest

from domain_givens import BUFFER, GA, NOW, PRICES, WINDOW, WORKSHOP, id_sequence
from shared_domain import checkin, orders, registration_process as rp, seats_availability as sa
from shared_domain.errors import DomainError
from shared_domain.orders import (
    CancelOrder, ConfirmOrder, OrderCancelled, OrderConfirmed, OrderExpired, OrderPlaced,
    OrderMailsResendRequested, OrderRegistrantAssigned, OrderReservationCompleted,
    RegisterToConference, ResendOrderMails,
)
from shared_domain.payments import PaymentCompleted, RefundPayment
from shared_domain.people import PersonalInfo
from shared_domain.sales import OnSiteOrderRecorded, SaleLine
from shared_domain.seat_assignments import (
    AssignSeat, SeatAssigned, SeatAssignmentsCreated, SeatSlot, SeatUnassigned, UnassignSeat,
)
from shared_domain import seat_assignments
from shared_domain.seats import SeatQuantity
from shared_domain.tickets import TicketPayload

ORDER, CONF = "o1", "c1"
EXPIRES = NOW + WINDOW
WANTED = (SeatQuantity(GA, 2), SeatQuantity(WORKSHOP, 1))
PLACED = OrderPlaced(ORDER, CONF, WANTED, EXPIRES, "ABC123")
RESERVED = OrderReservationCompleted(ORDER, EXPIRES, WANTED)
NAMED = OrderRegistrantAssigned(ORDER, "Ada", "Lovelace", "ada@example.org")
CONFIRMED = [PLACED, RESERVED, NAMED, OrderConfirmed(ORDER)]
BY_OWNER = CancelOrder(ORDER, "owner:aino@example.org", "organiser", "Duplicate order")
BY_REGISTRANT = CancelOrder(ORDER, "registrant:ada@example.org", "registrant", "")
DEADLINE = NOW + timedelta(days=7)


def when(given, command, **context):
    return orders.decide(orders.fold(given), command, now=context.pop("now", NOW),
                         prices=PRICES, **context)


def refusal(given, command, **context) -> str:
    with pytest.raises(DomainError) as refused:
        when(given, command, **context)
    return refused.value.code


# --- the order ------------------------------------------------------------------------

@pytest.mark.parametrize("given", [[PLACED], [PLACED, RESERVED], CONFIRMED],
                         ids=["placed", "reserved", "confirmed"])
def test_the_organiser_cancels_an_order_saying_who_and_why(given):
    assert when(given, BY_OWNER) == [OrderCancelled(
        ORDER, CONF, "owner:aino@example.org", "organiser", "Duplicate order")]


def test_a_cancelled_order_is_cancelled():
    assert orders.fold([*CONFIRMED, *when(CONFIRMED, BY_OWNER)]).status == "cancelled"


def test_cancelling_twice_is_cancelling_once():
    cancelled = [*CONFIRMED, *when(CONFIRMED, BY_OWNER)]
    assert when(cancelled, BY_OWNER) == []
    assert when(cancelled, BY_REGISTRANT, now=DEADLINE + timedelta(days=1)) == []


def test_an_expired_order_cannot_be_cancelled():
    assert refusal([PLACED, RESERVED, OrderExpired(ORDER)], BY_OWNER) == "order_expired"


def test_a_registrant_cancels_until_the_deadline_and_not_after():
    assert when(CONFIRMED, BY_REGISTRANT, cancellation_deadline=DEADLINE)[0].role == "registrant"
    assert when(CONFIRMED, BY_REGISTRANT, now=DEADLINE,
                cancellation_deadline=DEADLINE)[0].by == "registrant:ada@example.org"
    late = DEADLINE + timedelta(minutes=1)
    assert refusal(CONFIRMED, BY_REGISTRANT, now=late,
                   cancellation_deadline=DEADLINE) == "cancellation_closed"


def test_a_registrant_cannot_cancel_where_the_organiser_offers_no_deadline():
    assert refusal(CONFIRMED, BY_REGISTRANT) == "cancellation_not_offered"


def test_the_organiser_cancels_after_the_registrants_deadline():
    late = DEADLINE + timedelta(days=30)
    assert when(CONFIRMED, BY_OWNER, now=late, cancellation_deadline=DEADLINE)


def test_a_reason_is_optional_and_bounded():
    assert when(CONFIRMED, replace(BY_OWNER, reason="  "))[0].reason == ""
    assert refusal(CONFIRMED, replace(BY_OWNER, reason="x" * 501)) == "invalid_reason"
    assert refusal(CONFIRMED, replace(BY_OWNER, reason=5)) == "invalid_reason"


def test_a_cancellation_names_who_asked_and_on_which_side():
    with pytest.raises(ValueError):
        when(CONFIRMED, replace(BY_OWNER, role="someone"))
    with pytest.raises(ValueError):
        when(CONFIRMED, replace(BY_OWNER, by=" "))


def test_an_unknown_order_cannot_be_cancelled():
    assert refusal([], BY_OWNER) == "unknown_order"


SOLD_AT_DOOR = OnSiteOrderRecorded(
    ORDER, CONF, "node-a", (SaleLine(GA, "General admission", 2, 19900, 39800),), 39800,
    PersonalInfo("Bo", "Lind", "bo@example.org"), "cash", "", "2024-05-01T09:00:00+00:00")


def test_a_door_sale_is_a_confirmed_order_that_only_its_door_cancels():
    state = orders.fold([SOLD_AT_DOOR])
    assert (state.status, state.sold_on_site_by, state.reserved_seats) == (
        "confirmed", "node-a", (SeatQuantity(GA, 2),))
    assert refusal([SOLD_AT_DOOR], BY_OWNER) == "sold_on_site"


@pytest.mark.parametrize("command", [
    ConfirmOrder(ORDER), RegisterToConference(ORDER, CONF, WANTED),
    orders.AssignRegistrantDetails(ORDER, "Ada", "Byron", "ada@example.org"),
    orders.MarkSeatsAsReserved(ORDER, WANTED, EXPIRES),
    orders.ReinstateOrder(ORDER, WANTED, EXPIRES),
], ids=lambda c: type(c).__name__)
def test_a_cancelled_order_changes_no_more(command):
    cancelled = [PLACED, RESERVED, *when([PLACED, RESERVED], BY_OWNER)]
    assert refusal(cancelled, command) == "order_cancelled"


def test_the_expiry_alarm_of_a_cancelled_order_changes_nothing():
    cancelled = [PLACED, RESERVED, *when([PLACED, RESERVED], BY_OWNER)]
    assert when(cancelled, orders.RejectOrder(ORDER)) == []


def test_resending_mails_is_recorded_with_who_asked():
    assert when(CONFIRMED, ResendOrderMails(ORDER, "admin:ops@contoso.example")) == [
        OrderMailsResendRequested(ORDER, CONF, "admin:ops@contoso.example")]
    assert refusal([PLACED], ResendOrderMails(ORDER, "owner:a@b.c")) == "registrant_missing"


# --- the process manager -----------------------------------------------------------------

AWAITING = rp.ProcessState(
    ORDER, CONF, "awaiting_reservation_confirmation", seat_reservation_command_id="cmd-1",
    reservation_auto_expiration=EXPIRES, expiration_command_id="cmd-2", requested_seats=WANTED)
RECEIVED = replace(AWAITING, state="reservation_confirmation_received", reserved_seats=WANTED)
PAID = replace(RECEIVED, state="payment_confirmation_received", payment_id="p1")
COMPLETED = replace(PAID, state="completed")
CANCELLED_EVENT = OrderCancelled(ORDER, CONF, "owner:aino@example.org", "organiser", "")


def handle(state, message):
    return rp.handle(state, message, now=NOW, causation_id=None, ids=id_sequence(),
                     release_buffer=BUFFER)


def test_cancelling_a_confirmed_paid_order_releases_its_sold_seats_and_refunds_it():
    state, out = handle(COMPLETED, CANCELLED_EVENT)
    assert state.state == "cancelled" and state.refunded
    assert [o.command for o in out] == [sa.ReleaseOrderSeats(CONF, ORDER, WANTED),
                                        RefundPayment("p1", "order_cancelled")]


def test_cancelling_a_paid_order_not_yet_confirmed_releases_and_refunds_it():
    _, out = handle(PAID, CANCELLED_EVENT)
    assert [type(o.command) for o in out] == [sa.ReleaseOrderSeats, RefundPayment]


@pytest.mark.parametrize("state", [AWAITING, RECEIVED, replace(COMPLETED, payment_id=None)],
                         ids=["awaiting", "reserved", "free and confirmed"])
def test_cancelling_an_unpaid_order_only_releases_its_seats(state):
    new, out = handle(state, CANCELLED_EVENT)
    assert new.state == "cancelled"
    assert [o.command for o in out] == [sa.ReleaseOrderSeats(CONF, ORDER, state.reserved_seats)]


def test_a_refunded_order_is_not_refunded_again_when_cancelled():
    _, out = handle(replace(COMPLETED, refunded=True), CANCELLED_EVENT)
    assert [type(o.command) for o in out] == [sa.ReleaseOrderSeats]


def test_the_cancellation_seen_twice_does_nothing_more():
    state, _ = handle(COMPLETED, CANCELLED_EVENT)
    assert handle(state, CANCELLED_EVENT) == (state, [])


def test_a_door_sale_has_no_process_to_cancel():
    assert handle(None, CANCELLED_EVENT) == (None, [])


def test_after_cancelling_a_payment_goes_back_and_nothing_is_confirmed_or_expired():
    state, _ = handle(RECEIVED, CANCELLED_EVENT)
    assert handle(state, PaymentCompleted("p2", ORDER, CONF, 100, "card"))[1] == [
        rp.Outgoing(RefundPayment("p2", "order_cancelled", unused=True))]
    assert handle(state, rp.ExpireRegistrationProcess(ORDER, "cmd-2")) == (state, [])
    assert handle(state, OrderConfirmed(ORDER)) == (state, [])
    assert handle(state, OrderExpired(ORDER)) == (state, [])


# --- the availability --------------------------------------------------------------------

def stock(**quantities):
    return sa.fold([sa.AvailableSeatsChanged(CONF, tuple(
        SeatQuantity(t, q) for t, q in quantities.items()))])


def run(state, command):
    events = sa.decide(state, command, now=NOW)
    return sa.fold(events, state), events


def test_a_cancelled_orders_sold_seats_go_back_on_sale_once():
    state, _ = run(stock(general=10), sa.MakeSeatReservation(CONF, ORDER, (SeatQuantity(GA, 3),),
                                                             "c"))
    state, _ = run(state, sa.CommitSeatReservation(CONF, ORDER))
    assert (state.remaining()[GA], state.sold(GA)) == (7, 3)
    release = sa.ReleaseOrderSeats(CONF, ORDER, (SeatQuantity(GA, 3),))
    state, events = run(state, release)
    assert events == [sa.OrderSeatsReleased(CONF, ORDER, (SeatQuantity(GA, 3),))]
    assert (state.remaining()[GA], state.sold(GA)) == (10, 0)
    assert run(state, release)[1] == []


def test_a_cancelled_orders_held_seats_are_released_as_the_availability_holds_them():
    state, _ = run(stock(general=10), sa.MakeSeatReservation(CONF, ORDER, (SeatQuantity(GA, 2),),
                                                             "c"))
    state, events = run(state, sa.ReleaseOrderSeats(CONF, ORDER, (SeatQuantity(GA, 5),)))
    assert events == [sa.OrderSeatsReleased(CONF, ORDER, (SeatQuantity(GA, 2),))]
    assert (state.remaining()[GA], state.held(GA), state.pending) == (10, 0, ())
    assert run(state, sa.CommitSeatReservation(CONF, ORDER))[1] == []


def test_never_more_seats_go_back_than_are_sold():
    state, _ = run(stock(general=4), sa.MakeSeatReservation(CONF, "other", (SeatQuantity(GA, 1),),
                                                            "c"))
    state, _ = run(state, sa.CommitSeatReservation(CONF, "other"))
    state, events = run(state, sa.ReleaseOrderSeats(CONF, ORDER, (SeatQuantity(GA, 3),)))
    assert events == [sa.OrderSeatsReleased(CONF, ORDER, (SeatQuantity(GA, 1),))]
    assert state.remaining()[GA] == state.capacity(GA) == 4


def test_a_reservation_asked_for_a_cancelled_order_gets_nothing():
    state, _ = run(stock(general=4), sa.ReleaseOrderSeats(CONF, ORDER, ()))
    assert run(state, sa.MakeSeatReservation(CONF, ORDER, (SeatQuantity(GA, 1),), "late"))[1] == []
    assert state.remaining()[GA] == 4


def test_released_reservations_survive_a_snapshot():
    state, _ = run(stock(general=4), sa.ReleaseOrderSeats(CONF, ORDER, ()))
    assert sa.from_snapshot(sa.snapshot(state)) == state
    assert sa.from_snapshot({**sa.snapshot(state), "released": []}).released == ()


# --- seat assignments, payments, the door --------------------------------------------------

ADA = PersonalInfo("Ada", "Lovelace", "ada@example.org")
SEATS = [SeatAssignmentsCreated(ORDER, (SeatSlot(0, GA),)), SeatAssigned(ORDER, 0, GA, ADA)]


def test_the_organiser_changing_an_attendee_is_recorded_with_who_did_it():
    bo = PersonalInfo("Bo", "Lind", "bo@example.org")
    events = seat_assignments.decide(seat_assignments.fold(SEATS),
                                     AssignSeat(ORDER, 0, bo, "owner:aino@example.org"), now=NOW)
    assert events == [SeatUnassigned(ORDER, 0, "owner:aino@example.org"),
                      SeatAssigned(ORDER, 0, GA, bo, "owner:aino@example.org")]


@pytest.mark.parametrize("command", [AssignSeat(ORDER, 0, PersonalInfo("Bo", "", "bo@x.org")),
                                     UnassignSeat(ORDER, 0)], ids=["assign", "unassign"])
def test_the_seats_of_a_cancelled_order_no_longer_change_hands(command):
    with pytest.raises(DomainError) as refused:
        seat_assignments.decide(seat_assignments.fold(SEATS), command, now=NOW,
                                order_cancelled=True)
    assert refused.value.code == "order_cancelled"


def test_an_invoice_marked_paid_says_who_marked_it():
    from shared_domain import payments
    events = payments.decide(None, payments.PayByInvoice("p1", ORDER, CONF, 100, "INV-7",
                                                         "owner:aino@example.org"), now=NOW)
    assert events[-1] == PaymentCompleted("p1", ORDER, CONF, 100, "invoice",
                                          "owner:aino@example.org")


TICKET = TicketPayload(CONF, f"{ORDER}:0", "Ada Lovelace", ("General",), b"\x00" * 8)


def test_a_door_refuses_the_ticket_of_a_cancelled_order_saying_so():
    seat = checkin.SeatAtDoor(f"{ORDER}:0", False, None, True, order_cancelled=True)
    decision = checkin.decide_scan(TICKET, seat, conference_id=CONF, policy=checkin.SINGLE_ENTRY)
    assert (decision.admitted, decision.reason) == (False, "order_cancelled")
    assert decision.message.startswith("This ticket's order was cancelled.")
    with pytest.raises(DomainError) as refused:
        checkin.manual_check_in(seat, "Ada", node_id="n", at="t", nonce="x", by="Sam",
                                policy=checkin.SINGLE_ENTRY)
    assert refused.value.code == "order_cancelled"


# --- the organiser's deadline --------------------------------------------------------------

def test_the_deadline_is_stored_in_utc_to_the_minute():
    from shared_domain.conferences import normalised_deadline
    assert normalised_deadline("2026-05-25T18:00") == "2026-05-25T18:00:00+00:00"
    assert normalised_deadline("2026-05-25T18:00:59+02:00") == "2026-05-25T16:00:00+00:00"
    assert normalised_deadline(" ") == ""


@pytest.mark.parametrize("text", ["tomorrow", "2026-02-30T10:00", "2026-05-25", "2026-05-25T25:00"])
def test_a_deadline_that_is_not_a_moment_is_refused(text):
    from shared_domain.conferences import normalised_deadline
    with pytest.raises(DomainError):
        normalised_deadline(text)


def test_the_deadline_is_not_after_the_conference_ends():
    from shared_domain.conferences import validate_conference
    dates = {"start_date": "2026-06-01", "end_date": "2026-06-03"}
    assert "cancellation_deadline" in validate_conference(
        {**dates, "cancellation_deadline": "2026-06-04T00:01"})
    assert "cancellation_deadline" not in validate_conference(
        {**dates, "cancellation_deadline": "2026-06-03T23:59"})


def test_registrants_may_cancel_only_until_a_deadline_set():
    from shared_domain.conferences import registrants_may_cancel
    assert registrants_may_cancel("2024-05-08T09:00:00+00:00", NOW)
    assert not registrants_may_cancel("2024-04-30T09:00:00+00:00", NOW)
    assert not registrants_may_cancel("", NOW)
