"""The admin's nodes: create with a one-time code and QR, list as last reported, revoke, rotate."""
import base64
import datetime as dt
import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pyzbar.pyzbar import decode

from hub.venue import allocation_requests
from hub.venue import nodes
from sync_protocol.wire import ProtocolError
from tests.support.admin import AdminPages, add_admin, admin_basic, enrollment_code
from tests.support.clock import FakeClock
from tests.support.hub_api import make_app
from tests.support.pages import text, visible

NODES = "/admin/conferences/cqrs2026/nodes/"
PK, PK2 = (base64.urlsafe_b64encode(bytes([n]) * 32).decode() for n in (1, 2))  # node keys
API_NODES = "/api/admin/conferences/cqrs2026/nodes"


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def admin(tmp_path, clock):
    client = AdminPages(make_app(tmp_path, clock))
    client.api.create_conference()
    add_admin(client.hub)
    client.sign_in()
    yield client
    client.hub.close()


def create_node(admin, name="Door A"):
    r = admin.post(NODES, {"name": name})
    assert r.status_code == 200, visible(r)[:300]
    node = admin.hub.models.Node.get(admin.hub.models.Node.name == name)
    return node, enrollment_code(text(r)), r


def qr_text(page) -> str:
    uri = re.search(r'src="data:image/png;base64,([^"]+)"', text(page)).group(1)
    [found] = decode(Image.open(io.BytesIO(base64.b64decode(uri))))
    return found.data.decode()


def test_creating_a_node_shows_its_one_time_code_and_a_qr_code_of_the_enroll_command(admin):
    node, code, page = create_node(admin)
    assert qr_text(page) == f"contoso node enroll --hub http://localhost --code {code}"
    assert "shown only once" in visible(page)
    assert page.headers["Cache-Control"] == "no-store"
    credentials = nodes.enroll(admin.hub, code, PK, "0.1.0")
    assert credentials["node_id"] == node.id and credentials["epoch"] == 1


def test_a_node_needs_a_name(admin):
    r = admin.post(NODES, {"name": "  "})
    assert r.status_code == 400 and "Give the node a name" in visible(r)


def test_the_list_shows_each_node_as_last_reported(admin, clock):
    node, code, _ = create_node(admin)
    create_node(admin, "Door B")
    nodes.enroll(admin.hub, code, PK, "0.1.0")
    N = admin.hub.models.Node
    N.update(clock_offset=-2.5, events_waiting=7, software_version="0.1.0", protocol_version=1,
             oldest_unsynced=(clock() - dt.timedelta(minutes=12)).isoformat()).where(N.id == node.id).execute()
    page = visible(admin.get(NODES))
    assert "Door A" in page and "Online" in page and "Not enrolled yet" in page
    assert "-2.5 s" in page and "12 min ago" in page and "protocol v1" in page
    [row, waiting] = sorted(admin.get(API_NODES).get_json(), key=lambda n: n["name"])
    assert row["state"] == "enrolled" and row["epoch"] == 1 and row["events_waiting"] == 7
    assert row["oldest_unsynced_age"] == pytest.approx(12 * 60, abs=3)
    assert row["allocation"] is None and waiting["state"] == "waiting_for_enrollment"
    clock.advance(minutes=3)
    assert admin.get(API_NODES).get_json()[0]["online"] is False
    assert "Offline" in visible(admin.get(NODES))


def test_revoking_asks_first_then_the_node_is_refused(admin):
    node, code, _ = create_node(admin)
    nodes.enroll(admin.hub, code, PK, "0.1.0")
    confirm = admin.get(f"{NODES}{node.id}/revoke")
    assert confirm.status_code == 200 and "Revoke Door A?" in visible(confirm)
    assert admin.hub.models.Node.get_by_id(node.id).revoked_at is None  # a GET changes nothing
    r = admin.post(f"{NODES}{node.id}/revoke")
    assert r.status_code == 302 and "is revoked" in visible(admin.follow(r))
    with pytest.raises(ProtocolError) as refused:
        nodes.caller_for(admin.hub, node.id)
    assert refused.value.code == "node_revoked"
    assert "Revoked" in visible(admin.get(NODES))


def test_revoking_over_the_api_is_idempotent(admin):
    node, _, _ = create_node(admin)
    first = admin.api_post(f"{API_NODES}/{node.id}/revoke").get_json()
    again = admin.api_post(f"{API_NODES}/{node.id}/revoke").get_json()
    assert first["state"] == "revoked" and first["revoked_at"] == again["revoked_at"]
    r = admin.api_post(f"{API_NODES}/{node.id}/rotate")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "node_revoked"


def test_rotating_gives_a_new_code_that_brings_a_new_secret_and_epoch(admin):
    node, code, _ = create_node(admin)
    first = nodes.enroll(admin.hub, code, PK, "0.1.0")
    assert admin.get(f"{NODES}{node.id}/rotate").status_code == 200
    r = admin.post(f"{NODES}{node.id}/rotate", {})
    new_code = enrollment_code(text(r))
    assert qr_text(r).endswith(new_code)
    assert nodes.caller_for(admin.hub, node.id).secret == first["secret"]  # works until enrolled
    second = nodes.enroll(admin.hub, new_code, PK2, "0.1.1")
    assert second["secret"] != first["secret"] and second["epoch"] == first["epoch"] + 1
    assert nodes.caller_for(admin.hub, node.id).secret == second["secret"]


