"""A payment affects only what it paid for: a second payment of a paid order is refunded,
and the order still reads confirmed and paid, with its tickets valid."""
import pytest

from shared_domain import payments, seat_assignments
from event_store.readers import rebuild
from shared_domain.people import PersonalInfo
from tests.support.hub_api import SEAT_TYPES

GA = SEAT_TYPES[0]["name"]


def pay(hub, payment_id, order_id, conference_id, total_cents):
    """A card payment through the payment aggregate, as the processor page would."""
    hub.bus.handle(payments.InitiateThirdPartyProcessorPayment(
        payment_id, order_id, conference_id, "Order", total_cents))
    hub.bus.handle(payments.CompleteThirdPartyProcessorPayment(payment_id))
    hub.run_until_idle()


def owner_view(api, slug, auth, order_id):
    rows = api.http.get(f"/api/conferences/{slug}/orders", headers=auth).get_json()
    return next(o for o in rows if o["order_id"] == order_id)


def live_tickets(hub, order_id):
    T = hub.models.TicketView
    return {t.code for t in T.select().where(T.order_id == order_id)}


def test_a_refunded_second_payment_leaves_the_order_confirmed_paid_and_its_tickets_valid(api):
    slug, ids, auth = api.create_conference()
    hub = api.hub
    conference_id = hub.models.Conference.get(slug=slug).id
    order_id = api.order(slug, {ids[GA]: 1})
    api.pump()
    api.registrant(order_id)
    total = owner_view(api, slug, auth, order_id)["total_cents"]
    pay(hub, "pay-first", order_id, conference_id, total)
    hub.bus.handle(seat_assignments.AssignSeat(
        order_id, 0, PersonalInfo("Ada", "Lovelace", "ada@example.org")))
    hub.run_until_idle()
    tickets = live_tickets(hub, order_id)
    assert len(tickets) == 1

    pay(hub, "pay-second", order_id, conference_id, total)

    second = [e.message for e in hub.store.load(payments.stream_id("pay-second"))]
    assert isinstance(second[-1], payments.UnusedPaymentRefunded)
    assert second[-1].reason == "duplicate_payment"
    order = owner_view(api, slug, auth, order_id)
    assert (order["status"], order["payment_status"]) == ("confirmed", "paid")
    assert live_tickets(hub, order_id) == tickets
    rebuild(hub.store, hub.read_models)  # the same answer from the log alone
    order = owner_view(api, slug, auth, order_id)
    assert (order["status"], order["payment_status"]) == ("confirmed", "paid")


@pytest.mark.parametrize("statuses, reads", [
    (["paid", "returned"], "paid"), (["returned"], ""), (["rejected", "paid"], "paid"),
    (["paid", "refunded", "returned"], "refunded"), (["rejected"], "rejected"), ([], ""),
])
def test_an_order_reads_what_its_own_payments_did(statuses, reads):
    from hub.orders.payment_views import order_status_from
    assert order_status_from(statuses) == reads
