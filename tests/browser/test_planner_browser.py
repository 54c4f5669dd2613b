"""The planner's sale in real Chromium against a real node process (`contoso node run`): a
walk-in bought on the spot, end to end, and an add-on sold to a scanned badge. Seats are
allocated on the in-process hub; the node gets them at its next sync. Screenshots of every
screen at the Pi's 800x480 and a kiosk's 1280x800 go to $SCREENSHOT_DIR."""
import re

import pytest
import requests

from hub.venue import allocations
from tests.support.kiosk_node import tickets
from tests.support.processes import Service, free_port, wait_for
from tests.browser.conftest import KIOSK_SCREEN, PI_SCREEN
from tests.support.venue import enroll

pytestmark = pytest.mark.slow
PIN = "2468"
COCKTAIL = "Additional cocktail party"


@pytest.fixture
def hub(venue):
    return venue


@pytest.fixture
def node(hub, tmp_path):
    """The main entrance with 3 cocktail seats; a side door the hub knows of, not running."""
    data_dir = tmp_path / "door"
    enroll(hub, data_dir, "Main entrance")
    enroll(hub, tmp_path / "side", "Side door")
    Node, SeatType = hub.hub.models.Node, hub.hub.models.SeatType
    main = Node.get(Node.name == "Main entrance")
    allocations.allocate(hub.hub, main, SeatType.get(SeatType.name == COCKTAIL).id, 3)
    hub.pump()
    port = free_port()
    service = Service(["node", "run", "--data-dir", str(data_dir), "--port", str(port),
                       "--no-discovery", "--sync-interval", "0.5", "--staff-pin", PIN],
                      port, tmp_path / "node.log").wait_ready("/status.json")
    assert wait_for(lambda: requests.get(service.url + "/status.json").json()["last_sync"])
    yield service
    service.stop()


def planner_page(browser, base_url, viewport=KIOSK_SCREEN):
    page = browser.new_context(base_url=base_url, viewport=viewport, has_touch=True).new_page()
    page.set_default_timeout(15_000)
    page.goto("/staff/sell")
    page.get_by_label("Your name").fill("Pat Planner")
    page.get_by_label("Staff PIN").fill(PIN)
    page.get_by_role("button", name="Unlock").click()
    return page


