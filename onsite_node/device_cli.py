"""The node's device options and commands: printer, camera, staff PIN, test print."""
from __future__ import annotations

import argparse
import getpass
import sys

from onsite_node import credentials as creds_file
from onsite_node import settings


def add_device_options(run: argparse.ArgumentParser) -> None:
    """`contoso node run` options for the printer, the camera and the staff desk."""
    run.add_argument("--printer", default=None, metavar="SPEC",
                     help="the badge printer (forms below; default: folder:DATA_DIR/prints)")
    add_paper_width(run)
    run.add_argument("--camera", type=int, default=None, metavar="INDEX",
                     help="scan QR codes with the camera /dev/videoINDEX (default: no camera)")
    run.add_argument("--staff-pin", default=None, metavar="DIGITS",
                     help="the staff PIN for this run (default: the one set with set-staff-pin)")
    run.add_argument("--staff-idle-timeout", type=float, default=300.0, metavar="SECONDS",
                     help="lock the staff desk after this long without use (default 300)")
    run.add_argument("--secure-cookies", action="store_true",
                     help="mark the staff session cookie Secure (behind an HTTPS proxy)")


def add_paper_width(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--paper-width", type=int, choices=(58, 80), default=None,
                        help="paper width in mm (default 58, or the printer JSON's)")


def device_config(args) -> dict:
    """NodeConfig fields from the options; ValueError says what is wrong with them."""
    pin_hash = (settings.hash_pin(args.staff_pin) if args.staff_pin
                else settings.load(args.data_dir).get("staff_pin_hash"))
    return {"printer": settings.parse_printer(args.printer, args.data_dir, args.paper_width),
            "camera_index": args.camera, "staff_pin_hash": pin_hash,
            "staff_idle_timeout_s": args.staff_idle_timeout,
            "secure_cookies": bool(getattr(args, "secure_cookies", False))}


def add_device_commands(commands) -> None:
    pin = commands.add_parser("set-staff-pin", help="set the PIN that unlocks the staff desk")
    pin.add_argument("--data-dir", default="data/node")
    pin.add_argument("--pin", default=None, help="4 to 12 digits (default: asked for, hidden)")
    pin.set_defaults(run=run_set_staff_pin)

    test = commands.add_parser("test-print", help="print a test badge on the configured printer",
                               formatter_class=argparse.RawDescriptionHelpFormatter,
                               epilog=settings.PRINTER_FORMS)
    test.add_argument("--data-dir", default="data/node")
    test.add_argument("--printer", default=None, metavar="SPEC", help="the printer (forms below)")
    add_paper_width(test)
    test.set_defaults(run=run_test_print)


def run_set_staff_pin(args) -> int:
    pin = args.pin
    if pin is None:
        pin = getpass.getpass("New staff PIN (4 to 12 digits): ")
        if getpass.getpass("Once more: ") != pin:
            print("The two PINs differ; nothing changed.", file=sys.stderr)
            return 2
    if not settings.valid_pin(pin):
        print("A staff PIN is 4 to 12 digits; nothing changed.", file=sys.stderr)
        return 2
    settings.set_staff_pin(args.data_dir, pin)
    print(f"Staff PIN set for the node in {args.data_dir}; restart the node to use it.")
    return 0


def run_test_print(args) -> int:
    from onsite_node.badges import printer_test_content
    from printers.badge import render_badge, width_for_paper
    from printers.output import PrinterUnavailable, printer_from_config
    from event_store.ids import uuid7

    try:
        config = settings.parse_printer(args.printer, args.data_dir, args.paper_width)
    except ValueError as e:
        print(e, file=sys.stderr)
        return 2
    conference, node = "Contoso", "this node"
    try:
        credentials = creds_file.load(args.data_dir)
        conference = credentials.get("conference", {}).get("name", conference)
        node = credentials.get("name", node)
    except creds_file.NotEnrolled:
        pass
    image = render_badge(printer_test_content(conference, node),
                         width_for_paper(int(config["paper_width_mm"])))
    job_id = f"test-{uuid7()}"
    try:
        printer_from_config(config).print_image(image, job_id=job_id)
    except PrinterUnavailable as unavailable:
        print(f"The test badge did not print: {unavailable.reason}", file=sys.stderr)
        return 1
    where = f" in {config['path']} ({job_id}.png)" if config["kind"] == "folder" else ""
    print(f"Test badge printed{where}.")
    return 0
