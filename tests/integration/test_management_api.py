"""Conference management through the hub's JSON API: CRUD, owner auth, events, bad input."""
import base64
import json

import pytest

from hub.http.app import create_app
from hub.bootstrap import HubConfig
from hub.conferences import management

CONFERENCE = {
    "slug": "pycon_north", "name": "PyCon North", "description": "Two days of Python.",
    "location": "Oulu", "start_date": "2026-06-12", "end_date": "2026-06-13",
    "owner_name": "Aino Virtanen", "owner_email": "Aino@Example.org",
}
GA = {"name": "General admission", "description": "Both days", "quantity": 100, "price": 199.5}


@pytest.fixture
def app(tmp_path):
    app = create_app(HubConfig(data_dir=str(tmp_path)), start_worker=False)
    yield app
    app.extensions["contoso_hub"].close()


@pytest.fixture
def hub(app):
    return app.extensions["contoso_hub"]


@pytest.fixture
def client(app):
    return app.test_client()


def basic(email, code):
    return {"Authorization": "Basic " + base64.b64encode(f"{email}:{code}".encode()).decode()}


@pytest.fixture
def owned(client):
    """A new unpublished conference: (slug, owner auth headers, creation response body)."""
    r = client.post("/api/conferences", json=CONFERENCE)
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    return body["slug"], basic(CONFERENCE["owner_email"], body["access_code"]), body


def add_seat_type(client, slug, auth, **fields):
    r = client.post(f"/api/conferences/{slug}/seat-types", json={**GA, **fields}, headers=auth)
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def event_types(hub, conference_id):
    return [e.type for e in hub.store.load(f"conference-{conference_id}")]


def public_seats(client, slug):
    return {s["name"]: s for s in client.get(f"/api/conferences/{slug}").get_json()["seat_types"]}


# --- creating ---------------------------------------------------------------------------

def test_created_conference_has_a_six_symbol_access_code_and_is_unpublished(owned):
    _, _, body = owned
    assert len(body["access_code"]) == 6
    assert set(body["access_code"]) <= set("ABCDEFGHJKMNPQRSTUVWXYZ123456789")
    assert body["is_published"] is False and body["seat_types"] == []


@pytest.mark.parametrize("change, field, message", [
    ({"slug": "py con"}, "slug", "Slug can only contain letters, digits and underscores."),
    ({"owner_email": "not-an-email"}, "owner_email", "Owner email is not a valid email address."),
    ({"end_date": "2026-06-11"}, "end_date", "End date must not be before the start date."),
    ({"start_date": "12/06/2026"}, "start_date", "Start date must be a date written YYYY-MM-DD."),
    ({"name": "P"}, "name", "Name must be between 2 and 200 characters."),
    ({"name": "P" * 201}, "name", "Name must be between 2 and 200 characters."),
    ({"name": ""}, "name", "Name is required."),
    ({"slug": "s" * 61}, "slug", "Slug must be between 1 and 60 characters."),
    ({"slug": "é"}, "slug", "Slug can only contain letters, digits and underscores."),
    ({"description": "d" * 5001}, "description",
     "Description must be between 1 and 5000 characters."),
    ({"owner_name": "o" * 201}, "owner_name", "Owner name must be between 1 and 200 characters."),
    ({"owner_email": "a@" + "b" * 250 + ".org"}, "owner_email",
     "Owner email must be between 1 and 254 characters."),
])
def test_invalid_conference_fields_are_refused_with_a_message_per_field(client, change, field,
                                                                        message):
    r = client.post("/api/conferences", json={**CONFERENCE, **change})
    assert r.status_code == 400
    error = r.get_json()["error"]
    assert error["code"] == "invalid_fields"
    assert error["fields"][field] == message


def test_every_broken_field_is_reported_at_once(client):
    r = client.post("/api/conferences", json={})
    fields = r.get_json()["error"]["fields"]
    assert {"slug", "name", "description", "location", "start_date", "end_date", "owner_name",
            "owner_email"} <= set(fields)


def test_a_taken_slug_is_a_conflict_whatever_its_case(client, owned):
    r = client.post("/api/conferences", json={**CONFERENCE, "slug": "PyCon_North"})
    assert r.status_code == 409
    assert r.get_json()["error"]["code"] == "slug_taken"


