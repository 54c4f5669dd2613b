"""The registrant's pages through the Flask test client: from the conference page to
assigned seats, and every way it can go wrong on the way."""
import re

import pytest

from tests.support.clock import FakeClock
from tests.support.hub_api import make_app
from tests.support.pages import (PageClient, field_error, form_error, form_values, order_id_of,
                                 text, visible)

GA, WORKSHOP, COCKTAIL = "General admission", "CQRS Workshop", "Additional cocktail party"


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def pages(tmp_path, clock):
    client = PageClient(make_app(tmp_path, clock))
    yield client
    client.hub.close()


@pytest.fixture
def conference(pages):
    return pages.api.create_conference()


def place(pages, slug, seats: dict) -> str:
    """Order from the conference page's form; return the order id."""
    r = pages.post(f"/conferences/{slug}/orders",
                   {f"seat_{seat_type}": str(n) for seat_type, n in seats.items()})
    assert r.status_code == 302, visible(r)
    return order_id_of(r.headers["Location"])


def name_registrant(pages, order_id, email="ada@example.org"):
    r = pages.post(f"/orders/{order_id}/details",
                   {"first_name": "Ada", "last_name": "Lovelace", "email": email})
    assert r.status_code == 302, visible(r)
    assert r.headers["Location"].endswith(f"/orders/{order_id}/checkout")


def start_payment(pages, order_id) -> str:
    """Press Pay; return the processor page's path."""
    r = pages.post(f"/orders/{order_id}/payment")
    assert r.status_code == 302 and "/processor/payments/" in r.headers["Location"], visible(r)
    return r.headers["Location"]


# --- home and conference page ------------------------------------------------------

def test_home_lists_published_conferences_and_links_the_business_area(pages, conference):
    pages.api.http.post("/api/conferences", json={**_draft(), "slug": "draft1", "name": "Draft"})
    page = pages.get("/")
    assert page.status_code == 200
    assert 'href="/conferences/cqrs2026"' in text(page)
    assert "Draft" not in visible(page)
    assert 'href="/manage/"' in text(page)


def test_conference_page_shows_prices_seats_left_and_caps_the_picker(pages):
    slug, ids, _ = pages.api.create_conference(seat_types=[
        {"name": "Main", "description": "All talks", "quantity": 100, "price": 199.5},
        {"name": "Dinner", "description": "", "quantity": 3, "price": 0},
        {"name": "Masterclass", "description": "", "quantity": 0, "price": 900}])
    page = pages.get(f"/conferences/{slug}")
    words = visible(page)
    assert page.status_code == 200
    assert "$199.50" in words and "100 left" in words and "3 left" in words
    assert "Free" in words and "Sold out" in words
    assert _options(page, ids["Main"]) == list(range(21))    # capped at 20 per order
    assert _options(page, ids["Dinner"]) == [0, 1, 2, 3]     # and at what is left
    assert f'name="seat_{ids["Masterclass"]}"' not in text(page)


def test_ordering_no_seat_or_a_bad_quantity_is_explained_on_the_page(pages, conference):
    slug, ids, _ = conference
    empty = pages.post(f"/conferences/{slug}/orders", {f"seat_{ids[GA]}": "0"})
    assert empty.status_code == 400 and form_error(empty) == "Choose at least one seat."
    bad = pages.post(f"/conferences/{slug}/orders", {f"seat_{ids[GA]}": "lots"})
    assert bad.status_code == 400 and "whole number" in form_error(bad)
    assert pages.hub.models.OrderView.select().count() == 0


# --- the whole way ------------------------------------------------------------------

def test_registrant_names_themself_while_seats_are_reserved_then_pays_and_assigns(pages, conference):
    slug, ids, _ = conference
    order_id = place(pages, slug, {ids[GA]: 2})
    details = pages.get(f"/orders/{order_id}/details")
    assert "Reserving your seats" in visible(details)          # no waiting page: the form is here
    assert f'data-wait-url="/api/orders/{order_id}" data-since="pending_reservation"' \
        in text(details)                                         # the page long-polls the order
    assert 'data-countdown="900"' in text(details)
    name_registrant(pages, order_id)

    waiting = pages.get(f"/orders/{order_id}/checkout")
    assert "Reserving your seats" in visible(waiting)
    assert f'data-wait-url="/api/orders/{order_id}"' in text(waiting)
    assert '<noscript><meta http-equiv="refresh"' in text(waiting)   # without script: refresh
    assert "Pay $" not in visible(waiting)
    refused = pages.post(f"/orders/{order_id}/payment")         # nobody pays before reservation
    assert "still being reserved" in visible(pages.follow(refused))

    pages.pump()
    checkout = pages.get(f"/orders/{order_id}/checkout")
    assert "Pay $398.00" in visible(checkout) and "Ada Lovelace" in visible(checkout)
    processor = pages.get(start_payment(pages, order_id))
    assert "Contoso Pay" in visible(processor) and "$398.00" in visible(processor)
    payment_id = re.search(r"/processor/payments/([^/\"]+)/accept", text(processor)).group(1)
    accepted = pages.post(f"/processor/payments/{payment_id}/accept")
    assert accepted.headers["Location"].endswith(f"/orders/{order_id}/thank-you")
    confirming = pages.follow(accepted)
    assert "Confirming your order" in visible(confirming)
    assert f'data-wait-url="/api/orders/{order_id}"' in text(confirming)

    pages.pump()
    thanks = pages.get(f"/orders/{order_id}/thank-you")
    code = pages.api.get_order(order_id)["access_code"]
    assert "You are registered" in visible(thanks) and f'id="access-code">{code}<' in text(thanks)
    _assign(pages, order_id, {0: ("Grace", "Hopper", "grace@example.org", "Navy"),
                              1: ("Alan", "Turing", "alan@example.org", "")})
    pages.pump()
    order = visible(pages.get(f"/orders/{order_id}"))
    assert "Confirmed" in order
    assert "Grace Hopper Seat 1 · General admission grace@example.org · Navy" in order
    assert "Alan Turing Seat 2 · General admission alan@example.org" in order