def test_rotating_voids_an_unused_code_and_can_retire_the_secret_at_once(admin):
    node, code, _ = create_node(admin)
    nodes.enroll(admin.hub, code, PK, "0.1.0")
    unused = nodes.new_enrollment_code(admin.hub, node)
    r = admin.post(f"{NODES}{node.id}/rotate", {"retire_now": "yes"})
    assert "until then it is refused" in visible(r)
    with pytest.raises(ProtocolError) as refused:
        nodes.enroll(admin.hub, unused, PK, "0.1.0")
    assert refused.value.code == "enrollment_expired"
    with pytest.raises(ProtocolError):
        nodes.caller_for(admin.hub, node.id)
    nodes.enroll(admin.hub, enrollment_code(text(r)), PK, "0.1.0")
    assert nodes.caller_for(admin.hub, node.id).key_id == node.id


def test_the_api_creates_lists_and_rotates_with_basic_auth(admin):
    client = admin.app.test_client()
    r = client.post(API_NODES, json={"name": "Desk"}, headers=admin_basic())
    assert r.status_code == 201
    body = r.get_json()
    assert body["node"]["name"] == "Desk" and body["valid_hours"] == 24
    assert body["enroll_command"].endswith(body["enrollment_code"])
    node_id = body["node"]["id"]
    r = client.post(f"{API_NODES}/{node_id}/rotate", json={"retire_current_secret": True},
                    headers=admin_basic())
    assert r.status_code == 200 and r.get_json()["enrollment_code"] != body["enrollment_code"]
    assert client.post(API_NODES, json={"name": 5}, headers=admin_basic()).status_code == 400
    assert client.get("/api/admin/conferences/nope/nodes",
                      headers=admin_basic()).status_code == 404
    assert client.post(f"{API_NODES}/unknown/revoke", headers=admin_basic()).status_code == 404


def test_the_openapi_document_describes_the_admin_api(admin):
    doc = admin.get("/api/openapi.json").get_json()
    assert "/api/admin/conflicts/{conflict_id}/resolve" in doc["paths"]
    assert "adminBasic" in doc["components"]["securitySchemes"]
    assert doc["paths"]["/api/admin/conferences/{slug}/nodes"]["post"]["tags"] == ["admin"]


def test_the_admin_sets_the_doors_staff_pin_over_the_api_and_only_its_hash_is_logged(admin):
    url = "/api/admin/conferences/cqrs2026/staff-pin"
    # The console's session alone does not change things over the API: a CSRF token is needed.
    r = admin.api.http.put(url, json={"pin": "1357"})
    assert (r.status_code, r.get_json()["error"]["code"]) == (403, "csrf_refused")
    r = admin.api.http.put(url, json={"pin": "12"}, headers=admin_basic())
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "invalid_pin"
    r = admin.api.http.put(url, json={"pin": "1357"}, headers=admin_basic())
    assert r.status_code == 200
    [event] = [e for e in admin.hub.store.read_all(0, 1000) if e.type == "StaffPinSet"]
    assert "1357" not in str(event.data) and event.data["pin_hash"].startswith("scrypt:")


def test_the_admin_gives_a_node_seats_and_asks_them_back(admin):
    node, code, _ = create_node(admin)
    T = admin.hub.models.SeatType
    workshop = T.get(T.name == "CQRS Workshop").id
    r = admin.post(NODES + "allocation", {"node_id": node.id, "seat_type": workshop,
                                          "quantity": "5", "direction": "give"})
    assert r.status_code == 400 and "enrolled" in visible(r)        # not enrolled yet
    nodes.enroll(admin.hub, code, PK, "0.1.0")
    r = admin.post(NODES + "allocation", {"node_id": node.id, "seat_type": workshop,
                                          "quantity": "5", "direction": "give"})
    assert r.status_code == 302
    admin.hub.run_until_idle()
    assert "CQRS Workshop: 0 of 5 sold" in visible(admin.get(NODES))
    r = admin.post(NODES + "allocation", {"node_id": node.id, "seat_type": workshop,
                                          "quantity": "x", "direction": "give"})
    assert r.status_code == 400 and "whole number" in visible(r)
    api = f"{API_NODES}/{node.id}/allocation"
    r = admin.api.http.post(api, json={"seat_type": workshop, "quantity": -2}, headers=admin_basic())
    assert r.status_code == 200 and "give back up to 2" in r.get_json()["message"]
    [asked] = [e for e in admin.hub.store.read_all(0, 5000) if e.type == "AllocationReductionRequested"]
    assert asked.data["quantity"] == 2 and asked.data["node_id"] == node.id
    r = admin.api.http.post(api, json={"seat_type": "nope", "quantity": 1}, headers=admin_basic())
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "unknown_seat_type"