# --- the owner's credentials ---------------------------------------------------------------

def test_owner_locates_the_conference_by_email_in_any_case_and_access_code(client, hub, owned):
    slug, _, body = owned
    r = client.post("/api/conferences/locate",
                    json={"owner_email": "AINO@example.ORG", "access_code": body["access_code"]})
    assert r.status_code == 200 and r.get_json()["slug"] == slug
    assert management.locate(hub, "aino@example.org", body["access_code"]).slug == slug
    assert management.locate(hub, "aino@example.org", "AAAAAA") is None


def test_wrong_or_missing_credentials_are_401_and_change_nothing(client, hub, owned):
    slug, _, body = owned
    before = len(hub.store.load(f"conference-{body['id']}"))
    wrong = basic(CONFERENCE["owner_email"], "ZZZZZZ")
    for headers in (wrong, {}, {"Authorization": "Bearer abc"}):
        r = client.put(f"/api/conferences/{slug}", json={"name": "Hijacked"}, headers=headers)
        assert r.status_code == 401
        assert r.get_json()["error"]["code"] == "unauthorized"
        assert r.headers["WWW-Authenticate"].startswith("Basic ")
    assert client.post(f"/api/conferences/{slug}/publish", headers=wrong).status_code == 401
    assert client.post(f"/api/conferences/{slug}/seat-types", json=GA,
                       headers=wrong).status_code == 401
    assert client.post("/api/conferences/locate", json={
        "owner_email": CONFERENCE["owner_email"], "access_code": "ZZZZZZ"}).status_code == 401
    assert hub.models.Conference.get_by_id(body["id"]).name == CONFERENCE["name"]
    assert len(hub.store.load(f"conference-{body['id']}")) == before
    assert hub.models.SeatType.select().count() == 0


def test_another_conferences_credentials_do_not_open_this_one(client, owned):
    slug, _, _ = owned
    r = client.post("/api/conferences", json={**CONFERENCE, "slug": "other"})
    other = basic(CONFERENCE["owner_email"], r.get_json()["access_code"])
    assert client.get(f"/api/conferences/{slug}/manage", headers=other).status_code == 401


def test_owner_updates_some_fields_and_keeps_the_others(client, owned):
    slug, auth, _ = owned
    r = client.put(f"/api/conferences/{slug}", json={"tagline": "By the sea", "unknown": 1},
                   headers=auth)
    assert r.status_code == 200
    assert r.get_json()["tagline"] == "By the sea" and r.get_json()["name"] == CONFERENCE["name"]


def test_slug_is_fixed_once_published(client, owned):
    slug, auth, _ = owned
    add_seat_type(client, slug, auth)
    client.post(f"/api/conferences/{slug}/publish", headers=auth)
    r = client.put(f"/api/conferences/{slug}", json={"slug": "renamed"}, headers=auth)
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "slug_locked"


# --- publishing ---------------------------------------------------------------------------

def test_publishing_without_seat_types_is_refused(client, hub, owned):
    slug, auth, body = owned
    r = client.post(f"/api/conferences/{slug}/publish", headers=auth)
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "no_seat_types"
    assert not hub.models.Conference.get(slug=slug).is_published
    assert event_types(hub, body["id"]) == ["ConferenceCreated"]


def test_only_published_conferences_are_public(client, owned):
    slug, auth, _ = owned
    add_seat_type(client, slug, auth)
    assert client.get(f"/api/conferences/{slug}").status_code == 404
    assert client.get("/api/conferences").get_json() == []
    assert client.post(f"/api/conferences/{slug}/publish", headers=auth).status_code == 200
    assert client.get(f"/api/conferences/{slug}").get_json()["is_published"] is True
    assert [c["slug"] for c in client.get("/api/conferences").get_json()] == [slug]
    assert client.post(f"/api/conferences/{slug}/unpublish", headers=auth).status_code == 200
    assert client.get(f"/api/conferences/{slug}").status_code == 404
    assert client.get("/api/conferences").get_json() == []


