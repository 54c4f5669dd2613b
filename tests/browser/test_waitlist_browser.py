"""A wait-list's whole trip in real Chromium against a real hub process (`contoso hub run`
with its pump, mailing through a real SMTP server, aiosmtpd): the workshop is sold out; a
registrant joins its wait-list on the conference page; the organiser cancels the order that
held the seat on the business pages; the offer mail arrives; its link opens the offer, the
registrant completes the order (details, payment) and is registered; the organiser's
Wait-lists tab shows the entry as ordered. Screenshots go to $SCREENSHOT_DIR."""
import pytest
import requests

from hub.mail.dev_server import DevSmtpServer
from tests.browser.conftest import new_page
from tests.support.hub_api import CONFERENCE
from tests.support.mail import SENDER, parts, received
from tests.support.processes import start_hub, wait_for

pytestmark = pytest.mark.slow
WORKSHOP = {"name": "CQRS Workshop", "description": "Hands on", "quantity": 1, "price": 500}
GA = {"name": "General admission", "description": "All talks", "quantity": 10, "price": 199}


@pytest.fixture
def smtp(tmp_path):
    server = DevSmtpServer(str(tmp_path / "mailbox")).start()
    yield server
    server.stop()


@pytest.fixture
def hub(tmp_path, smtp):
    service = start_hub(tmp_path / "hub", tmp_path / "hub.log", "--no-discovery",
                        "--smtp-host", "127.0.0.1", "--smtp-port", str(smtp.port),
                        "--smtp-security", "none", "--mail-from", SENDER)
    yield service
    service.stop()


def sold_out_workshop(url) -> tuple[str, str]:
    """The organiser's conference (by the API) and a paid order holding its only workshop seat."""
    r = requests.post(f"{url}/api/conferences", json=CONFERENCE)
    code = r.json()["access_code"]
    auth = (CONFERENCE["owner_email"], code)
    slug = CONFERENCE["slug"]
    for seat_type in (GA, WORKSHOP):
        assert requests.post(f"{url}/api/conferences/{slug}/seat-types", json=seat_type,
                             auth=auth).status_code == 201
    assert requests.post(f"{url}/api/conferences/{slug}/publish", auth=auth).status_code == 200
    assert wait_for(lambda: all(s["available"] for s in requests.get(
        f"{url}/api/conferences/{slug}").json().get("seat_types", [{"available": 0}])),
        timeout=30)
    workshop = next(s["id"] for s in requests.get(f"{url}/api/conferences/{slug}").json()
                    ["seat_types"] if s["name"] == WORKSHOP["name"])
    order = requests.post(f"{url}/api/conferences/{slug}/orders",
                          json={"seats": [{"seat_type": workshop, "quantity": 1}]}).json()
    owner = requests.Session()
    owner.headers["Authorization"] = f"Bearer {order['order_token']}"
    oid = order["order_id"]
    assert wait_for(lambda: owner.get(f"{url}/api/orders/{oid}").json()["status"] == "reserved")
    owner.post(f"{url}/api/orders/{oid}/registrant",
               json={"first_name": "Ada", "last_name": "First", "email": "ada@example.org"})
    pay = owner.post(f"{url}/api/orders/{oid}/payment", json={"method": "card"}).json()
    requests.post(url + pay["accept_url"])
    assert wait_for(lambda: owner.get(f"{url}/api/orders/{oid}").json()["status"] == "confirmed")
    return slug, code


def test_a_cancelled_seat_goes_to_the_wait_list_by_mail_and_is_ordered(browser, hub, smtp,
                                                                       shoot):
    from playwright.sync_api import expect

    slug, code = sold_out_workshop(hub.url)

    # The registrant: the workshop is sold out, so they wait for it.
    bea = new_page(browser, hub.url, timeout_ms=20_000)
    bea.goto(f"/conferences/{slug}")
    bea.get_by_label("Join the wait-list for").select_option("1")
    bea.get_by_label("Your name").fill("Bea Waits")
    bea.get_by_label("Your e-mail").fill("bea@example.org")
    shoot(bea, "waitlist-join")
    bea.get_by_role("button", name="Register").click()
    expect(bea.get_by_role("heading", name="You are on the wait-list")).to_be_visible()
    expect(bea.locator(".waitlist-joined")).to_contain_text("1 × CQRS Workshop")
    shoot(bea, "waitlist-joined")

    # The organiser cancels the order that holds the seat, on the business pages.
    organiser = new_page(browser, hub.url, timeout_ms=20_000)
    organiser.goto("/manage/")
    organiser.get_by_label("Owner email").fill(CONFERENCE["owner_email"])
    organiser.get_by_label("Access code").fill(code)
    organiser.get_by_role("button", name="Open my conference").click()
    organiser.get_by_role("link", name="Wait-lists").click()
    workshop_list = organiser.locator(".waitlist", has_text="CQRS Workshop")
    expect(workshop_list.locator(".entry-status")).to_have_text("waiting")
    organiser.get_by_role("link", name="Orders", exact=True).click()
    organiser.get_by_label("Search").fill("ada@example.org")
    organiser.get_by_role("button", name="Filter").click()
    organiser.get_by_role("link", name="Open").click()
    organiser.get_by_role("link", name="Cancel this order…").click()
    organiser.get_by_label("Why").fill("Cannot come")
    organiser.get_by_role("button", name="Yes, cancel this order").click()
    expect(organiser.locator(".alert").first).to_contain_text("The order is cancelled")

    # The offer reaches Bea's mailbox through SMTP; its link opens the held seats.
    assert wait_for(lambda: received(smtp, "waitlist_offer"), timeout=60)
    (mail,) = received(smtp, "waitlist_offer")
    assert mail["To"] == "bea@example.org"
    body = parts(mail)["text"]
    link = next(word for line in body.splitlines() for word in line.split()
                if "/waitlist/offers/" in word)
    assert link.startswith(hub.url)
    bea.goto(link)
    expect(bea.get_by_role("heading", name="Seats held for you")).to_be_visible()
    expect(bea.locator(".lead")).to_contain_text("1 × CQRS Workshop, for Bea Waits")
    shoot(bea, "waitlist-offer")
    bea.get_by_role("button", name="Complete my order").click()
    bea.get_by_label("First name").fill("Bea")
    bea.get_by_label("Last name").fill("Waits")
    bea.get_by_label("Email").fill("bea@example.org")
    bea.get_by_role("button", name="Continue to payment").click()
    bea.get_by_role("button", name="Pay $500.00").click()
    bea.get_by_role("button", name="Accept payment").click()
    expect(bea.get_by_role("heading", name="Thank you, Bea! You are registered.")).to_be_visible()
    shoot(bea, "waitlist-order-confirmed")

    # The organiser's tab: the entry was offered and became an order.
    organiser.get_by_role("link", name="Wait-lists").click()
    status = organiser.locator(".waitlist", has_text="CQRS Workshop").locator(".entry-status")
    assert wait_for(lambda: [organiser.reload(), "ordered" in status.inner_text()][1], timeout=30,
                    interval=0.5)
    expect(status).to_contain_text("accepted")
    expect(status).to_contain_text("ordered")
    expect(organiser.locator(".waitlist", has_text="CQRS Workshop")).to_contain_text("Bea Waits")
    shoot(organiser, "waitlist-organiser-converted")
