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
    run.set_defaults(run=run_hub)

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
    from hub.app import create_app
    app = create_app(config_from(args))
    print(f"Contoso hub on http://{args.host}:{args.port}/  (API: /api/openapi.json)", flush=True)
    try:
        app.run(host=args.host, port=args.port, threaded=True, use_reloader=False)
    finally:
        worker = app.extensions.get("contoso_worker")
        if worker is not None:
            worker.stop()
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
