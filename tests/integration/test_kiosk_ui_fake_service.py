"""The kiosk UI against a fake node: it needs only its own Protocol, never the node."""
import ast
import inspect
from pathlib import Path

import pytest
from flask import Flask

import kiosk_ui
from kiosk_ui.ports import NodeForKiosk
from shared_domain.errors import DomainError
from tests.support.fake_sales import FakeSalesCounter
from tests.support.kiosk_node import TOKEN

KIOSK_DIR = Path(kiosk_ui.__file__).parent


class FakeNode(FakeSalesCounter):
    """Remembers what the pages asked for."""

    def conference_name(self):
        return "Fake Conf"

    def scan(self, code, *, by):
        self.calls.append(("scan", code, by))
        return {"admitted": code == "GOOD", "reason": "admitted" if code == "GOOD" else "revoked",
                "attendee_name": "Ada Lovelace", "earlier_at": "", "earlier_door": "",
                "badge_job": "", "printer_ready": True, "printer_reason": "Ready"}

    def camera_decision(self, after):
        return 0, None

    def badge_of_job(self, job_id):
        return None

    def search(self, text):
        return []

    def attendee(self, seat_id):
        return None

    def history(self, seat_id):
        return {"check_ins": [], "scans": [], "prints": [], "waiting": []}

    def check_in(self, seat_id, *, by):
        self.calls.append(("check_in", seat_id, by))
        raise DomainError("unknown_seat", "No attendee holds this seat.")

    def undo(self, seat_id, *, by):
        pass

    def reprint(self, seat_id, *, by):
        return "job"

    def badge_preview(self, seat_id):
        return b""

    def print_test_badge(self, *, by):
        return "job"

    def retry_printing(self):
        pass

    def kiosk_sound(self):
        return True

    def set_kiosk_sound(self, on, *, by):
        pass

    def status(self):
        return {"revoked": True}

    def staff_pin_is_set(self):
        return True

    def check_staff_pin(self, pin):
        return pin == "1111"


@pytest.fixture
def fake():
    return FakeNode()


@pytest.fixture
def client(fake):
    app = Flask("fake-node")
    app.secret_key = b"test"
    kiosk_ui.mount(app, fake)
    return app.test_client()


def token(client, path):
    return TOKEN.search(client.get(path).get_data(as_text=True)).group(1)


def test_kiosk_ui_imports_only_printers_shared_domain_and_itself():
    ours = {"kiosk_ui", "printers", "shared_domain", "onsite_node", "hub", "sync_protocol"}
    for path in KIOSK_DIR.rglob("*.py"):
        tree = ast.parse(path.read_text())
        names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names}
        names |= {node.module for node in ast.walk(tree)
                  if isinstance(node, ast.ImportFrom) and node.module}
        used = {name.split(".")[0] for name in names} & ours
        assert used <= {"kiosk_ui", "printers", "shared_domain"}, (path.name, used)


def test_the_fake_has_every_method_of_the_protocol(fake):
    wanted = {n for n, _ in inspect.getmembers(NodeForKiosk, inspect.isfunction)
              if not n.startswith("_")}
    assert wanted and all(callable(getattr(fake, name, None)) for name in wanted)


def test_the_kiosk_shows_a_refusal_from_the_service(client, fake):
    r = client.post("/kiosk/scan", data={"code": "BAD", "csrf_token": token(client, "/kiosk")},
                    headers={"Accept": "application/json"})
    assert r.get_json()["title"] == "This ticket is no longer valid."
    assert fake.calls == [("scan", "BAD", "kiosk")]


def test_a_staff_action_goes_to_the_service_under_the_staff_name(client, fake):
    client.post("/staff/login", data={"name": "Kim", "pin": "1111",
                                      "csrf_token": token(client, "/staff/login")})
    r = client.post("/staff/attendees/o:1/check-in",
                    data={"csrf_token": token(client, "/staff")}, follow_redirects=False)
    assert fake.calls == [("check_in", "o:1", "Kim")]
    assert r.status_code == 302   # the refusal is flashed on the attendee page


def test_the_status_page_of_a_wiped_node_says_so(client):
    client.post("/staff/login", data={"name": "Kim", "pin": "1111",
                                      "csrf_token": token(client, "/staff/login")})
    assert "revoked by the hub" in client.get("/staff/status").get_data(as_text=True)
