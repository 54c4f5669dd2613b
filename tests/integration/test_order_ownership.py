"""An order id is printed in every ticket's QR code: it must open nothing on its own. Every
order endpoint, found in the app's url_map (so a new one is covered at once), refuses the
id alone and another order's proof, changes nothing when it refuses, and serves the owner."""
import re
import secrets

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.support.hub_api import HubClient, basic, bearer

GA_NAME = "General admission"
UNKNOWN = "01900000-0000-7000-8000-000000000000"
EVE = {"first_name": "Eve", "last_name": "Mallory", "email": "eve@example.org",
       "method": "card", "seats": []}


@pytest.fixture
def orders(api):
    """Two confirmed orders of two seats, the first seat of each assigned: (mine, theirs)."""
    slug, ids, _ = api.create_conference()
    EVE["seats"] = [{"seat_type": ids[GA_NAME], "quantity": 1}]
    made = []
    for email in ("ada@example.org", "bob@example.org"):
        order_id = api.order(slug, {ids[GA_NAME]: 2})
        api.pump()
        api.registrant(order_id, email)
        api.pay(order_id)
        api.pump()
        r = api.http.put(f"/api/orders/{order_id}/seats/0", headers=api.owner(order_id),
                         json={"first_name": "Att", "last_name": email[:3], "email": email})
        assert r.status_code == 200, r.get_json()
        made.append(order_id)
    api.pump()
    return tuple(made)


