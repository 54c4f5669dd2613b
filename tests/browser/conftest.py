"""Real headless Chromium from Debian, driven by Playwright. Never `playwright install`:
it downloads a browser, and neither here nor CI has the network for that."""
import os
import tempfile

import pytest

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps trying to reach outside hosts.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"]
LAPTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}
PI_SCREEN = {"width": 800, "height": 480}       # the Raspberry Pi 7" touch display
KIOSK_SCREEN = {"width": 1280, "height": 800}


def unavailable(reason: str):
    """Skip on a developer's machine; in CI a missing browser is a failure, never a skip."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must run the browser tests", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        unavailable(f"{CHROMIUM} is missing (apt-get install -y --no-install-recommends "
                    "chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Python playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshot_dir():
    """Where pages are photographed: $SCREENSHOT_DIR (make screenshots), else a temp folder."""
    path = os.environ.get("SCREENSHOT_DIR") or tempfile.mkdtemp(prefix="contoso-screenshots-")
    os.makedirs(path, exist_ok=True)
    return os.path.abspath(path)


def new_page(browser, base_url, viewport=LAPTOP, timeout_ms=15_000, **options):
    """A page in a context of its own (its own cookies), at a screen's size."""
    page = browser.new_context(base_url=base_url, viewport=viewport, **options).new_page()
    page.set_default_timeout(timeout_ms)
    return page


@pytest.fixture
def shoot(screenshot_dir):
    """shoot(page, name): the page as <screenshot_dir>/<name>.png."""
    def take(page, name, full_page=True):
        page.screenshot(path=os.path.join(screenshot_dir, f"{name}.png"), full_page=full_page)
    return take


@pytest.fixture
def venue(tmp_path):
    """A hub with paid orders served over real HTTP from this process (for node processes)."""
    from tests.support.venue import WallClock, venue_hub
    api, server = venue_hub(tmp_path, WallClock())
    yield api
    server.stop()
    api.hub.close()