def test_a_walk_in_buys_a_seat_gets_receipt_badge_and_ticket_then_the_sale_is_cancelled(
        browser, node, shoot):
    from playwright.sync_api import expect

    page = planner_page(browser, node.url)
    expect(page.get_by_role("heading", name="Sell seats: who is buying?")).to_be_visible()
    expect(page.locator("#code")).to_be_focused()          # a scanner can type right away
    shoot(page, "planner-buyer")

    page.get_by_label("First name").fill("Wanda")
    page.get_by_label("Last name").fill("Walker")
    page.get_by_label("Email").fill("wanda.example.org")
    page.get_by_role("button", name="Next: choose seats").click()
    expect(page.locator("#walk-email-error")).to_have_text("This is not an email address.")
    shoot(page, "planner-walk-in-error")
    page.get_by_label("Email").fill("wanda@example.org")
    page.get_by_label("Company (optional)").fill("Fabrikam")
    page.get_by_role("button", name="Next: choose seats").click()

    expect(page.locator("#buyer")).to_contain_text("Wanda Walker")
    row = page.locator(".seat-line", has_text=COCKTAIL)
    expect(row).to_contain_text("3 left at this door")
    row.get_by_role("button", name=f"One more {COCKTAIL}").click()
    row.get_by_role("button", name=f"One more {COCKTAIL}").click()
    expect(page.locator("#total")).to_have_text("100.00 USD")      # live, before any request
    page.get_by_text("Card terminal", exact=True).click()
    page.get_by_role("button", name="Sell", exact=True).click()
    expect(page.locator(".field-message")).to_contain_text("card terminal's receipt number")
    expect(page.locator("#total")).to_have_text("100.00 USD")
    shoot(page, "planner-seats-refused")
    page.get_by_label("Card terminal receipt or invoice number").fill("T-4711")
    shoot(page, "planner-seats")
    page.get_by_role("button", name="Sell", exact=True).click()

    expect(page.locator(".notice-ok")).to_contain_text("Sold for 100.00 USD (Card terminal T-4711)")
    expect(page.locator("#tickets svg.ticket-qr")).to_have_count(2)
    expect(page.locator("#sale-lines")).to_contain_text(f"2 × {COCKTAIL}")
    assert wait_for(lambda: page.reload() and "Printed" in page.locator("#receipt").inner_text()
                    and "Printed" in page.locator("#badge").inner_text())
    page.wait_for_function("[...document.querySelectorAll('.print-preview')]"
                           ".every(img => img.naturalWidth === 384)")
    shoot(page, "planner-sale")
    shoot(page, "planner-sale-full", full_page=True)

    page.get_by_role("link", name="Sales", exact=True).click()
    expect(page.locator("#sales")).to_contain_text("Wanda Walker")
    expect(page.locator("#sales")).to_contain_text("Pat Planner")
    shoot(page, "planner-sales")
    page.get_by_role("link", name="Cancel…").click()
    page.locator("#cancel").get_by_text("Cash", exact=True).click()
    page.get_by_role("button", name="Cancel sale and refund").click()
    expect(page.locator(".notice-ok")).to_contain_text("Sale cancelled: refund 100.00 USD (cash)")
    expect(page.locator("#sale-state")).to_have_text("Cancelled")

    page.get_by_role("link", name="Allocation").click()
    expect(page.locator("#allocation")).to_contain_text(COCKTAIL)
    expect(page.locator("#allocation tbody td").nth(3)).to_have_text("3")   # back after cancel
    shoot(page, "planner-allocation")
    page.locator("#hand-over").get_by_label("How many").fill("1")
    page.get_by_role("button", name="Hand over").click()
    expect(page.locator(".notice-ok")).to_contain_text(f"1 seat of {COCKTAIL} handed to Side door")
    expect(page.locator("#allocation tbody td").nth(3)).to_have_text("2")


def test_a_scanned_badge_buys_an_add_on_and_a_sale_beyond_the_allocation_is_refused(
        browser, hub, node, shoot):
    from playwright.sync_api import expect

    page = planner_page(browser, node.url, PI_SCREEN)
    expect(page.locator("#code")).to_be_focused()
    shoot(page, "planner-buyer-pi")
    page.keyboard.type(tickets(hub)["Att0 Endee"])          # a keyboard-wedge scanner
    page.keyboard.press("Enter")
    expect(page.locator("#buyer")).to_contain_text("Att0 Endee")
    expect(page.locator("#buyer")).to_contain_text("General admission")
    page.locator(".seat-line", has_text=COCKTAIL).locator("input").fill("5")
    expect(page.locator("#total")).to_have_text("250.00 USD")
    page.get_by_role("button", name="Sell", exact=True).click()
    expect(page.locator(".seat-line", has_text=COCKTAIL).locator(".field-message")).to_have_text(
        "Type 0 to 3 (3 left at this door). Ask the hub admin to raise this door's "
        "allocation, or borrow seats from another door.")
    shoot(page, "planner-refused-pi")
    page.locator(".seat-line", has_text=COCKTAIL).locator("input").fill("1")
    shoot(page, "planner-seats-pi")
    page.get_by_role("button", name="Sell", exact=True).click()
    expect(page.locator(".notice-ok")).to_contain_text("Sold for 50.00 USD (Cash)")
    assert wait_for(lambda: page.reload() and "Printed" in page.locator("#badge").inner_text())
    shoot(page, "planner-sale-pi")
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert fits, "the sale must not scroll sideways on the Pi's screen"
    page.get_by_role("link", name="Allocation").click()
    shoot(page, "planner-allocation-pi")
    page.get_by_role("link", name="Sales", exact=True).click()
    expect(page).to_have_url(re.compile(r"/staff/sales$"))
    shoot(page, "planner-sales-pi")