def order_routes(app, api_side: bool):
    """(method, rule) of every route with an <order_id>, on the API or on the pages; the hub
    admin's (behind the admin's own sign-in, tested with the console) and the organiser's
    (behind the owner's credentials: test_order_management_*) are not a registrant's."""
    found = [(method, rule.rule) for rule in app.url_map.iter_rules()
             if "order_id" in rule.arguments and rule.rule.startswith("/api/") == api_side
             and not rule.rule.startswith(("/admin/", "/api/admin/", "/manage/",
                                           "/api/conferences/"))
             for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    assert len(found) >= 8     # the enumeration itself works
    return found


def path_of(rule: str, order_id: str) -> str:
    path = rule.replace("<order_id>", order_id).replace("<int:position>", "0") \
        .replace("<code>", "SPEAKER123")
    assert "<" not in path, f"{rule}: give this parameter a value here"
    return path


def call(http, method, path, headers=None):
    body = {} if method in ("GET", "DELETE") else {"json": EVE}
    return http.open(path, method=method, headers=headers or {}, **body)


def snapshot(api, order_id):
    """What a refused request must leave as it was: the log, the order and its seats."""
    owner = api.owner(order_id)
    return (api.hub.store.count(), api.http.get(f"/api/orders/{order_id}", headers=owner).data,
            api.http.get(f"/api/orders/{order_id}/seats", headers=owner).data)


def test_every_api_order_endpoint_refuses_the_id_alone_and_another_orders_proof(api, orders):
    mine, theirs = orders
    O = api.hub.models.OrderView
    their_row = O.get(O.order_id == theirs)
    their_code = basic(their_row.registrant_email, their_row.access_code)
    before = snapshot(api, mine)
    for method, rule in order_routes(api.app, api_side=True):
        path, where = path_of(rule, mine), f"{method} {rule}"
        alone = call(api.http, method, path)
        assert alone.status_code == 401, where
        assert alone.get_json()["error"]["code"] == "order_auth_required", where
        assert alone.headers["WWW-Authenticate"].startswith("Bearer"), where
        for proof in (api.owner(theirs), bearer(secrets.token_urlsafe(32)), bearer("x"),
                      their_code):
            refused = call(api.http, method, path, proof)
            assert refused.status_code in (404, 429), where       # 429: too many codes tried
            assert refused.get_json()["error"]["code"] in ("order_not_found",
                                                           "too_many_attempts"), where
        unknown = call(api.http, method, path_of(rule, UNKNOWN), api.owner(theirs))
        wrong = call(api.http, method, path, api.owner(theirs))
        assert unknown.status_code == 404 and unknown.data == wrong.data, where  # no probing
    assert snapshot(api, mine) == before


def test_every_api_order_endpoint_serves_the_owner(api, orders):
    mine, _ = orders
    for method, rule in order_routes(api.app, api_side=True):
        r = call(api.http, method, path_of(rule, mine), api.owner(mine))
        code = (r.get_json() or {}).get("error", {}).get("code") if r.is_json else None
        assert r.status_code != 401 and code != "order_not_found", (method, rule, r.data[:200])


def test_the_registrants_email_and_access_code_open_their_order_only(api, orders):
    mine, theirs = orders
    O = api.hub.models.OrderView
    row = O.get(O.order_id == mine)
    proof = basic(row.registrant_email.upper(), row.access_code.lower())
    assert api.http.get(f"/api/orders/{mine}", headers=proof).status_code == 200
    assert api.http.get(f"/api/orders/{theirs}", headers=proof).status_code == 404
    wrong = basic(row.registrant_email, "ZZZZZZ")
    for _ in range(5):
        assert api.http.get(f"/api/orders/{mine}", headers=wrong).status_code == 404
    locked = api.http.get(f"/api/orders/{mine}", headers=proof)   # guessing is limited
    assert locked.status_code == 429 and locked.get_json()["error"]["code"] == "too_many_attempts"


def test_a_page_session_reads_its_own_orders_and_changes_them_only_through_the_pages(api, orders):
    mine, theirs = orders
    browser = api.app.test_client()
    HubClient(api.app, browser).open_in_session(mine)
    assert browser.get(f"/api/orders/{mine}").status_code == 200
    assert browser.get(f"/api/orders/{mine}/seats/0/ticket.png").status_code == 200
    assert browser.get(f"/api/orders/{theirs}").status_code == 404
    assert browser.get(f"/api/orders/{UNKNOWN}").status_code == 404
    # No CSRF token on the API: a session alone never changes an order there.
    r = browser.put(f"/api/orders/{mine}/seats/1", json=EVE)
    assert r.status_code == 401


def test_every_order_page_needs_the_session_that_placed_or_found_the_order(api, orders):
    mine, theirs = orders
    before = snapshot(api, mine)
    stranger, other = api.app.test_client(), api.app.test_client()
    HubClient(api.app, other).open_in_session(theirs)
    for http in (stranger, other):
        with http.session_transaction() as session:
            session["csrf_token"] = "t"
    for method, rule in order_routes(api.app, api_side=False):
        for http in (stranger, other):
            r = http.open(path_of(rule, mine), method=method,
                          data={**EVE, "seats": "", "csrf_token": "t"})
            assert r.status_code == 404 and "Find my order" in r.get_data(as_text=True), rule
            unknown = http.open(path_of(rule, UNKNOWN), method=method, data={"csrf_token": "t"})
            assert unknown.status_code == 404, rule
    assert snapshot(api, mine) == before


def test_every_order_page_opens_for_the_owners_session(api, orders):
    mine, _ = orders
    owner = api.app.test_client()
    HubClient(api.app, owner).open_in_session(mine)
    for method, rule in order_routes(api.app, api_side=False):
        if method == "GET":
            r = owner.get(path_of(rule, mine))
            assert r.status_code in (200, 302), rule


def test_find_my_order_opens_it_in_the_session_and_the_api_gives_a_new_token(api, orders):
    mine, _ = orders
    O = api.hub.models.OrderView
    row = O.get(O.order_id == mine)
    found = api.http.post("/api/orders/find", json={"email": row.registrant_email,
                                                     "access_code": row.access_code})
    token = found.get_json()["order_token"]
    assert found.headers["Cache-Control"] == "no-store"
    assert api.http.get(f"/api/orders/{mine}", headers=bearer(token)).status_code == 200
    T = api.hub.models.OrderAccessToken
    assert not T.select().where(T.token_hash == token).exists()     # only its hash is kept
    browser = api.app.test_client()
    with browser.session_transaction() as session:
        session["csrf_token"] = "t"
    r = browser.post("/orders/find", data={"email": row.registrant_email,
                                           "access_code": row.access_code, "csrf_token": "t"})
    assert r.status_code == 302
    assert browser.get(f"/orders/{mine}").status_code == 200


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(token=st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=120))
def test_no_random_token_opens_an_order(api, orders, token):
    mine, _ = orders
    r = api.http.get(f"/api/orders/{mine}", headers=bearer(token))
    assert r.status_code in (401, 404)
    assert r.status_code == 401 or r.get_json()["error"]["code"] == "order_not_found"


