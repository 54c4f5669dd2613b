"""Two hub workers pumping one PostgreSQL database at once: 20 registrants race for 10 seats,
and every command is handled exactly once, every reader's batch applied once (a read model
fed twice would count the seats twice), exactly 10 seats reserved and then confirmed."""
import threading

import pytest

from tests.support.clock import FakeClock
from tests.support.hub_api import close_all, web_and_workers

GA = "General admission"


@pytest.fixture
def venue(tmp_path, postgres_cluster):
    web, workers = web_and_workers(tmp_path, postgres_cluster.new_database(), FakeClock())
    yield web, workers
    close_all(web, workers)


def pump_together(workers, rounds=200):
    """Both workers run rounds at the same time until neither finds work twice in a row."""
    start, errors = threading.Barrier(len(workers)), []

    def work(hub):
        try:
            start.wait()
            idle = 0
            for _ in range(rounds):
                idle = idle + 1 if hub.run_round() == 0 else 0
                if idle >= 2:
                    return
        except Exception as broken:   # shown by the assert below
            errors.append(broken)
    threads = [threading.Thread(target=work, args=(hub,)) for hub in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors


def test_two_workers_share_the_queue_and_the_readers_without_doing_anything_twice(venue):
    web, workers = venue
    slug, ids, _ = web.create_conference(
        seat_types=[{"name": GA, "description": "", "quantity": 10, "price": 100}])
    orders = [web.order(slug, {ids[GA]: 1}) for _ in range(20)]
    pump_together(workers)
    states = [web.get_order(o) for o in orders]
    reserved = [s["order_id"] for s in states if s["status"] == "reserved"]
    assert len(reserved) == 10
    assert sum(s["items"][0]["reserved"] for s in states) == 10
    assert web.available(slug) == {GA: 0}          # fed twice, it would say -10 or less
    for order_id in reserved:
        web.registrant(order_id)
        assert web.pay(order_id).status_code == 200
    pump_together(workers)
    assert [web.get_order(o)["status"] for o in reserved] == ["confirmed"] * 10

    Q = web.hub.models.QueuedCommand
    handled = list(Q.select().where(Q.status != "pending"))
    assert handled and all(q.attempts == 1 for q in handled)
    assert not [q for q in handled if q.status == "failed"]
    assert Q.select().where(Q.type == "CreateSeatAssignments").count() == 10
    A = web.hub.models.SeatAssignmentView
    assert A.select().count() == 10
    D = web.hub.store.models.DeadLetter
    assert D.select().count() == 0
