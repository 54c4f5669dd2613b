"""RegistrationProcess specs: given a process state, when a message, then state and commands."""
from dataclasses import replace

from domain_givens import BUFFER, GA, NOW, WINDOW, WORKSHOP, id_sequence
from shared_domain.orders import (
    ConfirmOrder, MarkSeatsAsReserved, OrderConfirmed, OrderExpired, OrderPlaced,
    OrderTotalsCalculated, OrderUpdated, ReinstateOrder, RejectOrder,
)
from shared_domain.payments import PaymentCompleted, RefundPayment
from shared_domain.registration_process import (
    ExpireRegistrationProcess, Outgoing, ProcessState, correlation, handle,
)
from shared_domain.seats import SeatQuantity
from shared_domain.seats_availability import (
    AvailableSeatsChanged, CancelSeatReservation, CommitSeatReservation, MakeSeatReservation,
    SeatsReserved,
)

ORDER, CONF = "o1", "c1"
EXPIRES = NOW + WINDOW
WANTED = (SeatQuantity(GA, 2), SeatQuantity(WORKSHOP, 1))
PLACED = OrderPlaced(ORDER, CONF, WANTED, EXPIRES, "ABC123")
AWAITING = ProcessState(
    ORDER, CONF, "awaiting_reservation_confirmation", seat_reservation_command_id="cmd-1",
    reservation_auto_expiration=EXPIRES, expiration_command_id="cmd-2", requested_seats=WANTED)
RECEIVED = replace(AWAITING, state="reservation_confirmation_received", reserved_seats=WANTED)
PAID = replace(RECEIVED, state="payment_confirmation_received", payment_id="p1")
EXPIRED = replace(RECEIVED, state="expired")


def when(state, message, *, causation_id=None, now=NOW, first_id=1):
    ids = id_sequence()
    for _ in range(first_id - 1):
        next(ids)
    return handle(state, message, now=now, causation_id=causation_id, ids=ids,
                  release_buffer=BUFFER)


def reserved(details=WANTED) -> SeatsReserved:
    return SeatsReserved(CONF, ORDER, details, ())


def paid(payment_id="p1") -> PaymentCompleted:
    return PaymentCompleted(payment_id, ORDER, CONF, 44800, "card")


def test_messages_are_correlated_by_order_and_reservation_id():
    assert correlation(PLACED) == ORDER
    assert correlation(SeatsReserved(CONF, ORDER, (), ())) == ORDER
    assert correlation(ExpireRegistrationProcess(ORDER, "x")) == ORDER
    assert correlation(OrderTotalsCalculated(ORDER, (), 0, True)) is None
    assert correlation(AvailableSeatsChanged(CONF, ())) is None


def test_a_placed_order_gets_its_seats_reserved_and_an_alarm_set():
    state, out = when(None, PLACED)
    assert state == AWAITING
    assert out == [
        Outgoing(MakeSeatReservation(CONF, ORDER, WANTED, "cmd-1")),
        Outgoing(ExpireRegistrationProcess(ORDER, "cmd-2"), deliver_at=EXPIRES + BUFFER),
    ]


def test_an_order_already_expired_when_placed_is_rejected_at_once():
    state, out = when(None, PLACED, now=EXPIRES)
    assert state.state == "completed"
    assert out == [Outgoing(RejectOrder(ORDER))]


def test_a_duplicate_order_placed_is_ignored():
    assert when(AWAITING, PLACED) == (AWAITING, [])
    assert when(PAID, PLACED) == (PAID, [])


def test_an_updated_order_is_reserved_again_under_a_new_command_id():
    seats = (SeatQuantity(GA, 5),)
    state, out = when(RECEIVED, OrderUpdated(ORDER, seats), first_id=3)
    assert out == [Outgoing(MakeSeatReservation(CONF, ORDER, seats, "cmd-3"))]
    assert (state.state, state.seat_reservation_command_id) == (AWAITING.state, "cmd-3")
    assert state.requested_seats == seats


def test_an_update_after_payment_is_ignored():
    assert when(PAID, OrderUpdated(ORDER, WANTED)) == (PAID, [])


def test_the_awaited_reservation_marks_the_order_reserved():
    got = (SeatQuantity(GA, 1),)
    state, out = when(AWAITING, reserved(got), causation_id="cmd-1")
    assert out == [Outgoing(MarkSeatsAsReserved(ORDER, got, EXPIRES))]
    assert state == replace(RECEIVED, reserved_seats=got)


def test_a_stale_seats_reserved_is_ignored():
    stale = replace(AWAITING, seat_reservation_command_id="cmd-3")
    assert when(stale, reserved(), causation_id="cmd-1") == (stale, [])
    assert when(stale, reserved(), causation_id=None) == (stale, [])


def test_a_duplicate_seats_reserved_is_ignored():
    assert when(RECEIVED, reserved(), causation_id="cmd-1") == (RECEIVED, [])


