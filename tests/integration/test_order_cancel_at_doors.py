"""A cancelled order at the doors (a node in this process, synced with a hub over real HTTP):
the scan and the staff desk refuse it, a check-in made before the door knew stands and is a
conflict to review, and an order sold at a door is cancelled at that door, not from the hub."""
import base64

import pytest

from hub.orders import order_management
from shared_domain.errors import DomainError
from shared_domain.people import PersonalInfo
from tests.integration.test_onsite_sales import allocate, sell

GA = "General admission"


def owner_auth(hub):
    c = hub.hub.models.Conference.get()
    token = base64.b64encode(f"{c.owner_email}:{c.access_code}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def ticket_of(hub, name):
    T = hub.hub.models.TicketView
    ticket = T.get(T.attendee_name == name)
    return ticket.order_id, ticket.code


def cancel(hub, order_id):
    r = hub.http.post(f"/api/conferences/cqrs2026/orders/{order_id}/cancel",
                      headers=owner_auth(hub), json={})
    assert r.status_code == 200, r.get_json()
    hub.pump()


def test_the_door_refuses_a_cancelled_orders_ticket_at_the_kiosk_and_the_desk(door, hub):
    order_id, code = ticket_of(hub, "Att0 Endee")
    cancel(hub, order_id)
    door.sync_hub()
    decision = door.desk.scan(code)
    assert (decision.admitted, decision.reason) == (False, "order_cancelled")
    with pytest.raises(DomainError) as refused:
        door.desk.check_in_manually(f"{order_id}:0", by="Sam")
    assert refused.value.code == "order_cancelled"
    _, other = ticket_of(hub, "Att1 Endee")
    assert door.desk.scan(other).admitted


def test_a_check_in_before_the_door_knew_stands_and_is_a_conflict_to_review(door, hub):
    order_id, code = ticket_of(hub, "Att2 Endee")
    assert door.desk.scan(code).admitted        # the door has not heard of it yet
    cancel(hub, order_id)
    door.sync_hub()                             # the check-in reaches the hub
    hub.pump()
    C = hub.hub.models.Conflict
    [conflict] = list(C.select().where(C.kind == "checkin_cancelled_order"))
    assert conflict.severity == "review" and conflict.subject == f"{order_id}:0"
    detail = hub.http.get(f"/api/conferences/cqrs2026/orders/{order_id}",
                          headers=owner_auth(hub)).get_json()
    [check_in] = detail["seats"][0]["check_ins"]
    assert check_in["door"] == "Door A" and detail["status"] == "cancelled"


def test_an_order_sold_at_a_door_is_cancelled_there_not_from_the_hub(door, hub):
    allocate(hub, door, 2)
    door.sync_hub()
    sale = sell(door, hub, 1, buyer=PersonalInfo("Walk", "In", "walk@example.org"))
    door.sync_hub()
    hub.pump()
    r = hub.http.post(f"/api/conferences/cqrs2026/orders/{sale.sale_id}/cancel",
                      headers=owner_auth(hub), json={})
    assert (r.status_code, r.get_json()["error"]["code"]) == (409, "sold_on_site")
    detail = hub.http.get(f"/api/conferences/cqrs2026/orders/{sale.sale_id}",
                          headers=owner_auth(hub)).get_json()
    assert (detail["channel"], detail["sold_on_site_by"]) == ("on_site", "Door A")
    assert detail["actions"]["cancel"] is False
    assert detail["payments"][0]["method"] == "cash"
    # The door's own cancel does it: seats back to that door, refund recorded at the hub.
    door.sales.cancel(sale.sale_id, by="planner", refund_method="cash")
    door.sync_hub()
    hub.pump()
    detail = hub.http.get(f"/api/conferences/cqrs2026/orders/{sale.sale_id}",
                          headers=owner_auth(hub)).get_json()
    assert (detail["status"], detail["payment_status"]) == ("cancelled", "refunded")
    with pytest.raises(DomainError):
        order_management.cancel(hub.hub, hub.conference, sale.sale_id, "", by="owner:x")
