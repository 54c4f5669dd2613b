"""`contoso demo`: a hub and two doors on loopback, on embedded defaults, until Ctrl-C.

The hub's data is seeded in this process (fast, before the hub runs); then the hub and the
doors run as separate processes, the doors talking to the hub and to each other through the
demo's network relay (network.py), which the venue-day scenario cuts and restores.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import time

import requests

from contoso_demo import hub_db
from contoso_demo import state as state_file
from contoso_demo.mail import DemoMail
from contoso_demo.network import DemoNetwork
from contoso_demo.processes import ChildFailed, Children
from hub import demo
from hub.bootstrap import HubConfig, bootstrap
from onsite_node import cli as node_cli
from onsite_node import credentials

STAFF_PIN = "2468"
DOOR_FOLDERS = {"Door A": "door-a", "Door B": "door-b"}


def run(args) -> int:
    data_dir = os.path.abspath(args.data_dir)
    os.makedirs(os.path.join(data_dir, "logs"), exist_ok=True)
    signal.signal(signal.SIGTERM, _interrupt)
    children, network, mail, status = Children(), None, None, 0
    try:
        mail = DemoMail(data_dir, args.smtp_port, args.mailbox_port).start()
        owner_code, codes = prepare_hub(data_dir, args.orders, args.port)
        hub = children.start("the hub", hub_args(data_dir, args.port) + mail.hub_args(),
                             os.path.join(data_dir, "logs", "hub.log"),
                             f"http://127.0.0.1:{args.port}").wait_ready("/api/openapi.json")
        enroll_doors(data_dir, hub.url, codes)
        allocation = allocate(data_dir, args.port)
        network = DemoNetwork(args.network_port, routes(hub.url, args.node_ports)).start()
        doors = start_doors(children, data_dir, network, args.node_ports)
        wait_synced(doors)
        state = describe(data_dir, hub, network, doors, owner_code, allocation, children)
        state["mailbox_url"] = mail.url
        state_file.save(data_dir, state)
        print_welcome(state, args.data_dir)
        children.watch()
    except KeyboardInterrupt:
        print("\nStopping the demo...", flush=True)
    except (ChildFailed, DemoFailed) as e:
        print(e, file=sys.stderr)
        status = 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)    # a second Ctrl-C must not skip this
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        state_file.forget(data_dir)
        children.stop_all()
        if network:
            network.stop()
        if mail:
            mail.stop()
    print("The demo has stopped; its data stays in "
          f"{args.data_dir} (`make demo-reset` deletes it).", flush=True)
    return status


class DemoFailed(RuntimeError):
    pass


def _interrupt(*_):
    raise KeyboardInterrupt


def hub_dir(data_dir: str) -> str:
    return os.path.join(data_dir, "hub")


def door_dir(data_dir: str, name: str) -> str:
    return os.path.join(data_dir, DOOR_FOLDERS[name])


def enrolled(folder: str) -> bool:
    try:
        return not credentials.load(folder).get("revoked")
    except credentials.NotEnrolled:
        return False


def prepare_hub(data_dir: str, orders: int, port: int) -> tuple[str, dict[str, str]]:
    """Seed the hub (once); return the owner's access code and codes for doors to enroll.
    Its mails are queued now (with links to this port) and sent once the hub runs."""
    hub = bootstrap(HubConfig(data_dir=hub_dir(data_dir), public_url=f"http://127.0.0.1:{port}"))
    try:
        if demo.seeded(hub, orders):
            print("Starting the demo on its data from before (`make demo-reset` starts "
                  "again)...", flush=True)
        else:
            print("Preparing the demo data (the first time only; `make demo-reset` starts "
                  "again)...", flush=True)
        owner_code = demo.seed(hub, orders, progress=lambda line: print(line, flush=True))
        demo.seed_admin(hub)
        codes = {name: demo.enrollment_code(hub, name) for name in DOOR_FOLDERS
                 if not enrolled(door_dir(data_dir, name))}
    finally:
        hub.close()
    return owner_code, codes


def hub_args(data_dir: str, port: int) -> list[str]:
    return ["hub", "run", "--data-dir", hub_dir(data_dir), "--host", "127.0.0.1",
            "--port", str(port), "--no-discovery"]


def enroll_doors(data_dir: str, hub_url: str, codes: dict[str, str]) -> None:
    for name, code in codes.items():
        done = node_cli.run_enroll(argparse.Namespace(hub=hub_url, code=code,
                                                      data_dir=door_dir(data_dir, name)))
        if done != 0:
            raise DemoFailed(f"{name} could not enroll with the hub.")


def allocate(data_dir: str, port: int) -> dict[str, int]:
    hub = bootstrap(HubConfig(data_dir=hub_dir(data_dir), public_url=f"http://127.0.0.1:{port}"))
    try:
        return demo.allocate_once(hub)
    finally:
        hub.close()


def routes(hub_url: str, ports: list[int]) -> dict[str, str]:
    doors = {DOOR_FOLDERS[name]: f"http://127.0.0.1:{port}"
             for name, port in zip(DOOR_FOLDERS, ports)}
    return {"hub": hub_url, **doors}


def start_doors(children: Children, data_dir: str, network: DemoNetwork, ports) -> dict:
    started = {}
    for (name, folder), port in zip(DOOR_FOLDERS.items(), ports):
        peers = [network.route_url(f) for f in DOOR_FOLDERS.values() if f != folder]
        args = ["node", "run", "--data-dir", door_dir(data_dir, name), "--host", "127.0.0.1",
                "--port", str(port), "--hub", network.route_url("hub"), "--no-discovery",
                "--sync-interval", "1", "--max-backoff", "4", "--staff-pin", STAFF_PIN]
        for peer in peers:
            args += ["--peer", peer]
        started[name] = children.start(name, args, os.path.join(data_dir, "logs", f"{folder}.log"),
                                       f"http://127.0.0.1:{port}")
    for door in started.values():
        door.wait_ready("/status.json")
    return started


def wait_synced(doors: dict, timeout: float = 180) -> None:
    """Until every door has synced with the hub once and has nothing left to send."""
    deadline = time.monotonic() + timeout
    waiting = dict(doors)
    while waiting and time.monotonic() < deadline:
        for name, door in list(waiting.items()):
            status = requests.get(door.url + "/status.json", timeout=5).json()
            if status.get("last_sync") and status.get("events_waiting") == 0:
                print(f"{name}: enrolled and synced ({status['events']} events in its replica)",
                      flush=True)
                del waiting[name]
        time.sleep(0.3)
    if waiting:
        raise DemoFailed(f"{', '.join(waiting)} did not sync with the hub within {timeout:.0f} s.")


def describe(data_dir, hub, network, doors, owner_code, allocation, children) -> dict:
    return {"slug": demo.DEMO_SLUG, "hub_url": hub.url, "network_url": network.url,
            "hub_db": os.path.join(hub_dir(data_dir), "hub.sqlite3"),
            "admin": list(demo.DEMO_ADMIN),
            "owner": [demo.DEMO_CONFERENCE["owner_email"], owner_code],
            "staff": {"X-Staff-Pin": STAFF_PIN, "X-Staff-Name": "Pat Planner"},
            "doors": {name: {"url": door.url, "folder": door_dir(data_dir, name)}
                      for name, door in doors.items()},
            "allocation": {demo.DEMO_ALLOCATION[0]: allocation},
            "pids": {child.name: child.pid for child in children.started}}


def print_welcome(state: dict, shown_dir: str) -> None:
    hub, slug = state["hub_url"], state["slug"]
    lines = ["", "Contoso demo is running: a hub and two doors on this machine. "
                 "Ctrl-C stops them all.", "",
             f"  Registrant         {hub}/conferences/{slug}",
             f"  Business customer  {hub}/manage/   "
             f"{state['owner'][0]}, access code {state['owner'][1]}",
             f"  Hub admin          {hub}/admin/   {state['admin'][0]} / {state['admin'][1]}",
             f"  Live dashboard     {hub}/admin/conferences/{slug}/dashboard/",
             f"  Mailbox            {state['mailbox_url']}/   every mail the hub sends"]
    for name, door in state["doors"].items():
        sells = state["allocation"].get(name)
        lines += ["", f"  {name}" + (f" (sells on site: {_seats(sells)})" if sells else ""),
                  f"    kiosk            {door['url']}/kiosk",
                  f"    staff desk       {door['url']}/staff   staff PIN "
                  f"{state['staff']['X-Staff-Pin']}"]
    tickets = hub_db.fresh_tickets(state["hub_db"], hub_db.door_replicas(state))
    if tickets:
        ticket = tickets[-1]     # the venue-day scenario takes the oldest: keep clear of it
        lines += ["", f"  A ticket to paste into a kiosk ({ticket.attendee_name}'s):",
                  f"    {ticket.code}"]
    else:
        lines += ["", "  Every demo ticket has been used: `make demo-reset` starts again."]
    lines += ["", f"  Badges print as PNG files into {shown_dir}/door-*/prints/; "
                  f"logs are in {shown_dir}/logs/.",
              f"  A venue morning, from a second terminal: {scenario_command(shown_dir)}", ""]
    print("\n".join(lines), flush=True)


def scenario_command(shown_dir: str) -> str:
    if shown_dir == "demo-data":
        return "make demo-venue-day"
    return f"contoso demo --scenario venue-day --data-dir {shown_dir}"


def _seats(held: dict[str, int]) -> str:
    return ", ".join(f"{n} {name}" for name, n in held.items() if n)
