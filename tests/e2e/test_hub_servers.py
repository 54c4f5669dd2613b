"""`contoso hub run` as it runs in production: gunicorn web processes and the pump in a
worker process of its own, woken by the requests; on SQLite one worker, never two."""
import os
import signal
import subprocess
import sys

import pytest
import requests

from tests.support.admin import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.support.hub_api import CONFERENCE, SEAT_TYPES
from tests.support.processes import (ROOT, Service, child_processes, children, free_port,
                                     start_hub, wait_for)

pytestmark = pytest.mark.slow
AN_HOUR = "3600"


def publish(url, seat_types=SEAT_TYPES) -> dict:
    """A published conference; return {seat type name: id}."""
    r = requests.post(f"{url}/api/conferences", json=CONFERENCE)
    assert r.status_code == 201
    auth = (CONFERENCE["owner_email"], r.json()["access_code"])
    ids = {}
    for seat_type in seat_types:
        r = requests.post(f"{url}/api/conferences/{CONFERENCE['slug']}/seat-types",
                          json=seat_type, auth=auth)
        ids[seat_type["name"]] = r.json()["id"]
    assert requests.post(f"{url}/api/conferences/{CONFERENCE['slug']}/publish",
                         auth=auth).status_code == 200
    return ids


def register(url, seat_type_id, quantity=1, n=0) -> tuple[str, requests.Session]:
    """Order, wait for the reservation, name the registrant, pay by card and accept."""
    r = requests.post(f"{url}/api/conferences/{CONFERENCE['slug']}/orders",
                      json={"seats": [{"seat_type": seat_type_id, "quantity": quantity}]})
    assert r.status_code == 202
    order_id = r.json()["order_id"]
    registrant = requests.Session()
    registrant.headers["Authorization"] = f"Bearer {r.json()['order_token']}"
    wait_for(lambda: registrant.get(f"{url}/api/orders/{order_id}").json()["status"]
             != "pending_reservation")
    registrant.post(f"{url}/api/orders/{order_id}/registrant",
                    json={"first_name": "R", "last_name": str(n), "email": f"r{n}@example.org"})
    payment = registrant.post(f"{url}/api/orders/{order_id}/payment", json={"method": "card"})
    if payment.status_code == 201:
        requests.post(url + payment.json()["accept_url"])
    return order_id, registrant


def status(url, order_id, registrant) -> str:
    return registrant.get(f"{url}/api/orders/{order_id}").json()["status"]


def test_hub_run_is_gunicorn_with_a_worker_process_that_confirms_orders(tmp_path):
    hub = start_hub(tmp_path / "hub", tmp_path / "hub.log", "--web-processes", "2",
                    "--pump-interval", AN_HOUR)
    try:
        assert requests.get(hub.url + "/api/openapi.json").headers["Server"] == "gunicorn"
        processes = children(hub.proc.pid)
        assert len([c for c in processes if " hub worker " in c]) == 1
        assert len([c for c in processes if " hub run " in c]) == 2      # the web processes
        ids = publish(hub.url)
        # The worker sleeps an hour between rounds: only the requests' wakes move the order.
        order_id, registrant = register(hub.url, ids["General admission"], 3)
        assert wait_for(lambda: status(hub.url, order_id, registrant) == "confirmed")
        seats = wait_for(lambda: registrant.get(
            f"{hub.url}/api/orders/{order_id}/seats").json()["seats"])
        assert len(seats) == 3
    finally:
        hub.stop()
    assert hub.proc.returncode == 0
    assert children(hub.proc.pid) == []
    log = (tmp_path / "hub.log").read_text()
    assert "Starting gunicorn" in log and "Contoso hub worker" in log and "stopped after" in log


def start_worker(data_dir, log_path, *extra) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "contoso", "hub", "worker", "--data-dir",
                             str(data_dir), *extra], cwd=ROOT, stdout=open(log_path, "ab"),
                            stderr=subprocess.STDOUT)


def test_a_second_worker_on_one_sqlite_folder_is_refused(tmp_path):
    first = start_worker(tmp_path / "hub", tmp_path / "first.log")
    try:
        assert wait_for(lambda: "pumping every" in (tmp_path / "first.log").read_text())
        second = subprocess.run([sys.executable, "-m", "contoso", "hub", "worker", "--data-dir",
                                 str(tmp_path / "hub")], cwd=ROOT, capture_output=True,
                                text=True, timeout=60)
        assert second.returncode == 75
        assert f"Another hub worker (pid {first.pid}) is already running" in second.stderr
        assert "--no-worker" in second.stderr
        assert first.poll() is None                      # the first one pumps on
    finally:
        first.terminate()
        first.wait(15)
    assert first.returncode == 0