def test_public_view_hides_the_owner_email_and_access_code(client, owned):
    slug, auth, _ = owned
    add_seat_type(client, slug, auth)
    client.post(f"/api/conferences/{slug}/publish", headers=auth)
    body = client.get(f"/api/conferences/{slug}").get_json()
    assert "owner_email" not in body and "access_code" not in body


def test_every_change_is_an_integration_event_in_order(client, hub, owned):
    slug, auth, body = owned
    seat = add_seat_type(client, slug, auth)
    kept = add_seat_type(client, slug, auth, name="Workshop")
    client.put(f"/api/conferences/{slug}/seat-types/{kept['id']}", json={"quantity": 120},
               headers=auth)
    client.delete(f"/api/conferences/{slug}/seat-types/{seat['id']}", headers=auth)
    client.put(f"/api/conferences/{slug}", json={"tagline": "New"}, headers=auth)
    client.post(f"/api/conferences/{slug}/publish", headers=auth)
    client.post(f"/api/conferences/{slug}/publish", headers=auth)  # already published: no event
    client.post(f"/api/conferences/{slug}/unpublish", headers=auth)
    assert event_types(hub, body["id"]) == [
        "ConferenceCreated", "SeatCreated", "SeatCreated", "SeatUpdated", "SeatDeleted",
        "ConferenceUpdated",
        "ConferencePublished", "ConferenceUnpublished"]
    origins = {e.origin for e in hub.store.load(f"conference-{body['id']}")}
    assert origins == {f"hub/{body['id']}"}


def test_a_row_is_never_saved_without_its_event(hub, monkeypatch):
    def refuse(*args, **kwargs):
        raise RuntimeError("log unavailable")
    monkeypatch.setattr(hub.store, "append", refuse)
    with pytest.raises(RuntimeError):
        management.create_conference(hub, CONFERENCE)
    assert hub.models.Conference.select().count() == 0


def test_a_seat_type_is_never_saved_without_its_availability_command(hub, monkeypatch):
    conference, _ = management.create_conference(hub, CONFERENCE)
    append = hub.store.append

    def availability_down(stream, *args, **kwargs):
        if stream.startswith("availability-"):
            raise RuntimeError("the availability command breaks")
        return append(stream, *args, **kwargs)
    monkeypatch.setattr(hub.store, "append", availability_down)
    with pytest.raises(RuntimeError):   # the availability command fails: nothing is kept
        management.create_seat_type(hub, conference, GA)
    assert hub.models.SeatType.select().count() == 0
    assert event_types(hub, conference.id) == ["ConferenceCreated"]


# --- seat types ---------------------------------------------------------------------------

def test_seat_type_price_is_dollars_and_cents(client, owned):
    slug, auth, _ = owned
    seat = add_seat_type(client, slug, auth, price="249.99")
    assert seat["price"] == 249.99 and seat["price_cents"] == 24999
    assert add_seat_type(client, slug, auth, price=199)["price"] == 199


@pytest.mark.parametrize("change, field", [
    ({"quantity": -1}, "quantity"), ({"quantity": 100001}, "quantity"),
    ({"price": -1}, "price"), ({"price": 50000.01}, "price"), ({"price": "1.999"}, "price"),
    ({"price": "1e2"}, "price"), ({"price": "+5"}, "price"),
    ({"name": "G"}, "name"), ({"description": "d" * 251}, "description"),
])
def test_seat_type_ranges_are_enforced(client, owned, change, field):
    slug, auth, _ = owned
    r = client.post(f"/api/conferences/{slug}/seat-types", json={**GA, **change}, headers=auth)
    assert r.status_code == 400
    assert field in r.get_json()["error"]["fields"]


def test_quantity_changes_reach_the_public_availability(client, hub, owned):
    slug, auth, _ = owned
    seat = add_seat_type(client, slug, auth, quantity=10)
    client.post(f"/api/conferences/{slug}/publish", headers=auth)
    hub.run_until_idle()
    assert public_seats(client, slug)[GA["name"]]["available"] == 10
    for quantity, expected in ((25, 25), (5, 5), (0, 0)):
        r = client.put(f"/api/conferences/{slug}/seat-types/{seat['id']}",
                       json={"quantity": quantity}, headers=auth)
        assert r.status_code == 200 and r.get_json()["quantity"] == quantity
        hub.run_until_idle()
        assert public_seats(client, slug)[GA["name"]]["available"] == expected


