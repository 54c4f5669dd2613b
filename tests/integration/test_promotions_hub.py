"""Promotional codes through the real hub (Flask test client, SQLite file): the owner's
codes, a registrant applying one, the discounted payment, releases and the quota."""
import threading

import pytest

from tests.support.clock import FakeClock
from tests.support.hub_api import HubClient, make_app

GA, WS, CP = "General admission", "CQRS Workshop", "Additional cocktail party"


@pytest.fixture
def conference(api):
    slug, ids, auth = api.create_conference()
    return slug, ids, auth


def define(api, conference, **body):
    slug, ids, auth = conference
    body["seat_types"] = [ids[name] for name in body.get("seat_types", [])]
    return api.http.post(f"/api/conferences/{slug}/promotional-codes", json=body, headers=auth)


def reserved_order(api, conference, seats):
    slug, ids, _ = conference
    order_id = api.order(slug, {ids[name]: q for name, q in seats.items()})
    api.pump()
    return order_id


def apply(api, order_id, code):
    return api.http.post(f"/api/orders/{order_id}/promotional-codes", json={"code": code},
                         headers=api.owner(order_id))


def test_an_owner_creates_a_code_and_lists_it(api, conference):
    r = define(api, conference, code="speaker123", kind="percentage", value=100)
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["code"] == "SPEAKER123"
    listed = api.http.get(f"/api/conferences/{conference[0]}/promotional-codes",
                          headers=conference[2]).get_json()
    assert [c["code"] for c in listed] == ["SPEAKER123"]


def test_a_quota_above_the_seats_in_scope_is_refused_on_its_field(api, conference):
    r = define(api, conference, code="NEWCODE", kind="percentage", value=10,
               seat_types=[GA], quota_kind="uses", quota=1000)
    assert r.status_code == 400
    assert r.get_json()["error"]["code"] == "quota_exceeds_seats"
    assert "quota" in r.get_json()["error"]["fields"]


def test_a_full_code_makes_the_order_free_and_it_confirms_without_payment(api, conference):
    define(api, conference, code="SPEAKER123", kind="percentage", value=100)
    order_id = reserved_order(api, conference, {GA: 3, WS: 1, CP: 2})
    r = apply(api, order_id, "speaker123")
    assert r.status_code == 200, r.get_json()
    order = r.get_json()
    assert order["total_cents"] == 0 and order["discount_cents"] == 119700
    assert order["promotional_codes"][0]["discount_cents"] == 119700
    api.registrant(order_id)
    r = api.start_payment(order_id)
    assert r.get_json()["status"] == "confirmed"
    api.pump()
    assert api.get_order(order_id)["status"] == "confirmed"


def test_the_payment_charges_the_discounted_total(api, conference):
    define(api, conference, code="VOLUNTEER", kind="percentage", value=100, seat_types=[GA])
    order_id = reserved_order(api, conference, {GA: 3, WS: 1, CP: 2})
    assert apply(api, order_id, "VOLUNTEER").get_json()["total_cents"] == 60000
    api.registrant(order_id)
    r = api.start_payment(order_id)
    assert r.status_code == 201 and r.get_json()["total_cents"] == 60000


def test_a_wrong_code_says_why_and_changes_nothing(api, conference):
    define(api, conference, code="VOLUNTEER", kind="percentage", value=100, seat_types=[GA])
    order_id = reserved_order(api, conference, {WS: 1, CP: 2})
    r = apply(api, order_id, "VOLUNTEER")
    assert r.status_code == 400
    assert r.get_json()["error"]["code"] == "promotional_code_not_applicable"
    assert apply(api, order_id, "NOSUCH").get_json()["error"]["code"] == \
        "promotional_code_not_found"
    assert api.get_order(order_id)["total_cents"] == 60000


def test_a_removed_code_reprices_and_gives_its_use_back(api, conference):
    define(api, conference, code="ONCE", kind="amount", value=5000, single_use=True)
    first = reserved_order(api, conference, {GA: 1})
    second = reserved_order(api, conference, {GA: 1})
    assert apply(api, first, "ONCE").status_code == 200
    assert apply(api, second, "ONCE").get_json()["error"]["code"] == "promotional_code_exhausted"
    r = api.http.delete(f"/api/orders/{first}/promotional-codes/ONCE", headers=api.owner(first))
    assert r.status_code == 200 and r.get_json()["total_cents"] == 19900
    api.pump()
    assert apply(api, second, "ONCE").get_json()["total_cents"] == 14900


def test_an_expired_order_gives_its_use_back(api, conference):
    define(api, conference, code="ONCE", kind="amount", value=5000, single_use=True)
    first = reserved_order(api, conference, {GA: 1})
    apply(api, first, "ONCE")
    api.hub.clock.advance(minutes=30)
    api.pump()
    assert api.get_order(first)["status"] == "expired"
    second = reserved_order(api, conference, {GA: 1})
    assert apply(api, second, "ONCE").status_code == 200
    uses = api.http.get(f"/api/conferences/{conference[0]}/promotional-codes/ONCE",
                        headers=conference[2]).get_json()
    assert uses["uses"] == 1
    assert {(u["order_id"], u["status"]) for u in uses["orders"]} == {
        (first, "released"), (second, "held")}


def test_applying_needs_the_orders_proof(api, conference):
    define(api, conference, code="SPEAKER123", kind="percentage", value=100)
    order_id = reserved_order(api, conference, {GA: 1})
    r = api.http.post(f"/api/orders/{order_id}/promotional-codes", json={"code": "SPEAKER123"})
    assert r.status_code == 401


def test_guessing_codes_is_limited_per_order(api, conference):
    order_id = reserved_order(api, conference, {GA: 1})
    answers = [apply(api, order_id, f"GUESS{n}").status_code for n in range(7)]
    assert answers[:5] == [404] * 5 and answers[5:] == [429, 429]


def test_concurrent_orders_never_exceed_a_codes_quota(tmp_path):
    """Orders racing for the last uses of a code, each in its own thread and connection."""
    api = HubClient(make_app(tmp_path, FakeClock()))
    try:
        conference = api.create_conference()
        assert define(api, conference, code="FEW", kind="percentage", value=50,
                      quota_kind="uses", quota=3).status_code == 201
        order_ids = [reserved_order(api, conference, {GA: 1}) for _ in range(8)]
        tokens = dict(api.tokens)
        app = api.app
        answers, start = {}, threading.Barrier(len(order_ids))

        def race(order_id):
            client = app.test_client()
            start.wait()
            r = client.post(f"/api/orders/{order_id}/promotional-codes", json={"code": "FEW"},
                            headers={"Authorization": f"Bearer {tokens[order_id]}"})
            answers[order_id] = (r.status_code, (r.get_json().get("error") or {}).get("code"))
        threads = [threading.Thread(target=race, args=(o,)) for o in order_ids]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        won = [o for o, (status, _) in answers.items() if status == 200]
        assert len(won) == 3, answers
        assert {code for status, code in answers.values() if status != 200} == {
            "promotional_code_exhausted"}
        api.pump()
        listed = api.http.get(f"/api/conferences/{conference[0]}/promotional-codes",
                              headers=conference[2]).get_json()
        assert listed[0]["uses"] == 3
    finally:
        api.hub.close()
