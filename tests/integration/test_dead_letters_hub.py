"""One bad event never stops anything else on the hub: a poison event of one conference is set
aside by every reader it breaks, orders of another conference are confirmed and ticketed, and
the admin sees it, retries it and dismisses it (pages and API)."""
import base64
import logging

import pytest

from hub.orders.tickets import current_tickets
from shared_domain import seat_assignments
from shared_domain.people import PersonalInfo
from shared_domain.tickets import read_ticket
from event_store.registry import UnknownEvent
from tests.support.admin import ADMIN_EMAIL, AdminPages, add_admin, admin_basic
from tests.support.clock import FakeClock
from tests.support.hub_api import HubClient, make_app
from tests.support.pages import text, visible

GA = "General admission"


class DisallowedEvent(Exception):
    """Stands in for the guard that refuses hub-only types from a node origin."""


class GuardedReader:
    """A reader that refuses every event of one conference, or (`once`) only the first one it
    sees, each time it is given that one, until the test says its cause is `fixed`."""
    name = "guarded"

    def __init__(self, conference_id, once=False):
        self.conference_id, self.once, self.applied = conference_id, once, []
        self.refused, self.fixed = None, False

    def apply(self, event):
        if event.conference == self.conference_id and not self.fixed \
                and (not self.once or self.refused in (None, event.id)):
            self.refused = event.id
            raise DisallowedEvent(f"{event.type} may not come from {event.origin}")
        self.applied.append(event.id)


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def admin(tmp_path, clock):
    pages = AdminPages(make_app(tmp_path, clock))
    add_admin(pages.hub)
    pages.sign_in()
    yield pages
    pages.hub.close()


def two_conferences(api):
    a = api.create_conference(slug="confa", name="Conference A")
    b = api.create_conference(slug="confb", name="Conference B")
    return a, b


def conference_id(hub, slug):
    C = hub.models.Conference
    return C.get(C.slug == slug).id


def poison(hub, conference, origin="node-door-a"):
    """An AttendeeCheckedIn whose body does not match its schema, stored before ingest checked."""
    return hub.store.append(f"edge-{origin}", None,
                            [UnknownEvent("AttendeeCheckedIn", 1, {"seat_id": 7})],
                            origin=origin, conference=conference)[0]


def open_letters(hub):
    D = hub.store.models.DeadLetter
    return list(D.select().where(D.status == "open").order_by(D.reader))


def confirmed_and_ticketed(api, slug, ids, attendee):
    order_id = api.order(slug, {ids[GA]: 1})
    api.pump()
    api.registrant(order_id)
    api.pay(order_id)
    api.pump()
    api.hub.bus.handle(seat_assignments.AssignSeat(order_id, 0, attendee))
    api.pump()
    return order_id


def test_a_poison_event_of_one_conference_does_not_stop_orders_of_another(admin, caplog):
    api, hub = admin.api, admin.hub
    _, ((slug_b, ids_b, _)) = two_conferences(api)
    conf_a = conference_id(hub, "confa")
    hub.readers.insert(0, GuardedReader(conf_a))
    bad = poison(hub, conf_a)
    with caplog.at_level(logging.ERROR, logger="event_store.dead_letters"):
        order_id = confirmed_and_ticketed(api, slug_b, ids_b,
                                          PersonalInfo("Grace", "Hopper", "grace@example.org"))
    assert api.get_order(order_id)["status"] == "confirmed"
    [ticket] = current_tickets(hub, order_id).values()
    assert ticket.attendee_name == "Grace Hopper"
    poisoned = {d.reader for d in open_letters(hub) if d.event_id == bad.id}
    # Each reader that acts on check-ins set it aside; the others pass it by undecoded.
    assert poisoned == {"guarded", "checkin_rules"}
    lines = [r.getMessage() for r in caplog.records if bad.id in r.getMessage()]
    assert len(lines) == len(poisoned)
    assert all("AttendeeCheckedIn" in line and "node-door-a" in line for line in lines)
    assert api.pump() == 0                                     # nothing left to retry forever


