"""The CQRS Journey's acceptance scenarios, with its numbers, through the hub's JSON API."""
import threading
import time

import pytest

from shared_domain.orders import OrderPlaced
from tests.support.hub_api import HubClient, bearer, fake_clock_hub, make_app

GA, WORKSHOP, COCKTAIL = "General admission", "CQRS Workshop", "Additional cocktail party"


clock, api = fake_clock_hub()


@pytest.fixture
def conference(api):
    return api.create_conference()


def reserved_order(api, slug, seats, email="ada@example.org"):
    order_id = api.order(slug, seats)
    api.pump()
    api.registrant(order_id, email)
    return order_id


@pytest.mark.parametrize("seats, total", [
    ({GA: 1, COCKTAIL: 1}, 24900),
    ({WORKSHOP: 10, GA: 3}, 559700),
])
def test_order_totals_match_the_original_scenarios(api, conference, seats, total):
    slug, ids, _ = conference
    order_id = api.order(slug, {ids[name]: q for name, q in seats.items()})
    api.pump()
    order = api.get_order(order_id)
    assert order["status"] == "reserved"
    assert order["total_cents"] == total
    assert {line["name"]: line["quantity"] for line in order["lines"]} == seats


def test_placed_order_is_visible_before_the_reservation_completes(api, conference):
    slug, ids, _ = conference
    order_id = api.order(slug, {ids[GA]: 1})
    assert api.get_order(order_id)["status"] == "pending_reservation"
    r = api.start_payment(order_id)
    assert r.status_code in (409,)  # nobody reaches payment for seats not yet reserved


def test_partial_fulfilment_with_a_quota_of_four(api):
    slug, ids, _ = api.create_conference(
        seat_types=[{"name": "Quota", "description": "", "quantity": 4, "price": 10}])
    orders = [api.order(slug, {ids["Quota"]: 2}) for _ in range(4)]
    api.pump()
    states = [api.get_order(o) for o in orders]
    assert [s["status"] for s in states] == ["reserved", "reserved",
                                             "partially_reserved", "partially_reserved"]
    assert [s["items"][0]["reserved"] for s in states] == [2, 2, 0, 0]
    assert states[2]["message"] == "Could not reserve all the requested seats."
    assert api.available(slug) == {"Quota": 0}


def test_full_registration_confirms_and_creates_seat_assignments(api, conference):
    slug, ids, auth = conference
    order_id = reserved_order(api, slug, {ids[GA]: 2})
    assert api.pay(order_id).status_code == 200
    api.pump()
    order = api.get_order(order_id)
    assert order["status"] == "confirmed" and order["payment_status"] == "paid"
    seats = api.http.get(f"/api/orders/{order_id}/seats",
                         headers=api.owner(order_id)).get_json()["seats"]
    assert [s["seat_type_name"] for s in seats] == [GA, GA]
    r = api.http.put(f"/api/orders/{order_id}/seats/1", headers=api.owner(order_id),
                     json={"first_name": "Grace", "last_name": "Hopper",
                           "email": "grace@example.org", "company": "Navy"})
    assert r.status_code == 200
    assert r.get_json()["seats"][1]["attendee"]["email"] == "grace@example.org"
    api.pump()
    attendees = api.http.get(f"/api/conferences/{slug}/attendees", headers=auth).get_json()
    assert "grace@example.org" in str(attendees)
    found = api.http.post("/api/orders/find", json={"email": "ADA@example.org",
                                                     "access_code": order["access_code"].lower()})
    assert found.get_json()["order_id"] == order_id
    wrong = api.http.post("/api/orders/find", json={"email": "ada@example.org",
                                                     "access_code": "AAAAAA"})
    assert wrong.status_code == 404


def test_rejected_payment_keeps_the_reservation_and_a_new_one_can_succeed(api, conference):
    slug, ids, _ = conference
    order_id = reserved_order(api, slug, {ids[GA]: 1})
    assert api.pay(order_id, accept=False).get_json()["status"] == "rejected"
    api.pump()
    assert api.get_order(order_id)["status"] == "reserved"
    assert api.available(slug)[GA] == 99
    assert api.pay(order_id).status_code == 200
    api.pump()
    assert api.get_order(order_id)["status"] == "confirmed"


def test_zero_cost_order_skips_payment(api):
    slug, ids, _ = api.create_conference(
        seat_types=[{"name": "Free pass", "description": "", "quantity": 5, "price": 0}])
    order_id = reserved_order(api, slug, {ids["Free pass"]: 1})
    r = api.start_payment(order_id)
    assert r.status_code == 200 and r.get_json()["status"] == "confirmed"
    api.pump()
    order = api.get_order(order_id)
    assert order["status"] == "confirmed" and order["payment_status"] == ""


