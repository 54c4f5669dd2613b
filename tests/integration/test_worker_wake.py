"""The pump worker sleeps a long interval and still handles a request's command at once: the
request wakes it (a datagram on SQLite, NOTIFY on PostgreSQL; hub/platform/wake.py)."""
import os

import pytest

from hub.platform.wake import SocketAlarm, alarm_for
from hub.platform.worker import Worker
from tests.support.clock import FakeClock
from tests.support.hub_api import HubClient, make_app
from tests.support.processes import wait_for

AN_HOUR = 3600


@pytest.fixture(params=["sqlite", "postgres"])
def api(request, tmp_path):
    config = {}
    if request.param == "postgres":
        config["db_url"] = request.getfixturevalue("postgres_cluster").new_database()
    client = HubClient(make_app(tmp_path, FakeClock(), **config))   # no pump thread in it
    yield client
    client.hub.close()


@pytest.fixture
def worker(api):
    """The worker process's loop and alarm, on a thread of this test process."""
    alarm = alarm_for(api.hub)
    worker = Worker(api.hub, interval=AN_HOUR, alarm=alarm).start()
    yield worker
    worker.stop()
    alarm.close()


def test_a_placed_order_is_reserved_at_once_by_a_worker_asleep_for_an_hour(api, worker):
    slug, ids, _ = api.create_conference()
    assert wait_for(worker.waiting.is_set)           # its first round is over: it sleeps
    rounds = worker.rounds
    order_id = api.order(slug, {ids["General admission"]: 2})   # the request wakes it
    reserved = wait_for(lambda: api.get_order(order_id)["status"] == "reserved")
    assert reserved and worker.rounds > rounds


def test_wakes_while_nobody_listens_are_lost_quietly(api):
    slug, ids, _ = api.create_conference()
    order_id = api.order(slug, {ids["General admission"]: 1})   # no worker: the request passes
    assert api.get_order(order_id)["status"] == "pending_reservation"
    api.pump()
    assert api.get_order(order_id)["status"] == "reserved"


@pytest.fixture
def many_open_files():
    """Hold descriptors up to 1,100, so the next ones opened are past select()'s 1,023: a
    long test run or a busy hub holds that many."""
    held = []
    read, write = os.pipe()
    held += [read, write]
    while held[-1] < 1100:
        held.append(os.dup(read))
    yield
    for fd in held:
        os.close(fd)


def test_a_worker_holding_many_files_still_sleeps_until_rung(tmp_path, many_open_files):
    alarm = SocketAlarm(str(tmp_path))
    try:
        assert alarm.socket.fileno() > 1023
        assert alarm.wait(0.2) is False       # nothing rang: it slept the whole timeout
        alarm.ring()
        assert alarm.wait(5) is True
        assert alarm.wait(0.1) is False       # the ring was consumed
    finally:
        alarm.close()
