"""The hub's pages in real Chromium against a real hub process: a business customer sets up
a conference, a registrant buys two seats and names the attendees, the business customer
sees the order. Screenshots of the main pages go to $SCREENSHOT_DIR."""
import re

import pytest

from tests.browser.conftest import PHONE, new_page
from tests.support.processes import start_hub

pytestmark = pytest.mark.slow

CONFERENCE = {"Name": "Event Sourcing Days", "Web address": "esdays26",
              "Tagline": "Facts first, state later", "Location": "Lisbon, Portugal",
              "Starts on": "2026-10-06", "Ends on": "2026-10-07",
              "Owner name": "Rita Sousa", "Owner email": "rita@contoso.example"}
DESCRIPTION = "Two days of talks and workshops on CQRS, event sourcing and offline-first systems."
SEAT_TYPES = [("General admission", "Both days, lunch included", "150", "249"),
              ("CQRS workshop", "Hands-on, day two", "20", "120")]
ATTENDEES = [("Ada", "Lovelace", "ada@example.org", "Analytical Engines"),
             ("Alan", "Turing", "alan@example.org", "Bletchley Park")]


@pytest.fixture
def hub(tmp_path):
    service = start_hub(tmp_path / "hub", tmp_path / "hub.log")
    yield service
    service.stop()


def test_conference_set_up_sold_and_seen_by_its_organiser(browser, hub, shoot):
    from playwright.sync_api import expect

    organiser = new_page(browser, hub.url)
    access_code = create_conference(organiser, shoot, expect)
    add_seat_types_and_publish(organiser, shoot, expect)

    registrant = new_page(browser, hub.url)
    order_code = buy_two_seats(registrant, shoot, expect)
    assign_two_attendees(registrant, shoot, expect)
    find_order_again(new_page(browser, hub.url), order_code, expect)

    see_the_order(organiser, shoot, expect)
    phone_pages(new_page(browser, hub.url, PHONE), shoot, expect)
    assert re.fullmatch(r"[A-Z1-9]{6}", access_code)


def create_conference(page, shoot, expect) -> str:
    page.goto("/")
    page.get_by_role("link", name="Go to the organisers’ area").click()
    page.get_by_role("link", name="Create a conference").click()
    page.get_by_label("Name", exact=True).fill("E")
    page.get_by_label("Web address").fill("not a slug!")
    page.get_by_role("button", name="Create conference").click()
    expect(page.locator(".field-error").first).to_be_visible()
    shoot(page, "business-create-errors")
    for label, value in CONFERENCE.items():
        page.get_by_label(re.compile(f"^{label}")).fill(value)
    page.get_by_label("Description").fill(DESCRIPTION)
    page.get_by_role("button", name="Create conference").click()
    expect(page.locator(".alert-success")).to_contain_text("Your conference is created")
    return page.locator("#access-code").inner_text().strip()


def add_seat_types_and_publish(page, shoot, expect):
    for name, description, quantity, price in SEAT_TYPES:
        page.get_by_role("link", name="Add a seat type").click()
        page.get_by_label("Name").fill(name)
        page.get_by_label(re.compile("^Description")).fill(description)
        page.get_by_label("Quantity").fill(quantity)
        page.get_by_label("Price in dollars").fill(price)
        page.get_by_role("button", name="Add seat type").click()
        expect(page.locator(".data-table")).to_contain_text(name)
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".alert-success")).to_contain_text("published")
    shoot(page, "business-dashboard")


def buy_two_seats(page, shoot, expect) -> str:
    page.goto("/")
    expect(page.get_by_role("link", name=CONFERENCE["Name"]).first).to_be_visible()
    shoot(page, "home")
    page.get_by_role("link", name=CONFERENCE["Name"]).first.click()
    picker = page.get_by_label("General admission")
    wait_until_on_sale(page, picker, expect)
    shoot(page, "conference")
    picker.select_option("2")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Who is registering?")).to_be_visible()
    expect(page.locator("#reservation-status")).to_have_text("Your seats are reserved.")
    page.get_by_label("First name").fill("Grace")
    page.get_by_label("Last name").fill("Hopper")
    page.get_by_label("Email").fill("grace@example.org")
    shoot(page, "registrant-details")
    page.get_by_role("button", name="Continue to payment").click()
    pay = page.get_by_role("button", name="Pay $498.00")
    expect(pay).to_be_visible()
    shoot(page, "checkout")
    pay.click()
    expect(page.get_by_text("simulated processor")).to_be_visible()
    shoot(page, "payment-processor")
    page.get_by_role("button", name="Accept payment").click()
    expect(page.get_by_role("heading", name=re.compile("You are registered"))).to_be_visible()
    shoot(page, "thank-you")
    return page.locator("#access-code").inner_text().strip()


def wait_until_on_sale(page, picker, expect):
    """Seats go on sale a moment after the organiser adds them (the hub's pump)."""
    for _ in range(50):
        if picker.count():
            return
        page.wait_for_timeout(200)
        page.reload()
    expect(picker).to_be_visible()


def assign_two_attendees(page, shoot, expect):
    page.get_by_role("link", name="Assign attendees to your seats").click()
    for position, (first, last, email, company) in enumerate(ATTENDEES):
        seat = page.locator(f"#seat-{position}")
        seat.get_by_label("First name").fill(first)
        seat.get_by_label("Last name").fill(last)
        seat.get_by_label("Email").fill(email)
        seat.get_by_label("Company").fill(company)
    shoot(page, "assign-attendees")
    page.get_by_role("button", name="Save attendees").click()
    expect(page.locator(".alert-success")).to_contain_text("Your attendees are saved")
    tickets = page.locator("#tickets")
    for first, last, email, _ in ATTENDEES:
        expect(tickets).to_contain_text(f"{first} {last}")
    expect(page.locator(".badge-confirmed")).to_have_text("Confirmed")
    shoot(page, "order")


def find_order_again(page, order_code, expect):
    page.goto("/")
    page.get_by_role("link", name="Find my order").first.click()
    page.get_by_label("Email").fill("grace@example.org")
    page.get_by_label("Order access code").fill(order_code.lower())
    page.get_by_role("button", name="Find my order").click()
    expect(page.get_by_role("heading", name=f"Order {order_code}")).to_be_visible()


def see_the_order(page, shoot, expect):
    page.get_by_role("link", name="Orders").click()
    row = page.locator("tbody tr").filter(has_text="grace@example.org")
    expect(row).to_contain_text("Confirmed")
    expect(row).to_contain_text("2 × General admission")
    shoot(page, "business-orders")
    page.get_by_role("link", name="Attendees").click()
    expect(page.locator("tbody")).to_contain_text("Alan Turing")
    shoot(page, "business-attendees")


def phone_pages(page, shoot, expect):
    page.goto("/")
    page.get_by_role("link", name=CONFERENCE["Name"]).first.click()
    expect(page.get_by_label("General admission")).to_be_visible()
    shoot(page, "phone-conference")
    page.goto("/no/such/page")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    shoot(page, "not-found")
