"""Wait-lists and the doors, through real HTTP sync: the hub's wait-list events reach a door
(its origin's run stays contiguous) with the waiting people's e-mail and name blank, the
door takes them and still admits tickets; and a door's request for more seats while people
wait is granted only the seats on sale to the public, never those the line waits for."""
from event_store.ids import uuid7
from shared_domain import allocations
from shared_domain import waitlists as wl
from sync_protocol.client import SyncClient
from tests.support.hub_api import CONFERENCE, basic

COCKTAIL = "Additional cocktail party"
BEA = {"name": "Bea Waitsalot", "email": "bea.waits@example.org", "quantity": 5}


def seat_type(hub, name=COCKTAIL):
    T = hub.hub.models.SeatType
    return T.get(T.name == name).id


def set_quantity(hub, quantity):
    code = hub.conference.access_code
    r = hub.http.put(f"/api/conferences/{hub.conference.slug}/seat-types/{seat_type(hub)}",
                     json={"quantity": quantity}, headers=basic(CONFERENCE["owner_email"], code))
    assert r.status_code == 200, r.get_json()
    hub.pump()


def bea_waits(hub):
    set_quantity(hub, 0)
    r = hub.http.post(f"/api/conferences/{hub.conference.slug}/waitlists/{seat_type(hub)}"
                      "/entries", json=BEA)
    assert r.status_code == 201, r.get_json()
    hub.pump()


def ask_for_seats(door, hub, quantity) -> int:
    """The door asks for more seats (its own fact, as its top-up does); what it was granted."""
    creds = door.replica.credentials
    before = door.sales.offer()
    door.replica.record([allocations.AllocationTopUpRequested(
        uuid7(), door.replica.conference_id, door.node_id, creds["epoch"], seat_type(hub),
        quantity, "2026-12-08T09:00:00+00:00")])
    door.sync_hub()
    hub.pump()
    door.sync_hub()
    held = {o["seat_type"]: o["allocated"] for o in door.sales.offer()}
    had = {o["seat_type"]: o["allocated"] for o in before}
    return held.get(seat_type(hub), 0) - had.get(seat_type(hub), 0)


def test_a_door_gets_the_wait_list_events_without_who_waits(door, hub):
    bea_waits(hub)
    door.sync_hub()
    E = door.replica.store.models.EventRecord
    joined = list(E.select().where(E.type == "WaitlistJoined"))
    assert len(joined) == 1
    text = "\n".join(row.data for row in E.select())
    assert BEA["email"] not in text and BEA["name"] not in text
    assert '"quantity": 5' in joined[0].data or '"quantity":5' in joined[0].data
    # Its hub origin is one contiguous run, the wait-list's events in it.
    hub_origin = f"hub/{hub.conference.id}"
    seqs = [r.seq for r in E.select(E.seq).where(E.origin == hub_origin).order_by(E.seq)]
    assert seqs == list(range(1, len(seqs) + 1))
    assert door.replica.store.version_vector()[hub_origin] \
        == hub.hub.store.version_vector(hub.conference.id)[hub_origin]
    ticket = hub.hub.models.TicketView.select().first()
    assert door.desk.scan(ticket.code).reason == "admitted"


def test_a_vector_pull_keeps_who_waits_back_too(door, hub):
    bea_waits(hub)
    creds = door.replica.credentials
    reply = SyncClient(hub.url, creds["node_id"], creds["secret"]).pull_by_vector({}, 1000)
    (joined,) = [e for e in reply["events"] if e["type"] == "WaitlistJoined"]
    assert (joined["data"]["email"], joined["data"]["name"], joined["data"]["quantity"]) \
        == ("", "", 5)
    assert BEA["email"] not in str(reply["events"])
    # The hub's own log keeps them: it mails the offers.
    (own,) = [e.message for e in hub.hub.store.load(wl.stream_id(hub.conference.id,
                                                                 seat_type(hub)))
              if isinstance(e.message, wl.WaitlistJoined)]
    assert own.email == BEA["email"]


def test_a_doors_request_while_people_wait_gets_only_the_public_seats(door, hub):
    bea_waits(hub)                  # 5 wanted, none on sale
    set_quantity(hub, 3)            # 3 free, all kept for Bea's 5 (first in line, whole)
    assert ask_for_seats(door, hub, 3) == 0
    set_quantity(hub, 7)            # 7 free: 5 held for Bea's offer, 2 on sale
    entries = hub.http.get(f"/api/conferences/{hub.conference.slug}/waitlists",
                           headers=basic(CONFERENCE["owner_email"], hub.conference.access_code))
    (bea,) = next(w for w in entries.get_json() if w["seat_type"] == seat_type(hub))["entries"]
    assert bea["status"] == "offered"
    assert ask_for_seats(door, hub, 3) == 2
    V = hub.hub.models.SeatTypeView
    assert V.get(V.seat_type_id == seat_type(hub)).available == 0
