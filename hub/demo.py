"""The demo's hub data: a conference, paid orders with named attendees, an admin, door nodes.

Run in-process against the hub's database by `contoso demo` (contoso_demo/), which then
starts the hub and the nodes as separate processes. Every step can run again: it adds only
what is missing, so an interrupted first start carries on where it stopped.
"""
from __future__ import annotations

from hub.accounts import admins
from hub.venue import allocations
from hub.conferences import management
from hub.venue import nodes
from hub.orders import registration
from hub.promotions import codes as promotion_codes
from hub.conferences.management_queries import conference_by_slug

DEMO_SLUG = "contoso26"
DEMO_ADMIN = ("admin@contoso.example", "demo-admin-password")
DEMO_CONFERENCE = {
    "name": "Contoso Conference 2026", "slug": DEMO_SLUG,
    "description": "Two days of CQRS, event sourcing and offline-first systems.",
    "location": "Redmond Convention Center", "start_date": "2026-12-08",
    "end_date": "2026-12-09", "owner_name": "Contoso Events",
    "owner_email": "owner@contoso.example", "tagline": "Events all the way down",
    # Registrants may cancel their own orders until the day before (docs/orders.md).
    "cancellation_deadline": "2026-12-07T12:00",
}
DEMO_SEAT_TYPES = [
    {"name": "General admission", "description": "All talks, both days", "quantity": 1000,
     "price": 199},
    {"name": "CQRS Workshop", "description": "Hands-on workshop", "quantity": 60, "price": 500},
    {"name": "Additional cocktail party", "description": "Evening reception", "quantity": 300,
     "price": 50},
]
DEMO_DOORS = ("Door A", "Door B")
# Promotional codes to try at checkout (docs/promotions.md): a free pass, and a limited
# early-bird discount (the doors refuse it offline: it has a quota of uses).
DEMO_CODES = [
    {"code": "SPEAKER123", "kind": "percentage", "value": 100, "combination": "exclusive"},
    {"code": "EARLY20", "kind": "percentage", "value": 20, "quota_kind": "uses", "quota": 50},
]

# What the first door may sell on site (seats moved from the hub's stock to the node).
DEMO_ALLOCATION = ("Door A", {"General admission": 20, "CQRS Workshop": 10,
                              "Additional cocktail party": 30})
FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret", "Tim", "Radia",
         "Ken", "Frances", "John", "Hedy", "Dennis", "Katherine", "Niklaus", "Sophie", "José"]
LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Hamilton", "Berners-Lee",
        "Perlman", "Thompson", "Allen", "Backus", "Lamarr", "Ritchie", "Johnson", "Wirth",
        "Wilson", "Müller"]


def seed(hub, orders: int, progress=print) -> str:
    """Create the demo conference and up to `orders` paid orders; return the owner's access code."""
    # Seeding is thousands of small commits of disposable data: skip the fsync of each
    # (this connection only; the hub process keeps synchronous=FULL). A power cut while
    # seeding means `make demo-reset`.
    hub.db.execute_sql("PRAGMA synchronous=OFF")
    conference = conference_by_slug(hub, DEMO_SLUG) or _create_conference(hub)
    T, O = hub.models.SeatType, hub.models.OrderView
    by_name = {t.name: t for t in T.select().where(T.conference == conference.id)}
    seat_types = [by_name[s["name"]] for s in DEMO_SEAT_TYPES]
    done = O.select().where(O.conference_id == conference.id).count()
    for n in range(done, orders):
        _register(hub, n, seat_types)
        if n % 20 == 19 or n == orders - 1:
            progress(f"  {n + 1}/{orders} demo orders")
    hub.run_until_idle()
    return conference.access_code


def seeded(hub, orders: int) -> bool:
    """Whether an earlier run already made the conference and its `orders` orders."""
    conference = conference_by_slug(hub, DEMO_SLUG)
    O = hub.models.OrderView
    return conference is not None and O.select().where(
        O.conference_id == conference.id).count() >= orders


def _create_conference(hub):
    conference, _ = management.create_conference(hub, DEMO_CONFERENCE)
    for fields in DEMO_SEAT_TYPES:
        management.create_seat_type(hub, conference, fields)
    management.publish(hub, conference)
    for fields in DEMO_CODES:
        promotion_codes.define_code(hub, conference, fields, by="owner:" + DEMO_CONFERENCE[
            "owner_email"])
    hub.run_until_idle()
    return conference


def _register(hub, n: int, seat_types) -> None:
    ga, workshop, cocktail = seat_types
    wanted = [{"seat_type": ga.id, "quantity": 1 + n % 3}]
    if n % 4 == 0:
        wanted.append({"seat_type": cocktail.id, "quantity": 1})
    if n % 10 == 0:
        wanted.append({"seat_type": workshop.id, "quantity": 1})
    order_id = registration.place_order(hub, DEMO_SLUG, wanted)
    hub.run_until_idle()
    first, last = FIRST[n % len(FIRST)], LAST[(n * 7) % len(LAST)]
    email = f"{first}.{last}.{n}@example.org".lower()
    registration.assign_registrant(hub, order_id, {"first_name": first, "last_name": last,
                                                   "email": email})
    payment = registration.start_payment(hub, order_id, "card")
    if "payment_id" in payment:
        registration.complete_payment(hub, payment["payment_id"], accepted=True)
    hub.run_until_idle()
    for seat in registration.seats_json(hub, order_id):
        p = seat["position"]
        registration.assign_seat(hub, order_id, p, {
            "first_name": FIRST[(n + p) % len(FIRST)], "last_name": last,
            "email": f"attendee{n}-{p}@example.org", "company": "Contoso" if p else "Fabrikam"})


def seed_admin(hub) -> None:
    """The demo's hub admin, once (a real hub gets its admins from `contoso hub create-admin`)."""
    A = hub.models.AdminUser
    if A.get_or_none(A.email == DEMO_ADMIN[0]) is None:
        admins.create_admin(hub, *DEMO_ADMIN)


def enrollment_code(hub, name: str) -> str:
    """A one-time code for the demo door `name`: the node is created the first time."""
    conference = conference_by_slug(hub, DEMO_SLUG)
    N = hub.models.Node
    node = N.get_or_none((N.conference_id == conference.id) & (N.name == name))
    if node is None:
        return nodes.create_node(hub, conference, name)[1]
    return nodes.new_enrollment_code(hub, node)


def allocate_once(hub) -> dict[str, int]:
    """Give the selling door its seats, unless its current epoch already holds some."""
    name, wanted = DEMO_ALLOCATION
    conference = conference_by_slug(hub, DEMO_SLUG)
    N, T = hub.models.Node, hub.models.SeatType
    node = N.get(N.conference_id == conference.id, N.name == name)
    held = {row["name"]: row["allocated"] for row in allocations.allocation_summary(hub, node)}
    if not any(held.values()):
        types = {t.name: t for t in T.select().where(T.conference == conference.id)}
        held = {seat_type: allocations.allocate(hub, node, types[seat_type].id, quantity)
                for seat_type, quantity in wanted.items()}
        hub.run_until_idle()
    return held
