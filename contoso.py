"""The `contoso` command: a thin composition root that loads the hub's or the node's commands."""
from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="contoso", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    from hub import cli as hub_cli
    hub_cli.add_commands(commands.add_parser("hub", help="run and manage the hub"))
    from onsite_node import cli as node_cli
    node_cli.add_commands(commands.add_parser("node", help="enroll and run an on-site node"))
    demo = commands.add_parser("demo", help="a hub and two doors on this machine, on embedded "
                                            "defaults; or a scenario played against them")
    import contoso_demo
    contoso_demo.add_arguments(demo)

    args = parser.parse_args(argv)
    return args.run(args) or 0


if __name__ == "__main__":
    sys.exit(main())
