"""Conflicts created for real at two doors, seen in the admin's inbox, and resolved: every
resolution is a ConflictResolved hub event with its effect, and it reaches the doors."""
import json

import pytest

from tests.support.admin import AdminPages, add_admin
from tests.support.conflict_venue import create_three_conflicts, sync_all, tickets, two_doors
from tests.support.pages import text, visible

KINDS = {"double_check_in", "checkin_reassigned_seat", "checkin_cancelled_order"}


@pytest.fixture
def venue(hub, tmp_path):
    a, b = two_doors(hub, tmp_path)
    found = create_three_conflicts(hub, a, b)
    add_admin(hub.hub)
    admin = AdminPages(hub.app)
    admin.sign_in()
    yield hub, admin, a, b, found
    a.close()
    b.close()


def events_of(store, type_):
    E = store.models.EventRecord
    return [json.loads(row.data) | {"_origin": row.origin}
            for row in E.select().where(E.type == type_).order_by(E.position)]


def resolve(admin, conflict, resolution, comment=""):
    return admin.api_post(f"/api/admin/conflicts/{conflict.id}/resolve",
                          {"resolution": resolution, "comment": comment})


def test_the_inbox_shows_exactly_the_conflicts_the_doors_caused(venue):
    hub, admin, a, b, found = venue
    assert set(found) == KINDS
    listed = admin.get("/api/admin/conflicts?conference=cqrs2026").get_json()
    assert sorted(c["kind"] for c in listed) == sorted(KINDS)
    assert {c["severity"] for c in listed if c["kind"] == "double_check_in"} == {"info"}
    page = visible(admin.get("/admin/conflicts/?conference=cqrs2026"))
    assert "3 conflicts" in page and "Same ticket checked in at two doors" in page
    assert "Accept all 1" in page  # the one info-level conflict may be accepted in bulk


def test_the_inbox_filters_by_conference_kind_node_and_status(venue):
    hub, admin, a, b, found = venue
    def ids(query):
        return {c["kind"] for c in admin.get(f"/api/admin/conflicts?{query}").get_json()}
    assert ids("kind=double_check_in") == {"double_check_in"}
    assert ids(f"node={b.node_id}") == {"double_check_in", "checkin_cancelled_order"}
    assert ids(f"node={a.node_id}&kind=checkin_reassigned_seat") == {"checkin_reassigned_seat"}
    assert ids("status=resolved") == set() and ids("status=open") == KINDS
    assert admin.get("/api/admin/conflicts?conference=nope").status_code == 404
    page = visible(admin.get(f"/admin/conflicts/?conference=cqrs2026&node={a.node_id}"))
    assert "2 conflicts" in page


def test_a_conflict_shows_both_sides_side_by_side(venue):
    hub, admin, a, b, found = venue
    page = visible(admin.get(f"/admin/conflicts/{found['double_check_in'].id}"))
    assert "Door A" in page and "Door B" in page and "Att0 Endee" in page
    assert "When, node's clock" in page and "Reached the hub" in page
    assert "Accept the automatic outcome" in page and "Refund" not in page
    detail = admin.get(f"/api/admin/conflicts/{found['checkin_reassigned_seat'].id}").get_json()
    door, hub_side = detail["sides"]
    assert door["who"] == "Att2 Endee" and door["where"] == "Door A"
    assert hub_side["where"] == "Hub" and "New Holder" in hub_side["what"]
    assert detail["resolutions"] == ["accept", "other_side", "refund", "reviewed"]


def test_accepting_writes_a_conflict_resolved_hub_event_once(venue):
    hub, admin, a, b, found = venue
    conflict = found["double_check_in"]
    r = resolve(admin, conflict, "accept")
    assert r.status_code == 200 and r.get_json()["by"] == "admin@contoso.example"
    [event] = events_of(hub.hub.store, "ConflictResolved")
    assert event["conflict_id"] == conflict.id and event["resolution"] == "accept"
    assert event["_origin"] == f"hub/{hub.conference.id}"
    row = hub.hub.models.Conflict.get_by_id(conflict.id)
    assert row.status == "resolved" and json.loads(row.resolution)["resolution"] == "accept"
    again = resolve(admin, conflict, "accept")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_resolved"


def test_choosing_the_other_scan_records_which_scan_is_the_entry(venue):
    hub, admin, a, b, found = venue
    conflict = found["double_check_in"]
    second = json.loads(conflict.sides)[1]["event_id"]
    assert resolve(admin, conflict, "other_side").get_json()["chosen"] == second
    [event] = events_of(hub.hub.store, "ConflictResolved")
    assert event["chosen"] == second


