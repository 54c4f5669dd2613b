"""A registrant's walk from order to door in real Chromium, against real processes: a hub
(`contoso hub run --no-worker`, its pump a `contoso hub worker` the test starts and stops), a
door (`contoso node run`). Two seats ordered and paid; one attendee form for both, a mistake
in one seat first (the other seat's typing survives); the order page says the tickets are
being issued while the pump is away and shows them by itself once it is back (with script,
and by its refresh without); the PDF downloaded, read back with pypdf, its QR decoded; the
worker mails each attendee their ticket through a real SMTP server (aiosmtpd, the demo's),
and the code decoded from the mailed PDF is typed at the door's kiosk, as a USB scanner
would: "Welcome"."""
import io
import signal
import subprocess
import sys

import pypdf
import pytest
import requests

from tests.browser.conftest import KIOSK_SCREEN, new_page
from tests.support.e2e_venue import Venue
from hub.mail.dev_server import DevSmtpServer
from tests.support.hub_api import CONFERENCE
from tests.support.mail import SENDER, parts, received
from tests.support.processes import ROOT, wait_for

pytestmark = pytest.mark.slow
pyzbar = pytest.importorskip("pyzbar.pyzbar", reason="libzbar0 is not installed")
GA = {"name": "General admission", "description": "All talks", "quantity": 50, "price": 199}
JOSE = ("José", "Müller", "jose@example.org", "Contoso")
WANG = ("王", "小明", "wang@example.org", "")


class PumpWorker:
    """`contoso hub worker` for the hub's data folder: the pump, started and stopped at will."""

    def __init__(self, venue, smtp_port):
        self.venue = venue
        self.smtp_port = smtp_port
        self.proc = None

    def start(self):
        log = open(self.venue.tmp / "worker.log", "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "contoso", "hub", "worker", "--data-dir",
             str(self.venue.hub_dir), "--pump-interval", "0.2", "--lock-wait", "10",
             "--public-url", self.venue.hub.url, "--smtp-host", "127.0.0.1", "--smtp-port",
             str(self.smtp_port), "--smtp-security", "none", "--mail-from", SENDER],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        log.close()

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(20)
        self.proc = None


@pytest.fixture
def venue(tmp_path):
    venue = Venue(tmp_path, hub_args=("--no-worker",))
    venue.smtp = DevSmtpServer(str(tmp_path / "mailbox")).start()
    worker = PumpWorker(venue, venue.smtp.port)
    venue.worker = worker
    yield venue
    worker.stop()
    venue.stop()
    venue.smtp.stop()


def publish_conference(venue) -> str:
    """The organiser's part, by the API, with the pump running until the seats are on sale."""
    url = venue.hub.url
    r = requests.post(f"{url}/api/conferences", json=CONFERENCE)
    auth = (CONFERENCE["owner_email"], r.json()["access_code"])
    slug = CONFERENCE["slug"]
    assert requests.post(f"{url}/api/conferences/{slug}/seat-types", json=GA,
                         auth=auth).status_code == 201
    assert requests.post(f"{url}/api/conferences/{slug}/publish", auth=auth).status_code == 200
    venue.worker.start()
    assert wait_for(lambda: any(s["available"] for s in requests.get(
        f"{url}/api/conferences/{slug}").json().get("seat_types", [])), timeout=30)
    venue.worker.stop()             # from here the hub decides in its requests alone
    return slug


def fill_seat(page, position, person):
    seat = page.locator(f"#seat-{position}")
    for label, value in zip(("First name", "Last name", "Email", "Company"), person):
        seat.get_by_label(label).fill(value)


