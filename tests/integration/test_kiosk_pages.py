"""Attendee self check-in through the Flask test client: one decision per screen, the badge
preview only for the browser that scanned, nothing about other attendees."""
import pytest

from tests.support.kiosk_node import csrf_token, kiosk_node, kiosk_page, node_client, tickets

JSON = {"Accept": "application/json"}


@pytest.fixture
def node(hub, tmp_path):
    node = kiosk_node(hub, tmp_path / "k")
    yield node
    node.close()


@pytest.fixture
def kiosk(node):
    return kiosk_page(node)


def scan(kiosk, code, headers=JSON):
    return kiosk.post("/kiosk/scan", data={"code": code, "csrf_token": kiosk.token},
                      headers=headers)


def test_the_ready_screen_has_a_focused_code_input_and_no_search(kiosk):
    assert kiosk.get("/").headers["Location"] == "/kiosk"
    page = kiosk.get("/kiosk")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Scan your ticket" in html and "CQRS Summit" in html
    assert 'id="code" name="code" type="text" autofocus' in html
    assert 'name="q"' not in html and "@" not in html          # no search, no emails


def test_a_valid_ticket_gets_a_green_welcome_with_its_badge(kiosk, hub, node):
    screen = scan(kiosk, tickets(hub)["Att0 Endee"]).get_json()
    assert screen["tone"] == "welcome" and screen["title"] == "Welcome, Att0!"
    assert screen["lines"] == ["Your badge is printing.", "Please take it from the printer."]
    badge = kiosk.get(screen["badge_url"])
    assert badge.status_code == 200 and badge.mimetype == "image/png"
    assert badge.data == node.prints.image(node.prints.waiting()[0].job_id)  # what will print


def test_the_decision_says_nothing_the_person_scanning_does_not_need(kiosk, hub):
    screen = scan(kiosk, tickets(hub)["Att0 Endee"]).get_json()
    assert set(screen) == {"tone", "title", "lines", "badge_url", "reason"}
    assert "a0@example.org" not in str(screen) and ":" not in screen["badge_url"]


def test_another_browser_cannot_see_the_badge(kiosk, hub, node):
    screen = scan(kiosk, tickets(hub)["Att0 Endee"]).get_json()
    assert node_client(node).get(screen["badge_url"]).status_code == 404


def test_a_used_ticket_gets_a_red_reason_with_when_and_what_to_do(kiosk, hub):
    code = tickets(hub)["Att1 Endee"]
    scan(kiosk, code)
    screen = scan(kiosk, code).get_json()
    assert screen["tone"] == "refused" and screen["title"] == "This ticket was already used."
    assert screen["lines"][0].startswith("It was used at ") and "this door" in screen["lines"][0]
    assert screen["lines"][-1] == "Please see the staff desk."
    assert screen["badge_url"] == ""


def test_a_garbled_code_asks_to_try_again(kiosk):
    screen = scan(kiosk, "HELLO").get_json()
    assert screen["title"] == "This is not a ticket code."
    assert screen["lines"] == ["Please try again, or see the staff desk."]


def test_when_the_printer_is_out_of_paper_the_welcome_sends_them_to_the_desk(kiosk, hub, node):
    node.printer.unavailable_reason = "The printer is out of paper."
    scan(kiosk, tickets(hub)["Att0 Endee"])
    node.prints.run_due()
    screen = scan(kiosk, tickets(hub)["Att1 Endee"]).get_json()
    assert screen["tone"] == "welcome"
    assert screen["lines"] == ["Your badge is waiting for the printer.",
                               "Please see the staff desk: they will hand it to you."]


def test_without_javascript_the_form_shows_the_decision_page_then_returns(kiosk, hub):
    page = scan(kiosk, tickets(hub)["Att0 Endee"], headers={"Accept": "text/html"})
    html = page.get_data(as_text=True)
    assert "Welcome, Att0!" in html and 'content="7;url=/kiosk"' in html
    assert 'data-state="welcome"' in html


def test_a_scan_without_the_pages_token_is_refused(kiosk, hub, node):
    r = kiosk.post("/kiosk/scan", data={"code": tickets(hub)["Att0 Endee"]}, headers=JSON)
    assert r.status_code == 400
    assert node.replica.models.ScanView.select().count() == 0


def test_the_node_api_scan_queues_a_badge_too(node, hub):
    r = node_client(node).post("/api/scan", json={"code": tickets(hub)["Att2 Endee"]})
    assert r.get_json()["admitted"] and r.get_json()["badge_job"]


def looks_like_the_kiosk(page: str) -> bool:
    return "kiosk.css" in page and "Back to the kiosk" in page and 'class="login-card' in page


def test_the_nodes_error_pages_look_like_its_other_pages(node):
    from onsite_node.server import create_node_app
    app = create_node_app(node)

    @app.get("/kiosk/boom")
    def boom():
        raise RuntimeError("a bug")

    client = app.test_client()
    r = client.get("/no/such/page")
    assert r.status_code == 404 and looks_like_the_kiosk(r.get_data(as_text=True))
    assert "No such page" in r.get_data(as_text=True)
    r = client.put("/kiosk")
    assert r.status_code == 405 and "GET" in r.headers["Allow"]
    assert looks_like_the_kiosk(r.get_data(as_text=True))
    r = client.post("/kiosk/scan", data={"code": "x"})           # no CSRF token: says why
    assert r.status_code == 400 and "Reload the page" in r.get_data(as_text=True)
    assert looks_like_the_kiosk(r.get_data(as_text=True))
    r = client.get("/kiosk/boom")
    page = r.get_data(as_text=True)
    assert r.status_code == 500 and looks_like_the_kiosk(page) and "a bug" not in page


def test_programs_still_get_json_errors_from_the_node(node):
    client = node_client(node)
    r = client.get("/api/no-such-thing")
    assert r.status_code == 404 and r.get_json()["error"]["code"] == "not_found"
    r = client.get("/api/scan")
    assert r.status_code == 405 and "POST" in r.headers["Allow"] and r.is_json
    r = client.get("/api/attendees", query_string={"q": "x"})    # no PIN: the view's own body
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "staff_only"
