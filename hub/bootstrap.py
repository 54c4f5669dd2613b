"""Wires the hub: one database, the log, the bus, the readers. Nothing happens at import."""
from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from dataclasses import dataclass, field
from typing import Callable


from hub.mail.outbox import MailOutbox
from hub.mail.settings import DEFAULT_PUBLIC_URL, MailSettings, public_url
from hub.platform.bus import CommandBus
from hub.venue.checkins import CheckInRules
from hub.venue.nodes import EventSigners
from hub.orders.handlers import Handlers
from hub.models import hub_models
from hub.venue.onsite_sales import OnSiteSales
from hub.venue.origins import OriginGuard, guarded
from hub.orders.processes import RegistrationProcesses
from hub.promotions.handlers import PromotionHandlers
from hub.promotions.read_model import PromotionViews
from hub.orders.read_models import ReadModels
from hub.orders.router import IntegrationRouter
from hub.orders.tickets import TicketIssuer
from hub.waitlists.handlers import WaitlistHandlers
from hub.waitlists.models import waitlist_models
from hub.waitlists.offers import WaitlistOffers
from hub.waitlists.read_model import WaitlistViews
from shared_domain import edge_facts, orders
from shared_domain.catalog import ALL_MESSAGES
from event_store.database import (add_missing_columns, close_for_good, is_postgres,
                                   open_database)
from event_store.ids import uuid7
from event_store.readers import ReaderPositions, catch_up, feed
from event_store.statements import Sql
from event_store.registry import EventRegistry
from event_store.store import EventStore, utc_now

log = logging.getLogger(__name__)

PUMP_BATCH = 500    # events read per round: the readers' slices and the commit stay short


@dataclass
class HubConfig:
    data_dir: str = "data/hub"
    db_url: str | None = None          # a PostgreSQL URL for a large hub; else SQLite in data_dir
    reservation_window: dt.timedelta = orders.RESERVATION_WINDOW   # the domain's one window
    # Seats are released this long after the registrant's countdown ends, so a
    # payment in flight at the deadline can still finish.
    release_buffer: dt.timedelta = dt.timedelta(minutes=5)
    secret_key: str | None = None     # None: kept in data_dir/secret.key, made on first start
    max_body_bytes: int = 1_000_000
    secure_cookies: bool = False      # True behind HTTPS: session cookies get Secure
    # Pump rounds a request runs itself after starting a reservation or a payment (0: leave
    # it all to the worker, as the tests that drive the pump by hand do).
    settle_rounds: int = 4
    # Requests that wait for an order to move on (hub/orders/order_progress.py, docs/api.md): the
    # API's ?wait is cut to the first, the order pages' POSTs wait the second, and at most
    # the third wait at once per process (each holds a server thread meanwhile).
    order_wait_max_seconds: float = 25
    order_page_wait_seconds: float = 3
    order_waiters_max: int = 32
    # The hub's address as registrants reach it (links in mails), and where mails go
    # (hub/mail/settings.py, docs/mail.md); no SMTP host: mails wait in the outbox.
    public_url: str = DEFAULT_PUBLIC_URL
    mail: MailSettings = field(default_factory=MailSettings)

    def __post_init__(self):
        self.public_url = public_url(self.public_url)

    @property
    def database(self) -> str:
        return self.db_url or os.path.join(self.data_dir, "hub.sqlite3")