def test_registrant_details_errors_are_shown_next_to_each_field(pages, conference):
    slug, ids, _ = conference
    order_id = place(pages, slug, {ids[GA]: 1})
    r = pages.post(f"/orders/{order_id}/details",
                   {"first_name": " ", "last_name": "Lovelace", "email": "not-an-email"})
    assert r.status_code == 400
    assert field_error(r, "first_name") == "The first name is required."
    assert field_error(r, "last_name") is None
    assert "not a valid email" in field_error(r, "email")
    assert 'value="Lovelace"' in text(r)                       # what was typed stays
    assert pages.api.get_order(order_id)["registrant"]["email"] == ""


def test_checkout_asks_for_the_registrant_first(pages, conference):
    slug, ids, _ = conference
    order_id = place(pages, slug, {ids[GA]: 1})
    r = pages.get(f"/orders/{order_id}/checkout")
    assert r.headers["Location"].endswith(f"/orders/{order_id}/details")


def test_partial_fulfilment_is_explained_with_the_reserved_quantities(pages):
    slug, ids, _ = pages.api.create_conference(
        seat_types=[{"name": "Quota", "description": "", "quantity": 3, "price": 10}])
    pages.api.order(slug, {ids["Quota"]: 2})                     # someone else, a moment earlier
    order_id = place(pages, slug, {ids["Quota"]: 3})
    pages.pump()
    name_registrant(pages, order_id)
    checkout = visible(pages.get(f"/orders/{order_id}/checkout"))
    assert "Could not reserve all the requested seats." in checkout
    assert "Quota 3 1" in checkout                               # requested 3, reserved 1
    assert "Pay $10.00" in checkout


def test_an_order_with_nothing_reserved_cannot_be_paid(pages):
    slug, ids, _ = pages.api.create_conference(
        seat_types=[{"name": "Quota", "description": "", "quantity": 2, "price": 10}])
    pages.api.order(slug, {ids["Quota"]: 2})
    order_id = place(pages, slug, {ids["Quota"]: 1})
    pages.pump()
    name_registrant(pages, order_id)
    checkout = pages.get(f"/orders/{order_id}/checkout")
    assert "No seats could be reserved" in visible(checkout) and "Pay $" not in visible(checkout)
    assert f'href="/conferences/{slug}"' in text(checkout)
    refused = pages.post(f"/orders/{order_id}/payment")
    assert refused.status_code == 302 and pages.api.get_order(order_id)["payment_status"] == ""


def test_an_expired_reservation_says_so_and_offers_to_start_again(pages, conference, clock):
    slug, ids, _ = conference
    order_id = place(pages, slug, {ids[GA]: 1})
    pages.pump()
    name_registrant(pages, order_id)
    clock.advance(minutes=16)
    for path in (f"/orders/{order_id}/details", f"/orders/{order_id}/checkout"):
        page = pages.get(path)
        assert "Your reservation has expired" in visible(page)
        assert f'href="/conferences/{slug}"' in text(page) and "Start again" in visible(page)
    refused = pages.post(f"/orders/{order_id}/payment")
    assert "Your reservation has expired" in visible(pages.follow(refused))
    clock.advance(minutes=10)
    pages.pump()                                                  # the seats go back on sale
    assert pages.api.get_order(order_id)["status"] == "expired"
    assert "expired" in visible(pages.get(f"/orders/{order_id}")).lower()