def test_seat_type_crud_before_publishing(client, hub, owned):
    slug, auth, _ = owned
    seat = add_seat_type(client, slug, auth)
    listed = client.get(f"/api/conferences/{slug}/seat-types", headers=auth).get_json()
    assert [s["id"] for s in listed] == [seat["id"]]
    r = client.put(f"/api/conferences/{slug}/seat-types/{seat['id']}",
                   json={"name": "Early bird", "price": 99}, headers=auth)
    assert r.get_json()["name"] == "Early bird" and r.get_json()["price_cents"] == 9900
    assert client.delete(f"/api/conferences/{slug}/seat-types/{seat['id']}",
                         headers=auth).status_code == 204
    assert client.get(f"/api/conferences/{slug}/seat-types", headers=auth).get_json() == []
    hub.run_until_idle()
    assert hub.models.SeatTypeView.select().count() == 0


def test_seat_type_cannot_be_deleted_once_the_conference_was_published(client, hub, owned):
    slug, auth, _ = owned
    seat = add_seat_type(client, slug, auth)
    client.post(f"/api/conferences/{slug}/publish", headers=auth)
    client.post(f"/api/conferences/{slug}/unpublish", headers=auth)
    r = client.delete(f"/api/conferences/{slug}/seat-types/{seat['id']}", headers=auth)
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "seat_type_in_use"
    assert hub.models.SeatType.get_or_none(hub.models.SeatType.id == seat["id"]) is not None


def test_unknown_seat_type_is_404(client, owned):
    slug, auth, _ = owned
    r = client.put(f"/api/conferences/{slug}/seat-types/nope", json={"quantity": 1}, headers=auth)
    assert r.status_code == 404 and r.get_json()["error"]["code"] == "seat_type_not_found"


# --- bad input ------------------------------------------------------------------------------

@pytest.mark.parametrize("data", ["{not json", "[1, 2]", '"text"', "", "NaN", '{"a": 1e999}',
                                  "\xff\xfe"])
def test_malformed_bodies_are_400_malformed_json(client, data):
    r = client.post("/api/conferences", data=data, content_type="application/json")
    assert r.status_code == 400
    assert r.get_json()["error"]["code"] == "malformed_json"


def test_wrong_types_are_reported_per_field(client, owned):
    slug, auth, _ = owned
    r = client.post("/api/conferences", json={**CONFERENCE, "name": 42, "slug": ["x"]})
    assert r.status_code == 400
    assert set(r.get_json()["error"]["fields"]) == {"name", "slug"}
    r = client.post(f"/api/conferences/{slug}/seat-types",
                    json={**GA, "quantity": "many", "price": True}, headers=auth)
    assert r.status_code == 400
    assert set(r.get_json()["error"]["fields"]) == {"quantity", "price"}
    r = client.post(f"/api/conferences/{slug}/seat-types", json={**GA, "quantity": 1.5},
                    headers=auth)
    assert r.get_json()["error"]["fields"]["quantity"] == "Must be a whole number."


def test_an_oversize_body_is_413_with_a_json_error(tmp_path):
    app = create_app(HubConfig(data_dir=str(tmp_path / "small"), max_body_bytes=1000),
                     start_worker=False)
    r = app.test_client().post("/api/conferences",
                               data=json.dumps({**CONFERENCE, "description": "x" * 5000}),
                               content_type="application/json")
    assert r.status_code == 413
    assert r.get_json()["error"]["code"] == "request_entity_too_large"
    app.extensions["contoso_hub"].close()


def test_unknown_conference_for_management_is_401_not_a_hint(client):
    r = client.get("/api/conferences/nobody/manage", headers=basic("a@b.co", "AAAAAA"))
    assert r.status_code == 401


# --- orders and attendees -----------------------------------------------------------------

def test_a_new_conference_has_no_orders_and_no_attendees(client, owned):
    slug, auth, _ = owned
    assert client.get(f"/api/conferences/{slug}/orders?status=confirmed&email=a@b.co",
                      headers=auth).get_json() == []
    assert client.get(f"/api/conferences/{slug}/attendees?q=ada",
                      headers=auth).get_json() == []
    r = client.get(f"/api/conferences/{slug}/attendees?format=csv", headers=auth)
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert r.get_data(as_text=True).splitlines() == [
        "order_id,position,seat_type,seat_type_name,first_name,last_name,email,company"]


