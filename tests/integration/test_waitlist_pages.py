"""Wait-lists through the hub's pages (Flask's test client with the session's CSRF token)
and their offer mail through the real SMTP server: a sold-out seat type is waited for from
the conference form, together with seats on sale; a cancellation makes an offer; the
mail's link opens the offer page, which places the order and goes on to the checkout."""
import html
import re
from urllib.parse import urlsplit

import pytest

from shared_domain import waitlists as wl
from tests.support.clock import FakeClock
from tests.support.hub_api import make_app
from tests.support.mail import parts, received, sender_for, smtp_server  # noqa: F401
from tests.support.pages import PageClient, field_error, text, visible

SEATS = [{"name": "General admission", "description": "", "quantity": 10, "price": 199},
         {"name": "CQRS Workshop", "description": "", "quantity": 1, "price": 500}]


@pytest.fixture
def pages(tmp_path):
    client = PageClient(make_app(tmp_path, FakeClock()))
    yield client
    client.hub.close()


def test_wait_for_a_sold_out_seat_type_and_take_the_offer_from_the_mail(pages, smtp_server):
    api = pages.api
    slug, ids, auth = api.create_conference(SEATS)
    ga, workshop = ids["General admission"], ids["CQRS Workshop"]
    first = api.order(slug, {workshop: 1})
    api.pump()
    page = pages.get(f"/conferences/{slug}")
    assert f'name="wait_{workshop}"' in page.get_data(as_text=True) and f'name="wait_{ga}"' not in page.get_data(as_text=True)
    r = pages.post(f"/conferences/{slug}/orders", {
        f"seat_{ga}": "1", f"wait_{workshop}": "1", "wait_name": "Bea Waits",
        "wait_email": "bea@example.org"})
    assert r.status_code == 302, text(r)[:500]
    details = pages.follow(r)
    assert "You are on the wait-list for 1 × CQRS Workshop" in text(details)
    r = api.http.post(f"/api/conferences/{slug}/orders/{first}/cancel", headers=auth, json={})
    assert r.status_code == 200
    pages.pump()
    sender = sender_for(pages.hub, smtp_server)
    sender.send_due()
    offer_mail, = received(smtp_server, "waitlist_offer")
    assert offer_mail["To"] == "bea@example.org"
    body = parts(offer_mail)["text"]
    assert "1 × CQRS Workshop" in body and "Held until" in body
    link = urlsplit(next(line.strip() for line in body.splitlines() if "/waitlist/offers/" in line))
    stranger = PageClient(pages.app)
    offer_id = link.path.rsplit("/", 1)[1]
    assert stranger.get(f"/waitlist/offers/{offer_id}?proof=guess").status_code == 404
    offer_page = stranger.get(f"{link.path}?{link.query}")
    assert "Complete my order" in text(offer_page)
    proof = link.query.split("=", 1)[1]
    r = stranger.post(f"/waitlist/offers/{offer_id}/accept", {"proof": proof})
    assert r.headers["Location"].endswith(f"/orders/{offer_id}/details")
    pages.pump()
    details = stranger.follow(r)
    assert details.status_code == 200 and "CQRS Workshop" in text(details)


def bea_waits_for_the_workshop(api):
    """A sold-out workshop and Bea in its line: (slug, workshop, owner's auth, entry id)."""
    slug, ids, auth = api.create_conference(SEATS)
    workshop = ids["CQRS Workshop"]
    api.order(slug, {workshop: 1})
    api.pump()
    r = api.http.post(f"/api/conferences/{slug}/waitlists/{workshop}/entries",
                      json={"name": "Bea", "email": "bea@example.org", "quantity": 1})
    return slug, workshop, auth, r.get_json()["entry_id"]


def test_the_organiser_sees_removes_and_closes(pages):
    slug, workshop, _, entry_id = bea_waits_for_the_workshop(pages.api)
    code = pages.hub.models.Conference.get(slug=slug).access_code
    pages.post("/manage/locate", {"owner_email": "owner@contoso.example", "access_code": code})
    page = pages.get(f"/manage/{slug}/waitlists")
    assert page.status_code == 200 and "Bea" in text(page) and "waiting" in text(page)
    pages.post(f"/manage/{slug}/waitlists/{workshop}/entries/{entry_id}/remove")
    pages.post(f"/manage/{slug}/waitlists/{workshop}/close")
    page = pages.get(f"/manage/{slug}/waitlists")
    assert "removed" in text(page) and "Reopen the list" in text(page)
    assert PageClient(pages.app).get(f"/manage/{slug}/waitlists").status_code in (302, 303, 404)