def test_the_admin_api_lists_retries_and_dismisses_a_dead_letter(admin):
    api, hub = admin.api, admin.hub
    two_conferences(api)
    conf_a = conference_id(hub, "confa")
    flaky = GuardedReader(conf_a, once=True)
    hub.readers.insert(0, flaky)
    poison(hub, conf_a)
    api.pump()
    listed = admin.get("/api/admin/dead-letters").get_json()
    by_reader = {d["reader"]: d for d in listed}
    guarded = by_reader["guarded"]
    assert guarded["conference"] == "confa" and guarded["status"] == "open"
    assert guarded["attempts"] == 1 and "DisallowedEvent" in guarded["error"]
    # the cause is fixed: retrying applies it and resolves the row
    flaky.fixed = True
    r = admin.api_post(f"/api/admin/dead-letters/{guarded['id']}/retry")
    assert r.status_code == 200 and r.get_json()["status"] == "resolved"
    assert r.get_json()["resolved_by"] == ADMIN_EMAIL and guarded["event_id"] in flaky.applied
    assert admin.api_post(f"/api/admin/dead-letters/{guarded['id']}/retry").status_code == 409
    # a body that still does not decode fails again: one more attempt, the error kept
    still_bad = by_reader["checkin_rules"]
    r = admin.api_post(f"/api/admin/dead-letters/{still_bad['id']}/retry")
    assert r.status_code == 200
    assert (r.get_json()["status"], r.get_json()["attempts"]) == ("open", 2)
    r = admin.api_post(f"/api/admin/dead-letters/{still_bad['id']}/dismiss")
    assert r.get_json()["status"] == "dismissed" and r.get_json()["resolved_by"] == ADMIN_EMAIL
    open_ids = {d["id"] for d in admin.get("/api/admin/dead-letters").get_json()}
    assert guarded["id"] not in open_ids and still_bad["id"] not in open_ids
    every = admin.get("/api/admin/dead-letters?status=").get_json()
    assert {d["id"]: d["status"] for d in every}[still_bad["id"]] == "dismissed"


def test_the_admin_api_refuses_what_it_cannot_do(admin):
    api, hub = admin.api, admin.hub
    two_conferences(api)
    poison(hub, conference_id(hub, "confa"))
    api.pump()
    letter = admin.get("/api/admin/dead-letters").get_json()[0]
    assert admin.get("/api/admin/dead-letters?status=lost").status_code == 400
    for path in ("/api/admin/dead-letters/999999/retry", "/api/admin/dead-letters/0/dismiss",
                 f"/api/admin/dead-letters/{2**70}/retry", "/api/admin/dead-letters/x/retry"):
        r = admin.api_post(path)
        assert r.status_code == 404 and r.is_json, path
    r = admin.api_post(f"/api/admin/dead-letters/{letter['id']}/dismiss", csrf=False)
    assert r.status_code == 403
    stranger = api.http.application.test_client()
    assert stranger.get("/api/admin/dead-letters").status_code == 401
    assert stranger.post(f"/api/admin/dead-letters/{letter['id']}/dismiss").status_code == 401
    basic = stranger.post(f"/api/admin/dead-letters/{letter['id']}/dismiss",
                          headers=admin_basic())
    assert basic.status_code == 200
    assert admin.api_post(f"/api/admin/dead-letters/{letter['id']}/retry").status_code == 409


def test_the_openapi_document_declares_the_dead_letter_calls(admin):
    paths = admin.get("/api/openapi.json").get_json()["paths"]
    retry = paths["/api/admin/dead-letters/{letter_id}/retry"]["post"]
    assert {"200", "401", "403", "404", "409", "429"} <= set(retry["responses"])
    assert [p["name"] for p in retry["parameters"]] == ["letter_id"]
    assert "get" in paths["/api/admin/dead-letters"]


def test_the_console_shows_the_count_and_its_buttons_work(admin):
    api, hub = admin.api, admin.hub
    two_conferences(api)
    conf_a = conference_id(hub, "confa")
    flaky = GuardedReader(conf_a, once=True)
    hub.readers.insert(0, flaky)
    poison(hub, conf_a)
    api.pump()
    flaky.fixed = True
    count = len(open_letters(hub))
    assert f"{count} events set aside" in visible(admin.get("/admin/"))
    page = admin.get("/admin/dead-letters/")
    assert page.status_code == 200 and "AttendeeCheckedIn" in visible(page)
    assert "confa" in visible(page) and "DisallowedEvent" in visible(page)
    guarded = next(d for d in open_letters(hub) if d.reader == "guarded")
    assert f'action="/admin/dead-letters/{guarded.id}/retry"' in text(page)
    done = admin.follow(admin.post(f"/admin/dead-letters/{guarded.id}/retry"))
    assert "applied by guarded" in visible(done)
    other = open_letters(hub)[0]
    failed = admin.follow(admin.post(f"/admin/dead-letters/{other.id}/retry"))
    assert "Retry failed again (2 attempts)" in visible(failed)
    gone = admin.follow(admin.post(f"/admin/dead-letters/{other.id}/dismiss"))
    assert "is dismissed" in visible(gone)
    left = count - 2
    assert f"{left} event{'' if left == 1 else 's'} set aside" in visible(admin.get("/admin/"))
    assert admin.post(f"/admin/dead-letters/{other.id}/dismiss", csrf=False).status_code == 400
    assert admin.post(f"/admin/dead-letters/{other.id}/dismiss").status_code == 409
    history = visible(admin.get("/admin/dead-letters/?status=dismissed"))
    assert "Dismissed" in history and ADMIN_EMAIL in history