def test_choosing_the_new_holder_takes_back_the_old_check_in_at_every_door(venue):
    hub, admin, a, b, found = venue
    new_ticket = tickets(hub)["New Holder"].code
    assert b.desk.scan(new_ticket).reason == "already_checked_in"  # the seat was used
    assert resolve(admin, found["checkin_reassigned_seat"], "other_side").status_code == 200
    [undo] = events_of(hub.hub.store, "CheckInUndone")
    assert undo["by"] == "admin@contoso.example" and undo["_origin"].startswith("hub/")
    sync_all(hub, a, b)
    assert a.desk.scan(new_ticket).admitted
    sync_all(hub, a, b)
    assert len(hub.hub.models.Conflict.select()) == 3  # no fork with the entry taken back


def test_a_refund_voids_the_seats_current_ticket_at_the_doors(venue):
    hub, admin, a, b, found = venue
    new_ticket = tickets(hub)["New Holder"]
    r = resolve(admin, found["checkin_reassigned_seat"], "refund", "Refunded seat at the desk")
    assert r.status_code == 200
    [voided] = [e for e in events_of(hub.hub.store, "TicketRevoked")
                if e["reason"] == "refunded_on_review"]
    assert voided["code_digest"] == new_ticket.code_digest
    sync_all(hub, a, b)
    assert b.desk.scan(new_ticket.code).reason == "revoked"
    assert "New Holder" not in tickets(hub)
    assert len(hub.hub.models.Conflict.select()) == 3


def test_a_refund_of_a_refunded_order_has_no_live_ticket_to_void(venue):
    hub, admin, a, b, found = venue
    assert resolve(admin, found["checkin_cancelled_order"], "refund").status_code == 200
    assert [e for e in events_of(hub.hub.store, "TicketRevoked")
            if e["reason"] == "refunded_on_review"] == []
    assert events_of(hub.hub.store, "ConflictResolved")[0]["resolution"] == "refund"


def test_reviewed_needs_a_comment_and_keeps_it(venue):
    hub, admin, a, b, found = venue
    conflict = found["checkin_cancelled_order"]
    r = resolve(admin, conflict, "reviewed")
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "comment_required"
    assert resolve(admin, conflict, "reviewed", "Paid cash at the desk").status_code == 200
    assert events_of(hub.hub.store, "ConflictResolved")[0]["comment"] == "Paid cash at the desk"


def test_a_resolution_the_kind_does_not_allow_is_refused(venue):
    hub, admin, a, b, found = venue
    r = resolve(admin, found["double_check_in"], "refund")
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "resolution_not_allowed"
    r = resolve(admin, found["checkin_cancelled_order"], "other_side")
    assert r.status_code == 400
    assert events_of(hub.hub.store, "ConflictResolved") == []


def test_bulk_resolve_accepts_info_kinds_only(venue):
    hub, admin, a, b, found = venue
    r = admin.api_post("/api/admin/conflicts/bulk-resolve",
                       {"conference": "cqrs2026", "kind": "checkin_reassigned_seat"})
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "not_info_kind"
    r = admin.api_post("/api/admin/conflicts/bulk-resolve",
                       {"conference": "cqrs2026", "kind": "double_check_in"})
    assert r.get_json() == {"resolved": 1}
    statuses = {c.kind: c.status for c in hub.hub.models.Conflict.select()}
    assert statuses == {"double_check_in": "resolved", "checkin_reassigned_seat": "open",
                        "checkin_cancelled_order": "open"}


def test_resolving_on_the_page_reaches_the_nodes(venue):
    hub, admin, a, b, found = venue
    conflict = found["double_check_in"]
    r = admin.post(f"/admin/conflicts/{conflict.id}/resolve", {"resolution": "reviewed"})
    assert r.status_code == 400 and "Say what was reviewed" in visible(r)
    r = admin.post(f"/admin/conflicts/{conflict.id}/resolve",
                   {"resolution": "reviewed", "comment": "Two friends, one ticket"})
    page = visible(admin.follow(r))
    assert "The conflict is resolved" in page and "Two friends, one ticket" in page
    r = admin.post(f"/admin/conflicts/{conflict.id}/resolve", {"resolution": "accept"})
    assert r.status_code == 400 and "already been resolved" in visible(r)
    sync_all(hub, a, b)
    for door in (a, b):
        [held] = events_of(door.replica.store, "ConflictResolved")
        assert held["conflict_id"] == conflict.id and held["comment"] == "Two friends, one ticket"


