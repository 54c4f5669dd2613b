"""The staff desk through the Flask test client: the PIN, its idle timeout, CSRF, search,
manual check-in, undo and reprint, each recorded under the staff member's name."""
import re

import pytest

from shared_domain.checkin import AttendeeCheckedIn, BadgePrinted, CheckInUndone
from onsite_node.server import create_node_app
from tests.support.kiosk_node import (PIN, csrf_token, kiosk_node, node_client, staff_desk,
                                      staff_login, tickets)


@pytest.fixture
def node(hub, tmp_path):
    node = kiosk_node(hub, tmp_path / "k")
    yield node
    node.close()


@pytest.fixture
def desk(node):
    return staff_desk(node)


def seat_of(node, email):
    [found] = [a for a in node.front_desk.search(email) if a["email"] == email]
    return found["seat_id"]


def my_facts(node, kind):
    return [e.message for e in node.replica.store.load(f"edge-{node.replica.origin}")
            if isinstance(e.message, kind)]


@pytest.mark.parametrize("path", ["/staff", "/staff/status", "/staff/attendees/x:0"])
def test_staff_pages_need_the_pin(node, path):
    r = node_client(node).get(path)
    assert r.status_code == 302 and r.headers["Location"].startswith("/staff/login?next=")


def test_without_a_pin_set_the_desk_stays_locked_and_says_how_to_set_one(hub, tmp_path):
    node = kiosk_node(hub, tmp_path / "n", staff_pin_hash=None)
    client = node_client(node)
    page = client.get("/staff/login").get_data(as_text=True)
    assert "No staff PIN is set" in page and "contoso node set-staff-pin" in page
    r = client.post("/staff/login", data={"name": "Sam", "pin": "2468",
                                          "csrf_token": csrf_token(client)})
    assert r.status_code == 403 and client.get("/staff").status_code == 302
    node.close()


def test_a_wrong_pin_is_refused_and_five_lock_the_pin_for_a_minute(node):
    client = node_client(node)
    for _ in range(5):
        assert staff_login(client, pin="0000").status_code == 403
    r = staff_login(client)                               # even the right PIN, for now
    assert r.status_code == 429 and r.headers["Retry-After"] == "60"
    assert "Too many wrong PINs. Wait 1 minute, then try again." in r.get_data(as_text=True)
    node.clock.offset += 61
    assert staff_login(client).status_code == 302


STRANGER = {"REMOTE_ADDR": "10.0.0.66"}


def api_staff(client, pin, **options):
    return client.get("/api/attendees?q=att", headers={"X-Staff-Pin": pin}, **options)


def test_the_staff_api_takes_no_more_guesses_than_the_pin_page(node):
    client = node_client(node)
    for _ in range(5):
        assert api_staff(client, "0000", environ_base=STRANGER).status_code == 403
    r = api_staff(client, PIN, environ_base=STRANGER)
    assert r.status_code == 429 and r.headers["Retry-After"] == "60"
    assert r.get_json()["error"]["code"] == "too_many_attempts"
    assert r.get_json()["error"]["retry_after"] == 60
    assert api_staff(client, PIN).status_code == 200      # staff at another screen


def test_the_pin_page_and_the_api_count_wrong_pins_together(node):
    app = create_node_app(node)
    page, api = app.test_client(), app.test_client()
    for _ in range(3):
        assert staff_login(page, pin="0000").status_code == 403
    for _ in range(2):
        assert api_staff(api, "0000").status_code == 403
    assert staff_login(page).status_code == 429
    assert api_staff(api, PIN).status_code == 429


def test_a_guesser_that_keeps_failing_waits_longer_each_time(node):
    client = node_client(node)
    for wait in ("60", "120", "240"):
        for _ in range(5):
            assert api_staff(client, "0000", environ_base=STRANGER).status_code == 403
        assert api_staff(client, PIN, environ_base=STRANGER).headers["Retry-After"] == wait
        node.clock.offset += int(wait)


def copied_cookie(client):
    return client.get_cookie("session").value


def replay(node, cookie, path="/staff"):
    other = node_client(node)
    other.set_cookie("session", cookie)
    return other.get(path)


def test_locking_the_desk_ends_the_session_for_a_copied_cookie(node, desk):
    cookie = copied_cookie(desk)
    assert replay(node, cookie).status_code == 200         # the copy works while open
    desk.post("/staff/logout", data={"csrf_token": desk.token})
    assert replay(node, cookie).status_code == 302


def test_an_idle_session_is_over_for_a_copied_cookie_too(node, desk):
    cookie = copied_cookie(desk)
    node.clock.offset += 301
    assert desk.get("/staff").status_code == 302
    node.clock.offset -= 301                               # even if the clock went back
    assert replay(node, cookie).status_code == 302


def test_the_desk_stays_open_across_a_restart_of_the_node_app(node, desk):
    assert replay(node, copied_cookie(desk)).status_code == 200   # a new app, same node


