"""A registrant's browser, from pressing Register to the thank-you page, against a real hub
process: the pages learn the order's progress by waiting on the server and by long-poll,
so the whole way takes a handful of requests, not one every second."""
import pytest
import requests

from tests.browser.conftest import LAPTOP
from tests.support.hub_api import CONFERENCE
from tests.support.processes import start_hub, wait_for

pytestmark = pytest.mark.slow

# Place, details, save details, checkout, pay, processor, accept, thank-you: each POST of a
# form and the page it redirects to. Nothing else may reach the hub's logic.
PAGE_LOADS = 8


@pytest.fixture
def hub(tmp_path):
    service = start_hub(tmp_path / "hub", tmp_path / "hub.log")
    yield service
    service.stop()


def on_sale(url: str) -> str:
    """A published conference with one seat type on sale; its slug."""
    r = requests.post(f"{url}/api/conferences", json=CONFERENCE, timeout=10)
    r.raise_for_status()
    owner = (CONFERENCE["owner_email"], r.json()["access_code"])
    slug = CONFERENCE["slug"]
    requests.post(f"{url}/api/conferences/{slug}/seat-types", auth=owner, timeout=10, json={
        "name": "General admission", "description": "", "quantity": 50, "price": 100,
    }).raise_for_status()
    requests.post(f"{url}/api/conferences/{slug}/publish", auth=owner,
                  timeout=10).raise_for_status()
    assert wait_for(lambda: any(t["available"] for t in requests.get(
        f"{url}/api/conferences/{slug}", timeout=10).json()["seat_types"]))
    return slug


def test_registering_takes_a_handful_of_requests_from_register_to_thank_you(browser, hub):
    from playwright.sync_api import expect

    slug = on_sale(hub.url)
    page = browser.new_context(base_url=hub.url, viewport=LAPTOP).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"/conferences/{slug}")
    page.get_by_label("General admission").select_option("2")
    sent = []
    page.on("request", lambda request: sent.append(
        (request.resource_type, request.method, request.url.removeprefix(hub.url))))

    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Who is registering?")).to_be_visible()
    expect(page.locator("#reservation-status")).to_have_text("Your seats are reserved.")
    page.get_by_label("First name").fill("Grace")
    page.get_by_label("Last name").fill("Hopper")
    page.get_by_label("Email").fill("grace@example.org")
    page.get_by_role("button", name="Continue to payment").click()
    page.get_by_role("button", name="Pay $200.00").click()
    page.get_by_role("button", name="Accept payment").click()
    expect(page.get_by_role("heading", name="Thank you, Grace! You are registered.")) \
        .to_be_visible()

    to_the_hub = [r for r in sent if r[0] in ("document", "fetch", "xhr")]
    long_polls = [r for r in to_the_hub if r[0] != "document"]
    assert all("wait=25" in url for _, _, url in long_polls), long_polls   # never a timer
    # The pages waited for the reservation and the confirmation; a slow pump may leave
    # one page to follow the order by long-poll, once each.
    assert len(to_the_hub) <= PAGE_LOADS + 2, to_the_hub
    assert len(sent) <= PAGE_LOADS + 6, sent          # with the style sheet and script


@pytest.fixture
def slow_hub(tmp_path):
    """A hub served from this process whose pump runs only when the test says: the pages
    find the order still moving and must follow it themselves."""
    from tests.support.hub_api import HubClient, make_app
    from tests.support.servers import ThreadedServer
    from tests.support.venue import WallClock

    api = HubClient(make_app(tmp_path, WallClock()))
    api.slug = api.create_conference(seat_types=[{
        "name": "General admission", "description": "", "quantity": 50, "price": 100}])[0]
    server = ThreadedServer(api.app)
    api.url = server.url
    yield api
    server.stop()
    api.hub.close()


def test_a_page_the_order_has_not_caught_up_with_follows_it_by_one_long_poll(browser,
                                                                             slow_hub):
    from playwright.sync_api import expect

    page = browser.new_context(base_url=slow_hub.url, viewport=LAPTOP).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"/conferences/{slow_hub.slug}")
    page.get_by_label("General admission").select_option("1")
    sent = []
    page.on("request", lambda request: sent.append(
        (request.resource_type, request.method, request.url.removeprefix(slow_hub.url))))

    with page.expect_request(lambda r: "wait=25" in r.url):
        page.get_by_role("button", name="Register").click()
    status = page.locator("#reservation-status")
    expect(status).to_contain_text("Reserving your seats")
    slow_hub.pump()                                   # the reservation, while the page waits
    expect(status).to_have_text("Your seats are reserved.")
    page.get_by_label("First name").fill("Grace")
    page.get_by_label("Last name").fill("Hopper")
    page.get_by_label("Email").fill("grace@example.org")
    page.get_by_role("button", name="Continue to payment").click()
    page.get_by_role("button", name="Pay $100.00").click()
    with page.expect_request(lambda r: "wait=25" in r.url):
        page.get_by_role("button", name="Accept payment").click()
    expect(page.get_by_role("heading", name="Confirming your order…")).to_be_visible()
    slow_hub.pump()                                   # the confirmation: the page reloads
    expect(page.get_by_role("heading", name="Thank you, Grace! You are registered.")) \
        .to_be_visible()

    long_polls = [r for r in sent if r[0] in ("fetch", "xhr")]
    documents = [r for r in sent if r[0] == "document"]
    assert len(long_polls) == 2 and all("wait=25" in url for _, _, url in long_polls), sent
    assert len(documents) == PAGE_LOADS + 1, documents     # the thank-you page, reloaded once
