"""`contoso hub ...`: run the hub, create nodes and admins, rebuild its read models."""
from __future__ import annotations

import argparse
import sys

from hub.bootstrap import HubConfig, bootstrap
from hub.mail import settings as mail_settings


def add_commands(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="hub_command", required=True)

    run = commands.add_parser("run", help="serve the hub (gunicorn) and run its pump worker")
    _database_options(run)
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--web-processes", type=int, default=1, metavar="N",
                     help="gunicorn web processes (default 1)")
    run.add_argument("--threads", type=int, default=8, metavar="N",
                     help="request threads per web process (default 8)")
    run.add_argument("--no-worker", action="store_true",
                     help="serve only; the pump runs elsewhere (`contoso hub worker`, "
                          "e.g. under systemd)")
    run.add_argument("--proxy-hops", type=int, default=0, metavar="N",
                     help="trust X-Forwarded-For/-Proto/-Host/-Port/-Prefix from N reverse "
                          "proxies in front (default 0: trust none)")
    run.add_argument("--access-log", action="store_true", help="log every request to stderr")
    _pump_options(run)
    _mail_options(run)
    run.add_argument("--no-discovery", action="store_true",
                     help="do not announce the hub on the LAN with zeroconf")
    run.add_argument("--secure-cookies", action="store_true",
                     help="mark session cookies Secure (serve behind HTTPS)")
    run.add_argument("--zeroconf-interface", action="append", default=None,
                     help="announce on this interface address only (repeatable)")
    run.set_defaults(run=run_hub)

    worker = commands.add_parser("worker", help="run the hub's pump (commands, readers, "
                                                "expiry) in this process, with no HTTP")
    _database_options(worker)
    _pump_options(worker)
    _mail_options(worker)
    worker.add_argument("--lock-wait", type=float, default=0, metavar="SECONDS",
                        help="on SQLite, wait this long for a stopping worker to let go")
    worker.add_argument("--ready-fd", type=int, default=None, help=argparse.SUPPRESS)
    worker.add_argument("--parent-pid", type=int, default=None, help=argparse.SUPPRESS)
    worker.set_defaults(run=run_worker)

    node = commands.add_parser("create-node",
                               help="create an on-site node and print its one-time enrollment code")
    _database_options(node)
    node.add_argument("--conference", required=True, help="the conference's slug")
    node.add_argument("--name", required=True, help="e.g. 'Door A'")
    node.set_defaults(run=create_node)

    pin = commands.add_parser("set-staff-pin",
                              help="set the staff PIN of every door of a conference (synced hashed)")
    _database_options(pin)
    pin.add_argument("--conference", required=True, help="the conference's slug")
    pin.add_argument("--pin-stdin", action="store_true", help="read the PIN from standard input")
    pin.set_defaults(run=set_staff_pin)

    allocate = commands.add_parser("allocate", help="move seats of a seat type to a node to sell")
    _database_options(allocate)
    allocate.add_argument("--conference", required=True, help="the conference's slug")
    allocate.add_argument("--node", required=True, help="the node's name")
    allocate.add_argument("--seat-type", required=True, help="the seat type's name")
    allocate.add_argument("--quantity", type=int, required=True)
    allocate.set_defaults(run=allocate_seats)

    admin = commands.add_parser("create-admin",
                                help="add a hub admin (asks for the password)")
    _database_options(admin)
    admin.add_argument("--email", required=True)
    admin.add_argument("--password-stdin", action="store_true",
                       help="read the password from the first line of standard input (scripts)")
    admin.set_defaults(run=create_admin)

    rebuild = commands.add_parser("rebuild-read-models",
                                  help="empty the read models and replay the log into them")
    _database_options(rebuild)
    rebuild.set_defaults(run=rebuild_read_models)


def _database_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", default="data/hub",
                        help="folder for the SQLite database (default: data/hub)")
    parser.add_argument("--db", default=None,
                        help="database URL for a large hub, e.g. postgresql://user:pw@host/db")
    # Every command that opens the hub may run its pump, and the pump writes the links of
    # the mails it queues.
    parser.add_argument("--public-url", type=_checked(mail_settings.public_url), default=None,
                        metavar="URL", help="the hub's address as registrants reach it, "
                        "e.g. https://tickets.example.org: links in mails start with it "
                        "(default http://127.0.0.1:<port>)")