def test_attendee_list_filters_and_neutralises_formulas_in_csv(client, hub, owned):
    slug, auth, body = owned
    seat = add_seat_type(client, slug, auth)
    A = hub.models.SeatAssignmentView
    for position, (first, company) in enumerate([("Ada", "=HYPERLINK()"), ("Grace", "Navy")]):
        A.create(order_id="o1", position=position, conference_id=body["id"],
                 seat_type=seat["id"], first_name=first, last_name="X",
                 email=f"{first.lower()}@example.org", company=company)
    found = client.get(f"/api/conferences/{slug}/attendees?q=NAV", headers=auth).get_json()
    assert [a["first_name"] for a in found] == ["Grace"]
    assert found[0]["seat_type_name"] == GA["name"]
    csv_text = client.get(f"/api/conferences/{slug}/attendees?format=csv",
                          headers=auth).get_data(as_text=True)
    assert "'=HYPERLINK()" in csv_text


# --- the API description ------------------------------------------------------------------

def test_openapi_document_lists_the_management_paths(client):
    r = client.get("/api/openapi.json")
    doc = json.loads(r.get_data(as_text=True))
    assert doc["openapi"].startswith("3.1")
    for path in ("/api/conferences", "/api/conferences/{slug}", "/api/conferences/locate",
                 "/api/conferences/{slug}/seat-types/{seat_type_id}",
                 "/api/conferences/{slug}/attendees"):
        assert path in doc["paths"]
    assert "get" in doc["paths"]["/api/conferences/{slug}/orders"]
    assert doc["components"]["securitySchemes"]["basicAuth"]["scheme"] == "basic"
    assert {"Error", "Conference", "SeatType"} <= set(doc["components"]["schemas"])


@pytest.mark.parametrize("body", [None, 0, "x", [], {"name": None}, {"quantity": {"a": 1}},
                                  {"price": [1]}, {"slug": 1e300}, {"owner_email": "é@é.é"},
                                  {"start_date": "2026-02-30"}, {"access_code": "ÄÖ"}])
def test_odd_bodies_never_cause_a_server_error(client, owned, body):
    slug, auth, _ = owned
    seat = add_seat_type(client, slug, auth)
    calls = [("post", "/api/conferences"), ("post", "/api/conferences/locate"),
             ("put", f"/api/conferences/{slug}"),
             ("post", f"/api/conferences/{slug}/seat-types"),
             ("put", f"/api/conferences/{slug}/seat-types/{seat['id']}")]
    for method, url in calls:
        r = getattr(client, method)(url, data=json.dumps(body), content_type="application/json",
                                    headers=auth)
        assert 200 <= r.status_code < 500, (url, r.get_json())
        assert r.is_json


def test_guessing_a_conference_access_code_is_stopped_after_five_failures(client):
    r = client.post("/api/conferences", json={
        "name": "Guarded", "slug": "guarded", "description": "d", "location": "l",
        "start_date": "2026-06-01", "end_date": "2026-06-02", "owner_name": "O",
        "owner_email": "guard@example.org"})
    code = r.get_json()["access_code"]
    for _ in range(5):
        assert client.post("/api/conferences/locate", json={
            "owner_email": "guard@example.org", "access_code": "AAAAAA"}).status_code == 401
    r = client.post("/api/conferences/locate", json={"owner_email": "guard@example.org",
                                                     "access_code": code})
    assert r.status_code == 429


# --- quantity against what is sold and held -----------------------------------------------

def _sell_and_hold(hub, conference_id, seat_type_id, sold, held):
    """Seats sold and held straight through the availability aggregate (no registrant API)."""
    from shared_domain.seats import SeatQuantity
    from shared_domain import seats_availability as sa
    for reservation, quantity in (("sold-order", sold), ("held-order", held)):
        hub.bus.handle(sa.MakeSeatReservation(conference_id, reservation,
                                              (SeatQuantity(seat_type_id, quantity),),
                                              f"cmd-{reservation}"))
    hub.bus.handle(sa.CommitSeatReservation(conference_id, "sold-order"))
    hub.run_until_idle()