def test_a_stranger_is_sent_to_sign_in(tmp_path, clock):
    pages = AdminPages(make_app(tmp_path, clock))
    try:
        r = pages.get("/admin/dead-letters/")
        assert r.status_code == 302 and "/admin/login" in r.headers["Location"]
        assert pages.post("/admin/dead-letters/1/retry").status_code == 302
    finally:
        pages.hub.close()


def test_a_restarted_hub_with_a_poison_event_in_its_log_starts_and_serves(tmp_path, clock):
    api = HubClient(make_app(tmp_path, clock))
    (_, _, _), (slug_b, ids_b, _) = two_conferences(api)
    poison(api.hub, conference_id(api.hub, "confa"))
    api.hub.close()                     # the poison is in the log, no reader has read it yet
    restarted = HubClient(make_app(tmp_path, clock))
    try:
        order_id = confirmed_and_ticketed(restarted, slug_b, ids_b,
                                          PersonalInfo("Ada", "Lovelace", "ada@example.org"))
        assert restarted.get_order(order_id)["status"] == "confirmed"
        assert current_tickets(restarted.hub, order_id)
        assert {d.reader for d in open_letters(restarted.hub)} == {"checkin_rules"}
        assert restarted.http.get(f"/api/conferences/{slug_b}").status_code == 200
    finally:
        restarted.hub.close()


@pytest.mark.parametrize("first_name", ["N" * 300, "\U0001F600" * 100 + "\U00020000" * 20])
def test_a_name_too_long_for_a_ticket_gets_a_ticket_cut_at_a_character(admin, first_name):
    from printers.badge import BadgeContent, render_badge
    api, hub = admin.api, admin.hub
    slug, ids, _ = api.create_conference()
    order_id = api.order(slug, {ids[GA]: 2})
    api.pump()
    api.registrant(order_id)
    api.pay(order_id)
    api.pump()
    conference = conference_id(hub, slug)
    # As an assignment stored before names had a maximum: the issuer itself must cope.
    hub.store.append(seat_assignments.stream_id(order_id), None,
                     [seat_assignments.SeatAssigned(order_id, 0, ids[GA],
                                                    PersonalInfo(first_name, "Long", "l@x.org"))],
                     origin=f"hub/{conference}", conference=conference)
    api.hub.bus.handle(seat_assignments.AssignSeat(
        order_id, 1, PersonalInfo("After", "Them", "after@example.org")))
    api.pump()
    assert open_letters(hub) == []
    live = current_tickets(hub, order_id)
    assert set(live) == {f"{order_id}:0", f"{order_id}:1"}   # the next seat still got one
    K = hub.models.ConferenceKey
    keys = {k.key_id: base64.urlsafe_b64decode(k.public_key)
            for k in K.select().where(K.conference_id == conference)}
    payload = read_ticket(live[f"{order_id}:0"].code, keys)
    name = payload.attendee_name
    assert len(name.encode()) <= 223 and first_name.startswith(name)
    assert len(name.encode()) > 223 - 4          # cut at the last character that fits
    badge = render_badge(BadgeContent.from_ticket(payload, live[f"{order_id}:0"].code, "Conf"))
    assert badge.width == 384 and badge.height < 1200


class UnreadableReader:
    """A reader whose every batch fails in the database before any event is applied."""
    name = "unreadable\ud800"    # no database can store it as a position's name

    def apply(self, event):
        raise AssertionError("never reached")


def test_a_reader_whose_whole_batch_fails_holds_up_no_other_reader(admin, caplog):
    api, hub = admin.api, admin.hub
    slug, ids, _ = api.create_conference()
    hub.readers.insert(0, UnreadableReader())
    with caplog.at_level(logging.ERROR, logger="hub.bootstrap"):
        order_id = confirmed_and_ticketed(api, slug, ids,
                                          PersonalInfo("Ada", "Lovelace", "ada@example.org"))
    assert api.get_order(order_id)["status"] == "confirmed" and current_tickets(hub, order_id)
    assert any("reader unreadable" in r.getMessage() for r in caplog.records)
