"""A node enrolled with the venue hub, with a dummy printer and a staff PIN, for the kiosk pages."""
import re

from onsite_node.server import create_node_app
from onsite_node.service import NodeConfig, NodeService
from onsite_node.settings import hash_pin
from tests.support.venue import WallClock, enroll

PIN = "2468"
_PIN_HASH = hash_pin(PIN)     # scrypt is slow on purpose: hash once per test run
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def kiosk_node(hub, data_dir, name="Kiosk A", **config) -> NodeService:
    """Enroll, sync once; the node's clock is the real one with a knob (`node.clock.offset`)."""
    enroll(hub, data_dir, name)
    config = {"printer": {"kind": "dummy"}, "staff_pin_hash": _PIN_HASH, **config}
    node = NodeService(NodeConfig(data_dir=str(data_dir), discovery=False, **config), WallClock())
    node.sync_hub()
    return node


def tickets(hub) -> dict:
    """Ticket codes by attendee name."""
    T = hub.hub.models.TicketView
    return {t.attendee_name: t.code for t in T.select()}


def node_client(node):
    return create_node_app(node).test_client()


def csrf_token(client, path="/kiosk") -> str:
    """The session's CSRF token, as a page shows it in its forms."""
    return TOKEN.search(client.get(path).get_data(as_text=True)).group(1)


def staff_login(client, name="Sam Staff", pin=PIN):
    token = csrf_token(client, "/staff/login")
    return client.post("/staff/login", data={"name": name, "pin": pin, "csrf_token": token})


def staff_desk(node):
    """A test client signed in at the node's staff desk, with its CSRF token as `.token`."""
    client = node_client(node)
    assert staff_login(client).status_code == 302
    client.token = csrf_token(client, "/staff")
    return client


def kiosk_page(node):
    """A test client of the node's self check-in kiosk, with its CSRF token as `.token`."""
    client = node_client(node)
    client.token = csrf_token(client)
    return client
