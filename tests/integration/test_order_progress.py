"""A registrant learns an order's progress by a long-poll: GET /api/orders/<id>?wait=&since=
answers as soon as the order differs from what the client has, checks ownership exactly
like the plain GET, refuses bad waits, and the order pages wait server-side instead of
polling. Nothing here is timed: a wait that ran out would answer the unchanged order."""
import threading

import pytest

from hub.orders import order_progress
from hub.orders.order_progress import WaitGate
from tests.support.clock import FakeClock
from tests.support.hub_api import HubClient, bearer, make_app
from tests.support.pages import PageClient, order_id_of, text, visible

GA = "General admission"
LONG = 25        # the longest wait: answering before it elapses is what is shown


@pytest.fixture
def placed(api):
    """An order placed and not yet reserved (nothing has pumped): (order id, owner headers)."""
    slug, ids, _ = api.create_conference()
    order_id = api.order(slug, {ids[GA]: 2})
    return order_id, api.owner(order_id)


@pytest.fixture
def naps(monkeypatch):
    """The naps waits take, recorded. Each lasts until the test lets it end (`naps.go`),
    announced on `naps.started`, so a test knows a request waits and decides when it looks
    again; it does not count as rung."""
    taken = Naps()

    def nap(seconds, bell):
        taken.append(seconds)
        taken.started.set()
        taken.go.wait(LONG * 2)
        return False

    monkeypatch.setattr(order_progress, "_nap", nap)
    return taken


class Naps(list):
    def __init__(self):
        super().__init__()
        self.started, self.go = threading.Event(), threading.Event()


def waiting(api, order_id, owner, since) -> tuple[threading.Thread, list]:
    """A long-poll of 25 s in a thread of its own: (the thread, its answers when done)."""
    answers = []
    waiter = threading.Thread(target=lambda: answers.append(
        long_poll(HubClient(api.app), order_id, owner, since)))
    waiter.start()
    return waiter, answers


def long_poll(api, order_id, headers, since, wait=LONG):
    return api.http.get(f"/api/orders/{order_id}", headers=headers,
                        query_string={"wait": str(wait), "since": since})


# --- the long-poll answers when the order moves on -------------------------------------

def test_long_poll_answers_as_soon_as_the_seats_are_reserved(api, placed, naps):
    order_id, owner = placed
    waiter, answers = waiting(api, order_id, owner, "pending_reservation")
    assert naps.started.wait(LONG)             # the request waits: the order is pending
    api.pump()                                 # the reservation is made meanwhile
    naps.go.set()
    waiter.join(LONG * 2)
    assert not waiter.is_alive()
    (answer,) = answers
    assert answer.status_code == 200
    assert answer.get_json()["status"] == "reserved"
    assert answer.get_json()["items"][0]["reserved"] == 2
    # It answered at its first look after the change: it did not nap on to the 25 s.
    assert len(naps) == 1


def test_a_change_in_this_process_wakes_the_wait_before_its_nap_ends(api, placed, monkeypatch):
    order_id, owner = placed
    for name in ("FIRST_NAP_SECONDS", "LAST_NAP_SECONDS"):
        monkeypatch.setattr(order_progress, name, LONG)   # one nap would be the whole wait
    naps, started, real = [], threading.Event(), order_progress._nap

    def nap(seconds, bell):
        started.set()
        naps.append(real(seconds, bell))       # True: the bell ended the nap
        return naps[-1]

    monkeypatch.setattr(order_progress, "_nap", nap)
    waiter, answers = waiting(api, order_id, owner, "pending_reservation")
    assert started.wait(LONG)
    api.pump()                                 # the read model rings the order's bell
    waiter.join(LONG * 2)
    assert [a.get_json()["status"] for a in answers] == ["reserved"]
    assert naps[0] is True                     # the first nap was cut short by the bell


