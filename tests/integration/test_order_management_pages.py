"""Order management through the pages: the owner (/manage/) and a hub admin (/admin/) open an
order and act on it; the registrant cancels from their order page until the deadline. The
pages refuse what the API refuses, with the same reason on the page."""
import re

import pytest

from shared_domain import orders, seat_assignments
from tests.support.admin import ADMIN_EMAIL, AdminPages, add_admin
from tests.support.clock import FakeClock
from tests.support.hub_api import CONFERENCE, make_app
from tests.support.pages import PageClient, field_error, form_error, text, visible

GA = "General admission"
SLUG = CONFERENCE["slug"]


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def app(tmp_path, clock):
    app = make_app(tmp_path, clock)
    yield app
    app.extensions["contoso_hub"].close()


@pytest.fixture
def owner(app):
    """The owner's browser, signed in to the conference (made through the API)."""
    pages = PageClient(app)
    slug, ids, auth = pages.api.create_conference(cancellation_deadline="2026-05-20T12:00")
    code = pages.hub.models.Conference.get(slug=slug).access_code
    r = pages.post("/manage/locate", {"owner_email": CONFERENCE["owner_email"],
                                      "access_code": code})
    assert r.status_code == 302, visible(r)
    pages.ids = ids
    return pages


def confirmed(pages, email="ada@example.org", seats=2):
    api = pages.api
    order_id = api.order(SLUG, {pages.ids[GA]: seats})
    api.pump()
    api.registrant(order_id, email)
    api.pay(order_id)
    api.pump()
    r = api.http.put(f"/api/orders/{order_id}/seats/0", headers=api.owner(order_id),
                     json={"first_name": "Ada", "last_name": "Lovelace", "email": email})
    assert r.status_code == 200
    api.pump()
    return order_id


def page_of(pages, order_id, prefix=f"/manage/{SLUG}"):
    r = pages.get(f"{prefix}/orders/{order_id}")
    assert r.status_code == 200, visible(r)[:500]
    return r


def last(pages, order_id, kind, stream=orders.stream_id):
    found = [e.message for e in pages.hub.store.load(stream(order_id))
             if isinstance(e.message, kind)]
    return found[-1] if found else None


# --- the owner ---------------------------------------------------------------------

def test_the_list_searches_and_links_each_order(owner):
    ada, bo = confirmed(owner), confirmed(owner, "bo@example.org")
    everything = owner.get(f"/manage/{SLUG}/orders")
    assert f'href="/manage/{SLUG}/orders/{ada}"' in text(everything)
    found = owner.get(f"/manage/{SLUG}/orders?q=bo%40example")
    assert "1 order" in visible(found) and f"/orders/{bo}" in text(found)
    assert f"/orders/{ada}" not in text(found)
    cancelled = owner.get(f"/manage/{SLUG}/orders?status=cancelled")
    assert "No orders match." in visible(cancelled)


def test_the_order_page_shows_lines_payments_seats_tickets_and_history(owner):
    order_id = confirmed(owner)
    words = visible(page_of(owner, order_id))
    assert "Order of Ada Lovelace" in words and "Online" in words
    assert "2 $398.00" in words                       # the line: 2 seats, $398
    assert "Paid" in words and "Valid" in words and "Not checked in" in words
    assert "Seat 1 assigned to ada@example.org" in words
    assert "Cancel this order…" in words and "Resend its mails" in words


def test_the_owner_cancels_after_a_confirmation_that_says_what_happens(owner):
    order_id = confirmed(owner)
    before = owner.api.available(SLUG)[GA]
    confirm = owner.get(f"/manage/{SLUG}/orders/{order_id}/cancel")
    words = visible(confirm)
    assert "2 seats go back on sale." in words
    assert "1 ticket is revoked: every door refuses it once it syncs." in words
    assert "$398.00 paid is refunded" in words
    r = owner.post(f"/manage/{SLUG}/orders/{order_id}/cancel", {"reason": "Duplicate"})
    assert r.status_code == 302
    owner.pump()
    words = visible(owner.follow(r))
    assert "The order is cancelled" in words and "“Duplicate”" in words
    assert "Revoked" in words and "Refunded" in words and "order cancelled" in words
    assert owner.api.available(SLUG)[GA] == before + 2
    cancelled = last(owner, order_id, orders.OrderCancelled)
    assert (cancelled.by, cancelled.role, cancelled.reason) == (
        "owner:owner@contoso.example", "organiser", "Duplicate")
    assert "Cancel this order…" not in words


