"""An organiser opens an order and cancels it in real Chromium; the door (a real node process
synced with the hub) then refuses that order's ticket on its kiosk, and still admits others.
Screenshots go to $SCREENSHOT_DIR."""

import pytest
import requests

from tests.browser.conftest import KIOSK_SCREEN, new_page
from tests.support.e2e_venue import read_db
from tests.support.hub_api import CONFERENCE
from tests.support.processes import Service, free_port, wait_for
from tests.support.venue import enroll

pytestmark = pytest.mark.slow


@pytest.fixture
def door(venue, tmp_path):
    data_dir = tmp_path / "door"
    enroll(venue, data_dir, "Main entrance")
    port = free_port()
    service = Service(["node", "run", "--data-dir", str(data_dir), "--port", str(port),
                       "--no-discovery", "--sync-interval", "0.5"],
                      port, tmp_path / "node.log").wait_ready("/status.json")
    assert wait_for(lambda: requests.get(service.url + "/status.json").json()["last_sync"])
    service.db = data_dir / "node.sqlite3"
    yield service
    service.stop()


def test_an_organiser_cancels_an_order_and_the_door_refuses_its_ticket(browser, venue, door,
                                                                       shoot):
    from playwright.sync_api import expect

    T = venue.hub.models.TicketView
    codes = {t.attendee_name: (t.order_id, t.code) for t in T.select()}
    order_id, cancelled_code = codes["Att1 Endee"]
    _, other_code = codes["Att0 Endee"]
    available = venue.available(CONFERENCE["slug"])["General admission"]

    organiser = new_page(browser, venue.url)
    organiser.goto("/manage/")
    organiser.get_by_label("Owner email").fill(CONFERENCE["owner_email"])
    organiser.get_by_label("Access code").fill(venue.conference.access_code)
    organiser.get_by_role("button", name="Open my conference").click()
    organiser.get_by_role("link", name="Orders", exact=True).click()
    organiser.get_by_label("Search").fill("p1@example.org")
    organiser.get_by_role("button", name="Filter").click()
    expect(organiser.get_by_role("heading", name="1 order")).to_be_visible()
    organiser.locator(f"#order-{order_id}").get_by_role("link", name="Open").click()

    expect(organiser.locator("#order-status")).to_have_text("Confirmed")
    expect(organiser.locator("#order-channel")).to_have_text("Online")
    expect(organiser.locator("#seat-0")).to_contain_text("Att1 Endee")
    expect(organiser.locator("#seat-0")).to_contain_text("Valid")
    expect(organiser.locator("#payments")).to_contain_text("Paid")
    shoot(organiser, "organiser-order")

    organiser.get_by_role("link", name="Cancel this order…").click()
    expect(organiser.get_by_role("heading", name="Cancel the order of p1@example.org?")) \
        .to_be_visible()
    expect(organiser.locator("#cancel-order")).to_contain_text("2 seats go back on sale.")
    expect(organiser.locator("#cancel-order")).to_contain_text("$398.00 paid is refunded")
    organiser.get_by_label("Why").fill("Asked by phone")
    shoot(organiser, "organiser-cancel-confirm")
    organiser.get_by_role("button", name="Yes, cancel this order").click()

    expect(organiser.locator(".alert-success")).to_contain_text("The order is cancelled")
    expect(organiser.locator("#order-status")).to_have_text("Cancelled")
    expect(organiser.locator("#cancellation")).to_contain_text("“Asked by phone”")
    venue.pump()       # this in-process hub has no worker: the refund and revocations now
    organiser.reload()
    expect(organiser.locator("#seat-0")).to_contain_text("Revoked")
    expect(organiser.locator("#payments")).to_contain_text("Refunded")
    expect(organiser.locator("#history")).to_contain_text("Order cancelled by the organiser")
    shoot(organiser, "organiser-order-cancelled")
    assert venue.available(CONFERENCE["slug"])["General admission"] == available + 2

    assert wait_for(lambda: read_db(door.db, "SELECT status FROM rm_order WHERE order_id = ?",
                                    (order_id,)) == [("cancelled",)], timeout=30)
    kiosk = new_page(browser, door.url, KIOSK_SCREEN)
    kiosk.goto("/kiosk")
    expect(kiosk.locator("#code")).to_be_focused()
    kiosk.keyboard.type(cancelled_code)
    kiosk.keyboard.press("Enter")
    expect(kiosk.locator("#decision-title")).to_have_text("This ticket's order was cancelled.")
    expect(kiosk.locator("#screen")).to_have_attribute("data-state", "refused")
    expect(kiosk.locator("#decision-lines")).to_contain_text("Please see the staff desk.")
    shoot(kiosk, "kiosk-cancelled-order")
    kiosk.mouse.click(400, 300)
    expect(kiosk.locator("#code")).to_be_focused()
    kiosk.keyboard.type(other_code)
    kiosk.keyboard.press("Enter")
    expect(kiosk.locator("#decision-title")).to_have_text("Welcome, Att0!")
