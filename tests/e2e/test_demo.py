"""`contoso demo` end to end: start it, play the venue day against it, Ctrl-C; nothing is left."""
import json
import os
import signal
import subprocess
import sys

import pytest
import requests

from tests.support.e2e_venue import read_db
from tests.support.processes import ROOT, free_port, wait_for

pytestmark = pytest.mark.slow


def contoso(*args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "contoso", *args], cwd=ROOT, **kwargs)


def running_demo(data_dir):
    try:
        with open(data_dir / "demo.json") as f:
            return json.load(f)
    except FileNotFoundError:
        return None


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_demo_plays_a_venue_day_and_stops_everything_on_ctrl_c(tmp_path):
    data_dir = tmp_path / "demo"
    hub, network, door_a, door_b, smtp, mailbox = (free_port() for _ in range(6))
    with open(tmp_path / "demo.out", "wb") as out:
        demo = contoso("demo", "--data-dir", str(data_dir), "--orders", "12", "--port", str(hub),
                       "--network-port", str(network), "--node-ports", str(door_a), str(door_b),
                       "--smtp-port", str(smtp), "--mailbox-port", str(mailbox),
                       stdout=out, stderr=subprocess.STDOUT)
    state = None
    try:
        state = wait_for(lambda: demo.poll() is None and running_demo(data_dir), timeout=75,
                         interval=0.2)
        assert state, (tmp_path / "demo.out").read_text()
        printed = (tmp_path / "demo.out").read_text()
        for url in (f"http://127.0.0.1:{hub}/conferences/contoso26",
                    f"http://127.0.0.1:{hub}/manage/", f"http://127.0.0.1:{hub}/admin/",
                    f"http://127.0.0.1:{door_a}/kiosk", f"http://127.0.0.1:{door_b}/staff",
                    f"http://127.0.0.1:{mailbox}/"):
            assert url in printed
            assert requests.get(url, timeout=10).status_code == 200, url
        assert "admin@contoso.example / demo-admin-password" in printed
        assert "staff PIN 2468" in printed and "access code " in printed

        scenario = subprocess.run([sys.executable, "-m", "contoso", "demo", "--scenario",
                                   "venue-day", "--data-dir", str(data_dir)], cwd=ROOT,
                                  capture_output=True, text=True, timeout=90)
        assert scenario.returncode == 0, scenario.stdout + scenario.stderr
        assert "refused: This ticket was already used" in scenario.stdout   # LAN gossip

        hub_db = data_dir / "hub" / "hub.sqlite3"
        kinds = {kind for (kind,) in read_db(hub_db, "SELECT kind FROM conflict")}
        assert {"double_check_in", "checkin_reassigned_seat"} <= kinds
        sold = read_db(hub_db, "SELECT COUNT(*) FROM rm_order WHERE sold_on_site_by = 'Door A'")
        assert sold[0][0] == 1

        def subjects():
            listed = requests.get(f"http://127.0.0.1:{mailbox}/messages.json", timeout=10).json()
            return [m["subject"] for m in listed]
        # 12 confirmations, a ticket per seat, the walk-in's receipt: in the demo's mailbox.
        assert wait_for(lambda: "Your receipt from Contoso Conference 2026" in subjects())
        assert subjects().count("Your order for Contoso Conference 2026 is confirmed") == 12
    finally:
        demo.send_signal(signal.SIGINT)
        demo.wait(60)
    assert demo.returncode == 0, (tmp_path / "demo.out").read_text()
    assert state and not any(alive(pid) for pid in state["pids"].values())
    assert running_demo(data_dir) is None


def test_the_welcome_ticket_is_never_one_already_checked_in_anywhere(tmp_path):
    """A check-in the door has not pushed, or the hub has logged but not yet projected, makes
    the ticket used: the second `make demo` once printed a ticket the first run had used."""
    from contoso_demo import hub_db
    from tests.support.clock import FakeClock
    from tests.support.kiosk_node import kiosk_node
    from tests.support.venue import venue_hub
    hub, server = venue_hub(tmp_path, FakeClock())
    door = kiosk_node(hub, tmp_path / "door")
    try:
        hub_file = os.path.join(hub.hub.config.data_dir, "hub.sqlite3")
        door_file = str(tmp_path / "door" / "node.sqlite3")
        before = hub_db.fresh_tickets(hub_file, (door_file,))
        assert len(before) == 3
        used = before[0]
        assert door.desk.scan(used.code).admitted               # at the door only, so far
        assert used not in hub_db.fresh_tickets(hub_file, (door_file,))
        door.sync_hub()                                         # the hub logged it, no reader ran
        assert not hub.hub.models.CheckInRecord.select().count()
        assert [t.code for t in hub_db.fresh_tickets(hub_file)] == [t.code for t in before[1:]]
    finally:
        door.close()
        server.stop()
        hub.hub.close()


def test_the_demo_says_first_time_only_the_first_time(tmp_path):
    from hub import demo
    from tests.support.clock import FakeClock
    from tests.support.hub_api import make_app
    hub = make_app(tmp_path, FakeClock()).extensions["contoso_hub"]
    try:
        assert not demo.seeded(hub, 2)
        demo.seed(hub, 2, progress=lambda line: None)
        assert demo.seeded(hub, 2) and not demo.seeded(hub, 3)
    finally:
        hub.close()