def test_long_poll_waits_for_the_confirmation_after_the_payment(api, placed, naps):
    order_id, owner = placed
    api.pump()
    api.registrant(order_id)
    payment = api.start_payment(order_id).get_json()
    waiter, answers = waiting(api, order_id, owner, "reserved")
    assert naps.started.wait(LONG)
    api.http.post(f"/api/payments/{payment['payment_id']}/accept")
    api.pump()
    naps.go.set()
    waiter.join(LONG * 2)
    assert [a.get_json()["status"] for a in answers] == ["confirmed"]
    assert len(naps) == 1


def test_a_waiting_request_holds_no_transaction_while_it_naps(api, placed, monkeypatch):
    order_id, owner = placed
    held = []

    def nap(seconds, bell):
        held.append(api.hub.db.in_transaction())
        api.pump()                             # the order moves on meanwhile

    monkeypatch.setattr(order_progress, "_nap", nap)
    answer = long_poll(api, order_id, owner, "pending_reservation")
    assert answer.get_json()["status"] == "reserved"
    assert held == [False]


def test_an_order_that_already_differs_answers_at_once(api, placed, naps):
    order_id, owner = placed
    api.pump()
    answer = long_poll(api, order_id, owner, "pending_reservation")
    assert answer.get_json()["status"] == "reserved"
    assert naps == []                          # read once, never slept


def test_since_a_version_wakes_on_any_change_the_status_would_miss(api, placed):
    order_id, owner = placed
    api.pump()
    api.registrant(order_id)
    before = api.get_order(order_id)
    payment = api.start_payment(order_id).get_json()
    api.http.post(f"/api/payments/{payment['payment_id']}/accept")
    api.hub.refresh_read_models()             # paid, not yet confirmed (that takes a pump)
    answer = long_poll(api, order_id, owner, before["version"]).get_json()
    assert answer["status"] == before["status"] == "reserved"
    assert answer["payment_status"] == "paid" and answer["version"] != before["version"]


def test_every_answer_carries_the_version_to_wait_from(api, placed):
    order_id, owner = placed
    first = api.get_order(order_id)           # placed, maybe not projected yet
    api.pump()
    reserved = api.get_order(order_id)
    assert first["version"] != reserved["version"]
    assert long_poll(api, order_id, owner, reserved["version"], wait=0).get_json() == reserved


# --- bounds -------------------------------------------------------------------------------

@pytest.mark.parametrize("query", [
    {"wait": "abc", "since": "reserved"}, {"wait": "-1", "since": "reserved"},
    {"wait": "26", "since": "reserved"}, {"wait": "1.5", "since": "reserved"},
    {"wait": "", "since": "reserved"}, {"wait": "99999999999999999999", "since": "reserved"},
    {"wait": "５", "since": "reserved"}, {"wait": "10"}, {"wait": "10", "since": "paid-ish"},
    {"wait": "10", "since": "x" * 5000}, {"since": "Reserved"}])
def test_a_bad_wait_or_since_is_refused_with_400_naming_the_field(api, placed, query):
    order_id, owner = placed
    r = api.http.get(f"/api/orders/{order_id}", headers=owner, query_string=query)
    assert r.status_code == 400
    error = r.get_json()["error"]
    assert error["code"] == "invalid_fields"
    assert set(error["fields"]) <= {"wait", "since"} and error["fields"]


def test_the_hub_waits_no_longer_than_it_is_configured_to(api, placed, naps):
    order_id, owner = placed
    api.app.config["ORDER_WAIT_MAX_SECONDS"] = 0
    answer = long_poll(api, order_id, owner, "pending_reservation")
    assert answer.status_code == 200 and answer.get_json()["status"] == "pending_reservation"
    assert naps == []


