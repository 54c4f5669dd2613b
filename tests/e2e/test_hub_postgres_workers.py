"""A large hub on one machine: PostgreSQL, 2 gunicorn web processes and 2 pump workers, with
20 registrants racing for the last 10 seats through the whole order flow.

The workers share the command queue; that each command is handled once is the bus's
claiming (SELECT ... FOR UPDATE SKIP LOCKED, hub/bus.py). If this test fails with more than
10 confirmed, or with events appended twice for one command, look there first.
"""
import subprocess
import sys
import threading

import pytest
import requests

from tests.e2e.test_hub_servers import publish, register, status
from tests.support.hub_api import CONFERENCE
from tests.support.processes import ROOT, children, start_hub, wait_for

pytestmark = pytest.mark.slow


@pytest.fixture
def large_hub(tmp_path, postgres_cluster):
    """`hub run --db URL --web-processes 2` (its own worker) plus a second `hub worker`."""
    db = postgres_cluster.new_database()
    hub = start_hub(tmp_path / "hub", tmp_path / "hub.log", "--db", db, "--web-processes", "2")
    second = subprocess.Popen([sys.executable, "-m", "contoso", "hub", "worker", "--db", db,
                               "--data-dir", str(tmp_path / "hub")], cwd=ROOT,
                              stdout=open(tmp_path / "worker2.log", "ab"),
                              stderr=subprocess.STDOUT)
    assert wait_for(lambda: "pumping every" in (tmp_path / "worker2.log").read_text())
    yield hub, db
    second.terminate()
    second.wait(15)
    hub.stop()
    assert second.returncode == 0


def query(db: str, sql: str) -> list:
    import psycopg2
    with psycopg2.connect(db) as connection, connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def test_two_web_processes_and_two_workers_sell_exactly_the_last_ten_seats(large_hub):
    hub, db = large_hub
    processes = children(hub.proc.pid)
    assert len([c for c in processes if " hub run " in c]) == 2
    ids = publish(hub.url, [{"name": "Last ten", "description": "", "quantity": 10,
                             "price": 25}])
    orders = []

    def registrant(n):
        orders.append(register(hub.url, ids["Last ten"], 1, n))

    threads = [threading.Thread(target=registrant, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(orders) == 20
    # Orders that got a seat are confirmed once the workers have handled the payments.
    statuses = wait_for(lambda: (s := [status(hub.url, o, r) for o, r in orders])
                        .count("confirmed") == 10 and s, timeout=60)
    assert statuses and statuses.count("confirmed") == 10
    public = requests.get(f"{hub.url}/api/conferences/CONFERENCE['slug']").json()
    assert {s["name"]: s["available"] for s in public["seat_types"]} == {"Last ten": 0}
    # Each queued command handled once: none failed, none's events appended twice.
    assert query(db, "SELECT count(*) FROM queued_command WHERE status = 'failed'") == [(0,)]
    assert query(db, """SELECT e.causation, e.stream, e.type, count(*) FROM event e
                        JOIN queued_command q ON q.id = e.causation
                        GROUP BY e.causation, e.stream, e.type HAVING count(*) > 1""") == []
