"""`contoso node ...`: enroll a node with the hub, run it, set its staff PIN, test its printer."""
from __future__ import annotations

import argparse
import logging
import signal
import sys

import requests

from onsite_node import credentials as creds_file
from onsite_node import config_file, device_cli, settings
from sync_protocol.wire import PROTOCOL_VERSION


def add_commands(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="node_command", required=True)

    enroll = commands.add_parser("enroll", help="exchange a one-time code for this node's credentials")
    enroll.add_argument("--hub", required=True, help="the hub's URL, e.g. https://hub.example.org")
    enroll.add_argument("--code", required=True, help="the enrollment code from the hub admin")
    enroll.add_argument("--data-dir", default="data/node")
    enroll.set_defaults(run=run_enroll)

    run = commands.add_parser("run", help="run the node: replica, sync loop, web app, kiosk",
                              formatter_class=argparse.RawDescriptionHelpFormatter,
                              epilog=settings.PRINTER_FORMS)
    run.add_argument("--data-dir", default="data/node")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8100)
    run.add_argument("--threads", type=int, default=6, metavar="N",
                     help="request threads of the web server (waitress; default 6)")
    run.add_argument("--hub", default=None, help="hub URL (default: the one enrolled with, "
                                                 "or the hub discovered on the LAN)")
    run.add_argument("--peer", action="append", default=[], help="a peer node's URL (repeatable)")
    run.add_argument("--sync-interval", type=float, default=5.0)
    run.add_argument("--max-backoff", type=float, default=300.0)
    run.add_argument("--no-discovery", action="store_true", help="do not use zeroconf")
    run.add_argument("--reentry", action="store_true",
                     help="admit a ticket again after its first check-in (default: once)")
    run.add_argument("--top-up-ceiling", type=int, default=0, metavar="N",
                     help="ask the hub for more seats when few are left, up to N per seat type "
                          "(default 0: never ask)")
    run.add_argument("--top-up-low-water", type=int, default=2, metavar="N",
                     help="ask when N or fewer seats are left (default 2)")
    run.add_argument("--zeroconf-interface", action="append", default=None,
                     help="announce and browse on this interface address only (repeatable)")
    device_cli.add_device_options(run)
    run.set_defaults(run=run_node)
    device_cli.add_device_commands(commands)
    for name in ("run", "enroll", "set-staff-pin", "test-print"):
        config_file.read_with(commands.choices[name])


def run_enroll(args) -> int:
    try:
        creds_file.load(args.data_dir)
        if not creds_file.load(args.data_dir).get("revoked"):
            print(f"{args.data_dir} already holds an enrolled node; use another --data-dir.",
                  file=sys.stderr)
            return 2
    except creds_file.NotEnrolled:
        pass
    private, public = creds_file.new_signing_key()
    try:
        r = requests.post(args.hub.rstrip("/") + "/sync/v1/enroll", timeout=30, json={
            "protocol": PROTOCOL_VERSION, "code": args.code, "public_key": public,
            "software_version": "0.1.0"})
    except requests.RequestException as e:
        print(f"Could not reach the hub at {args.hub}: {e}", file=sys.stderr)
        return 1
    body = r.json() if r.headers.get("Content-Type", "").startswith("application/json") else {}
    if r.status_code != 200:
        error = body.get("error", {})
        print(f"Enrollment refused: {error.get('message', r.status_code)}", file=sys.stderr)
        return 1
    body.pop("protocol", None)
    creds_file.save(args.data_dir, {**body, "hub_url": args.hub.rstrip("/"),
                                    "node_private_key": private, "node_public_key": public})
    print(f"Enrolled node '{body['name']}' for {body['conference']['name']} "
          f"(epoch {body['epoch']}); credentials in {creds_file.path_in(args.data_dir)}")
    return 0


def run_node(args) -> int:
    """Serve with waitress until SIGTERM or Ctrl-C (one process, threads: see docs/deployment.md)."""
    from onsite_node.loop import SyncLoop
    from onsite_node.server import create_node_app
    from onsite_node.service import NodeConfig, NodeService

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    try:
        device = device_cli.device_config(args)
    except ValueError as e:
        print(e, file=sys.stderr)
        return 2
    config = NodeConfig(data_dir=args.data_dir, host=args.host, port=args.port, hub_url=args.hub,
                        discovery=not args.no_discovery, sync_interval=args.sync_interval,
                        max_backoff=args.max_backoff, peers=args.peer,
                        zeroconf_interfaces=args.zeroconf_interface, reentry=args.reentry,
                        top_up_ceiling=args.top_up_ceiling,
                        top_up_low_water=args.top_up_low_water, **device)
    try:
        service = NodeService(config)
    except creds_file.NotEnrolled as e:
        print(e, file=sys.stderr)
        return 2
    server = web_server(create_node_app(service), args)
    loop = SyncLoop(service)
    discovery = None
    previous = signal.signal(signal.SIGTERM, _leave)   # from here on SIGTERM unwinds cleanly
    try:
        service.start()
        loop.start()
        if config.discovery:
            from onsite_node.discovery import node_discovery
            discovery = node_discovery(service, config.zeroconf_interfaces)
        print(f"Contoso node on http://{args.host}:{args.port}/ (kiosk: /kiosk, staff desk: "
              f"/staff, status: /status)", flush=True)
        if not config.staff_pin_hash:
            print("No staff PIN is set: the staff desk stays locked until "
                  "`contoso node set-staff-pin` (or --staff-pin).", flush=True)
        # waitress serves on this thread; SIGTERM and Ctrl-C end run() after it has given
        # in-flight requests up to 5 s.
        server.run()
    except (SystemExit, KeyboardInterrupt):
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.close()
        loop.stop()
        if discovery:
            discovery.close()
        service.close()
    return 0


def _leave(*_):
    raise SystemExit(0)


def web_server(app, args):
    """waitress, bound now (so a port in use fails before anything starts)."""
    from waitress import create_server
    return create_server(app, host=args.host, port=args.port, threads=args.threads,
                         ident="contoso-node", clear_untrusted_proxy_headers=True,
                         channel_timeout=60)