def test_when_enough_requests_wait_already_the_next_answers_at_once(api, placed, naps):
    order_id, owner = placed
    gate = api.app.extensions["contoso_order_waits"] = WaitGate(1)
    with gate.slot() as mine:
        assert mine
        answer = long_poll(api, order_id, owner, "pending_reservation")
    assert answer.get_json()["status"] == "pending_reservation" and naps == []
    with gate.slot() as again:                 # the refused request took no slot
        assert again


# --- ownership: the long-poll is the GET, with the GET's refusals --------------------------

def test_a_stranger_gets_the_same_refusal_from_the_long_poll_as_from_the_get(api, placed, naps):
    order_id, _ = placed
    other = api.order(*_one_more(api))
    for headers in ({}, bearer("not-a-token"), api.owner(other)):
        plain = api.http.get(f"/api/orders/{order_id}", headers=headers)
        waited = long_poll(api, order_id, headers, "pending_reservation")
        assert plain.status_code in (401, 404)
        assert (waited.status_code, waited.get_json()) == (plain.status_code, plain.get_json())
        bad = api.http.get(f"/api/orders/{order_id}", headers=headers,
                           query_string={"wait": "nope"})
        assert bad.status_code == plain.status_code   # refused before the wait is even read
    assert naps == []                                 # nobody waited on someone else's order


def test_the_page_session_that_placed_the_order_may_long_poll_it(tmp_path):
    pages = PageClient(make_app(tmp_path, FakeClock()))
    slug, ids, _ = pages.api.create_conference()
    order_id = _place_on_page(pages, slug, ids)
    pages.pump()
    mine = pages.get(f"/api/orders/{order_id}?wait=5&since=pending_reservation")
    assert mine.status_code == 200 and mine.get_json()["status"] == "reserved"
    stranger = PageClient(pages.app)
    assert stranger.get(f"/api/orders/{order_id}?wait=5&since=reserved").status_code == 401
    pages.hub.close()


# --- the pages decide server-side -------------------------------------------------------------

def test_placing_an_order_on_the_page_waits_for_the_reservation(tmp_path, monkeypatch):
    pages = _pages_with_a_pump_in_the_wait(tmp_path, monkeypatch)
    slug, ids, _ = pages.api.create_conference()
    details = pages.get(f"/orders/{_place_on_page(pages, slug, ids)}/details")
    assert "Your seats are reserved." in visible(details)
    assert "data-wait-url" not in text(details)     # nothing left to follow on this page
    pages.hub.close()


def test_accepting_the_payment_waits_for_the_confirmation(tmp_path, monkeypatch):
    pages = _pages_with_a_pump_in_the_wait(tmp_path, monkeypatch)
    slug, ids, _ = pages.api.create_conference()
    order_id = _place_on_page(pages, slug, ids)
    pages.post(f"/orders/{order_id}/details",
               {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.org"})
    processor = pages.post(f"/orders/{order_id}/payment").headers["Location"]
    accepted = pages.post(processor + "/accept")
    thanks = pages.follow(accepted)
    assert "You are registered" in visible(thanks)
    assert "data-wait-url" not in text(thanks) and "order.js" not in text(thanks)
    pages.hub.close()


def _pages_with_a_pump_in_the_wait(tmp_path, monkeypatch):
    """Pages whose POSTs wait as a served hub's do; the wait's nap runs a pump round, as the
    worker would meanwhile (in this thread: the wait holds no transaction)."""
    pages = PageClient(make_app(tmp_path, FakeClock()))
    pages.app.config["ORDER_PAGE_WAIT_SECONDS"] = LONG
    monkeypatch.setattr(order_progress, "_nap", lambda seconds, bell: pages.pump())
    return pages


def _place_on_page(pages, slug, ids) -> str:
    r = pages.post(f"/conferences/{slug}/orders", {f"seat_{ids[GA]}": "1"})
    assert r.status_code == 302, visible(r)
    return order_id_of(r.headers["Location"])


def _one_more(api):
    slug = "other2026"
    _, ids, _ = api.create_conference(slug=slug)
    return slug, {ids[GA]: 1}