def test_order_expired_before_payment_is_never_confirmed(api, conference, clock):
    slug, ids, _ = conference
    order_id = reserved_order(api, slug, {ids[GA]: 1})
    clock.advance(minutes=16)
    r = api.start_payment(order_id)
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "order_expired"
    clock.advance(minutes=5)  # past the release buffer: the expiry command falls due
    api.pump()
    assert api.get_order(order_id)["status"] == "expired"
    assert api.available(slug)[GA] == 100


def test_payment_completed_after_expiry_reacquires_free_seats(api, conference, clock):
    slug, ids, _ = conference
    order_id = reserved_order(api, slug, {ids[GA]: 2})
    payment = api.start_payment(order_id).get_json()
    clock.advance(minutes=21)
    api.pump()
    assert api.get_order(order_id)["status"] == "expired"
    api.http.post(f"/api/payments/{payment['payment_id']}/accept")
    api.pump()
    assert api.get_order(order_id)["status"] == "confirmed"
    assert api.available(slug)[GA] == 98


def test_payment_completed_after_expiry_is_refunded_when_seats_are_gone(api, clock):
    slug, ids, _ = api.create_conference(
        seat_types=[{"name": "Scarce", "description": "", "quantity": 1, "price": 100}])
    late = reserved_order(api, slug, {ids["Scarce"]: 1})
    payment = api.start_payment(late).get_json()
    clock.advance(minutes=21)
    api.pump()
    other = reserved_order(api, slug, {ids["Scarce"]: 1}, email="bob@example.org")
    assert api.pay(other).status_code == 200
    api.pump()
    api.http.post(f"/api/payments/{payment['payment_id']}/accept")
    api.pump()
    assert api.get_order(late)["status"] == "expired"
    assert api.get_order(late)["payment_status"] == "refunded"
    assert api.get_order(other)["status"] == "confirmed"
    assert api.available(slug) == {"Scarce": 0}


def test_order_already_expired_when_placed_is_rejected_at_once(api, conference, clock):
    slug, ids, _ = conference
    order_id = api.order(slug, {ids[GA]: 1})
    clock.advance(minutes=30)  # the process manager sees OrderPlaced only now
    api.pump()
    assert api.get_order(order_id)["status"] == "expired"
    assert api.available(slug)[GA] == 100


def test_duplicate_events_change_nothing(api, conference):
    slug, ids, _ = conference
    order_id = api.order(slug, {ids[GA]: 1})
    api.pump()
    hub = api.hub
    events = hub.store.load(f"order-{order_id}")
    placed = next(e for e in events if isinstance(e.message, OrderPlaced))
    before = hub.models.QueuedCommand.select().count()
    state = hub.processes.state_of(order_id)
    with hub.db.atomic():
        hub.processes.handle(placed.message, causation_id=placed.causation)
    reserved = next(e for e in hub.store.load(f"availability-{placed.conference}")
                    if type(e.message).__name__ == "SeatsReserved")
    with hub.db.atomic():
        hub.processes.handle(reserved.message, causation_id=reserved.causation)
    api.pump()
    assert hub.models.QueuedCommand.select().count() == before
    assert hub.processes.state_of(order_id) == state
    assert api.available(slug)[GA] == 99


def test_crash_between_saving_the_process_and_sending_its_commands_loses_nothing(
        tmp_path, clock, conference, api):
    slug, ids, _ = conference
    order_id = api.order(slug, {ids[GA]: 3})
    hub = api.hub
    # The process manager reads OrderPlaced and saves its state with its commands...
    for reader in hub.readers:
        from event_store.readers import catch_up
        catch_up(hub.store, reader)
    assert hub.processes.state_of(order_id).state == "awaiting_reservation_confirmation"
    # ...and the process dies before dispatching any of them.
    hub.close()
    restarted = HubClient(make_app(tmp_path, clock))
    restarted.tokens = api.tokens     # the registrant still holds the order's token
    restarted.pump()
    assert restarted.get_order(order_id)["status"] == "reserved"
    assert restarted.available(slug)[GA] == 97
    restarted.hub.close()


