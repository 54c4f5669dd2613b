"""A large hub on one machine: PostgreSQL, 2 gunicorn web processes and 2 pump workers, with
20 registrants racing for the last 10 seats through the whole order flow (and the same on
SQLite with its single worker, the control for the once-only checks).

The workers share the command queue; that each command is handled once is the bus's
claiming (SELECT ... FOR UPDATE SKIP LOCKED, hub/platform/bus.py). If this test fails with more than
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


@pytest.fixture(params=["sqlite", "postgres"])
def large_hub(request, tmp_path):
    """2 web processes and the pump: on PostgreSQL `hub run --db URL` (its own worker) plus
    a second `hub worker`; on SQLite (the control: one worker) `hub run` alone."""
    data_dir = tmp_path / "hub"
    if request.param == "sqlite":
        hub = start_hub(data_dir, tmp_path / "hub.log", "--web-processes", "2")
        yield hub, Database(sqlite=str(data_dir / "hub.sqlite3"))
        hub.stop()
        return
    db = request.getfixturevalue("postgres_cluster").new_database()
    hub = start_hub(data_dir, tmp_path / "hub.log", "--db", db, "--web-processes", "2")
    second = subprocess.Popen([sys.executable, "-m", "contoso", "hub", "worker", "--db", db,
                               "--data-dir", str(data_dir)], cwd=ROOT,
                              stdout=open(tmp_path / "worker2.log", "ab"),
                              stderr=subprocess.STDOUT)
    assert wait_for(lambda: "pumping every" in (tmp_path / "worker2.log").read_text())
    yield hub, Database(postgres=db)
    second.terminate()
    second.wait(15)
    hub.stop()
    assert second.returncode == 0


class Database:
    """Read the hub's tables behind its back (for the once-only checks)."""

    def __init__(self, sqlite=None, postgres=None):
        self.sqlite, self.postgres = sqlite, postgres

    def query(self, sql: str) -> list:
        if self.sqlite:
            import sqlite3
            with sqlite3.connect(self.sqlite) as connection:
                return [tuple(row) for row in connection.execute(sql)]
        import psycopg2
        with psycopg2.connect(self.postgres) as connection, connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()


def available(url) -> dict:
    public = requests.get(f"{url}/api/conferences/{CONFERENCE['slug']}").json()
    return {s["name"]: s["available"] for s in public["seat_types"]}


def test_two_web_processes_and_the_workers_sell_exactly_the_last_ten_seats(large_hub):
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
    assert wait_for(lambda: available(hub.url) == {"Last ten": 0})   # the read model follows
    # Each queued command handled once: none failed, none's events appended twice.
    assert db.query("SELECT count(*) FROM queued_command WHERE status = 'failed'") == [(0,)]
    assert db.query("""SELECT e.causation, e.stream, e.type, count(*) FROM event e
                        JOIN queued_command q ON q.id = e.causation
                        GROUP BY e.causation, e.stream, e.type HAVING count(*) > 1""") == []
    assert [status(hub.url, o, r) for o, r in orders].count("confirmed") == 10   # and stays
