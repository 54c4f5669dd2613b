"""Fixtures for tests with a hub served over real HTTP and nodes in this process, and for
tests of a hub in this process (Flask's test client) on a fake clock."""
import pytest

from tests.support.clock import FakeClock
from tests.support.hub_api import HubClient, make_app
from tests.support.venue import WallClock, enroll, node_service, venue_hub


@pytest.fixture
def api(tmp_path):
    """A hub in this process on a fake clock, with its test client (a module that needs
    another clock or database defines its own `api`)."""
    client = HubClient(make_app(tmp_path, FakeClock()))
    yield client
    client.hub.close()


@pytest.fixture
def clock():
    return WallClock()


@pytest.fixture
def hub(tmp_path, clock):
    api, server = venue_hub(tmp_path, clock)
    yield api
    server.stop()
    api.hub.close()


@pytest.fixture
def door(hub, tmp_path):
    """Door A, enrolled with the hub and synced once."""
    enroll(hub, tmp_path / "a", "Door A")
    node = node_service(tmp_path / "a")
    node.sync_hub()
    yield node
    node.close()
