"""Wait-lists through the hub's JSON API (Flask's test client, the pump run by hand): join a
sold-out seat type, seats freed by a cancelled or expired order go to the first in line as
an offer held for them, the offer's link places the order on those seats; the owner sees
and runs the lists."""
from urllib.parse import parse_qs, urlsplit

from tests.support.hub_api import fake_clock_hub
from tests.support.mail import outbox

SEATS = [{"name": "CQRS Workshop", "description": "Hands on", "quantity": 2, "price": 500}]


clock, api = fake_clock_hub()


def sold_out(api):
    slug, ids, auth = api.create_conference(SEATS)
    workshop = ids["CQRS Workshop"]
    order = api.order(slug, {workshop: 2})
    api.pump()
    return slug, workshop, auth, order


def join(api, slug, seat_type, name="Bea", quantity=1, email=None):
    return api.http.post(f"/api/conferences/{slug}/waitlists/{seat_type}/entries", json={
        "name": name, "email": email or f"{name.lower()}@example.org", "quantity": quantity})


def cancel(api, order_id, auth):
    r = api.http.post(f"/api/conferences/cqrs2026/orders/{order_id}/cancel", headers=auth,
                      json={"reason": "changed plans"})
    assert r.status_code in (200, 202), r.get_json()
    api.pump()


def offer_link(api, recipient):
    row = next(m for m in outbox(api.hub, kind="waitlist_offer", recipient=recipient))
    url = next(line.strip() for line in row.text_body.splitlines() if "/waitlist/offers/" in line)
    parts = urlsplit(url)
    return parts.path.rsplit("/", 1)[1], parse_qs(parts.query)["proof"][0]


def test_joining_a_sold_out_seat_type_puts_you_in_line_and_mails_the_leave_link(api):
    slug, workshop, auth, _ = sold_out(api)
    r = join(api, slug, workshop, quantity=2)
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["status"] == "waiting" and r.get_json()["entry_token"]
    api.pump()
    mail, = outbox(api.hub, kind="waitlist_joined")
    assert mail.recipient == "bea@example.org" and "/waitlist/entries/" in mail.text_body
    lists = api.http.get(f"/api/conferences/{slug}/waitlists", headers=auth).get_json()
    assert [(e["name"], e["quantity"], e["status"]) for e in lists[0]["entries"]] \
        == [("Bea", 2, "waiting")]


def test_a_seat_type_on_sale_is_ordered_not_waited_for(api):
    slug, ids, _ = api.create_conference(SEATS)
    r = join(api, slug, ids["CQRS Workshop"])
    assert (r.status_code, r.get_json()["error"]["code"]) == (409, "seat_type_available")


def test_bad_joins_are_refused_and_change_nothing(api):
    slug, workshop, auth, _ = sold_out(api)
    assert join(api, slug, workshop, quantity=0).status_code == 400
    assert join(api, slug, workshop, name="").status_code == 400
    assert join(api, slug, "nope").status_code == 404
    assert join(api, slug, workshop).status_code == 201
    again = join(api, slug, workshop, name="Bea")
    assert (again.status_code, again.get_json()["error"]["code"]) == (409, "already_on_waitlist")
    lists = api.http.get(f"/api/conferences/{slug}/waitlists", headers=auth).get_json()
    assert len(lists[0]["entries"]) == 1


def test_joins_from_one_address_are_limited(api):
    slug, workshop, _, _ = sold_out(api)
    answers = [join(api, slug, workshop, name=f"P{i}").status_code for i in range(7)]
    assert answers[:5] == [201] * 5 and answers[5:] == [429, 429]


