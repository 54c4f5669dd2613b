"""In real Chromium: the registrant reads the confirmation in the demo's mailbox page, follows
its link and opens the order with the mail's access code; nothing a mail holds runs in the
page (a hostile name in the HTML part raises no dialog). Screenshots: mailbox.png, mail.png."""
import os

import pytest

from hub.bootstrap import HubConfig
from hub.http.app import create_app
from hub.http.dev_mailbox import create_mailbox_app
from tests.browser.conftest import LAPTOP
from tests.support.hub_api import HubClient
from tests.support.mail import outbox, settings_for, smtp_server  # noqa: F401
from tests.support.processes import wait_for
from tests.support.servers import ThreadedServer

pytestmark = pytest.mark.slow
GA = "General admission"
HOSTILE = '<img src=x onerror="alert(1)">'


@pytest.fixture
def hub_and_mailbox(tmp_path, smtp_server):
    """A hub served from this process whose worker thread sends to the real SMTP server."""
    hub_server = ThreadedServer(create_app(HubConfig(
        data_dir=str(tmp_path / "hub"), mail=settings_for(smtp_server), settle_rounds=0,
        public_url="http://127.0.0.1:1")))      # set below, once the port is known
    app = hub_server.server.app
    hub = app.extensions["contoso_hub"]
    hub.config.public_url = hub_server.url
    mailbox_server = ThreadedServer(create_mailbox_app(smtp_server.mailbox))
    yield HubClient(app), hub_server.url, mailbox_server.url
    app.extensions["contoso_worker"].stop()
    mailbox_server.stop()
    hub_server.stop()
    hub.close()


def test_the_registrant_opens_the_order_from_the_mail(browser, hub_and_mailbox, smtp_server,
                                                      screenshot_dir):
    from playwright.sync_api import expect
    api, hub_url, mailbox_url = hub_and_mailbox
    slug, ids, _ = api.create_conference()
    order_id = api.order(slug, {ids[GA]: 1})
    assert wait_for(lambda: api.get_order(order_id)["status"] == "reserved")
    r = api.http.post(f"/api/orders/{order_id}/registrant", headers=api.owner(order_id),
                      json={"first_name": HOSTILE, "last_name": "Lovelace",
                            "email": "ada@example.org"})
    assert r.status_code == 200
    assert api.pay(order_id).status_code == 200
    assert wait_for(lambda: any(row.status == "sent" for row in outbox(api.hub)), timeout=30)

    page = browser.new_context(viewport=LAPTOP).new_page()
    page.set_default_timeout(15_000)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(mailbox_url + "/")
    page.screenshot(path=os.path.join(screenshot_dir, "mailbox.png"), full_page=True)
    page.get_by_role("link", name="Your order for CQRS Summit is confirmed").click()
    frame = page.frame_locator("iframe[title=\"The mail's HTML part\"]")
    expect(frame.get_by_role("heading", name="Your order is confirmed")).to_be_visible()
    expect(frame.get_by_text(f"Hello {HOSTILE}, thank you")).to_be_visible()   # as text
    page.screenshot(path=os.path.join(screenshot_dir, "mail.png"), full_page=True)
    code = frame.locator("strong").first.inner_text()
    link = frame.get_by_role("link", name="Open your order").get_attribute("href")
    assert link == f"{hub_url}/orders/find?email=ada%40example.org"
    assert not dialogs

    registrant = browser.new_context(viewport=LAPTOP).new_page()
    registrant.goto(link)
    expect(registrant.get_by_label("Email")).to_have_value("ada@example.org")
    registrant.get_by_label("Access code").fill(code)
    registrant.get_by_role("button", name="Find my order").click()
    expect(registrant).to_have_url(f"{hub_url}/orders/{order_id}")