def test_web_alone_and_a_worker_started_apart_confirm_an_order(tmp_path):
    """The large-hub layout on one machine: `hub run --no-worker` and `hub worker` (systemd)."""
    port = free_port()
    hub = Service(["hub", "run", "--data-dir", str(tmp_path / "hub"), "--port", str(port),
                   "--no-worker", "--no-discovery"], port, tmp_path / "hub.log").wait_ready()
    worker = start_worker(tmp_path / "hub", tmp_path / "worker.log", "--pump-interval", AN_HOUR)
    try:
        assert not [c for c in children(hub.proc.pid) if " hub worker " in c]
        assert wait_for(lambda: "pumping every" in (tmp_path / "worker.log").read_text())
        ids = publish(hub.url)
        order_id, registrant = register(hub.url, ids["CQRS Workshop"], 2)
        assert wait_for(lambda: status(hub.url, order_id, registrant) == "confirmed")
    finally:
        hub.stop()
        worker.terminate()
        worker.wait(15)


def test_proxy_hops_make_the_proxy_s_address_the_hub_s(tmp_path):
    """Behind one reverse proxy (--proxy-hops 1) the hub names itself by the proxy's https
    address; without it a forged X-Forwarded-Host changes nothing."""
    def enroll_command(url, name, headers):
        r = requests.post(f"{url}/api/admin/conferences/{CONFERENCE['slug']}/nodes",
                          json={"name": name}, auth=(ADMIN_EMAIL, ADMIN_PASSWORD),
                          headers=headers)
        assert r.status_code == 201, r.text
        return r.json()["enroll_command"]
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "hub.example.org",
                 "X-Forwarded-For": "203.0.113.7"}
    subprocess.run([sys.executable, "-m", "contoso", "hub", "create-admin", "--data-dir",
                    str(tmp_path / "hub"), "--email", ADMIN_EMAIL, "--password-stdin"],
                   cwd=ROOT, input=ADMIN_PASSWORD + "\n", text=True, check=True,
                   capture_output=True)
    proxied = start_hub(tmp_path / "hub", tmp_path / "hub.log", "--proxy-hops", "1")
    try:
        publish(proxied.url, SEAT_TYPES[:1])
        behind_proxy = enroll_command(proxied.url, "Door A", forwarded)
    finally:
        proxied.stop()
    direct = start_hub(tmp_path / "hub", tmp_path / "hub.log")
    try:
        forged = enroll_command(direct.url, "Door B", forwarded)
    finally:
        direct.stop()
    assert "--hub https://hub.example.org " in behind_proxy
    assert f"--hub {direct.url} " in forged


def test_a_killed_worker_is_restarted_and_the_hub_sells_on(tmp_path):
    hub = start_hub(tmp_path / "hub", tmp_path / "hub.log")
    try:
        [first] = worker_pids(hub)
        os.kill(first, signal.SIGKILL)
        assert wait_for(lambda: (pids := worker_pids(hub)) and pids != [first])
        ids = publish(hub.url)
        order_id, registrant = register(hub.url, ids["General admission"], 1)
        assert wait_for(lambda: status(hub.url, order_id, registrant) == "confirmed")
    finally:
        hub.stop()
    assert "restarting it" in (tmp_path / "hub.log").read_text()


def worker_pids(hub) -> list[int]:
    return [pid for pid, command in child_processes(hub.proc.pid).items()
            if " hub worker " in command]


def test_kill_9_of_hub_run_takes_its_web_processes_and_worker_with_it(tmp_path):
    hub = start_hub(tmp_path / "hub", tmp_path / "hub.log", "--web-processes", "2")
    started = list(child_processes(hub.proc.pid))
    assert len(started) == 3
    hub.kill()
    assert wait_for(lambda: not any(os.path.exists(f"/proc/{pid}/cmdline") and
                                    open(f"/proc/{pid}/cmdline").read() for pid in started))
    again = Service(["hub", "run", "--data-dir", str(tmp_path / "hub"), "--port",
                     str(hub.port), "--no-discovery"], hub.port, tmp_path / "again.log")
    try:
        again.wait_ready()                 # the port and the worker lock are free again
        assert worker_pids(again)
    finally:
        again.stop()


def test_a_node_is_served_by_waitress_and_stops_cleanly(tmp_path):
    from tests.support.e2e_venue import Venue
    venue = Venue(tmp_path)
    try:
        venue.seed(orders=1)
        venue.enroll("A")
        node = venue.start_node("A")
        assert requests.get(f"{node.url}/status").headers["Server"] == "contoso-node"
        node.stop()
        assert node.proc.returncode == 0
    finally:
        venue.nodes.clear()
        venue.stop()