def test_a_cancel_the_domain_refuses_is_explained_on_the_confirmation(owner, clock):
    order_id = owner.api.order(SLUG, {owner.ids[GA]: 1})
    owner.pump()
    clock.advance(minutes=25)
    owner.pump()
    r = owner.post(f"/manage/{SLUG}/orders/{order_id}/cancel", {})
    assert r.status_code == 409
    assert form_error(r).startswith("This order has expired: its seats are released already")
    r = owner.post(f"/manage/{SLUG}/orders/{order_id}/cancel", {"reason": "x" * 501})
    assert r.status_code == 400 and field_error(r, "reason").startswith("Say why in at most 500")


def test_the_owner_marks_an_invoice_paid_and_the_reference_is_required(owner):
    order_id = owner.api.order(SLUG, {owner.ids[GA]: 1})
    owner.pump()
    owner.api.registrant(order_id)
    r = owner.post(f"/manage/{SLUG}/orders/{order_id}/invoice-payment", {"invoice_reference": ""})
    assert r.status_code == 400
    assert field_error(r, "invoice_reference", "invoice") == "Give the invoice's number or reference."
    r = owner.post(f"/manage/{SLUG}/orders/{order_id}/invoice-payment",
                   {"invoice_reference": "INV-88"})
    assert r.status_code == 302
    owner.pump()
    words = visible(owner.follow(r))
    assert "Payment by invoice INV-88 recorded." in words
    assert "Invoice INV-88" in words and "recorded by owner:owner@contoso.example" in words
    assert "Confirmed" in words


def test_the_owner_changes_an_attendee_with_errors_beside_the_seats_fields(owner):
    order_id = confirmed(owner)
    r = owner.post(f"/manage/{SLUG}/orders/{order_id}/seats/1", {"email": "nope"})
    assert r.status_code == 400
    assert field_error(r, "email", "seat-1") and 'value="nope"' in text(r)
    r = owner.post(f"/manage/{SLUG}/orders/{order_id}/seats/1",
                   {"first_name": "Bo", "last_name": "Lind", "email": "bo@example.org"})
    assert r.status_code == 302
    assigned = last(owner, order_id, seat_assignments.SeatAssigned, seat_assignments.stream_id)
    assert (assigned.position, assigned.by) == (1, "owner:owner@contoso.example")
    words = visible(owner.follow(r))
    assert "Seat 2 is assigned to bo@example.org" in words
    r = owner.post(f"/manage/{SLUG}/orders/{order_id}/seats/1/unassign", {})
    assert r.status_code == 302
    assert "Seat 2 is unassigned" in visible(owner.follow(r))


def test_resending_mails_is_recorded(owner):
    order_id = confirmed(owner)
    r = owner.post(f"/manage/{SLUG}/orders/{order_id}/resend-mails", {})
    assert r.status_code == 302
    assert last(owner, order_id, orders.OrderMailsResendRequested).by == \
        "owner:owner@contoso.example"
    assert "Mails asked for again" in visible(owner.follow(r))


def test_the_order_pages_need_the_owner_session_and_the_orders_conference(owner, app):
    order_id = confirmed(owner)
    stranger = PageClient(app)
    for path in (f"/manage/{SLUG}/orders/{order_id}", f"/manage/{SLUG}/orders/{order_id}/cancel"):
        r = stranger.get(path)
        assert r.status_code == 302 and r.headers["Location"].endswith("/manage/")
    r = stranger.post(f"/manage/{SLUG}/orders/{order_id}/cancel", {})
    assert r.status_code == 302 and r.headers["Location"].endswith("/manage/")
    # The owner of another conference, signed in to theirs, does not find it there.
    other = PageClient(app)
    r = other.post("/manage/new", {**CONFERENCE, "slug": "other26", "owner_email": "m@x.org"})
    assert r.status_code == 302
    assert other.get(f"/manage/other26/orders/{order_id}").status_code == 404
    assert other.post(f"/manage/other26/orders/{order_id}/cancel", {}).status_code == 404
    assert last(owner, order_id, orders.OrderCancelled) is None


def test_an_order_form_without_the_csrf_token_changes_nothing(owner):
    order_id = confirmed(owner)
    r = owner.post(f"/manage/{SLUG}/orders/{order_id}/cancel", {}, csrf=False)
    assert r.status_code in (400, 403)
    assert last(owner, order_id, orders.OrderCancelled) is None


# --- the deadline on the business pages ------------------------------------------------

def test_the_deadline_is_edited_and_refused_beside_its_field(owner):
    form = {**CONFERENCE, "cancellation_deadline": "2026-06-05T10:00"}
    r = owner.post(f"/manage/{SLUG}/edit", form)
    assert r.status_code == 400
    assert field_error(r, "cancellation_deadline") == (
        "The cancellation deadline must not be after the conference ends.")
    r = owner.post(f"/manage/{SLUG}/edit", {**form, "cancellation_deadline": "2026-05-25T09:30"})
    assert r.status_code == 302
    assert owner.hub.models.Conference.get(slug=SLUG).cancellation_deadline == \
        "2026-05-25T09:30:00+00:00"
    assert 'value="2026-05-25T09:30"' in text(owner.get(f"/manage/{SLUG}/edit"))