def stored_secret(data_dir: str) -> str:
    """The hub's session-signing secret, made once and kept (mode 0600) so sessions survive restarts."""
    path = os.path.join(data_dir, "secret.key")
    if not os.path.exists(path):
        os.makedirs(data_dir, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(os.urandom(32).hex())
    with open(path) as f:
        return f.read().strip()


def message_registry() -> EventRegistry:
    return EventRegistry.of(ALL_MESSAGES)


class Hub:
    """The hub's write and read side over one database."""

    def __init__(self, config: HubConfig, clock: Callable[[], dt.datetime] = utc_now):
        self.config = config
        self.clock = clock
        self.db = open_database(config.database)
        self.registry = message_registry()
        self.store = EventStore(self.db, self.registry, clock)
        self.models = hub_models(self.db)
        self.event_signers = EventSigners(self)    # the hub's events signed at append
        self.processes = RegistrationProcesses(self)
        self.read_models = ReadModels(self)
        self.waitlist_models = waitlist_models(self.db)
        self.waitlist_views = WaitlistViews(self, self.waitlist_models)
        core = Handlers(self)
        self.bus = CommandBus(self, {**core.table(), **PromotionHandlers(self).table(),
                                     **WaitlistHandlers(self, core).table()})
        self.readers = guarded([IntegrationRouter(self), self.processes, OnSiteSales(self),
                                TicketIssuer(self), CheckInRules(self), self.read_models,
                                MailOutbox(self), PromotionViews(self), WaitlistOffers(self),
                                self.waitlist_views])
        self._pump_lock = threading.Lock()
        self._sql = sql = Sql(self.db)      # the idle check, written once: it runs every tick
        q, p = sql.q, sql.p
        events, queue, positions = (q(m._meta.table_name) for m in (
            self.store.models.EventRecord, self.models.QueuedCommand,
            self.store.models.ReaderPosition))
        # One statement: the log's end, whether a command is due, and the readers' lowest
        # position and how many of them have a row.
        names = ", ".join([p] * len(self.readers))
        self._idle_check = (
            f"SELECT (SELECT MAX({q('position')}) FROM {events}), EXISTS(SELECT 1 FROM {queue} "
            f"WHERE {q('status')} = {p} AND {q('deliver_at')} <= {p}), "
            f"(SELECT MIN({q('position')}) FROM {positions} WHERE {q('name')} IN ({names})), "
            f"(SELECT COUNT(*) FROM {positions} WHERE {q('name')} IN ({names}))")
        self._reader_names = tuple(reader.name for reader in self.readers)

    @property
    def hub_id(self) -> str:
        """This hub's identity on the LAN: nodes adopt only the hub they enrolled with."""
        path = os.path.join(self.config.data_dir, "hub_id")
        if not os.path.exists(path):
            os.makedirs(self.config.data_dir, exist_ok=True)
            with open(path, "w") as f:
                f.write(uuid7())
        with open(path) as f:
            return f.read().strip()

    def create_tables(self) -> None:
        self.store.create_tables()
        self.db.create_tables(self.models.all, safe=True)
        self.db.create_tables(self.waitlist_models.all, safe=True)
        add_missing_columns(self.db, self.models.QueuedCommand, ["refusal_code"])
        # Columns of order management (issue 14) on tables an older release made.
        add_missing_columns(self.db, self.models.Conference, ["cancellation_deadline"])
        add_missing_columns(self.db, self.models.OrderView, [
            "cancelled_by", "cancelled_role", "cancellation_reason", "cancelled_at"])
        positions = ReaderPositions(self.store)
        for reader in self.readers:    # new to a log with a past: from its end (the mail)
            if getattr(reader, "starts_at_log_end", False) and positions.peek(reader.name) is None:
                positions.set(reader.name, self.store.last_position())
        positions.ensure([reader.name for reader in self.readers])

    def run_until_idle(self, max_rounds: int = 10_000) -> int:
        """Run pump rounds until one finds nothing to do; return the work done."""
        with self._pump_lock:
            return self._rounds(max_rounds)

    def settle(self, wait_s: float = 2.0) -> int:
        """Run a few pump rounds in the caller's thread, so what a request just started (a
        reservation, a confirmation) is decided before it answers, as the CQRS Journey V3 did
        in-process; a worker does whatever is left. Bounded: a busy hub is never idle.

        A reservation takes three rounds (the process manager asks, the seats answer, the
        order and its read model follow), a confirmation with its assignments four.
        """
        if self.config.settle_rounds <= 0:
            return 0
        if not self._pump_lock.acquire(timeout=wait_s):
            return 0    # this process's own pump is at it
        try:
            return self._rounds(self.config.settle_rounds)
        finally:
            self._pump_lock.release()

    def _rounds(self, max_rounds: int) -> int:
        done = 0
        for _ in range(max_rounds):
            work = self._isolated(self.run_round)
            if not work:
                break
            done += work
        return done

    def run_round(self) -> int:
        """One unit of work: read the log once, feed every reader the events after its own
        position, handle the due commands, and commit once; return the work done.

        The round is first tried straight, with no savepoint: every reader's slice and every
        command in the one transaction. Should anything in it fail, be refused or clash, the
        whole transaction is rolled back and the round run again with care: each reader's
        slice and each command in a savepoint of its own, so a failure is rolled back alone
        (a reader sets the event aside, event_store/readers.py; a command is marked refused
        or failed, hub/platform/bus.py). Refusals and failures are rare in a round, and
        savepoints were a seventh of the statements of an order.
        When everything is caught up the round is one read and no write transaction.
        """
        behind, due = self._work()
        if not (behind or due):
            return 0
        skip_locked = is_postgres(self.db)
        try:
            with self.db.atomic():
                return self._straight_round(behind, due, skip_locked)
        except Exception as failed:   # all of it undone: again, each part on its own
            log.debug("hub pump: a round went wrong straight (%r); run again with care", failed)
        with self.db.atomic():
            return (feed(self.store, self.readers, batch=PUMP_BATCH, skip_locked=skip_locked)
                    + self.bus.dispatch_due())

    def _straight_round(self, behind: bool, due: bool, skip_locked: bool) -> int:
        """The round with no savepoint. What the idle check saw before the transaction
        began leaves out a part with nothing to do: the readers when none was behind, the
        queue when no command was due and the readers sent none. Either may have changed
        since; what it missed is done in the next round, which the work of this one, or
        the wake of whoever queued it, brings (a request wakes the worker after its
        commit)."""
        sent = self.bus.sent
        work = 0
        if behind:
            work += feed(self.store, self.readers, batch=PUMP_BATCH, skip_locked=skip_locked,
                         careful=False)
        if due or self.bus.sent != sent:
            work += self.bus.dispatch_due(careful=False)
        return work

    def has_work(self) -> bool:
        """Whether a reader is behind the log or a command is due: one read, no lock."""
        return any(self._work())

    def _work(self) -> tuple[bool, bool]:
        """(a reader is behind the log or has no position yet, a command is due)."""
        last, any_due, lowest, rows = self._sql.run(
            self._idle_check, ("pending", self.clock().isoformat(), *self._reader_names,
                               *self._reader_names)).fetchone()
        behind = rows < len(self._reader_names) or (lowest or 0) < (last or 0)
        return behind, bool(any_due)

    @staticmethod
    def _isolated(step: Callable[[], int]) -> int:
        """A round that fails as a whole (the database went away) is logged, and the next
        tick tries again; Ctrl-C and SIGTERM (BaseException) still stop the pump."""
        try:
            return step()
        except Exception:
            log.exception("hub pump: a round failed; retried at the next tick")
            return 0

    def publish(self, stream: str, events: list, *, conference: str,
                expected_version: int | None = None, causation: str | None = None,
                correlation: str | None = None) -> list:
        """Append the hub's events to a stream under the conference's hub origin: the one way
        the hub writes its log (command handlers, readers, management, admins)."""
        return self.store.append(stream, expected_version, events,
                                 origin=edge_facts.hub_origin(conference), conference=conference,
                                 causation=causation, correlation=correlation,
                                 sign_row=self.event_signers.sign_row(conference))

    def append_consequences(self, stream: str, events: list, cause,
                            correlation: str | None = None) -> None:
        """Append hub events that a logged event caused, after what the stream holds."""
        if events:
            self.publish(stream, events, conference=cause.conference,
                         expected_version=self.store.stream_version(stream),
                         causation=cause.id, correlation=correlation or stream)

    def refresh_read_models(self) -> None:
        """Bring the read models up to the log now, so a caller reads its own writes."""
        catch_up(self.store, OriginGuard(self.read_models))

    def close(self) -> None:
        close_for_good(self.db)


def bootstrap(config: HubConfig, clock: Callable[[], dt.datetime] = utc_now) -> Hub:
    hub = Hub(config, clock)
    hub.create_tables()
    return hub