def test_payment_of_a_reserved_order_confirms_it():
    state, out = when(RECEIVED, paid())
    assert out == [Outgoing(ConfirmOrder(ORDER))]
    assert state == PAID


def test_the_same_payment_twice_is_ignored():
    assert when(PAID, paid()) == (PAID, [])


def test_a_second_payment_is_refunded():
    state, out = when(PAID, paid("p2"))
    assert out == [Outgoing(RefundPayment("p2", "duplicate_payment", unused=True))]
    assert state == PAID


def test_a_payment_for_a_settled_free_order_is_refunded():
    done = replace(RECEIVED, state="completed")
    assert when(done, paid("p2"))[1] == [Outgoing(RefundPayment("p2", "duplicate_payment", unused=True))]


def test_a_payment_while_seats_are_being_reserved_again_is_refunded():
    _, out = when(AWAITING, paid())
    assert out == [Outgoing(RefundPayment("p1", "order_not_payable", unused=True))]


def test_confirmation_commits_the_reservation():
    for before in (RECEIVED, PAID):
        state, out = when(before, OrderConfirmed(ORDER))
        assert out == [Outgoing(CommitSeatReservation(CONF, ORDER))]
        assert state.state == "completed"


def test_a_second_confirmation_is_ignored():
    done = replace(PAID, state="completed")
    assert when(done, OrderConfirmed(ORDER)) == (done, [])


def test_the_alarm_rejects_an_unpaid_order():
    for before in (AWAITING, RECEIVED):
        state, out = when(before, ExpireRegistrationProcess(ORDER, "cmd-2"))
        assert out == [Outgoing(RejectOrder(ORDER))]
        assert state.state == "expired"


def test_seats_are_released_once_the_order_has_expired():
    assert when(EXPIRED, OrderExpired(ORDER)) == (
        EXPIRED, [Outgoing(CancelSeatReservation(CONF, ORDER))])


def test_an_alarm_that_is_not_the_current_one_is_ignored():
    assert when(RECEIVED, ExpireRegistrationProcess(ORDER, "cmd-9")) == (RECEIVED, [])


def test_the_alarm_after_payment_is_ignored():
    assert when(PAID, ExpireRegistrationProcess(ORDER, "cmd-2")) == (PAID, [])


def test_a_confirmation_that_beat_the_alarm_still_commits_the_seats():
    state, out = when(EXPIRED, OrderConfirmed(ORDER))
    assert out == [Outgoing(CommitSeatReservation(CONF, ORDER))]
    assert state.state == "completed"


def test_a_payment_after_expiry_tries_to_reacquire_the_reserved_seats():
    state, out = when(EXPIRED, paid(), first_id=3)
    assert out == [Outgoing(MakeSeatReservation(CONF, ORDER, WANTED, "cmd-3"))]
    assert (state.state, state.payment_id, state.seat_reservation_command_id) == (
        "reacquiring_seats", "p1", "cmd-3")


def test_reacquired_seats_reinstate_and_confirm_the_order():
    reacquiring = replace(EXPIRED, state="reacquiring_seats", payment_id="p1",
                          seat_reservation_command_id="cmd-3")
    state, out = when(reacquiring, reserved(), causation_id="cmd-3")
    assert out == [Outgoing(ReinstateOrder(ORDER, WANTED, NOW + BUFFER)),
                   Outgoing(ConfirmOrder(ORDER))]
    assert state.state == "payment_confirmation_received"
    state, out = when(state, OrderConfirmed(ORDER))
    assert out == [Outgoing(CommitSeatReservation(CONF, ORDER))]
    assert (state.state, state.refunded) == ("completed", False)


def test_seats_not_all_reacquired_are_released_and_the_payment_refunded():
    reacquiring = replace(EXPIRED, state="reacquiring_seats", payment_id="p1",
                          seat_reservation_command_id="cmd-3")
    state, out = when(reacquiring, reserved((SeatQuantity(GA, 2),)), causation_id="cmd-3")
    assert out == [Outgoing(CancelSeatReservation(CONF, ORDER)),
                   Outgoing(RefundPayment("p1", "seats_no_longer_available"))]
    assert (state.state, state.refunded) == ("completed", True)


def test_an_order_expiring_while_its_seats_are_reacquired_keeps_them():
    reacquiring = replace(EXPIRED, state="reacquiring_seats", payment_id="p1")
    assert when(reacquiring, OrderExpired(ORDER)) == (reacquiring, [])


def test_messages_for_a_process_that_never_started_are_ignored():
    for message in (reserved(), paid(), OrderConfirmed(ORDER), OrderExpired(ORDER),
                    OrderUpdated(ORDER, WANTED), ExpireRegistrationProcess(ORDER, "x")):
        assert when(None, message, causation_id="cmd-1") == (None, [])


def test_messages_of_other_kinds_are_ignored():
    assert when(PAID, AvailableSeatsChanged(CONF, ())) == (PAID, [])