def test_the_ticket_qr_code_names_the_seat_and_nothing_that_opens_the_order(api, orders):
    from shared_domain.tickets import read_ticket
    import base64
    mine, _ = orders
    T, K = api.hub.models.TicketView, api.hub.models.ConferenceKey
    ticket = T.get(T.order_id == mine)
    keys = {k.key_id: base64.urlsafe_b64decode(k.public_key) for k in K.select()}
    payload = read_ticket(ticket.code, keys)
    O = api.hub.models.OrderView
    code = O.get(O.order_id == mine).access_code
    assert payload.seat_id == f"{mine}:0" and code not in repr(payload)
    alone = api.http.get(f"/api/orders/{payload.seat_id.rpartition(':')[0]}")
    assert alone.status_code == 401


@pytest.mark.parametrize("body, bad", [
    ({"first_name": "", "last_name": "L" * 61, "email": "nope"},
     {"first_name", "last_name", "email"}),
    ({"first_name": 3, "last_name": ["x"], "email": None}, {"first_name", "last_name", "email"}),
    ({"first_name": "Ada\x07", "last_name": "Lovelace", "email": "a" * 250 + "@x.org"},
     {"first_name", "email"}),
])
def test_bad_registrant_details_name_every_bad_field_at_once_and_change_nothing(api, body, bad):
    slug, ids, _ = api.create_conference()
    order_id = api.order(slug, {ids[GA_NAME]: 1})
    api.pump()
    before = api.hub.store.count()
    r = api.http.post(f"/api/orders/{order_id}/registrant", json=body,
                      headers=api.owner(order_id))
    error = r.get_json()["error"]
    assert r.status_code == 400 and error["code"] == "invalid_fields"
    assert set(error["fields"]) == bad
    assert api.hub.store.count() == before


def test_bad_attendee_details_name_every_bad_field_at_once(api, orders):
    mine, _ = orders
    before = api.hub.store.count()
    r = api.http.put(f"/api/orders/{mine}/seats/1", headers=api.owner(mine),
                     json={"first_name": "F" * 61, "email": "", "company": "C" * 101})
    error = r.get_json()["error"]
    assert r.status_code == 400 and set(error["fields"]) == {"first_name", "email", "company"}
    assert api.hub.store.count() == before


def test_the_registrant_forms_say_the_longest_text_they_take(api, orders):
    from shared_domain import limits
    mine, _ = orders
    owner = api.app.test_client()
    HubClient(api.app, owner).open_in_session(mine)
    seats = owner.get(f"/orders/{mine}/seats").get_data(as_text=True)
    assert re.search(rf'name="seat-0-company"[^>]*maxlength="{limits.COMPANY_MAX}"', seats)
    assert re.search(rf'name="seat-0-email"[^>]*maxlength="{limits.EMAIL_MAX}"', seats)
    assert re.search(rf'name="seat-0-first_name"[^>]*maxlength="{limits.PERSON_NAME_MAX}"', seats)


def test_the_openapi_document_declares_proof_parameters_and_refusals_of_every_order_operation(
        api):
    doc = api.http.get("/api/openapi.json").get_json()
    assert {"orderToken", "registrantBasic"} <= set(doc["components"]["securitySchemes"])
    for method, rule in order_routes(api.app, api_side=True):
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)
        op = doc["paths"][path][method.lower()]
        assert {"401", "404", "429"} <= set(op["responses"]), (method, path)
        assert {"orderToken": []} in op["security"], (method, path)
        declared = {p["name"] for p in op["parameters"] if p["in"] == "path"}
        assert declared == set(re.findall(r"{(\w+)}", path)), (method, path)


def test_a_payment_id_is_random_and_the_processor_never_sees_the_access_code(api):
    import uuid
    slug, ids, _ = api.create_conference()
    order_id = api.order(slug, {ids[GA_NAME]: 1})
    api.pump()
    api.registrant(order_id)
    payment = api.start_payment(order_id).get_json()
    assert uuid.UUID(payment["payment_id"]).version == 4       # not time-ordered like ids
    shown = api.http.get(f"/api/payments/{payment['payment_id']}").get_json()
    assert api.get_order(order_id)["access_code"] not in str(shown)
    invoice = api.start_payment(order_id, "invoice").get_json()
    assert api.get_order(order_id)["access_code"] not in invoice["invoice_reference"]
