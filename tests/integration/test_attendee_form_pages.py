"""The one attendee form of an order and the order page's tickets, through the Flask test
client: every seat checked at once and nothing typed lost, only the seats that changed sent,
and the order page showing each ticket once it exists (saying so while it is issued)."""
import re

import pytest

from hub.orders import ticket_documents
from shared_domain import seat_assignments
from tests.support.clock import FakeClock
from tests.support.hub_api import make_app
from tests.support.pages import PageClient, field_error, form_values, text, visible

GA = "General admission"


@pytest.fixture
def pages(tmp_path):
    client = PageClient(make_app(tmp_path, FakeClock()))
    yield client
    client.hub.close()


@pytest.fixture
def order_id(pages):
    """A confirmed order of three seats, placed and paid in this browser session."""
    slug, ids, _ = pages.api.create_conference()
    r = pages.post(f"/conferences/{slug}/orders", {f"seat_{ids[GA]}": "3"})
    order_id = re.search(r"/orders/([^/]+)", r.headers["Location"]).group(1)
    pages.pump()
    pages.post(f"/orders/{order_id}/details",
               {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.org"})
    payment = pages.post(f"/orders/{order_id}/payment").headers["Location"].rsplit("/", 1)[1]
    pages.post(f"/processor/payments/{payment}/accept")
    pages.pump()
    return order_id


def fill(pages, order_id, seats: dict) -> dict:
    """The form as the page shows it, with these seats' fields typed over."""
    form = form_values(pages.get(f"/orders/{order_id}/seats"), "attendees")
    for position, fields in seats.items():
        form.update({f"seat-{position}-{name}": value for name, value in fields.items()})
    return form


def assignment_events(pages, order_id) -> list:
    return [type(e.message).__name__ for e in pages.hub.store.load(
        seat_assignments.stream_id(order_id))][1:]


def live_codes(pages, order_id) -> dict:
    return {s["position"]: s["ticket_code"] for s in
            pages.get(f"/api/orders/{order_id}/seats").get_json()["seats"]}


GRACE = {"first_name": "Grace", "last_name": "Hopper", "email": "grace@example.org",
         "company": "Navy"}
ALAN = {"first_name": "Alan", "last_name": "Turing", "email": "alan@example.org"}


def test_one_form_names_every_seat_and_blank_seats_stay_open(pages, order_id):
    page = pages.get(f"/orders/{order_id}/seats")
    assert text(page).count("<form") == 1
    assert len(re.findall(r'<fieldset class="card seat-form', text(page))) == 3
    assert text(page).count('type="submit">Save attendees<') == 1
    r = pages.post(f"/orders/{order_id}/seats", fill(pages, order_id, {0: GRACE, 2: ALAN}))
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/orders/{order_id}#tickets")
    assert assignment_events(pages, order_id) == ["SeatAssigned", "SeatAssigned"]
    pages.pump()
    seats = pages.get(f"/api/orders/{order_id}/seats").get_json()["seats"]
    assert [s["attendee"] and s["attendee"]["email"] for s in seats] == \
        ["grace@example.org", None, "alan@example.org"]


def test_an_error_in_one_seat_saves_nothing_and_keeps_what_every_seat_typed(pages, order_id):
    typed = fill(pages, order_id, {0: GRACE, 1: {"first_name": "Bad", "email": "not-an-email"},
                                   2: {**ALAN, "first_name": "A" * 61}})
    r = pages.post(f"/orders/{order_id}/seats", typed)
    assert r.status_code == 400
    assert "nothing was saved" in visible(r).lower()
    assert "not a valid email" in field_error(r, "email", prefix="seat1")
    assert field_error(r, "first_name", prefix="seat2") == "At most 60 characters."
    assert field_error(r, "email", prefix="seat0") is None
    assert form_values(r, "attendees") == typed          # every seat as typed, hidden ones too
    assert assignment_events(pages, order_id) == []      # no seat saved
    fixed = {**typed, "seat-1-email": "bad@example.org", "seat-2-first_name": "Alan"}
    assert pages.post(f"/orders/{order_id}/seats", fixed).status_code == 302
    assert assignment_events(pages, order_id) == ["SeatAssigned"] * 3


def test_a_seat_left_as_it_was_is_not_assigned_again_and_keeps_its_ticket(pages, order_id):
    pages.post(f"/orders/{order_id}/seats", fill(pages, order_id, {0: GRACE, 1: ALAN}))
    pages.pump()
    before = live_codes(pages, order_id)
    r = pages.post(f"/orders/{order_id}/seats",
                   fill(pages, order_id, {1: {**ALAN, "company": "Bletchley Park"}}))
    assert r.status_code == 302
    assert assignment_events(pages, order_id)[2:] == ["SeatAssignmentUpdated"]   # seat 1 only
    pages.pump()
    after = live_codes(pages, order_id)
    assert after[0] == before[0] and after[1] != before[1]
    again = pages.post(f"/orders/{order_id}/seats", fill(pages, order_id, {}))
    assert again.status_code == 302 and len(assignment_events(pages, order_id)) == 3


def test_a_seat_the_form_did_not_touch_is_not_reverted_to_what_it_showed(pages, order_id):
    stale = fill(pages, order_id, {0: GRACE})            # seat 1 shown open, left open
    pages.api.http.put(f"/api/orders/{order_id}/seats/1", headers=pages.api.owner(order_id),
                       json=ALAN)                        # meanwhile, elsewhere
    assert pages.post(f"/orders/{order_id}/seats", stale).status_code == 302
    pages.pump()
    seats = pages.get(f"/api/orders/{order_id}/seats").get_json()["seats"]
    assert seats[1]["attendee"]["email"] == "alan@example.org"


def test_clearing_an_assigned_seat_frees_it_and_revokes_its_ticket(pages, order_id):
    pages.post(f"/orders/{order_id}/seats", fill(pages, order_id, {0: GRACE}))
    pages.pump()
    cleared = {name: "" for name in ("first_name", "last_name", "email", "company")}
    assert pages.post(f"/orders/{order_id}/seats",
                      fill(pages, order_id, {0: cleared})).status_code == 302
    assert assignment_events(pages, order_id)[-1] == "SeatUnassigned"
    pages.pump()
    assert ticket_documents.ticket_document(pages.hub, order_id, 0) is None


def test_the_form_needs_its_csrf_token_and_the_order_in_this_session(pages, order_id):
    typed = fill(pages, order_id, {0: GRACE})
    assert pages.post(f"/orders/{order_id}/seats", typed, csrf=False).status_code in (400, 403)
    stranger = PageClient(pages.app)
    assert stranger.post(f"/orders/{order_id}/seats", typed).status_code == 404
    assert assignment_events(pages, order_id) == []


def test_the_order_page_says_tickets_are_being_issued_then_shows_them(pages, order_id):
    pages.post(f"/orders/{order_id}/seats", fill(pages, order_id, {0: GRACE, 1: ALAN}))
    waiting = pages.get(f"/orders/{order_id}")          # nothing pumped: no tickets yet
    assert "Your tickets are being issued" in visible(waiting)
    assert f'data-wait-url="/api/orders/{order_id}/seats"' in text(waiting)
    version = pages.get(f"/api/orders/{order_id}/seats").get_json()["version"]
    assert f'data-since="{version}"' in text(waiting)
    assert '<noscript><meta http-equiv="refresh"' in text(waiting)    # without script: refresh
    assert "order.js" in text(waiting)
    assert "Issuing the ticket" in visible(waiting) and "<svg" not in text(waiting)

    pages.pump()
    shown = pages.get(f"/orders/{order_id}")
    assert "being issued" not in visible(shown) and "order.js" not in text(shown)
    assert "data-wait-url" not in text(shown) and "refresh" not in text(shown)
    for position in (0, 1):
        assert f'href="/api/orders/{order_id}/seats/{position}/ticket.pdf?download=1"' in text(shown)
        assert f'href="/api/orders/{order_id}/seats/{position}/ticket.png?download=1"' in text(shown)
    assert text(shown).count('<div class="ticket-qr" role="img"') == 2
    code = live_codes(pages, order_id)[0]
    assert ticket_documents.qr_svg(code) in text(shown)
    assert "Not assigned yet" in visible(shown)                       # the third seat
    assert ticket_documents.order_reference(order_id) in visible(shown)