def test_the_nodes_session_cookie_is_samesite_strict_and_secure_when_asked(node):
    r = staff_login(node_client(node))
    cookie = r.headers["Set-Cookie"]
    assert "SameSite=Strict" in cookie and "HttpOnly" in cookie and "Secure" not in cookie
    node.config.secure_cookies = True
    r = staff_login(node_client(node))
    assert "Secure" in r.headers["Set-Cookie"]


def test_a_name_is_required_to_log_in(node):
    r = staff_login(node_client(node), name="  ")
    assert r.status_code == 400 and "Type your name" in r.get_data(as_text=True)


def test_the_desk_locks_after_the_idle_timeout(node, desk):
    node.clock.offset += 200
    assert desk.get("/staff").status_code == 200          # activity keeps it open
    node.clock.offset += 301
    assert desk.get("/staff").status_code == 302
    assert desk.get("/staff").status_code == 302          # and it stays locked


def test_idle_pages_take_themselves_to_the_lock_screen(desk):
    html = desk.get("/staff").get_data(as_text=True)
    assert 'http-equiv="refresh" content="301;url=/staff/login?idle=1"' in html
    assert desk.get("/staff/login?idle=1").status_code == 200
    assert desk.get("/staff").status_code == 302


def test_going_to_the_kiosk_page_locks_the_desk(desk):
    desk.get("/kiosk")
    assert desk.get("/staff").status_code == 302


def test_login_only_returns_to_pages_of_the_desk(node):
    client = node_client(node)
    token = csrf_token(client, "/staff/login")
    r = client.post("/staff/login", data={"name": "Sam", "pin": PIN, "csrf_token": token,
                                          "next": "//evil.example/staff"})
    assert r.headers["Location"] == "/staff"


@pytest.mark.parametrize("query", ["Att1", "a1@example.org"])
def test_search_by_name_or_email(desk, query):
    html = desk.get("/staff", query_string={"q": query}).get_data(as_text=True)
    assert "Att1 Endee" in html and "Att0 Endee" not in html


def test_search_by_company(desk, node, hub):
    order_id = hub.hub.models.OrderView.select().first().order_id
    hub.http.put(f"/api/orders/{order_id}/seats/1", headers=hub.owner(order_id), json={
        "first_name": "Grace", "last_name": "Hopper", "email": "g@example.org",
        "company": "Fabrikam"})
    hub.pump()
    node.sync_hub()
    html = desk.get("/staff", query_string={"q": "fabrik"}).get_data(as_text=True)
    assert "Grace Hopper" in html and "Fabrikam" in html and "Att0" not in html


def test_no_order_access_code_reaches_the_desk_its_api_or_the_nodes_views(desk, node, hub):
    # With an attendee's e-mail beside it, an access code opens the order at the hub.
    codes = [o.access_code for o in hub.hub.models.OrderView.select()]
    assert codes and all(codes)
    seat = seat_of(node, "a1@example.org")
    pages = [desk.get("/staff", query_string={"q": "Endee"}).get_data(as_text=True),
             desk.get(f"/staff/attendees/{seat}").get_data(as_text=True),
             desk.get("/staff/sell", query_string={"q": "Endee"}).get_data(as_text=True),
             node_client(node).get("/api/attendees", query_string={"q": "Endee"},
                                   headers={"X-Staff-Pin": PIN}).get_data(as_text=True)]
    assert "Att0" in pages[0] and "a1@example.org" in pages[3]
    for page in pages:
        assert not [code for code in codes if code in page]
    for code in codes:                              # and searching by one finds nobody
        assert "Nobody matches" in desk.get("/staff", query_string={"q": code}).get_data(as_text=True)
    O = node.replica.models.OrderView
    assert [(o.access_code, o.registrant_email) for o in O.select()] == [("", "")] * len(codes)


def test_manual_check_in_undo_and_reprint_are_recorded_under_the_staff_name(desk, node):
    seat = seat_of(node, "a1@example.org")
    page = desk.get(f"/staff/attendees/{seat}").get_data(as_text=True)
    assert "Not checked in" in page and "Check in and print badge" in page

    r = desk.post(f"/staff/attendees/{seat}/check-in", data={"csrf_token": desk.token})
    assert r.status_code == 302
    node.prints.run_due()
    page = desk.get(f"/staff/attendees/{seat}").get_data(as_text=True)
    assert "Checked in at" in page and "Checked in by hand" in page and "Badge printed" in page

    desk.post(f"/staff/attendees/{seat}/undo", data={"csrf_token": desk.token, "confirm": "yes"})
    desk.post(f"/staff/attendees/{seat}/reprint", data={"csrf_token": desk.token})
    node.prints.run_due()
    page = desk.get(f"/staff/attendees/{seat}").get_data(as_text=True)
    assert "Not checked in" in page and "undone" in page and "Badge reprinted" in page

    [checked_in] = my_facts(node, AttendeeCheckedIn)
    [undone] = my_facts(node, CheckInUndone)
    first, reprint = my_facts(node, BadgePrinted)
    assert (checked_in.method, checked_in.by, undone.by) == ("manual", "Sam Staff", "Sam Staff")
    assert (first.reprint, first.by, reprint.reprint, reprint.by) == (
        False, "Sam Staff", True, "Sam Staff")