def test_rejected_payment_returns_to_checkout_with_the_reservation_intact(pages, conference):
    slug, ids, _ = conference
    order_id = place(pages, slug, {ids[WORKSHOP]: 1})
    pages.pump()
    name_registrant(pages, order_id)
    payment_id = start_payment(pages, order_id).rsplit("/", 1)[1]
    rejected = pages.post(f"/processor/payments/{payment_id}/reject")
    assert rejected.headers["Location"].endswith(f"/orders/{order_id}/checkout")
    checkout = visible(pages.follow(rejected))
    assert "The payment was rejected" in checkout and "Pay $500.00" in checkout
    pages.pump()
    assert pages.api.get_order(order_id)["status"] == "reserved"
    second = start_payment(pages, order_id).rsplit("/", 1)[1]
    pages.post(f"/processor/payments/{second}/accept")
    pages.pump()
    assert pages.api.get_order(order_id)["status"] == "confirmed"


def test_a_free_order_skips_payment(pages):
    slug, ids, _ = pages.api.create_conference(
        seat_types=[{"name": "Community day", "description": "", "quantity": 50, "price": 0}])
    order_id = place(pages, slug, {ids["Community day"]: 1})
    pages.pump()
    name_registrant(pages, order_id)
    assert "Confirm free registration" in visible(pages.get(f"/orders/{order_id}/checkout"))
    r = pages.post(f"/orders/{order_id}/payment")
    assert r.headers["Location"].endswith(f"/orders/{order_id}/thank-you")
    assert "You are registered" in visible(pages.follow(r))
    assert pages.hub.models.OrderView.get_by_id(order_id).payment_status == ""


# --- after checkout -------------------------------------------------------------------

def test_find_my_order_by_email_and_access_code(pages, conference):
    slug, ids, _ = conference
    order_id = _confirmed_order(pages, slug, ids)
    code = pages.api.get_order(order_id)["access_code"]
    assert 'name="csrf_token"' in text(pages.get("/orders/find"))
    wrong = pages.post("/orders/find", {"email": "ada@example.org", "access_code": "ZZZZZZ"})
    assert wrong.status_code == 400 and "No order matches" in form_error(wrong)
    blank = pages.post("/orders/find", {"email": "", "access_code": ""})
    assert field_error(blank, "email") == "This field is required."
    found = pages.post("/orders/find", {"email": "ADA@example.org", "access_code": code.lower()})
    assert found.headers["Location"].endswith(f"/orders/{order_id}")
    assert f"Order {code}" in visible(pages.follow(found))


def test_a_bad_attendee_email_is_shown_on_that_seat_only(pages, conference):
    slug, ids, _ = conference
    order_id = _confirmed_order(pages, slug, ids, seats=2)
    form = form_values(pages.get(f"/orders/{order_id}/seats"), "attendees")
    form.update({"seat-0-first_name": "Grace", "seat-0-email": "grace@example.org",
                 "seat-1-first_name": "X", "seat-1-email": "nope"})
    r = pages.post(f"/orders/{order_id}/seats", form)
    assert r.status_code == 400
    assert "not a valid email" in field_error(r, "email", prefix="seat1")
    assert field_error(r, "email", prefix="seat0") is None
    assert 'value="X"' in text(r) and 'value="grace@example.org"' in text(r)   # nothing lost
    seats = pages.get(f"/api/orders/{order_id}/seats").get_json()["seats"]  # the session's
    assert all(s["attendee"] is None for s in seats)                          # nothing saved


def test_seats_wait_for_a_confirmed_order(pages, conference):
    slug, ids, _ = conference
    order_id = place(pages, slug, {ids[GA]: 1})
    assert "once your order is confirmed" in visible(pages.get(f"/orders/{order_id}/seats"))


# --- helpers --------------------------------------------------------------------------

def _draft():
    return {"slug": "draft1", "name": "Draft conference", "description": "Not yet",
            "location": "Oslo", "start_date": "2026-09-01", "end_date": "2026-09-02",
            "owner_name": "Kari", "owner_email": "kari@example.org"}


def _options(page, seat_type: str) -> list[int]:
    select = re.search(rf'name="seat_{seat_type}">(.*?)</select>', text(page), re.S).group(1)
    return [int(v) for v in re.findall(r'<option value="(\d+)"', select)]


def _confirmed_order(pages, slug, ids, seats=1) -> str:
    order_id = place(pages, slug, {ids[GA]: seats})
    pages.pump()
    name_registrant(pages, order_id)
    payment_id = start_payment(pages, order_id).rsplit("/", 1)[1]
    pages.post(f"/processor/payments/{payment_id}/accept")
    pages.pump()
    return order_id


def _assign(pages, order_id, attendees: dict):
    """Fill the one attendee form as a browser would, for the seats given, and save it."""
    form = form_values(pages.get(f"/orders/{order_id}/seats"), "attendees")
    for position, values in attendees.items():
        form.update({f"seat-{position}-{name}": value for name, value in
                     zip(("first_name", "last_name", "email", "company"), values)})
    r = pages.post(f"/orders/{order_id}/seats", form)
    assert r.status_code == 302, visible(r)