def test_a_quantity_below_what_is_sold_is_refused_and_changes_nothing(client, hub, owned):
    slug, auth, body = owned
    seat = add_seat_type(client, slug, auth, quantity=10)
    client.post(f"/api/conferences/{slug}/publish", headers=auth)
    _sell_and_hold(hub, body["id"], seat["id"], sold=4, held=3)
    events_before = event_types(hub, body["id"])
    url = f"/api/conferences/{slug}/seat-types/{seat['id']}"
    r = client.put(url, json={"quantity": 3, "name": "Renamed"}, headers=auth)
    assert r.status_code == 409
    error = r.get_json()["error"]
    assert error["code"] == "quantity_below_sold" and "4 seats" in error["message"]
    assert "quantity" in error["fields"]
    r = client.put(url, json={"quantity": 5}, headers=auth)
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "quantity_below_held"
    assert event_types(hub, body["id"]) == events_before
    [row] = client.get(f"/api/conferences/{slug}/seat-types", headers=auth).get_json()
    assert (row["name"], row["quantity"], row["available"]) == (GA["name"], 10, 3)


def test_lowering_then_raising_the_quantity_never_offers_more_than_the_quantity(
        client, hub, owned):
    slug, auth, body = owned
    seat = add_seat_type(client, slug, auth, quantity=10)
    client.post(f"/api/conferences/{slug}/publish", headers=auth)
    _sell_and_hold(hub, body["id"], seat["id"], sold=4, held=3)
    url = f"/api/conferences/{slug}/seat-types/{seat['id']}"
    for quantity, available in ((7, 0), (10, 3), (8, 1)):
        r = client.put(url, json={"quantity": quantity}, headers=auth)
        assert r.status_code == 200, r.get_json()
        hub.run_until_idle()
        assert public_seats(client, slug)[GA["name"]]["available"] == available


# --- malformed bodies: typed where they enter, every bad field at once ----------------------

def test_wrong_types_and_invalid_values_are_reported_together(client, owned):
    slug, auth, _ = owned
    r = client.post(f"/api/conferences/{slug}/seat-types",
                    json={"name": {"a": 1}, "description": ["x"], "quantity": -1, "price": "x"},
                    headers=auth)
    assert r.status_code == 400
    assert set(r.get_json()["error"]["fields"]) == {"name", "description", "quantity", "price"}
    r = client.post("/api/conferences", json={**CONFERENCE, "slug": [], "name": "X",
                                              "owner_email": {"e": 1}})
    assert set(r.get_json()["error"]["fields"]) == {"slug", "name", "owner_email"}


@pytest.mark.parametrize("text", ["\\ud800", "a\\u0000b", "\\udfff\\ud800x"])
@pytest.mark.parametrize("field", ["name", "description", "location", "owner_name",
                                   "owner_email", "tagline"])
def test_text_no_column_can_hold_is_refused_not_a_server_error(client, hub, owned, field, text):
    slug, auth, _ = owned
    raw = json.dumps({field: "TEXT"}).replace('"TEXT"', f'"{text}"')
    for method, url in (("put", f"/api/conferences/{slug}"),
                        ("post", "/api/conferences/locate")):
        r = getattr(client, method)(url, data=raw, content_type="application/json",
                                    headers=auth)
        assert r.status_code == 400, r.get_json()
        assert field in r.get_json()["error"]["fields"]
    assert hub.models.Conference.get(slug=slug).name == CONFERENCE["name"]


def test_openapi_declares_every_path_parameter_and_the_common_statuses(client):
    import re
    doc = client.get("/api/openapi.json").get_json()
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            declared = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
            assert set(re.findall(r"{(\w+)}", path)) <= declared, (method, path)
            statuses = set(op["responses"])
            if "requestBody" in op:
                assert {"400", "413"} <= statuses, (method, path)
            if op.get("security"):
                assert {"401", "429"} <= statuses, (method, path)
    seat_type = doc["paths"]["/api/conferences/{slug}/seat-types/{seat_type_id}"]["put"]
    assert "409" in seat_type["responses"]
    assert "409" in doc["paths"]["/api/conferences/{slug}/publish"]["post"]["responses"]