def test_bulk_resolve_on_the_page(venue):
    hub, admin, a, b, found = venue
    r = admin.post("/admin/conflicts/bulk-resolve",
                   {"conference": "cqrs2026", "kind": "double_check_in"})
    assert "1 same ticket checked in at two doors conflict accepted" in visible(admin.follow(r))
    r = admin.post("/admin/conflicts/bulk-resolve",
                   {"conference": "cqrs2026", "kind": "checkin_cancelled_order"})
    assert r.status_code == 400


def test_a_check_in_taken_back_by_staff_and_admitted_again_is_no_conflict(hub, tmp_path):
    a, b = two_doors(hub, tmp_path)
    code = tickets(hub)["Att0 Endee"].code
    seat = a.desk.scan(code).seat_id
    a.desk.undo(seat, by="alice")
    assert a.desk.scan(code).admitted
    sync_all(hub, a, b)
    assert hub.hub.models.Conflict.select().count() == 0
    a.close()
    b.close()


def test_conflicts_name_the_attendee_and_link_to_the_order_never_a_raw_seat_id(venue):
    hub, admin, a, b, found = venue
    inbox = admin.get("/admin/conflicts/?conference=cqrs2026")
    for conflict in found.values():
        page = admin.get(f"/admin/conflicts/{conflict.id}")
        order_id = conflict.subject.rpartition(":")[0]
        link = f'href="/admin/conflicts/{conflict.id}/orders/{order_id}"'
        assert link in text(inbox) and link in text(page)
        # links carry ids; the words a person reads do not
        assert conflict.subject not in visible(page) and conflict.subject not in visible(inbox)
    page = visible(admin.get(f"/admin/conflicts/{found['double_check_in'].id}"))
    assert "Att0 Endee (General admission)" in page and "order of " in page
    # the seat reassigned meanwhile is named by its holder now, the side by who came in
    page = visible(admin.get(f"/admin/conflicts/{found['checkin_reassigned_seat'].id}"))
    assert "New Holder (General admission)" in page and "Att2 Endee" in page


def test_the_order_of_a_conflict_shows_its_seats_holders_and_check_ins(venue):
    hub, admin, a, b, found = venue
    conflict = found["checkin_reassigned_seat"]
    order_id = conflict.subject.rpartition(":")[0]
    page = visible(admin.get(f"/admin/conflicts/{conflict.id}/orders/{order_id}"))
    assert "New Holder" in page and "new@example.org" in page and "Confirmed" in page
    assert "Checked in" in page and "Yes" in page
    other = found["double_check_in"].subject.rpartition(":")[0]
    assert admin.get(f"/admin/conflicts/{conflict.id}/orders/{other}").status_code == 404
    assert admin.get(f"/admin/conflicts/nope/orders/{order_id}").status_code == 404
    detail = admin.get(f"/api/admin/conflicts/{conflict.id}").get_json()
    assert detail["about"]["attendee"] == "New Holder"
    assert [o["order_id"] for o in detail["about"]["orders"]] == [order_id]



def test_sale_conflicts_name_the_buyer_or_the_payment_number_and_link_to_the_orders(hub):
    from hub.venue.checkins import record_conflict
    add_admin(hub.hub)
    admin = AdminPages(hub.app)
    admin.sign_in()
    first, second = [o.order_id for o in hub.hub.models.OrderView.select().limit(2)]
    conference = hub.conference.id
    record_conflict(hub.hub, "sale_beyond_allocation", "review", conference, first, ["e1"],
                    [{"sale_id": first, "node_id": "n"}], "The sale stands.", ["n"])
    record_conflict(hub.hub, "payment_reference_reused", "review", conference, "T-42",
                    ["e2", "e3"], [{"sale_id": first}, {"sale_id": second}], "Both kept.", ["n"])
    inbox = admin.get("/admin/conflicts/?conference=cqrs2026")
    assert "Payment or receipt number T-42" in visible(inbox)
    for conflict in hub.hub.models.Conflict.select():
        detail = admin.get(f"/api/admin/conflicts/{conflict.id}").get_json()["about"]
        orders = [o["order_id"] for o in detail["orders"]]
        assert orders == ([first] if conflict.kind == "sale_beyond_allocation" else [first, second])
        assert conflict.kind == "payment_reference_reused" or detail["attendee"]
        for order_id in orders:
            assert f'/admin/conflicts/{conflict.id}/orders/{order_id}"' in text(inbox)
            assert admin.get(f"/admin/conflicts/{conflict.id}/orders/{order_id}").status_code == 200
