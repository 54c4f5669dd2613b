"""`contoso demo`: the whole system on one machine (a hub and two doors as separate processes),
and scenarios played against it. Part of the `contoso` command's side: it may use both `hub`
and `onsite_node`, which never import each other."""
from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", default="demo-data",
                        help="the demo's databases, badges and logs (default: demo-data)")
    parser.add_argument("--port", type=int, default=8000, help="the hub's port (default 8000)")
    parser.add_argument("--node-ports", type=int, nargs=2, default=[8101, 8102],
                        metavar=("DOOR_A", "DOOR_B"), help="the doors' ports (default 8101 8102)")
    parser.add_argument("--network-port", type=int, default=8099,
                        help="the port of the venue network relay the doors talk through "
                             "(default 8099)")
    parser.add_argument("--smtp-port", type=int, default=8025,
                        help="the port of the demo's SMTP server the hub mails to (default 8025)")
    parser.add_argument("--mailbox-port", type=int, default=8026,
                        help="the port of the page showing the mails it received (default 8026)")
    parser.add_argument("--orders", type=int, default=200,
                        help="paid orders to seed the first time (default 200)")
    parser.add_argument("--scenario", choices=["venue-day"], default=None,
                        help="play a scenario against the demo running on --data-dir")
    parser.set_defaults(run=run)


def run(args) -> int:
    if args.scenario == "venue-day":
        from contoso_demo import venue_day
        return venue_day.run(args.data_dir)
    from contoso_demo import start
    return start.run(args)
