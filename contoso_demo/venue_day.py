"""`contoso demo --scenario venue-day`: a venue morning, played against the running demo.

Attendees check in at both doors; the venue's internet goes down (the doors still gossip
over the LAN), then the LAN too; a ticket is used at both doors, a seat given away at home is
entered with its old ticket, a planner sells a seat on site; the network comes back and the
hub ends up with conflicts for an admin to review."""
from __future__ import annotations

from contoso_demo import hub_db
from contoso_demo import state as state_file
from contoso_demo.venue_client import ScenarioFailed, Venue, wait_for

A, B = "Door A", "Door B"
NEW_HOLDER = {"first_name": "Rosa", "last_name": "Newholder", "email": "rosa@example.org"}
WALK_IN = {"first_name": "Sam", "last_name": "Walk-in", "email": "sam@example.org"}
EXPECTED_CONFLICTS = ("double_check_in", "checkin_reassigned_seat")


def run(data_dir: str) -> int:
    try:
        venue = Venue(state_file.load(data_dir))
    except state_file.NotRunning as e:
        print(e)
        return 1
    tickets = hub_db.fresh_tickets(venue.state["hub_db"], hub_db.door_replicas(venue.state))
    per_door = min(4, (len(tickets) - 3) // 4)
    if per_door < 1:
        print("Too few unused tickets are left for a venue morning: `make demo-reset`, "
              "or start the demo with more --orders.")
        return 1
    try:
        venue.network(internet=True, lan=True)
        doors_open(venue, tickets[:2 * per_door])
        internet_down(venue, tickets[2 * per_door:4 * per_door + 1])
        sold_before = lan_down(venue, tickets[4 * per_door + 1:4 * per_door + 3])
        network_back(venue, sold_before)
    except ScenarioFailed as e:
        print(f"\nThe scenario stopped: {e}")
        return 1
    finally:
        restore_network(venue)
    return 0


def restore_network(venue: Venue) -> None:
    """Never leave the demo cut off, whatever stopped the scenario."""
    try:
        venue.network(internet=True, lan=True)
    except ScenarioFailed:
        pass                                          # the demo itself is gone


def step(clock: str, text: str) -> None:
    print(f"\n{clock}  {text}", flush=True)


def say(text: str) -> None:
    print(f"       {text}", flush=True)


def scan(venue: Venue, door: str, ticket: hub_db.Ticket) -> dict:
    outcome = venue.scan(door, ticket.code)
    verdict = "admitted" if outcome["admitted"] else f"refused: {outcome['message']}"
    say(f"{door}  {ticket.attendee_name:<22} {verdict}")
    return outcome


def scan_at_both_doors(venue: Venue, tickets) -> None:
    for n, ticket in enumerate(tickets):
        if not scan(venue, (A, B)[n % 2], ticket)["admitted"]:
            raise ScenarioFailed(f"{ticket.attendee_name}'s fresh ticket was refused.")


def doors_open(venue: Venue, tickets) -> None:
    step("08:00", "Doors open. Both doors are online; attendees scan the tickets on their phones.")
    before = venue.dashboard()["checked_in"]
    scan_at_both_doors(venue, tickets)
    count = wait_for("the hub to count the check-ins",
                     lambda: checked_in_at_hub(venue, at_least=before + len(tickets)))
    say(f"The hub's live dashboard counts {count} checked in.")


def checked_in_at_hub(venue: Venue, at_least: int) -> int | None:
    count = venue.dashboard()["checked_in"]
    return count if count >= at_least else None


def internet_down(venue: Venue, tickets) -> None:
    step("08:20", "The venue's internet goes down. The doors keep admitting people, "
                  "and still talk to each other over the venue's LAN.")
    venue.network(internet=False)
    *batch, passed_on = tickets
    scan_at_both_doors(venue, batch)
    scan(venue, A, passed_on)
    wait_for("Door B to hear from Door A", lambda: venue.check_ins_known(B, passed_on.seat_id))
    say("A friend tries the same ticket at Door B, which has heard from Door A over the LAN:")
    if scan(venue, B, passed_on)["admitted"]:
        raise ScenarioFailed("Door B admitted a ticket Door A had already admitted.")
    show_waiting(venue)


def lan_down(venue: Venue, tickets) -> int:
    """Return how many on-site orders the hub had before this door's sale."""
    step("08:40", "The LAN switch fails too: each door is on its own.")
    venue.network(lan=False)
    shared, given_away = tickets
    say("The same ticket at both doors, moments apart (neither door can know):")
    at_a = scan(venue, A, shared)
    admitted(at_a, scan(venue, B, shared))
    venue.rename_seat(given_away, NEW_HOLDER)
    say(f"At home, {given_away.attendee_name}'s registrant gives that seat to Rosa Newholder: "
        "the hub issues her a new ticket and revokes the old one.")
    say("Door B has not heard, and admits the old ticket:")
    admitted(scan(venue, B, given_away))
    sold_before = venue.on_site_orders()
    sell_on_site(venue)
    show_waiting(venue)
    return sold_before


def admitted(*outcomes: dict) -> None:
    if not all(outcome["admitted"] for outcome in outcomes):
        raise ScenarioFailed("A door cut off from everything refused a ticket it cannot "
                             "know was used.")


def conflicts_found(venue: Venue) -> set[str] | None:
    kinds = {c["kind"] for c in venue.open_conflicts()}
    return kinds if set(EXPECTED_CONFLICTS) <= kinds else None


def sell_on_site(venue: Venue) -> None:
    offer = [s for s in venue.offer(A) if s["left"] > 0]
    if not offer:
        raise ScenarioFailed("Door A has no seats left to sell (`make demo-reset`).")
    seat_type = next((s for s in offer if s["name"] == "CQRS Workshop"), offer[0])
    sale = venue.sell(A, seat_type["seat_type"], WALK_IN)
    say(f"A planner at Door A sells a {seat_type['name']} seat to Sam Walk-in "
        f"(${sale['total_cents'] / 100:.2f}, cash) from the door's own allocation: "
        f"{seat_type['left'] - 1} left there.")


def show_waiting(venue: Venue) -> None:
    for door in (A, B):
        status = venue.status(door)
        say(f"{door}: {status['events_waiting']} facts waiting for the hub.")


def network_back(venue: Venue, sold_before: int) -> None:
    step("09:00", "The network is back. The doors push what they recorded, "
                  "and the hub judges it.")
    venue.network(internet=True, lan=True)
    wait_for("both doors to hand everything to the hub", lambda: all(
        s["connected"] and s["events_waiting"] == 0 for s in map(venue.status, (A, B))))
    kinds = wait_for("the hub to find the conflicts", lambda: conflicts_found(venue))
    wait_for("the on-site sale to become an order", lambda: venue.on_site_orders() > sold_before)
    say("Door A's sale is an order on the hub, marked sold on site by Door A.")
    conflicts = venue.open_conflicts()
    say(f"Open conflicts to review ({len(conflicts)}; kinds: {', '.join(sorted(kinds))}):")
    for conflict in conflicts[:8]:
        say(f"  - {conflict['kind_label']}: {conflict['automatic_outcome']}")
    step("Now  ", f"Review them at {venue.hub}/admin/conflicts/?conference={venue.slug} "
                f"(signed in as {venue.admin[0]} / {venue.admin[1]}); "
                f"the live dashboard is {venue.hub}/admin/conferences/{venue.slug}/dashboard/")