def test_a_partly_reserved_order_offers_to_wait_for_what_is_missing(pages):
    api = pages.api
    slug, ids, auth = api.create_conference(SEATS)
    ga, workshop = ids["General admission"], ids["CQRS Workshop"]
    order_id = api.order(slug, {ga: 1, workshop: 3})      # the only workshop seat and 2 more
    api.open_in_session(order_id)
    api.pump()
    details = pages.get(f"/orders/{order_id}/details")
    assert 'id="wait-for-' + workshop + '"' in text(details)
    assert field_value(details, f"wait-{workshop}-quantity") == "2"
    assert field_value(details, f"wait-{workshop}-email") == ""     # no registrant yet
    assert f'id="wait-for-{ga}"' not in text(details)               # GA was reserved in full
    r = pages.post(f"/orders/{order_id}/details", {
        "first_name": "Cy", "last_name": "Short", "email": "cy@example.org"})
    checkout = pages.follow(r)
    assert "Could not reserve all the requested seats" in text(checkout)
    assert field_value(checkout, f"wait-{workshop}-quantity") == "2"
    assert field_value(checkout, f"wait-{workshop}-email") == "cy@example.org"
    assert field_value(checkout, f"wait-{workshop}-name") == "Cy Short"

    # A mistake is shown beside its field, and nothing joins.
    bad = pages.post(f"/waitlist/conferences/{slug}/{workshop}",
                     {"quantity": "99", "name": "Cy Short", "email": "cy@example.org"})
    assert bad.status_code == 400 and field_error(bad, "quantity", f"wait-{workshop}")
    assert field_value(bad, f"wait-{workshop}-email") == "cy@example.org"
    joined = pages.post(f"/waitlist/conferences/{slug}/{workshop}",
                        {"quantity": "2", "name": "Cy Short", "email": "cy@example.org"})
    assert joined.status_code == 200 and "2 × CQRS Workshop" in visible(joined)
    lists = api.http.get(f"/api/conferences/{slug}/waitlists", headers=auth)
    (entry,) = next(wl for wl in lists.get_json() if wl["seat_type"] == workshop)["entries"]
    assert (entry["email"], entry["name"], entry["quantity"]) == ("cy@example.org", "Cy Short", 2)
    again = pages.post(f"/waitlist/conferences/{slug}/{workshop}",
                       {"quantity": "2", "name": "Cy Short", "email": "cy@example.org"})
    assert again.status_code == 409 and "is on the wait-list" in visible(again)


def field_value(response, field_id):
    match = re.search(rf'id="{re.escape(field_id)}"[^>]*?value="([^"]*)"', text(response))
    assert match, field_id
    return html.unescape(match.group(1))


def test_a_hub_admin_sees_and_runs_the_wait_lists_a_stranger_signs_in_first(pages):
    from tests.support.admin import AdminPages, add_admin
    api = pages.api
    slug, workshop, auth, entry_id = bea_waits_for_the_workshop(api)
    base = f"/admin/conferences/{slug}/waitlists"

    stranger = PageClient(pages.app)
    for r in (stranger.get(base + "/"),
              stranger.post(f"{base}/{workshop}/entries/{entry_id}/remove"),
              stranger.post(f"{base}/{workshop}/close")):
        assert r.status_code in (302, 303) and "/admin/login" in r.headers["Location"]
    owners = api.http.get(f"/api/conferences/{slug}/waitlists", headers=auth).get_json()
    assert next(wl for wl in owners if wl["seat_type"] == workshop)["closed"] is False

    add_admin(pages.hub)
    admin = AdminPages(pages.app)
    admin.sign_in()
    page = admin.get(base + "/")
    assert page.status_code == 200
    assert "Bea" in visible(page) and "bea@example.org" in visible(page)
    assert 'aria-current="page">Wait-lists' in text(page)             # the admin's tabs
    assert f'action="{base}/{workshop}/entries/{entry_id}/remove"' in text(page)
    assert admin.post(f"{base}/{workshop}/entries/{entry_id}/remove").status_code == 302
    assert admin.post(f"{base}/{workshop}/close").status_code == 302
    page = admin.get(base + "/")
    assert "removed" in visible(page) and "Reopen the list" in visible(page)
    lists = api.http.get(f"/api/conferences/{slug}/waitlists", headers=auth).get_json()
    workshop_list = next(wl for wl in lists if wl["seat_type"] == workshop)
    assert workshop_list["closed"] is True
    assert [e["status"] for e in workshop_list["entries"]] == ["removed"]
    assert admin.post(f"{base}/{workshop}/reopen").status_code == 302
    assert "Close the list" in visible(admin.get(base + "/"))
    conference_id = pages.hub.models.Conference.get(slug=slug).id
    removed = [e.message for e in pages.hub.store.load(wl.stream_id(conference_id, workshop))
               if isinstance(e.message, wl.WaitlistEntryRemoved)]
    assert [r.by for r in removed] == ["admin:admin@contoso.example"]
