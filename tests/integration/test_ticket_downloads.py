"""Tickets over HTTP: the PDF and the PNG of a seat's ticket need the same proof of the order
as every order endpoint, are never cached, and say how to save them; the seats answer links
them and says while tickets are being issued, and a long-poll on it answers once they are."""
import io
import threading

import pypdf
import pytest

from hub.orders import order_progress
from shared_domain.people import PersonalInfo
from shared_domain.seat_assignments import AssignSeat
from tests.support.clock import FakeClock
from tests.support.hub_api import HubClient, bearer, make_app

pyzbar = pytest.importorskip("pyzbar.pyzbar", reason="libzbar0 is not installed")
GA = "General admission"
JOSE = {"first_name": "José", "last_name": "Müller", "email": "jose@example.org"}
LONG = 25


@pytest.fixture
def api(tmp_path):
    api = HubClient(make_app(tmp_path, FakeClock()))
    yield api
    api.hub.close()


@pytest.fixture
def orders(api):
    """Two paid orders of two seats; the first seat of each assigned (its ticket issued)."""
    slug, ids, _ = api.create_conference()
    placed = []
    for n in range(2):
        order_id = api.order(slug, {ids[GA]: 2})
        api.pump()
        api.registrant(order_id, f"r{n}@example.org")
        api.pay(order_id)
        api.pump()
        r = api.http.put(f"/api/orders/{order_id}/seats/0", headers=api.owner(order_id),
                         json=JOSE)
        assert r.status_code == 200
        placed.append(order_id)
    api.pump()
    return placed


def ticket(api, order_id, kind="pdf", headers=None, **query):
    return api.http.get(f"/api/orders/{order_id}/seats/0/ticket.{kind}", query_string=query,
                        headers=api.owner(order_id) if headers is None else headers)


def test_the_pdf_is_served_to_its_owner_as_a_download_never_cached(api, orders):
    mine, _ = orders
    code = api.http.get(f"/api/orders/{mine}/seats", headers=api.owner(mine)).get_json()[
        "seats"][0]["ticket_code"]
    r = ticket(api, mine, download="1")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["Content-Disposition"] == \
        'attachment; filename="ticket-cqrs-summit-jose-muller-seat-1.pdf"'
    page = pypdf.PdfReader(io.BytesIO(r.data)).pages[0]
    assert "José Müller" in page.extract_text()
    assert [f.data.decode() for i in page.images for f in pyzbar.decode(i.image)] == [code]


def test_the_png_is_shown_inline_unless_downloaded_and_decodes_to_the_code(api, orders):
    from PIL import Image
    mine, _ = orders
    r = ticket(api, mine, "png")
    assert r.status_code == 200 and r.mimetype == "image/png"
    assert r.headers["Content-Disposition"].startswith("inline; filename=\"ticket-")
    assert r.headers["Cache-Control"] == "no-store"
    (found,) = pyzbar.decode(Image.open(io.BytesIO(r.data)))
    assert found.data.decode().startswith("CT1-")
    assert ticket(api, mine, "png", download="1").headers["Content-Disposition"].startswith(
        "attachment;")


def test_a_ticket_needs_proof_of_its_order_as_every_order_endpoint(api, orders):
    mine, theirs = orders
    for kind in ("pdf", "png"):
        assert ticket(api, mine, kind, headers={}).status_code == 401
        wrong = ticket(api, mine, kind, headers=bearer(api.tokens[theirs]))
        assert wrong.status_code == 404
        assert wrong.get_json()["error"]["code"] == "order_not_found"
    browser = api.app.test_client()                       # a page session reads its own
    HubClient(api.app, browser).open_in_session(mine)
    assert browser.get(f"/api/orders/{mine}/seats/0/ticket.pdf").status_code == 200
    assert browser.get(f"/api/orders/{theirs}/seats/0/ticket.pdf").status_code == 404


