"""Seats are reserved in the request that places the order, and an accepted payment confirms
the order in the request that accepts it, as the CQRS Journey V3 did in-process: with no worker
and no pump run by hand, the registrant's next read already shows the outcome."""
import pytest

from tests.support.clock import FakeClock
from tests.support.hub_api import HubClient, make_app

GA = "General admission"


@pytest.fixture
def api(tmp_path):
    client = HubClient(make_app(tmp_path, FakeClock(), settle_rounds=4))
    yield client
    client.hub.close()


def seat_types(quantity):
    return [{"name": GA, "description": "All talks", "quantity": quantity, "price": 100}]


def test_an_order_is_reserved_by_the_time_placing_it_answers(api):
    slug, ids, _ = api.create_conference(seat_types=seat_types(10))
    order_id = api.order(slug, {ids[GA]: 3})
    order = api.get_order(order_id)
    assert order["status"] == "reserved"
    assert order["items"][0]["reserved"] == 3 and order["total_cents"] == 30000
    assert api.available(slug) == {GA: 7}


def test_what_cannot_be_reserved_is_known_at_once_too(api):
    slug, ids, _ = api.create_conference(seat_types=seat_types(4))
    first, second = api.order(slug, {ids[GA]: 3}), api.order(slug, {ids[GA]: 3})
    assert api.get_order(first)["status"] == "reserved"
    late = api.get_order(second)
    assert late["status"] == "partially_reserved" and late["items"][0]["reserved"] == 1


def test_an_accepted_payment_has_confirmed_the_order_and_made_its_assignments(api):
    slug, ids, _ = api.create_conference(seat_types=seat_types(10))
    order_id = api.order(slug, {ids[GA]: 2})
    api.registrant(order_id)
    assert api.pay(order_id).status_code in (200, 302)
    order = api.get_order(order_id)
    assert order["status"] == "confirmed"
    A, Q = api.hub.models.SeatAssignmentView, api.hub.models.QueuedCommand
    assert A.select().where(A.order_id == order_id).count() == 2
    # only the process's own deadline is left for later
    assert [q.type for q in Q.select().where(Q.status == "pending")] == \
        ["ExpireRegistrationProcess"]


def test_a_hub_that_leaves_it_to_the_worker_still_answers_pending(tmp_path):
    api = HubClient(make_app(tmp_path, FakeClock(), settle_rounds=0))
    try:
        slug, ids, _ = api.create_conference(seat_types=seat_types(10))
        order_id = api.order(slug, {ids[GA]: 1})
        assert api.get_order(order_id)["status"] == "pending_reservation"
        api.pump()
        assert api.get_order(order_id)["status"] == "reserved"
    finally:
        api.hub.close()


def test_the_answer_to_placing_is_the_reserved_order(api):
    slug, ids, _ = api.create_conference(seat_types=seat_types(10))
    r = api.http.post(f"/api/conferences/{slug}/orders",
                      json={"seats": [{"seat_type": ids[GA], "quantity": 2}]})
    assert r.status_code == 202
    body = r.get_json()
    assert body["status"] == "reserved" and body["items"][0]["reserved"] == 2
    assert body["order_token"] and body["order_url"] == f"/api/orders/{body['order_id']}"


def reserve(hub, conference_id, seat_type, reservation_id, quantity):
    from shared_domain.seats import SeatQuantity
    from shared_domain.seats_availability import MakeSeatReservation, stream_id
    hub.bus.handle(MakeSeatReservation(conference_id, reservation_id,
                                       (SeatQuantity(seat_type, quantity),),
                                       f"cmd-{reservation_id}"))
    return hub.store.load(stream_id(conference_id))[-1].message


def test_the_availability_a_rolled_back_reservation_decided_on_is_forgotten(api):
    """The hub keeps the last availability it decided on in memory; a reservation whose
    transaction rolled back must not linger in it."""
    slug, ids, _ = api.create_conference(seat_types=seat_types(10))
    hub = api.hub
    C = hub.models.Conference
    conference_id = C.get(C.slug == slug).id
    with hub.db.atomic() as transaction:
        assert reserve(hub, conference_id, ids[GA], "lost", 4).reservation_details[0].quantity == 4
        transaction.rollback()
    kept = reserve(hub, conference_id, ids[GA], "kept", 10)
    assert kept.reservation_details[0].quantity == 10    # all ten: the 4 were never held
