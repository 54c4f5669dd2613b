"""End-to-end registration stories at domain level: aggregates and manager on a toy runner."""
from dataclasses import replace
from datetime import timedelta

from domain_givens import BUFFER, GA, NOW, PRICES, WINDOW
from registration_harness import RegistrationHub
from shared_domain import orders, payments, seats_availability
from shared_domain.orders import ConfirmOrder, RegisterToConference
from shared_domain.payments import (
    CompleteThirdPartyProcessorPayment, InitiateThirdPartyProcessorPayment, PaymentRefunded,
)
from shared_domain.seats import SeatQuantity
from shared_domain.seats_availability import AddSeats

CONF = "c1"
AFTER_EXPIRY = NOW + WINDOW + BUFFER


def hub_with_seats(quantity=10, prices=PRICES) -> RegistrationHub:
    return RegistrationHub(prices=prices).send(AddSeats(CONF, GA, quantity))


def place(hub, order_id, quantity) -> RegistrationHub:
    return hub.send(RegisterToConference(order_id, CONF, (SeatQuantity(GA, quantity),)))


def pay(hub, order_id, payment_id="p1") -> RegistrationHub:
    total = hub.state(orders, order_id).total_cents
    return hub.send(InitiateThirdPartyProcessorPayment(payment_id, order_id, CONF, "", total),
                    CompleteThirdPartyProcessorPayment(payment_id))


def availability(hub):
    return hub.state(seats_availability, CONF)


def test_a_paid_order_is_confirmed_and_its_seats_sold():
    hub = pay(place(hub_with_seats(), "o1", 2), "o1")
    assert hub.state(orders, "o1").status == "confirmed"
    assert availability(hub).remaining() == {GA: 8} and availability(hub).pending == ()
    assert hub.refusals == []


def test_a_free_order_skips_payment():
    hub = place(hub_with_seats(prices={GA: replace(PRICES[GA], price_cents=0)}), "o1", 2)
    hub.send(ConfirmOrder("o1"))
    assert hub.state(orders, "o1").status == "confirmed"
    assert availability(hub).pending == ()


def test_an_unpaid_order_expires_and_its_seats_go_back():
    hub = place(hub_with_seats(), "o1", 2).advance_to(AFTER_EXPIRY)
    assert hub.state(orders, "o1").status == "expired"
    assert availability(hub).remaining() == {GA: 10}


def test_the_alarm_does_nothing_once_the_order_is_paid():
    hub = pay(place(hub_with_seats(), "o1", 2), "o1").advance_to(AFTER_EXPIRY)
    assert hub.state(orders, "o1").status == "confirmed"
    assert availability(hub).remaining() == {GA: 8}


def test_a_late_payment_reacquires_free_seats_and_confirms():
    hub = place(hub_with_seats(), "o1", 2).advance_to(AFTER_EXPIRY)
    pay(hub, "o1")
    assert hub.state(orders, "o1").status == "confirmed"
    assert availability(hub).remaining() == {GA: 8} and availability(hub).pending == ()
    assert hub.state(payments, "p1").status == "completed"


def test_a_late_payment_for_seats_sold_meanwhile_is_refunded_and_never_confirms():
    hub = place(hub_with_seats(2), "o1", 2).advance_to(AFTER_EXPIRY)
    pay(place(hub, "o2", 2), "o2", "p2")
    pay(hub, "o1", "p1")
    assert hub.state(orders, "o1").status == "expired"
    assert hub.streams[payments.stream_id("p1")][-1] == PaymentRefunded(
        "p1", "o1", 39800, "seats_no_longer_available")
    assert availability(hub).remaining() == {GA: 0} and availability(hub).pending == ()
    assert hub.state(orders, "o2").status == "confirmed"


def test_an_order_placed_after_its_deadline_is_rejected_at_once():
    # A zero window stands for a manager that sees OrderPlaced only after the deadline.
    hub = RegistrationHub(window=timedelta(0)).send(AddSeats(CONF, GA, 10))
    place(hub, "o1", 1)
    assert hub.state(orders, "o1").status == "expired"
    assert availability(hub).remaining() == {GA: 10} and hub.delayed == []


def test_a_confirmation_racing_the_alarm_keeps_the_seats_sold():
    hub = place(hub_with_seats(prices={GA: replace(PRICES[GA], price_cents=0)}), "o1", 2)
    (alarm,) = hub.delayed
    hub.delayed.clear()
    hub.send(ConfirmOrder("o1"), alarm.command)
    assert hub.state(orders, "o1").status == "confirmed"
    assert availability(hub).remaining() == {GA: 8} and availability(hub).pending == ()
    assert [code for _, code in hub.refusals] == ["order_confirmed"]


def test_a_second_payment_for_a_confirmed_order_is_refunded():
    hub = pay(pay(place(hub_with_seats(), "o1", 2), "o1", "p1"), "o1", "p2")
    assert hub.state(payments, "p1").status == "completed"
    assert hub.state(payments, "p2").status == "refunded"


def test_partial_fulfilment_four_registrants_two_seats_each_from_four():
    hub = hub_with_seats(4)
    for order_id in ("o1", "o2", "o3", "o4"):
        place(hub, order_id, 2)
    reserved = {o: hub.state(orders, o).reserved_seats for o in ("o1", "o2", "o3", "o4")}
    assert reserved == {"o1": (SeatQuantity(GA, 2),), "o2": (SeatQuantity(GA, 2),),
                        "o3": (), "o4": ()}
    partial = [type(e).__name__ for e in hub.streams[orders.stream_id("o3")]]
    assert "OrderPartiallyReserved" in partial
