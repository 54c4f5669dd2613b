"""A door's replica may be stolen with the device: the hub sends it no order access code and
no registrant details, by the feed or by a vector pull, and the door still checks people in."""
import pytest

from shared_domain.kept_from_doors import for_doors
from sync_protocol.client import SyncClient


def access_codes(hub):
    O = hub.hub.models.OrderView
    return {row.access_code for row in O.select()}


def registrant_emails(count=3):
    return {f"p{n}@example.org" for n in range(count)}


def test_the_doors_log_holds_no_access_code_nor_registrant_details(door, hub):
    E = door.replica.store.models.EventRecord
    assert E.select().where(E.type == "OrderPlaced").count() == 3
    text = "\n".join(row.data for row in E.select())
    codes = access_codes(hub)
    assert codes and not any(code in text for code in codes)
    assert not any(email in text for email in registrant_emails())
    # The attendees the door admits are still there, by name and seat.
    assert "Att0" in text


def test_a_vector_pull_from_the_hub_keeps_them_back_too(door, hub):
    creds = door.replica.credentials
    client = SyncClient(hub.url, creds["node_id"], creds["secret"])
    reply = client.pull_by_vector({}, 1000)
    placed = [e for e in reply["events"] if e["type"] == "OrderPlaced"]
    assert len(placed) == 3 and {e["data"]["access_code"] for e in placed} == {""}
    text = str(reply["events"])
    assert not any(email in text for email in registrant_emails())


def test_a_door_still_admits_a_ticket_after_a_feed_without_secrets(door, hub):
    T = hub.hub.models.TicketView
    ticket = T.select().first()
    assert door.desk.scan(ticket.code).reason == "admitted"


def test_kept_back_fields_are_blanked_and_nothing_else_changes():
    placed = {"type": "OrderPlaced", "data": {"order_id": "o1", "access_code": "ABC123",
                                              "seats": []}}
    assert for_doors(placed)["data"] == {"order_id": "o1", "access_code": "", "seats": []}
    assert placed["data"]["access_code"] == "ABC123"   # the hub's own copy is untouched
    scanned = {"type": "TicketScanned", "data": {"seat_id": "s"}}
    assert for_doors(scanned) == scanned
