"""The admin's allocation form in real Chromium: its radio buttons sit beside their labels
(a global `input { width: 100% }` once stretched each one over its own line), and a typo of
100000 seats is refused with the number free online."""
import base64
import os

import pytest

from hub.venue import nodes
from tests.browser.conftest import LAPTOP, PHONE
from tests.support.admin import ADMIN_EMAIL, ADMIN_PASSWORD, add_admin
from tests.support.venue import WallClock, venue_hub


@pytest.fixture
def hub(tmp_path):
    api, server = venue_hub(tmp_path, WallClock(), orders=0)
    _, code = nodes.create_node(api.hub, api.conference, "Door A")
    nodes.enroll(api.hub, code, base64.urlsafe_b64encode(bytes([1]) * 32).decode(), "0.1.0")
    add_admin(api.hub)
    yield api
    server.stop()
    api.hub.close()


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_the_direction_radios_sit_beside_their_labels_and_a_typo_is_refused(
        browser, hub, screenshot_dir, viewport):
    from playwright.sync_api import expect
    page = browser.new_context(base_url=hub.url, viewport=viewport).new_page()
    page.set_default_timeout(15_000)
    page.goto("/admin/conferences/cqrs2026/nodes/")
    page.get_by_label("Email").fill(ADMIN_EMAIL)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    for name in ("Give to the node", "Ask back"):
        radio = page.get_by_role("radio", name=name)
        box, label = radio.bounding_box(), radio.locator("xpath=..").bounding_box()
        assert box["width"] < 30 and box["height"] < 30, (name, box)
        # beside its words: on the label's line, and the words start right after it
        assert label["y"] <= box["y"] + box["height"] / 2 <= label["y"] + label["height"]
        assert label["width"] > box["width"] * 4 and label["height"] < 4 * box["height"] + 20
    page.get_by_label("Seats", exact=True).fill("100000")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("alert")).to_contain_text("seat(s) are free online")
    page.screenshot(path=os.path.join(screenshot_dir, f"admin-allocation-{page.viewport_size['width']}.png"),
                    full_page=True)
