"""The kiosk's tones: on by default, turned off (and on) by staff on the node's status page,
the setting kept on the node across a restart and honoured by the kiosk page."""
import pytest

from tests.support.kiosk_node import csrf_token, kiosk_node, node_client, staff_login
from tests.support.venue import node_service


@pytest.fixture
def node(hub, tmp_path):
    node = kiosk_node(hub, tmp_path / "k")
    yield node
    node.close()


def kiosk_sound(client) -> str:
    html = client.get("/kiosk").get_data(as_text=True)
    return html.split('data-sound="', 1)[1].split('"', 1)[0]


def set_sound(node, value):
    staff = node_client(node)
    assert staff_login(staff).status_code == 302
    r = staff.post("/staff/status/sound", data={"sound": value,
                                                "csrf_token": csrf_token(staff, "/staff")})
    assert r.status_code == 302
    return staff


def test_the_kiosk_sounds_by_default(node):
    assert kiosk_sound(node_client(node)) == "on"


def test_staff_turn_the_sound_off_and_the_kiosk_page_is_silent(node):
    staff = set_sound(node, "off")
    assert kiosk_sound(node_client(node)) == "off"
    page = staff.get("/staff/status").get_data(as_text=True)
    assert "Off: silent" in page and "Turn the sound on" in page
    assert node.replica.get_state("kiosk_sound")["by"] == "Sam Staff"
    set_sound(node, "on")
    assert kiosk_sound(node_client(node)) == "on"


def test_the_setting_outlives_a_restart(node, tmp_path):
    set_sound(node, "off")
    node.close()
    again = node_service(tmp_path / "k", printer={"kind": "dummy"})
    try:
        assert kiosk_sound(node_client(again)) == "off"
    finally:
        again.close()


def test_turning_the_sound_needs_the_staff_pin(node):
    client = node_client(node)
    r = client.post("/staff/status/sound", data={"sound": "off",
                                                 "csrf_token": csrf_token(client)})
    assert r.status_code in (302, 400) and kiosk_sound(client) == "on"
