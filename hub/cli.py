"""`contoso hub ...`: run the hub, rebuild its read models."""
from __future__ import annotations

import argparse
import sys

from hub.bootstrap import HubConfig, bootstrap


def add_commands(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="hub_command", required=True)

    run = commands.add_parser("run", help="serve the hub")
    _database_options(run)
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--no-discovery", action="store_true",
                     help="do not announce the hub on the LAN with zeroconf")
    run.add_argument("--zeroconf-interface", action="append", default=None,
                     help="announce on this interface address only (repeatable)")
    run.set_defaults(run=run_hub)

    node = commands.add_parser("create-node",
                               help="create an on-site node and print its one-time enrollment code")
    _database_options(node)
    node.add_argument("--conference", required=True, help="the conference's slug")
    node.add_argument("--name", required=True, help="e.g. 'Door A'")
    node.set_defaults(run=create_node)

    rebuild = commands.add_parser("rebuild-read-models",
                                  help="empty the read models and replay the log into them")
    _database_options(rebuild)
    rebuild.set_defaults(run=rebuild_read_models)


def _database_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", default="data/hub",
                        help="folder for the SQLite database (default: data/hub)")
    parser.add_argument("--db", default=None,
                        help="database URL for a large hub, e.g. postgresql://user:pw@host/db")


def config_from(args) -> HubConfig:
    return HubConfig(data_dir=args.data_dir, db_url=args.db)


def run_hub(args) -> int:
    """Serve until SIGTERM or Ctrl-C; the pump runs in this process only."""
    import signal
    import threading

    from werkzeug.serving import make_server

    from hub.app import create_app
    app = create_app(config_from(args))
    server = make_server(args.host, args.port, app, threaded=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    discovery = None if args.no_discovery else advertise(args)
    print(f"Contoso hub on http://{args.host}:{args.port}/  (API: /api/openapi.json)", flush=True)
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        app.extensions["contoso_worker"].stop()
        if discovery:
            discovery.close()
    return 0


def advertise(args):
    """Announce `_contoso-hub._tcp` so nodes on the venue LAN find the hub unconfigured."""
    from sync_protocol.discovery import HUB_SERVICE, Discovery, service_info
    from sync_protocol.wire import PROTOCOL_VERSION
    discovery = Discovery(args.zeroconf_interface)
    discovery.advertise(service_info(HUB_SERVICE, f"contoso-hub-{args.port}", args.host,
                                     args.port, {"protocol": PROTOCOL_VERSION}))
    return discovery


def create_node(args) -> int:
    from hub import nodes
    from hub.management_queries import conference_by_slug
    hub = bootstrap(config_from(args))
    conference = conference_by_slug(hub, args.conference)
    if conference is None:
        print(f"No conference with the slug '{args.conference}'.", file=sys.stderr)
        return 2
    node, code = nodes.create_node(hub, conference, args.name)
    print(f"Node '{node.name}' for {conference.name}: id {node.id}")
    print(f"Enrollment code (one use, valid 24 hours): {code}")
    print(f"On the device: contoso node enroll --hub <hub URL> --code {code}")
    hub.close()
    return 0


def rebuild_read_models(args) -> int:
    from sync_protocol.readers import rebuild
    hub = bootstrap(config_from(args))

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} events")
        sys.stderr.flush()

    count = rebuild(hub.store, hub.read_models, progress=show)
    sys.stderr.write("\n")
    print(f"Read models rebuilt from {count} events.")
    hub.close()
    return 0
