"""Promotional codes in real Chromium against a real hub process: the organiser creates a
code (a quota too high is explained first), a registrant applies it at checkout and pays
the discounted total; another applies a full code and confirms without paying."""
import re

import pytest

from tests.browser.conftest import new_page
from tests.browser.test_hub_browser import (CONFERENCE, add_seat_types_and_publish,
                                            create_conference, wait_until_on_sale)
from tests.support.processes import start_hub

pytestmark = pytest.mark.slow


@pytest.fixture
def hub(tmp_path):
    service = start_hub(tmp_path / "hub", tmp_path / "hub.log")
    yield service
    service.stop()


def test_a_code_created_by_the_organiser_lowers_what_the_registrant_pays(browser, hub, shoot):
    from playwright.sync_api import expect

    organiser = new_page(browser, hub.url)
    create_conference(organiser, shoot, expect)
    add_seat_types_and_publish(organiser, shoot, expect)
    create_codes(organiser, shoot, expect)

    registrant = new_page(browser, hub.url)
    to_checkout(registrant, expect)
    registrant.get_by_role("textbox", name="Promotional code").fill("nosuch")
    registrant.get_by_role("button", name="Apply").click()
    expect(registrant.locator(".flash, .alert").first).to_contain_text(
        "There is no such promotional code")
    registrant.get_by_role("textbox", name="Promotional code").fill("half")
    registrant.get_by_role("button", name="Apply").click()
    expect(registrant.locator(".applied-codes")).to_contain_text("HALF")
    pay = registrant.get_by_role("button", name="Pay $249.00")
    expect(pay).to_be_visible()
    shoot(registrant, "checkout-with-code")
    pay.click()
    expect(registrant.get_by_text("$249.00").first).to_be_visible()
    registrant.get_by_role("button", name="Accept payment").click()
    expect(registrant.get_by_role("heading", name=re.compile("You are registered"))) \
        .to_be_visible()

    speaker = new_page(browser, hub.url)
    to_checkout(speaker, expect)
    speaker.get_by_role("textbox", name="Promotional code").fill("speaker123")
    speaker.get_by_role("button", name="Apply").click()
    confirm = speaker.get_by_role("button", name="Confirm free registration")
    expect(confirm).to_be_visible()
    confirm.click()
    expect(speaker.get_by_role("heading", name=re.compile("You are registered"))).to_be_visible()

    organiser.get_by_role("link", name="Promotional codes").click()
    expect(organiser.locator("tr[data-code=HALF]")).to_contain_text("1")


def create_codes(page, shoot, expect):
    page.get_by_role("link", name="Promotional codes").click()
    for code, value, quota in (("HALF", "50", "500"), ("SPEAKER123", "100", "")):
        page.get_by_role("link", name="Add a promotional code").click()
        page.get_by_label("Code", exact=True).fill(code)
        page.get_by_label("Value", exact=True).fill(value)
        if quota:
            page.get_by_label("Quota", exact=True).select_option("uses")
            page.get_by_label("How many").fill(quota)
            page.get_by_role("button", name="Add code").click()
            expect(page.locator(".field-error")).to_contain_text("exceeds")
            shoot(page, "promotional-code-errors")
            page.get_by_label("How many").fill("10")
        page.get_by_role("button", name="Add code").click()
        expect(page.locator("#promotional-codes")).to_contain_text(code)
    shoot(page, "promotional-codes")


def to_checkout(page, expect):
    page.goto("/")
    page.get_by_role("link", name=CONFERENCE["Name"]).first.click()
    picker = page.get_by_label("General admission")
    wait_until_on_sale(page, picker, expect)
    picker.select_option("2")
    page.get_by_role("button", name="Register").click()
    expect(page.locator("#reservation-status")).to_have_text("Your seats are reserved.")
    page.get_by_label("First name").fill("Grace")
    page.get_by_label("Last name").fill("Hopper")
    page.get_by_label("Email").fill("grace@example.org")
    page.get_by_role("button", name="Continue to payment").click()
    expect(page.get_by_role("button", name="Pay $498.00")).to_be_visible()