def _mail_options(parser: argparse.ArgumentParser) -> None:
    mail = parser.add_argument_group("e-mail (docs/mail.md)")
    mail.add_argument("--smtp-host", default="", metavar="HOST",
                      help="the SMTP server mails go through (default none: mails wait "
                           "queued in the outbox)")
    mail.add_argument("--smtp-port", type=_checked(_port), default=None, metavar="PORT",
                      help="default 25, 587 or 465 by --smtp-security")
    mail.add_argument("--smtp-security", choices=mail_settings.SECURITIES, default="starttls",
                      help="starttls (default), tls (implicit, SMTPS) or none")
    mail.add_argument("--smtp-user", default="", metavar="USER")
    mail.add_argument("--smtp-password-file", default=None, metavar="PATH",
                      help="its first line is the SMTP password (else "
                           f"${mail_settings.PASSWORD_ENV}); never given on the command line")
    mail.add_argument("--smtp-ca-file", default="", metavar="PATH",
                      help="trust this CA bundle for the server's certificate (default: "
                           "the system's)")
    mail.add_argument("--mail-from", default="", metavar="ADDRESS",
                      help="the sender address, e.g. tickets@example.org (needed to send)")
    mail.add_argument("--mail-from-name", default="Contoso", metavar="NAME",
                      help='mails come from "<conference name> via NAME" (default Contoso)')


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise mail_settings.MailSettingsError(f"{text!r} is not a TCP port (1 to 65535).") \
            from None
    return mail_settings.smtp_port(value)


def _checked(check):
    """An argparse type from a settings check: its message is the error argparse prints."""
    def parse(text: str):
        try:
            return check(text)
        except mail_settings.MailSettingsError as refused:
            raise argparse.ArgumentTypeError(str(refused)) from None
    parse.__name__ = check.__name__
    return parse


def _pump_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pump-interval", type=float, default=1.0, metavar="SECONDS",
                        help="pump this often when nobody wakes the worker (default 1): "
                             "delayed commands such as reservation expiry fire within it")


