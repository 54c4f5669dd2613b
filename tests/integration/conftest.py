"""Fixtures for tests with a hub served over real HTTP and nodes in this process."""
import pytest

from tests.support.venue import WallClock, venue_hub


@pytest.fixture
def clock():
    return WallClock()


@pytest.fixture
def hub(tmp_path, clock):
    api, server = venue_hub(tmp_path, clock)
    yield api
    server.stop()
    api.hub.close()