def test_from_order_to_pdf_ticket_to_the_door(browser, venue, shoot):
    from playwright.sync_api import expect

    slug = publish_conference(venue)
    page = new_page(browser, venue.hub.url, timeout_ms=20_000)
    page.goto(f"/conferences/{slug}")
    page.get_by_label("General admission").select_option("2")
    page.get_by_role("button", name="Register").click()
    page.get_by_label("First name").fill("Grace")
    page.get_by_label("Last name").fill("Hopper")
    page.get_by_label("Email").fill("grace@example.org")
    page.get_by_role("button", name="Continue to payment").click()
    page.get_by_role("button", name="Pay $398.00").click()
    page.get_by_role("button", name="Accept payment").click()
    expect(page.get_by_role("heading", name="Thank you, Grace! You are registered.")).to_be_visible()
    page.get_by_role("link", name="Assign attendees to your seats").click()

    # One form for both seats; a mistake in the second keeps what the first one typed.
    fill_seat(page, 0, JOSE)
    fill_seat(page, 1, (*WANG[:2], "wang at example", ""))
    page.get_by_role("button", name="Save attendees").click()
    expect(page.locator("#seat1-email-error")).to_contain_text("not a valid email")
    expect(page.locator(".alert-error").first).to_contain_text("Nothing was saved")
    for label, value in zip(("First name", "Last name", "Email", "Company"), JOSE):
        expect(page.locator("#seat-0").get_by_label(label)).to_have_value(value)
    expect(page.locator("#seat-1").get_by_label("First name")).to_have_value("王")
    shoot(page, "assign-attendees-error")
    page.locator("#seat-1").get_by_label("Email").fill(WANG[2])
    page.get_by_role("button", name="Save attendees").click()

    # The pump is away: the order page says the tickets are on their way, with and without
    # script, and shows them by itself once the pump is back.
    expect(page.locator("#tickets-progress")).to_contain_text("Your tickets are being issued")
    order_url = page.url.split("#")[0]
    plain = new_page(browser, venue.hub.url, timeout_ms=20_000, java_script_enabled=False,
                     storage_state=page.context.storage_state())
    plain.goto(order_url)
    expect(plain.locator("#tickets-progress")).to_contain_text("Refresh now")
    shoot(page, "order-tickets-issuing")
    venue.worker.start()
    for position in (0, 1):
        expect(page.locator(f"#ticket-{position} .ticket-qr svg")).to_be_visible()
        expect(plain.locator(f"#ticket-{position} .ticket-qr svg")).to_be_visible()
    expect(page.locator("#tickets-progress")).to_have_count(0)
    expect(page.locator("#ticket-0")).to_contain_text("José Müller")
    expect(page.locator("#ticket-1")).to_contain_text("王 小明")
    shoot(page, "order-tickets")

    with page.expect_download() as download:
        page.locator("#ticket-0").get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename == "ticket-cqrs-summit-jose-muller-seat-1.pdf"
    pdf = pypdf.PdfReader(io.BytesIO(open(download.value.path(), "rb").read())).pages[0]
    words = " ".join(pdf.extract_text().split())
    for shown in ("José Müller", CONFERENCE["name"], "1–3 June 2026", CONFERENCE["location"],
                  "General admission", "Show this code at the entrance"):
        assert shown in words, shown
    (code,) = [found.data.decode() for image in pdf.images for found in pyzbar.decode(image.image)]
    seats = page.context.request.get(order_url.replace("/orders/", "/api/orders/") + "/seats")
    assert code == seats.json()["seats"][0]["ticket_code"]

    # The mail: José's ticket reaches his mailbox with the same ticket as a PDF.
    def joses_ticket_mail():
        return [m for m in received(venue.smtp, "ticket") if "jose@example.org" in m["To"]]
    assert wait_for(joses_ticket_mail, timeout=60)
    (mail,) = joses_ticket_mail()
    ((filename, content_type, attached),) = parts(mail)["attachments"]
    assert content_type == "application/pdf" and filename.endswith(".pdf")
    mailed = pypdf.PdfReader(io.BytesIO(attached)).pages[0]
    assert "José Müller" in " ".join(mailed.extract_text().split())
    (code,) = [found.data.decode() for image in mailed.images
               for found in pyzbar.decode(image.image)]
    assert code == seats.json()["seats"][0]["ticket_code"]

    # The door: a node enrolled with the hub, synced; the code typed as a scanner types it.
    venue.enroll("Main entrance")
    door = venue.start_node("Main entrance")
    assert wait_for(lambda: requests.get(door.url + "/status.json").json()["last_sync"],
                    timeout=30)
    kiosk = new_page(browser, door.url, KIOSK_SCREEN, timeout_ms=20_000)
    kiosk.goto("/kiosk")
    expect(kiosk.locator("#code")).to_be_focused()
    kiosk.keyboard.type(code)
    kiosk.keyboard.press("Enter")
    expect(kiosk.locator("#decision-title")).to_have_text("Welcome, José!")
    shoot(kiosk, "kiosk-welcome-from-pdf")
