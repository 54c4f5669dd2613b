"""The kiosk and the staff desk in real Chromium against a real node process (`contoso node
run`) synced with a hub served over HTTP. A USB scanner is a keyboard: the test types a real
ticket code into the focused input and presses Enter. Screenshots go to $SCREENSHOT_DIR."""
import re

import pytest
import requests

from tests.support.kiosk_node import tickets
from tests.support.processes import Service, free_port, wait_for
from tests.browser.conftest import KIOSK_SCREEN, PI_SCREEN, new_page as page_of
from tests.support.venue import enroll

pytestmark = pytest.mark.slow
PIN = "2468"


@pytest.fixture
def hub(venue):
    return venue


@pytest.fixture
def node(hub, tmp_path):
    data_dir = tmp_path / "kiosk"
    enroll(hub, data_dir, "Main entrance")
    port = free_port()
    service = Service(["node", "run", "--data-dir", str(data_dir), "--port", str(port),
                       "--no-discovery", "--sync-interval", "0.5", "--staff-pin", PIN],
                      port, tmp_path / "node.log").wait_ready("/status.json")
    assert wait_for(lambda: requests.get(service.url + "/status.json").json()["last_sync"])
    yield service
    service.stop()


def new_page(browser, base_url, viewport=KIOSK_SCREEN):
    return page_of(browser, base_url, viewport, has_touch=True)


def scan_with_keyboard(page, code):
    """What a keyboard-wedge scanner does: type into whatever has focus, then Enter."""
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def test_self_check_in_admitted_then_refused(browser, hub, node, shoot):
    from playwright.sync_api import expect

    page = new_page(browser, node.url)
    page.goto("/kiosk")
    expect(page.locator("#code")).to_be_focused()
    shoot(page, "kiosk-ready")
    code = tickets(hub)["Att0 Endee"]

    scan_with_keyboard(page, code)
    expect(page.locator("#decision-title")).to_have_text("Welcome, Att0!")
    expect(page.locator("#screen")).to_have_attribute("data-state", "welcome")
    expect(page.locator("#decision-lines")).to_contain_text("Your badge is printing.")
    badge = page.locator("#decision-badge")
    expect(badge).to_be_visible()
    page.wait_for_function("document.getElementById('decision-badge').naturalWidth > 0")
    assert badge.evaluate("img => img.naturalWidth") == 384
    shoot(page, "kiosk-welcome")
    expect(page.locator("#code")).to_be_focused()          # ready for the next person

    scan_with_keyboard(page, code)
    expect(page.locator("#decision-title")).to_have_text("This ticket was already used.")
    expect(page.locator("#screen")).to_have_attribute("data-state", "refused")
    expect(page.locator("#decision-lines")).to_contain_text("Please see the staff desk.")
    expect(badge).to_be_hidden()
    shoot(page, "kiosk-refused")

    page.mouse.click(400, 300)                              # a touch returns to ready
    expect(page.locator("#ready")).to_be_visible()
    expect(page.locator("#code")).to_be_focused()


def test_the_kiosk_returns_to_ready_by_itself_and_fits_a_pi_screen(browser, hub, node, shoot):
    from playwright.sync_api import expect

    page = new_page(browser, node.url, PI_SCREEN)
    page.goto("/kiosk")
    shoot(page, "kiosk-ready-pi")
    scan_with_keyboard(page, tickets(hub)["Att1 Endee"])
    expect(page.locator("#decision-title")).to_have_text("Welcome, Att1!")
    page.wait_for_function("document.getElementById('decision-badge').naturalWidth > 0")
    shoot(page, "kiosk-welcome-pi")
    fits = page.evaluate("document.documentElement.scrollHeight <= window.innerHeight")
    assert fits, "the welcome screen must fit the Pi's screen without scrolling"
    scan_with_keyboard(page, "NOT A TICKET")
    expect(page.locator("#decision-title")).to_have_text("This is not a ticket code.")
    shoot(page, "kiosk-refused-pi")
    expect(page.locator("#ready")).to_be_visible(timeout=15_000)   # after a few seconds


def test_staff_desk_pin_search_manual_check_in_and_undo(browser, node, shoot):
    from playwright.sync_api import expect

    page = new_page(browser, node.url)
    page.goto("/staff")
    expect(page).to_have_url(re.compile(r"/staff/login"))
    page.get_by_label("Your name").fill("Sam Staff")
    page.get_by_label("Staff PIN").fill("0000")
    page.get_by_role("button", name="Unlock").click()
    expect(page.locator(".notice-error")).to_have_text("That PIN is not right.")
    page.get_by_label("Staff PIN").fill(PIN)
    shoot(page, "staff-login")
    page.get_by_role("button", name="Unlock").click()

    page.get_by_label("Find an attendee").fill("att2")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".results")).to_contain_text("a2@example.org")
    shoot(page, "staff-search")
    page.get_by_role("link", name="Att2 Endee").click()
    expect(page.locator("#check-in-state")).to_have_text("Not checked in")

    page.get_by_role("button", name="Check in and print badge").click()
    expect(page.locator(".notice-ok")).to_contain_text("Checked in.")
    expect(page.locator("#check-in-state")).to_contain_text("Checked in at")
    expect(page.locator("#history")).to_contain_text("Sam Staff")
    assert wait_for(lambda: page.reload() and "Badge printed" in page.locator("#history").inner_text())
    shoot(page, "staff-attendee")

    page.get_by_role("link", name="Undo check-in").click()            # asks first
    expect(page.get_by_role("heading", name=re.compile("^Undo the check-in of"))).to_be_visible()
    shoot(page, "staff-confirm-undo")
    page.get_by_role("button", name="Yes, undo the check-in").click()
    expect(page.locator("#check-in-state")).to_have_text("Not checked in")
    expect(page.locator("#history")).to_contain_text("undone")

    page.get_by_role("link", name="Node status").click()
    expect(page.locator("#status-printer")).to_contain_text("Ready")
    expect(page.locator("#status-hub")).to_contain_text("Connected")
    shoot(page, "staff-status")
    page.get_by_role("button", name="Lock").click()
    page.goto("/staff")
    expect(page).to_have_url(re.compile(r"/staff/login"))


def test_the_kiosk_sounds_each_decision_until_staff_turn_the_sound_off(browser, hub, node):
    from playwright.sync_api import expect

    page = new_page(browser, node.url)
    page.goto("/kiosk")
    expect(page.locator("#screen")).to_have_attribute("data-sound", "on")
    scan_with_keyboard(page, tickets(hub)["Att2 Endee"])
    expect(page.locator("#screen")).to_have_attribute("data-state", "welcome")
    scan_with_keyboard(page, "NOT A TICKET")
    expect(page.locator("#screen")).to_have_attribute("data-state", "refused")
    assert page.evaluate("window.kioskTones") == ["welcome", "refused"]

    staff = new_page(browser, node.url)
    staff.goto("/staff/login?next=/staff/status")
    staff.get_by_label("Your name").fill("Sam Staff")
    staff.get_by_label("Staff PIN").fill(PIN)
    staff.get_by_role("button", name="Unlock").click()
    staff.get_by_role("button", name="Turn the sound off").click()
    expect(staff.locator("#status-sound")).to_contain_text("Off: silent")

    page.goto("/kiosk")
    expect(page.locator("#screen")).to_have_attribute("data-sound", "off")
    scan_with_keyboard(page, "NOT A TICKET")
    expect(page.locator("#screen")).to_have_attribute("data-state", "refused")
    assert page.evaluate("window.kioskTones") == []