def config_from(args) -> HubConfig:
    config = HubConfig(data_dir=args.data_dir, db_url=args.db,
                       secure_cookies=getattr(args, "secure_cookies", False),
                       public_url=public_url_of(args), mail=mail_settings_from(args))
    threads = getattr(args, "threads", None)
    if threads:     # half a web process's threads may wait on an order, never all of them
        config.order_waiters_max = max(1, threads // 2)
    return config


def public_url_of(args) -> str:
    if getattr(args, "public_url", None):
        return args.public_url
    return f"http://127.0.0.1:{args.port}" if getattr(args, "port", None) \
        else mail_settings.DEFAULT_PUBLIC_URL


def mail_settings_from(args) -> mail_settings.MailSettings:
    """The SMTP settings of `hub run` and `hub worker` (none for the other commands); what
    cannot work stops the command at once with what to change (exit status 2)."""
    if not hasattr(args, "smtp_host"):
        return mail_settings.MailSettings()
    try:
        return mail_settings.MailSettings(
            smtp_host=args.smtp_host, smtp_port=args.smtp_port, smtp_security=args.smtp_security,
            smtp_user=args.smtp_user,
            smtp_password=mail_settings.password_from(args.smtp_password_file),
            smtp_ca_file=args.smtp_ca_file, sender_address=args.mail_from,
            sender_name=args.mail_from_name)
    except mail_settings.MailSettingsError as refused:
        print(f"contoso hub: {refused}", file=sys.stderr)
        raise SystemExit(2) from None


def run_hub(args) -> int:
    """Serve with gunicorn until SIGTERM or Ctrl-C, one pump worker process beside it."""
    from hub.http.serve import HubServer, WorkerChild, gunicorn_options, run_master
    config = config_from(args)
    hub = bootstrap(config)        # tables made once, before web processes and worker start
    args.hub_id = hub.hub_id
    hub.close()
    worker = None
    if not args.no_worker:
        worker = WorkerChild(worker_args(args))
        code = worker.start()
        if code is not None:
            print(f"The hub did not start: its worker stopped (exit code {code}).",
                  file=sys.stderr)
            return code
    discovery = []

    def ready():
        if not args.no_discovery:
            discovery.append(advertise(args))
        print(f"Contoso hub on http://{args.host}:{args.port}/  (API: /api/openapi.json)",
              flush=True)
    options = gunicorn_options(args.host, args.port, processes=args.web_processes,
                               threads=args.threads, on_ready=ready, access_log=args.access_log)

    def stop_the_rest():
        if worker:
            worker.stop()
        for d in discovery:
            d.close()
    return run_master(HubServer(config, options, proxy_hops=args.proxy_hops), stop_the_rest)


def worker_args(args) -> list[str]:
    """The `contoso hub worker` options that `hub run` starts its worker with."""
    options = ["--data-dir", args.data_dir, "--pump-interval", str(args.pump_interval),
               # A worker of the hub just killed may still be finishing its round.
               "--lock-wait", "10", "--public-url", public_url_of(args),
               # The password is not passed: the worker reads the same file or environment.
               "--smtp-host", args.smtp_host, "--smtp-security", args.smtp_security,
               "--smtp-user", args.smtp_user, "--smtp-ca-file", args.smtp_ca_file,
               "--mail-from", args.mail_from, "--mail-from-name", args.mail_from_name]
    options += ["--smtp-port", str(args.smtp_port)] if args.smtp_port else []
    options += ["--smtp-password-file", args.smtp_password_file] \
        if args.smtp_password_file else []
    return options + (["--db", args.db] if args.db else [])


def run_worker(args) -> int:
    """Pump until SIGTERM or Ctrl-C; on SQLite refuse if a worker already runs."""
    import logging

    from hub.platform.worker_process import run_worker as run
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    return run(config_from(args), interval=args.pump_interval, lock_wait=args.lock_wait,
               ready_fd=args.ready_fd, parent_pid=args.parent_pid)


def advertise(args):
    """Announce `_contoso-hub._tcp` so nodes on the venue LAN find the hub unconfigured."""
    from sync_protocol.discovery import HUB_SERVICE, Discovery, service_info
    from sync_protocol.wire import PROTOCOL_VERSION
    discovery = Discovery(args.zeroconf_interface)
    discovery.advertise(service_info(HUB_SERVICE, f"contoso-hub-{args.port}", args.host,
                                     args.port, {"protocol": PROTOCOL_VERSION,
                                                 "hub_id": getattr(args, "hub_id", "")}))
    return discovery


def set_staff_pin(args) -> int:
    import getpass

    from hub.venue import staff_pin
    from hub.conferences.management_queries import conference_by_slug
    from shared_domain.errors import DomainError
    pin = sys.stdin.readline().strip() if args.pin_stdin else getpass.getpass("Staff PIN: ")
    hub = bootstrap(config_from(args))
    conference = conference_by_slug(hub, args.conference)
    if conference is None:
        print(f"No conference with the slug '{args.conference}'.", file=sys.stderr)
        return 2
    try:
        staff_pin.set_staff_pin(hub, conference.id, pin, by="command line")
    except DomainError as e:
        print(e.message, file=sys.stderr)
        return 2
    print(f"Staff PIN set for {conference.name}; the doors learn it at their next sync.")
    hub.close()
    return 0


def allocate_seats(args) -> int:
    from hub.venue import allocations
    from hub.conferences.management_queries import conference_by_slug
    hub = bootstrap(config_from(args))
    conference = conference_by_slug(hub, args.conference)
    N, T = hub.models.Node, hub.models.SeatType
    node = conference and N.get_or_none((N.conference_id == conference.id) & (N.name == args.node))
    seat_type = conference and T.get_or_none((T.conference == conference.id) & (T.name == args.seat_type))
    if not node or not seat_type:
        print("No such conference, node or seat type.", file=sys.stderr)
        return 2
    granted = allocations.allocate(hub, node, seat_type.id, args.quantity)
    hub.run_until_idle()
    print(f"{node.name} may now sell {granted} more seat(s) of {seat_type.name}.")
    hub.close()
    return 0


def create_node(args) -> int:
    from hub.venue import nodes
    from hub.conferences.management_queries import conference_by_slug
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


def create_admin(args) -> int:
    """Add a hub admin; the password never appears on the command line."""
    import getpass

    from hub.accounts import admins
    from shared_domain.errors import DomainError
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat the password: ") != password:
            print("The two passwords differ; no admin was created.", file=sys.stderr)
            return 2
    hub = bootstrap(config_from(args))
    try:
        admin = admins.create_admin(hub, args.email, password)
    except DomainError as refusal:
        fields = getattr(refusal, "fields", {})
        details = "; ".join(f"{k}: {v}" for k, v in fields.items())
        print(f"{refusal.message} {details}".strip(), file=sys.stderr)
        return 2
    finally:
        hub.close()
    print(f"Hub admin {admin.email} created: sign in at <hub URL>/admin/login")
    return 0


def rebuild_read_models(args) -> int:
    from event_store.readers import rebuild
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
