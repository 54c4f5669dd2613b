"""Promotional codes on the pages (Flask test client): the organiser's list and form with
field errors, and a registrant's checkout applying and removing a code."""
import pytest

from tests.support.clock import FakeClock
from tests.support.hub_api import make_app
from tests.support.pages import PageClient, field_error, order_id_of, text, visible

CONFERENCE = {"name": "Offline First Conf", "slug": "offline26", "tagline": "",
              "description": "Talks.", "location": "Tampere", "start_date": "2026-09-10",
              "end_date": "2026-09-11", "twitter_search": "", "owner_name": "Aino Virtanen",
              "owner_email": "aino@example.org"}


@pytest.fixture
def pages(tmp_path):
    client = PageClient(make_app(tmp_path, FakeClock()))
    yield client
    client.hub.close()


@pytest.fixture
def owner(pages):
    """An organiser signed in to a published conference with one $199 seat type (40 seats)."""
    assert pages.post("/manage/new", CONFERENCE).status_code == 302
    r = pages.post("/manage/offline26/seat-types/new", {"name": "Full pass", "description": "",
                                                         "quantity": "40", "price": "199"})
    assert r.status_code == 302, visible(r)
    pages.pump()
    assert pages.post("/manage/offline26/publish").status_code == 302
    pages.pump()
    S = pages.hub.models.SeatType
    return S.get(S.name == "Full pass").id


def code_form(**fields):
    return {"code": "HALF", "kind": "percentage", "value": "50", "quota_kind": "unlimited",
            "quota": "", "valid_from": "", "valid_until": "", "combination": "cumulative",
            **fields}


def test_the_conference_nav_leads_to_the_codes(pages, owner):
    page = pages.get("/manage/offline26/")
    assert 'href="/manage/offline26/promotional-codes/"' in text(page)
    assert "No promotional codes yet" in visible(pages.get("/manage/offline26/promotional-codes/"))


def test_an_organiser_creates_a_code_and_sees_it_listed(pages, owner):
    r = pages.post("/manage/offline26/promotional-codes/new",
                   code_form(code="half", seat_types=[owner], single_use="on"))
    assert r.status_code == 302, visible(r)
    listed = visible(pages.follow(r))
    assert "HALF" in listed and "50%" in listed and "Full pass" in listed
    assert "Single use" in listed


def test_a_quota_above_the_seats_is_shown_on_its_field(pages, owner):
    r = pages.post("/manage/offline26/promotional-codes/new",
                   code_form(quota_kind="uses", quota="41"))
    assert r.status_code == 400
    assert "exceeds the 40 seats" in field_error(r, "quota")


def test_an_organiser_edits_a_code(pages, owner):
    pages.post("/manage/offline26/promotional-codes/new", code_form())
    edit = pages.get("/manage/offline26/promotional-codes/HALF/edit")
    assert edit.status_code == 200 and 'value="50"' in text(edit)
    r = pages.post("/manage/offline26/promotional-codes/HALF/edit",
                   code_form(kind="amount", value="25.50"))
    assert r.status_code == 302, visible(r)
    assert "$25.50" in visible(pages.follow(r))


def test_a_registrant_applies_a_code_at_checkout_and_removes_it(pages, owner):
    pages.post("/manage/offline26/promotional-codes/new", code_form())
    r = pages.post("/conferences/offline26/orders", {f"seat_{owner}": "2"})
    order_id = order_id_of(r.headers["Location"])
    pages.pump()
    pages.post(f"/orders/{order_id}/details", {"first_name": "Ada", "last_name": "Lovelace",
                                                "email": "ada@example.org"})
    wrong = visible(pages.follow(pages.post(f"/orders/{order_id}/promotional-codes",
                                            {"code": "nope"})))
    assert "NOPE: There is no such promotional code." in wrong
    checkout = pages.follow(pages.post(f"/orders/{order_id}/promotional-codes",
                                       {"code": "half"}))
    shown = visible(checkout)
    assert "HALF −$199.00" in shown and "Pay $199.00" in shown
    removed = visible(pages.follow(pages.post(
        f"/orders/{order_id}/promotional-codes/HALF/remove")))
    assert "Pay $398.00" in removed


def test_a_strangers_session_cannot_apply_a_code_to_an_order(pages, owner):
    pages.post("/manage/offline26/promotional-codes/new", code_form())
    r = pages.post("/conferences/offline26/orders", {f"seat_{owner}": "1"})
    order_id = order_id_of(r.headers["Location"])
    other = PageClient(pages.app)
    assert other.post(f"/orders/{order_id}/promotional-codes", {"code": "HALF"}).status_code \
        == 404
