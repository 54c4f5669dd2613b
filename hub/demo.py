"""`contoso demo`: a hub on loopback with a demo conference and registered orders."""
from __future__ import annotations

import argparse
import os

from hub import admins, management, registration
from hub.bootstrap import HubConfig, bootstrap
from hub.management_queries import conference_by_slug

DEMO_SLUG = "contoso26"
DEMO_ADMIN = ("admin@contoso.example", "demo-admin-password")
DEMO_CONFERENCE = {
    "name": "Contoso Conference 2026", "slug": DEMO_SLUG,
    "description": "Two days of CQRS, event sourcing and offline-first systems.",
    "location": "Redmond Convention Center", "start_date": "2026-12-08",
    "end_date": "2026-12-09", "owner_name": "Contoso Events",
    "owner_email": "owner@contoso.example", "tagline": "Events all the way down",
}
DEMO_SEAT_TYPES = [
    {"name": "General admission", "description": "All talks, both days", "quantity": 1000,
     "price": 199},
    {"name": "CQRS Workshop", "description": "Hands-on workshop", "quantity": 60, "price": 500},
    {"name": "Additional cocktail party", "description": "Evening reception", "quantity": 300,
     "price": 50},
]
FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret", "Tim", "Radia",
         "Ken", "Frances", "John", "Hedy", "Dennis", "Katherine", "Niklaus", "Sophie", "José"]
LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Hamilton", "Berners-Lee",
        "Perlman", "Thompson", "Allen", "Backus", "Lamarr", "Ritchie", "Johnson", "Wirth",
        "Wilson", "Müller"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", default="demo-data")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--orders", type=int, default=200)


def seed(hub, orders: int) -> str:
    """Create the demo conference and its orders once; return the owner's access code."""
    existing = conference_by_slug(hub, DEMO_SLUG)
    if existing is not None:
        return existing.access_code
    conference, code = management.create_conference(hub, DEMO_CONFERENCE)
    seat_types = [management.create_seat_type(hub, conference, s) for s in DEMO_SEAT_TYPES]
    management.publish(hub, conference)
    hub.run_until_idle()
    for n in range(orders):
        _register(hub, n, seat_types)
        if n % 20 == 19:
            print(f"  {n + 1}/{orders} demo orders", flush=True)
    hub.run_until_idle()
    return code


def seed_admin(hub) -> None:
    """The demo's hub admin, once (a real hub gets its admins from `contoso hub create-admin`)."""
    A = hub.models.AdminUser
    if A.get_or_none(A.email == DEMO_ADMIN[0]) is None:
        admins.create_admin(hub, *DEMO_ADMIN)


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


def run(args) -> int:
    config = HubConfig(data_dir=os.path.join(args.data_dir, "hub"))
    hub = bootstrap(config)
    print("Preparing the demo data (once; `make demo-reset` starts again)...", flush=True)
    code = seed(hub, args.orders)
    seed_admin(hub)
    hub.close()
    base = f"http://{args.host}:{args.port}"
    print(f"""
Contoso demo is running. Ctrl-C stops it.
  Registration site:    {base}/conferences/{DEMO_SLUG}
  Organisers' pages:    {base}/manage/  (owner email and access code below)
  Hub admin console:    {base}/admin/  ({DEMO_ADMIN[0]} / {DEMO_ADMIN[1]})
  Hub API description:  {base}/api/openapi.json
  Published conference: {base}/api/conferences/{DEMO_SLUG}
  Business customer:    {base}/api/conferences/{DEMO_SLUG}/manage
                        (HTTP Basic: {DEMO_CONFERENCE['owner_email']} / {code})
  Attendee list (CSV):  {base}/api/conferences/{DEMO_SLUG}/attendees?format=csv
""", flush=True)
    from hub.app import create_app
    app = create_app(config)
    try:
        app.run(host=args.host, port=args.port, threaded=True, use_reloader=False)
    except KeyboardInterrupt:
        pass
    finally:
        app.extensions["contoso_worker"].stop()
    return 0