def test_twenty_registrants_racing_for_ten_seats_confirm_exactly_ten(tmp_path, clock):
    app = make_app(tmp_path, clock)
    api = HubClient(app)
    slug, ids, _ = api.create_conference(
        seat_types=[{"name": "Last ten", "description": "", "quantity": 10, "price": 25}])
    from hub.platform.worker import Worker
    worker = Worker(api.hub)
    worker.start()
    app.extensions["contoso_worker"] = worker
    outcomes = []

    def registrant(n):
        http = app.test_client()
        r = http.post(f"/api/conferences/{slug}/orders",
                      json={"seats": [{"seat_type": ids["Last ten"], "quantity": 1}]})
        order_id = r.get_json()["order_id"]
        owner = bearer(r.get_json()["order_token"])
        api.tokens[order_id] = r.get_json()["order_token"]
        for _ in range(400):
            order = http.get(f"/api/orders/{order_id}", headers=owner).get_json()
            if order["status"] != "pending_reservation":
                break
            time.sleep(0.02)
        http.post(f"/api/orders/{order_id}/registrant", headers=owner,
                  json={"first_name": "R", "last_name": str(n), "email": f"r{n}@example.org"})
        p = http.post(f"/api/orders/{order_id}/payment", json={"method": "card"}, headers=owner)
        if p.status_code == 201:
            http.post(f"/api/payments/{p.get_json()['payment_id']}/accept")
        outcomes.append(order_id)

    threads = [threading.Thread(target=registrant, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    worker.stop()
    api.pump()
    statuses = [api.get_order(o)["status"] for o in outcomes]
    assert len(outcomes) == 20
    assert statuses.count("confirmed") == 10
    confirmed_seats = sum(api.get_order(o)["items"][0]["reserved"] for o in outcomes
                          if api.get_order(o)["status"] == "confirmed")
    assert confirmed_seats == 10
    assert api.available(slug) == {"Last ten": 0}
    api.hub.close()


def test_read_models_rebuilt_from_scratch_equal_the_live_ones(api, conference, clock):
    slug, ids, _ = conference
    for n in range(3):
        order_id = reserved_order(api, slug, {ids[GA]: 1 + n, ids[COCKTAIL]: 1},
                                  email=f"p{n}@example.org")
        api.pay(order_id)
    api.order(slug, {ids[WORKSHOP]: 2})
    api.pump()
    hub = api.hub

    def dump():
        return {m.__name__: sorted(tuple(sorted(r.items())) for r in
                                   m.select().dicts() if r.pop("id", True))
                for m in hub.models.read_models}

    live = dump()
    from event_store.readers import rebuild
    progress = []
    rebuild(hub.store, hub.read_models, progress=lambda d, t: progress.append((d, t)))
    assert dump() == live
    assert progress and progress[-1][0] == progress[-1][1]


@pytest.mark.parametrize("body, code", [
    ({"seats": [{"seat_type": "nope", "quantity": 1}]}, "unknown_seat_type"),
    ({"seats": [{"seat_type": "GA", "quantity": -1}]}, "invalid_quantity"),
    ({"seats": []}, "invalid_fields"),
    ({"seats": "lots"}, "invalid_fields"),
])
def test_bad_orders_get_a_4xx_with_a_stable_code_and_change_nothing(api, conference, body, code):
    slug, ids, _ = conference
    for seat in body["seats"] if isinstance(body["seats"], list) else []:
        seat["seat_type"] = ids.get(GA) if seat["seat_type"] == "GA" else seat["seat_type"]
    before = api.hub.store.count()
    r = api.http.post(f"/api/conferences/{slug}/orders", json=body)
    assert r.status_code == 400 and r.get_json()["error"]["code"] == code
    assert api.hub.store.count() == before


def test_malformed_and_oversized_bodies_are_refused(api, conference):
    slug, _, _ = conference
    r = api.http.post(f"/api/conferences/{slug}/orders", data="{not json",
                      content_type="application/json")
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "malformed_json"
    r = api.http.post(f"/api/conferences/{slug}/orders", data="x" * 2_000_000,
                      content_type="application/json")
    assert r.status_code == 413 and "error" in r.get_json()
    assert api.http.get("/api/orders/does-not-exist").status_code == 401    # no proof shown
    r = api.http.post("/api/orders/find", json={"email": 3})
    assert r.status_code == 400


def test_seats_availability_is_loaded_from_a_snapshot_and_the_events_after_it(api, conference):
    from shared_domain import seats_availability as sa
    slug, ids, _ = conference
    hub = api.hub
    conference_id = hub.models.Conference.get(hub.models.Conference.slug == slug).id
    for _ in range(120):
        hub.bus.handle(sa.AddSeats(conference_id, ids[GA], 1))
    stream = sa.stream_id(conference_id)
    version, memento = hub.store.load_snapshot(stream)
    assert version >= 100
    from_snapshot = sa.fold((e.message for e in hub.store.load(stream, after_version=version)),
                            sa.from_snapshot(memento))
    assert from_snapshot == sa.fold(e.message for e in hub.store.load(stream))
    assert from_snapshot.remaining()[ids[GA]] == 220


def test_guessing_order_access_codes_is_stopped_after_five_failures(api, conference):
    slug, ids, _ = conference
    order_id = reserved_order(api, slug, {ids[GA]: 1})
    code = api.get_order(order_id)["access_code"]
    for _ in range(5):
        r = api.http.post("/api/orders/find", json={"email": "ada@example.org",
                                                    "access_code": "ZZZZZZ"})
        assert r.status_code == 404
    r = api.http.post("/api/orders/find", json={"email": "ada@example.org", "access_code": code})
    assert r.status_code == 429 and r.get_json()["error"]["code"] == "too_many_attempts"
