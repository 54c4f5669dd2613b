"""The hub admin's console in real Chromium: sign in, the conflict inbox with conflicts two
doors caused for real, resolving one, a node's enrollment QR, and the dashboard updating by
itself when a door checks someone in. Screenshots go to $SCREENSHOT_DIR."""
import re

import pytest

from tests.browser.conftest import PHONE, new_page
from tests.support.admin import ADMIN_EMAIL, ADMIN_PASSWORD, add_admin
from tests.support.conflict_venue import create_three_conflicts, sync_all, tickets, two_doors
from tests.support.venue import WallClock, venue_hub


@pytest.fixture
def venue(tmp_path):
    hub, server = venue_hub(tmp_path, WallClock())
    a, b = two_doors(hub, tmp_path)
    create_three_conflicts(hub, a, b)
    add_admin(hub.hub)
    yield hub, a, b
    a.close()
    b.close()
    server.stop()
    hub.hub.close()


def test_an_admin_settles_a_conflict_and_watches_the_venue(browser, venue, shoot):
    from playwright.sync_api import expect
    hub, a, b = venue
    page = new_page(browser, hub.url)
    sign_in(page, shoot, expect)
    resolve_the_reassigned_seat(page, shoot, expect)
    enroll_a_new_node(page, shoot, expect)
    watch_the_dashboard(page, hub, a, shoot, expect)
    phone = new_page(browser, hub.url, PHONE)
    sign_in(phone, None, expect)
    phone.goto("/admin/conflicts/?conference=cqrs2026")
    expect(phone.locator(".conflict-table")).to_be_visible()
    shoot(phone, "admin-phone-conflicts")


def sign_in(page, shoot, expect):
    page.goto("/admin/conflicts/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Email").fill(ADMIN_EMAIL)
    page.get_by_label("Password").fill("not my password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".alert-error")).to_contain_text("email or password is wrong")
    if shoot:
        shoot(page, "admin-login")
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Conflict inbox")).to_be_visible()


def resolve_the_reassigned_seat(page, shoot, expect):
    page.get_by_role("navigation", name="Admin").get_by_role("link", name="Conferences").click()
    expect(page.locator(".data-table")).to_contain_text("3 open")
    shoot(page, "admin-home")
    page.get_by_role("link", name="Conflict inbox").click()
    page.get_by_label("Conference").select_option(label="CQRS Summit")
    page.get_by_role("button", name="Filter").click()
    table = page.locator(".conflict-table")
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(page.locator(".bulk")).to_contain_text("Accept all 1")
    shoot(page, "admin-conflicts")
    page.get_by_role("link", name="Check-in of a seat reassigned meanwhile").click()
    expect(page.locator(".side-card")).to_have_count(2)
    expect(page.locator(".side-card").first).to_contain_text("Door A")
    expect(page.locator(".side-card").nth(1)).to_contain_text("New Holder")
    shoot(page, "admin-conflict")
    page.get_by_text("Choose the other side").click()
    page.get_by_label(re.compile("^Comment")).fill("New Holder showed their ticket at the desk.")
    page.get_by_role("button", name="Resolve conflict").click()
    expect(page.locator(".alert-success")).to_contain_text("The conflict is resolved")
    expect(page.locator(".resolution")).to_contain_text("Choose the other side")
    shoot(page, "admin-conflict-resolved")
    page.get_by_role("link", name="CQRS Summit").click()
    expect(table.locator("tbody tr")).to_have_count(2)


def enroll_a_new_node(page, shoot, expect):
    page.get_by_role("link", name="Nodes").click()
    expect(page.locator(".nodes-table")).to_contain_text("Door A")
    page.get_by_label("Name").fill("Sales desk")
    page.get_by_role("button", name="Create node").click()
    expect(page.locator("#enrollment-code")).to_have_text(re.compile(r"^[A-Z0-9]{4}-"))
    expect(page.locator(".qr img")).to_be_visible()
    shoot(page, "admin-node-enrollment")
    page.get_by_role("link", name="Back to the nodes").click()
    expect(page.locator(".nodes-table")).to_contain_text("Not enrolled yet")
    shoot(page, "admin-nodes")


def watch_the_dashboard(page, hub, door, shoot, expect):
    hub.pump()  # what a hub's worker does at once: the resolution's undo reaches the figures
    page.get_by_role("link", name="Dashboard").click()
    checked_in = page.locator("#checked-in")
    before = int(checked_in.inner_text())
    expect(page.locator("svg.chart")).to_be_visible()
    shoot(page, "admin-dashboard")
    sync_all(hub, door)  # the door learns the resolution: the old holder's entry is taken back
    assert door.desk.scan(tickets(hub)["New Holder"].code).admitted
    sync_all(hub, door)
    expect(checked_in).to_have_text(str(before + 1), timeout=20_000)  # no reload: the poll
    expect(page.locator("#live-text")).to_contain_text("Live · updated")
    shoot(page, "admin-dashboard-updated")