def test_a_cancellation_offers_the_first_in_line_and_the_link_completes_the_order(api):
    slug, workshop, auth, order = sold_out(api)
    assert join(api, slug, workshop, name="Bea", quantity=1).status_code == 201
    assert join(api, slug, workshop, name="Cal", quantity=1).status_code == 201
    api.pump()
    # Before the cancellation nothing is offered and the public sees nothing on sale.
    assert outbox(api.hub, kind="waitlist_offer") == []
    cancel(api, order, auth)
    assert api.available(slug) == {"CQRS Workshop": 0}     # both freed seats kept for the line
    offers = outbox(api.hub, kind="waitlist_offer")
    assert sorted(m.recipient for m in offers) == ["bea@example.org", "cal@example.org"]
    offer_id, proof = offer_link(api, "bea@example.org")
    assert api.http.get(f"/api/waitlist/offers/{offer_id}?proof=wrong").status_code == 404
    r = api.http.post(f"/api/waitlist/offers/{offer_id}/accept?proof={proof}")
    assert r.status_code == 202, r.get_json()
    api.tokens[offer_id] = r.get_json()["order_token"]
    api.pump()
    placed = api.get_order(offer_id)
    assert placed["status"] == "reserved"
    assert [(i["seat_type"], i["reserved"]) for i in placed["items"]] == [(workshop, 1)]
    api.registrant(offer_id)
    assert api.pay(offer_id).status_code == 200
    api.pump()
    assert api.get_order(offer_id)["status"] == "confirmed"
    lists = api.http.get(f"/api/conferences/{slug}/waitlists", headers=auth).get_json()
    bea = next(e for e in lists[0]["entries"] if e["name"] == "Bea")
    assert (bea["status"], bea["converted"]) == ("accepted", True)


def test_an_offer_not_taken_expires_and_passes_to_the_next(api, clock):
    slug, workshop, auth, order = sold_out(api)
    assert join(api, slug, workshop, name="Bea", quantity=2).status_code == 201
    assert join(api, slug, workshop, name="Cal", quantity=2).status_code == 201
    api.pump()
    cancel(api, order, auth)
    assert [m.recipient for m in outbox(api.hub, kind="waitlist_offer")] == ["bea@example.org"]
    offer_id, proof = offer_link(api, "bea@example.org")
    clock.advance(hours=24, minutes=1)
    api.pump()
    r = api.http.post(f"/api/waitlist/offers/{offer_id}/accept?proof={proof}")
    assert (r.status_code, r.get_json()["error"]["code"]) == (409, "offer_expired")
    assert [m.recipient for m in outbox(api.hub, kind="waitlist_offer")] \
        == ["bea@example.org", "cal@example.org"]


def test_leaving_with_the_proof_and_the_owner_removing_and_closing(api):
    slug, workshop, auth, order = sold_out(api)
    bea = join(api, slug, workshop, name="Bea").get_json()
    cal = join(api, slug, workshop, name="Cal").get_json()
    assert api.http.delete(f"/api/waitlist/entries/{bea['entry_id']}?proof=x").status_code == 404
    # any text is a wrong proof, never an error (the fuzzer sent "ÓY<]" and got a 500)
    assert api.http.get(f"/api/waitlist/entries/{bea['entry_id']}?proof=%C3%93Y").status_code \
        == 404
    r = api.http.delete(f"/api/waitlist/entries/{bea['entry_id']}?proof={bea['entry_token']}")
    assert r.get_json()["status"] == "left"
    r = api.http.delete(f"/api/conferences/{slug}/waitlists/{workshop}/entries/{cal['entry_id']}",
                        headers=auth)
    assert r.status_code == 200 and r.get_json()["entries"][1]["status"] == "removed"
    r = api.http.post(f"/api/conferences/{slug}/waitlists/{workshop}/close", headers=auth)
    assert r.get_json()["closed"] is True
    assert join(api, slug, workshop, name="Dee").get_json()["error"]["code"] == "waitlist_closed"
    r = api.http.put(f"/api/conferences/{slug}/waitlists/{workshop}/offer-window", headers=auth,
                     json={"minutes": 5})
    assert (r.status_code, r.get_json()["error"]["code"]) == (400, "invalid_offer_window")
    r = api.http.put(f"/api/conferences/{slug}/waitlists/{workshop}/offer-window", headers=auth,
                     json={"minutes": 60})
    assert r.get_json()["offer_window_minutes"] == 60
    assert api.http.get(f"/api/conferences/{slug}/waitlists").status_code == 401
