"""A real hub process started over a log holding an event no reader can apply: it starts,
serves, sets the event aside with a log line saying which and why, and keeps selling."""
import pytest
import requests

from event_store.readers import wanted_types
from event_store.registry import UnknownEvent
from event_store.store import utc_now
from tests.support.admin import ADMIN_EMAIL, ADMIN_PASSWORD, add_admin
from tests.support.hub_api import HubClient, make_app
from tests.support.processes import start_hub, wait_for

pytestmark = pytest.mark.slow
GA = "General admission"


@pytest.fixture
def poisoned(tmp_path):
    """A hub's data folder: conferences A and B, an admin, and a poison event of A not yet read."""
    setup = HubClient(make_app(tmp_path, utc_now))
    setup.create_conference(slug="confa", name="Conference A")
    _, ids, _ = setup.create_conference(slug="confb", name="Conference B")
    add_admin(setup.hub)
    C = setup.hub.models.Conference
    conference_a = C.get(C.slug == "confa").id
    [bad] = setup.hub.store.append("edge-node-door-a", None,
                                   [UnknownEvent("AttendeeCheckedIn", 1, {"seat_id": 7})],
                                   origin="node-door-a", conference=conference_a)
    # The readers that act on check-ins set it aside; the others pass it by undecoded.
    readers = sum(1 for r in setup.hub.readers
                  if wanted_types(r) is None or "AttendeeCheckedIn" in wanted_types(r))
    assert readers >= 1
    setup.hub.close()
    return tmp_path / "hub", bad, ids[GA], readers


def test_a_hub_started_over_a_poison_event_serves_and_sets_it_aside(poisoned, tmp_path):
    data_dir, bad, ga, readers = poisoned
    hub = start_hub(data_dir, tmp_path / "hub.log")
    auth = (ADMIN_EMAIL, ADMIN_PASSWORD)
    try:
        letters = wait_for(lambda: len(l := requests.get(
            f"{hub.url}/api/admin/dead-letters", auth=auth).json()) == readers and l)
        assert letters and {d["event_id"] for d in letters} == {bad.id}
        assert {d["conference"] for d in letters} == {"confa"}
        r = requests.post(f"{hub.url}/api/conferences/confb/orders",
                          json={"seats": [{"seat_type": ga, "quantity": 3}]})
        assert r.status_code == 202
        reserved = wait_for(lambda: {s["name"]: s["available"] for s in requests.get(
            f"{hub.url}/api/conferences/confb").json()["seat_types"]}[GA] == 97)
        assert reserved
        r = requests.post(f"{hub.url}/api/admin/dead-letters/{letters[0]['id']}/dismiss",
                          auth=auth)
        assert r.status_code == 200 and r.json()["status"] == "dismissed"
    finally:
        hub.stop()
    log = (tmp_path / "hub.log").read_text()
    assert f"set aside event {bad.id} (AttendeeCheckedIn from node-door-a" in log