def enrolled_node_and_workshop(admin):
    node, code, _ = create_node(admin)
    nodes.enroll(admin.hub, code, PK, "0.1.0")
    T = admin.hub.models.SeatType
    return node, T.get(T.name == "CQRS Workshop").id


def allocation_events(admin) -> list:
    return [e for e in admin.hub.store.read_all(0, 5000)
            if e.type in ("SeatsAllocatedToNode", "AllocationReductionRequested")]


def test_giving_more_than_is_free_online_is_refused_with_the_number_free(admin):
    node, workshop = enrolled_node_and_workshop(admin)
    page = visible(admin.get(NODES))
    assert "CQRS Workshop (100 free online)" in page
    r = admin.post(NODES + "allocation", {"node_id": node.id, "seat_type": workshop,
                                          "quantity": "100000", "direction": "give"})
    assert r.status_code == 400 and "Only 100 CQRS Workshop seat(s) are free online" in visible(r)
    assert 'value="100000"' in text(r)          # the form keeps what was typed, to correct it
    r = admin.api.http.post(f"{API_NODES}/{node.id}/allocation", headers=admin_basic(),
                            json={"seat_type": workshop, "quantity": 101})
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "not_enough_free_seats"
    assert "Only 100" in r.get_json()["error"]["fields"]["quantity"]
    assert allocation_events(admin) == []


def test_an_amount_that_is_not_a_positive_whole_number_is_refused_never_flipped(admin):
    node, workshop = enrolled_node_and_workshop(admin)
    admin.post(NODES + "allocation", {"node_id": node.id, "seat_type": workshop,
                                      "quantity": "10", "direction": "give"})
    admin.hub.run_until_idle()
    before = allocation_events(admin)
    for typed in ["-5", "0", "-0", "5.5", "1e3", "", "9" * 5000, "\uff15"]:
        for direction in ["give", "back"]:
            r = admin.post(NODES + "allocation", {"node_id": node.id, "seat_type": workshop,
                                                  "quantity": typed, "direction": direction})
            assert r.status_code == 400 and "number of seats" in visible(r), (typed, direction)
    assert allocation_events(admin) == before


def test_asking_back_more_than_the_node_holds_unsold_is_refused_with_what_it_holds(admin):
    node, workshop = enrolled_node_and_workshop(admin)
    admin.post(NODES + "allocation", {"node_id": node.id, "seat_type": workshop,
                                      "quantity": "4", "direction": "give"})
    admin.hub.run_until_idle()
    r = admin.post(NODES + "allocation", {"node_id": node.id, "seat_type": workshop,
                                          "quantity": "5", "direction": "back"})
    assert r.status_code == 400 and "Door A holds 4 unsold CQRS Workshop seat(s)" in visible(r)
    r = admin.api.http.post(f"{API_NODES}/{node.id}/allocation", headers=admin_basic(),
                            json={"seat_type": workshop, "quantity": -5})
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "more_than_held"
    r = admin.post(NODES + "allocation", {"node_id": node.id, "seat_type": workshop,
                                          "quantity": "4", "direction": "back"})
    assert r.status_code == 302
    assert [e.data["quantity"] for e in allocation_events(admin)
            if e.type == "AllocationReductionRequested"] == [4]


def test_a_direction_other_than_give_or_back_is_refused(admin):
    node, workshop = enrolled_node_and_workshop(admin)
    r = admin.post(NODES + "allocation", {"node_id": node.id, "seat_type": workshop,
                                          "quantity": "3", "direction": "sideways"})
    assert r.status_code == 400 and "give seats or to ask them back" in visible(r)
    assert allocation_events(admin) == []


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(asked=st.integers(min_value=-10**12, max_value=10**12))
def test_the_api_grants_or_asks_back_exactly_what_was_asked_or_refuses_and_changes_nothing(
        admin, asked):
    N, T = admin.hub.models.Node, admin.hub.models.SeatType
    node = N.get_or_none(N.name == "Door P")
    if node is None:
        node, code, _ = create_node(admin, "Door P")
        nodes.enroll(admin.hub, code, PK, "0.1.0")
    workshop = T.get(T.name == "CQRS Workshop").id
    free = allocation_requests.free_online(admin.hub, node.conference_id, workshop)
    held = allocation_requests.unsold_held(admin.hub, node, workshop)
    before = len(allocation_events(admin))
    r = admin.api.http.post(f"{API_NODES}/{node.id}/allocation", headers=admin_basic(),
                            json={"seat_type": workshop, "quantity": asked})
    admin.hub.run_until_idle()
    if 0 < asked <= free or 0 < -asked <= held:
        assert r.status_code == 200 and len(allocation_events(admin)) == before + 1
        expected_free = free - max(asked, 0)    # seats asked back come free at the next sync
        assert allocation_requests.free_online(admin.hub, node.conference_id, workshop) \
            == expected_free
    else:
        assert r.status_code == 400 and len(allocation_events(admin)) == before
