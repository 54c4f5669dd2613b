"""The camera path: generated QR frames (never a real camera) check a ticket in, and the
kiosk page learns of the decision by polling; the status page shows the camera's state."""
import pytest

from onsite_node.scanner import CameraUnavailable
from shared_domain.checkin import AttendeeCheckedIn, TicketScanned
from tests.integration.test_scanner import camera_frame, empty_frame
from tests.support.kiosk_node import csrf_token, kiosk_node, node_client, tickets
from tests.support.processes import wait_for


@pytest.fixture
def node(hub, tmp_path):
    node = kiosk_node(hub, tmp_path / "k")
    yield node
    node.close()


def facts(node, kind):
    return [e.message for e in node.replica.store.load(f"edge-{node.replica.origin}")
            if isinstance(e.message, kind)]


def test_a_ticket_held_to_the_camera_is_one_check_in_and_the_kiosk_shows_it(node, hub):
    kiosk = node_client(node)
    csrf_token(kiosk)
    code = tickets(hub)["Att0 Endee"]
    held = camera_frame(code, size=420)
    node.start_camera(iter([empty_frame(), held, held, held, empty_frame()]))
    node.camera.join(20)
    [scan] = facts(node, TicketScanned)
    [entry] = facts(node, AttendeeCheckedIn)
    assert (scan.by, entry.attendee_name) == ("camera", "Att0 Endee")

    polled = kiosk.get("/kiosk/camera?after=0").get_json()
    assert polled["number"] == 1 and polled["screen"]["title"] == "Welcome, Att0!"
    assert kiosk.get(polled["screen"]["badge_url"]).status_code == 200
    assert kiosk.get("/kiosk/camera?after=1").get_json()["screen"] is None
    assert 'data-camera-after="1"' in kiosk.get("/kiosk").get_data(as_text=True)


def test_a_refused_code_at_the_camera_is_shown_in_red(node, hub):
    code = tickets(hub)["Att1 Endee"]
    node.front_desk.scan(code, by="kiosk")
    node.start_camera(iter([camera_frame(code, size=420)]))
    node.camera.join(20)
    screen = node_client(node).get("/kiosk/camera?after=0").get_json()["screen"]
    assert screen["tone"] == "refused" and screen["title"] == "This ticket was already used."


def test_the_status_says_when_the_camera_stops_and_why(node):
    assert node.status()["camera"] == {
        "configured": False, "running": False,
        "text": "No camera: scanners type into the kiosk page."}

    def unplugged():
        yield empty_frame()
        raise CameraUnavailable("The camera at /dev/video0 stopped sending images.")
    node.start_camera(unplugged())
    node.camera.join(10)
    assert node.status()["camera"] == {"configured": True, "running": False,
                                       "text": "The camera at /dev/video0 stopped sending images."}


def test_a_configured_camera_that_is_missing_is_reported(hub, tmp_path):
    node = kiosk_node(hub, tmp_path / "c", camera_index=63)
    node.start()
    camera = wait_for(lambda: node.camera and not node.camera.running and node.camera)
    assert "No camera at /dev/video63" in node.status()["camera"]["text"]
    assert camera.problem
    node.close()