# --- the registrant ----------------------------------------------------------------

def registrant_browser(owner, order_id):
    browser = PageClient(owner.app)
    browser.api.open_in_session(order_id)
    return browser


def test_the_registrant_cancels_from_the_order_page_after_confirming(owner):
    order_id = confirmed(owner)
    before = owner.api.available(SLUG)[GA]
    browser = registrant_browser(owner, order_id)
    page = browser.get(f"/orders/{order_id}")
    assert "You can cancel this order until 2026-05-20 12:00 UTC." in visible(page)
    assert f'href="/orders/{order_id}/cancel"' in text(page)
    confirm = browser.get(f"/orders/{order_id}/cancel")
    assert "Yes, cancel my order" in visible(confirm) and "is refunded" in visible(confirm)
    r = browser.post(f"/orders/{order_id}/cancel", {"reason": "Cannot come"})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/orders/{order_id}")
    owner.pump()
    words = visible(browser.follow(r))
    assert "Your order is cancelled" in words and "This order is cancelled" in words
    assert owner.api.available(SLUG)[GA] == before + 2
    assert last(owner, order_id, orders.OrderCancelled).by == "registrant:ada@example.org"
    r = browser.get(f"/orders/{order_id}/checkout")
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/orders/{order_id}")


def test_the_registrant_cannot_cancel_past_the_deadline(owner, clock):
    order_id = confirmed(owner)
    browser = registrant_browser(owner, order_id)
    clock.advance(days=17)
    page = visible(browser.get(f"/orders/{order_id}"))
    assert "Cancelling was possible until 2026-05-20 12:00 UTC; please ask the organiser." in page
    r = browser.post(f"/orders/{order_id}/cancel", {})
    assert r.status_code == 409
    assert form_error(r).startswith("Orders could be cancelled until 20 May 2026, 12:00 UTC")
    assert last(owner, order_id, orders.OrderCancelled) is None


def test_another_browser_cannot_cancel_the_registrants_order(owner):
    order_id = confirmed(owner)
    stranger = PageClient(owner.app)
    assert stranger.get(f"/orders/{order_id}/cancel").status_code == 404
    assert stranger.post(f"/orders/{order_id}/cancel", {}).status_code == 404
    assert last(owner, order_id, orders.OrderCancelled) is None


def test_no_cancel_offer_where_the_organiser_set_no_deadline(owner):
    order_id = confirmed(owner)
    owner.api.http.put(f"/api/conferences/{SLUG}", headers=_owner_auth(owner),
                       json={"cancellation_deadline": ""})
    browser = registrant_browser(owner, order_id)
    assert 'id="cancel-offer"' not in text(browser.get(f"/orders/{order_id}"))
    r = browser.post(f"/orders/{order_id}/cancel", {})
    assert r.status_code == 409 and "does not let registrants cancel" in form_error(r)


def _owner_auth(pages):
    from tests.support.hub_api import basic
    return basic(CONFERENCE["owner_email"], pages.hub.models.Conference.get(slug=SLUG).access_code)


# --- a hub admin -------------------------------------------------------------------

def test_a_hub_admin_lists_opens_and_cancels_an_order_as_themself(owner, app):
    order_id = confirmed(owner)
    add_admin(owner.hub)
    admin = AdminPages(app)
    assert admin.sign_in().status_code == 302
    listing = admin.get(f"/admin/conferences/{SLUG}/orders/")
    assert listing.status_code == 200 and f"/admin/conferences/{SLUG}/orders/{order_id}" in \
        text(listing)
    assert "Order of Ada Lovelace" in visible(page_of(admin, order_id,
                                                      f"/admin/conferences/{SLUG}"))
    r = admin.post(f"/admin/conferences/{SLUG}/orders/{order_id}/cancel", {"reason": "Fraud"})
    assert r.status_code == 302
    assert last(owner, order_id, orders.OrderCancelled).by == f"admin:{ADMIN_EMAIL}"
    owner.pump()
    assert re.search(r"Cancelled .* by admin:admin@contoso\.example", visible(admin.follow(r)))


def test_the_admin_order_pages_need_an_admin(owner, app):
    order_id = confirmed(owner)
    r = owner.get(f"/admin/conferences/{SLUG}/orders/{order_id}")   # the owner is no admin
    assert r.status_code == 302 and "/admin/login" in r.headers["Location"]
    r = owner.post(f"/admin/conferences/{SLUG}/orders/{order_id}/cancel", {})
    assert r.status_code == 302 and "/admin/login" in r.headers["Location"]
    assert last(owner, order_id, orders.OrderCancelled) is None