def test_undo_asks_before_it_undoes_without_javascript(desk, node):
    seat = seat_of(node, "a1@example.org")
    desk.post(f"/staff/attendees/{seat}/check-in", data={"csrf_token": desk.token})
    page = desk.get(f"/staff/attendees/{seat}").get_data(as_text=True)
    assert f'href="/staff/attendees/{seat}/undo"' in page       # a link to the question, no form
    question = desk.get(f"/staff/attendees/{seat}/undo").get_data(as_text=True)
    assert "Undo the check-in of Att1 Endee?" in question
    assert 'name="confirm" value="yes"' in question and "No, keep it" in question
    r = desk.post(f"/staff/attendees/{seat}/undo", data={"csrf_token": desk.token})
    assert r.status_code == 302 and r.headers["Location"] == f"/staff/attendees/{seat}/undo"
    assert my_facts(node, CheckInUndone) == []                  # a POST without "yes" asks
    r = desk.post(f"/staff/attendees/{seat}/undo", data={"csrf_token": desk.token, "confirm": "yes"})
    assert r.status_code == 302 and len(my_facts(node, CheckInUndone)) == 1
    r = desk.get(f"/staff/attendees/{seat}/undo")                # nothing left to undo
    assert r.status_code == 302 and r.headers["Location"] == f"/staff/attendees/{seat}"
    assert desk.get("/staff/attendees/nobody:0/undo").status_code == 404


def test_the_badge_preview_is_the_badge_that_prints(desk, node):
    seat = seat_of(node, "a0@example.org")
    preview = desk.get(f"/staff/attendees/{seat}/badge.png")
    assert preview.status_code == 200 and preview.mimetype == "image/png"
    assert desk.get("/staff/attendees/nobody:0/badge.png").status_code == 404


def test_a_refusal_is_shown_on_the_page(desk, node):
    seat = seat_of(node, "a0@example.org")
    desk.post(f"/staff/attendees/{seat}/check-in", data={"csrf_token": desk.token})
    r = desk.post(f"/staff/attendees/{seat}/check-in", data={"csrf_token": desk.token},
                  follow_redirects=True)
    assert "Already checked in" in r.get_data(as_text=True)


def test_staff_forms_without_the_token_change_nothing(desk, node):
    seat = seat_of(node, "a0@example.org")
    assert desk.post(f"/staff/attendees/{seat}/check-in").status_code == 400
    assert desk.post(f"/staff/attendees/{seat}/check-in",
                     data={"csrf_token": "forged"}).status_code == 400
    assert my_facts(node, AttendeeCheckedIn) == []


def test_a_ticket_scanned_at_the_desk_is_checked_in_by_the_staff_member(desk, node, hub):
    r = desk.post("/staff/scan", data={"code": tickets(hub)["Att2 Endee"], "csrf_token": desk.token},
                  follow_redirects=True)
    assert "Att2 Endee is checked in" in r.get_data(as_text=True)
    [checked_in] = my_facts(node, AttendeeCheckedIn)
    assert checked_in.by == "Sam Staff"


def test_the_status_page_shows_sync_printer_and_camera(desk, node):
    node.printer.unavailable_reason = "The printer is out of paper."
    node.front_desk.print_test_badge(by="Sam Staff")
    node.prints.run_due()
    html = desk.get("/staff/status").get_data(as_text=True)
    assert "Connected" in html and "The printer is out of paper." in html
    assert "1 badge waiting" in html and "No camera" in html
    assert re.search(r"\d+ events? waiting", html)
    node.printer.unavailable_reason = None
    desk.post("/staff/status/retry-printing", data={"csrf_token": desk.token})
    node.prints.run_due()
    assert "Ready" in desk.get("/staff/status").get_data(as_text=True)


def test_status_is_json_for_programs_and_the_page_for_browsers(node):
    client = node_client(node)
    assert client.get("/status").get_json()["node_id"] == node.node_id
    assert client.get("/status.json").get_json()["printer"]["ready"] is True
    r = client.get("/status", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 302 and r.headers["Location"] == "/staff/status"


def test_the_staff_json_api_needs_the_pin(node):
    client = node_client(node)
    assert client.get("/api/attendees?q=att").status_code == 403
    r = client.get("/api/attendees?q=att1", headers={"X-Staff-Pin": PIN})
    assert r.get_json()["attendees"][0]["email"] == "a1@example.org"