def test_a_seat_without_a_live_ticket_has_no_file(api, orders):
    mine, _ = orders
    r = api.http.get(f"/api/orders/{mine}/seats/1/ticket.pdf", headers=api.owner(mine))
    assert r.status_code == 404 and r.get_json()["error"]["code"] == "ticket_not_found"
    assert api.http.delete(f"/api/orders/{mine}/seats/0", headers=api.owner(mine)).status_code \
        == 200
    for kind in ("pdf", "png"):
        r = ticket(api, mine, kind)
        assert r.status_code == 404 and r.get_json()["error"]["code"] == "ticket_not_found"
    assert api.http.get(f"/api/orders/{mine}/seats/99/ticket.png",
                        headers=api.owner(mine)).status_code == 404


def test_the_seats_answer_links_each_ticket_and_says_they_are_issued(api, orders):
    mine, _ = orders
    body = api.http.get(f"/api/orders/{mine}/seats", headers=api.owner(mine)).get_json()
    first, second = body["seats"]
    assert first["ticket_pdf_url"] == f"/api/orders/{mine}/seats/0/ticket.pdf"
    assert first["ticket_png_url"] == f"/api/orders/{mine}/seats/0/ticket.png"
    assert second["ticket_pdf_url"] is None and second["ticket_code"] is None
    assert body["tickets_issuing"] is False and len(body["version"]) == 16
    again = api.http.get(f"/api/orders/{mine}/seats", headers=api.owner(mine)).get_json()
    assert again["version"] == body["version"]            # nothing changed, nor the version


def test_a_paid_order_is_issuing_until_its_seats_and_tickets_are_there(api):
    slug, ids, _ = api.create_conference()
    order_id = api.order(slug, {ids[GA]: 1})
    api.pump()
    api.registrant(order_id)

    def issuing() -> bool:
        return api.http.get(f"/api/orders/{order_id}/seats",
                            headers=api.owner(order_id)).get_json()["tickets_issuing"]
    assert issuing() is False                             # not paid: nothing on its way
    api.pay(order_id)
    seen = []                                             # round by round, as a worker goes
    while api.hub.run_round():
        seen.append((issuing(), api.get_order(order_id)["status"]))
    assert (True, "reserved") in seen and (True, "confirmed") in seen   # paid; seats to come
    assert seen[-1] == (False, "confirmed")
    assert [i for i, _ in seen] == sorted((i for i, _ in seen), reverse=True)   # then done


@pytest.fixture
def naps(monkeypatch):
    """Each nap of a wait lasts until the test says go (as tests/integration/test_order_progress)."""
    started, go = threading.Event(), threading.Event()

    def nap(seconds, bell):
        started.set()
        go.wait(LONG * 2)
        return False
    monkeypatch.setattr(order_progress, "_nap", nap)
    return started, go


def test_a_long_poll_on_the_seats_answers_once_the_ticket_is_issued(api, orders, naps):
    mine, _ = orders
    started, go = naps
    api.hub.bus.handle(AssignSeat(mine, 1, PersonalInfo("Ada", "Lovelace", "ada@example.org")),
                       correlation=mine)                   # as the page form does: no pump
    before = api.http.get(f"/api/orders/{mine}/seats", headers=api.owner(mine)).get_json()
    assert before["tickets_issuing"] is True
    answers = []
    waiter = threading.Thread(target=lambda: answers.append(HubClient(api.app).http.get(
        f"/api/orders/{mine}/seats", headers=api.owner(mine),
        query_string={"wait": str(LONG), "since": before["version"]})))
    waiter.start()
    assert started.wait(LONG)                  # the seat changed, its ticket not issued yet:
    api.pump()                                 # the request waits; the pump issues it
    go.set()
    waiter.join(LONG * 2)
    (answer,) = answers
    body = answer.get_json()
    assert body["version"] != before["version"] and body["tickets_issuing"] is False
    assert body["seats"][1]["ticket_code"] and body["seats"][1]["ticket_pdf_url"]


@pytest.mark.parametrize("query", [{"wait": "5"}, {"wait": "5", "since": "confirmed"},
                                   {"wait": "99", "since": "0123456789abcdef"},
                                   {"since": "not a version"}])
def test_a_bad_wait_on_the_seats_is_refused(api, orders, query):
    mine, _ = orders
    r = api.http.get(f"/api/orders/{mine}/seats", headers=api.owner(mine), query_string=query)
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "invalid_fields"
