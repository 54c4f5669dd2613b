"""Fixtures for tests with a hub served over real HTTP and nodes in this process."""
import pytest

from tests.support.venue import WallClock, enroll, node_service, venue_hub


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
