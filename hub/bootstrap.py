"""Wires the hub: one database, the log, the bus, the readers. Nothing happens at import."""
from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from dataclasses import dataclass
from typing import Callable

from hub.bus import CommandBus
from hub.checkins import CheckInRules
from hub.handlers import Handlers
from hub.models import hub_models
from hub.onsite_sales import OnSiteSales
from hub.origins import OriginGuard, guarded
from hub.processes import RegistrationProcesses
from hub.read_models import ReadModels
from hub.router import IntegrationRouter
from hub.tickets import TicketIssuer
from shared_domain.catalog import ALL_COMMANDS, ALL_EVENTS
from sync_protocol.database import open_database
from sync_protocol.ids import uuid7
from sync_protocol.readers import catch_up
from sync_protocol.registry import EventRegistry
from sync_protocol.store import EventStore, utc_now

log = logging.getLogger(__name__)


@dataclass
class HubConfig:
    data_dir: str = "data/hub"
    db_url: str | None = None          # a PostgreSQL URL for a large hub; else SQLite in data_dir
    reservation_window: dt.timedelta = dt.timedelta(minutes=15)
    # Seats are released this long after the registrant's countdown ends, so a
    # payment in flight at the deadline can still finish.
    release_buffer: dt.timedelta = dt.timedelta(minutes=5)
    secret_key: str | None = None     # None: kept in data_dir/secret.key, made on first start
    max_body_bytes: int = 1_000_000
    secure_cookies: bool = False      # True behind HTTPS: session cookies get Secure

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
    registry = EventRegistry()
    registry.register_all(ALL_EVENTS)
    registry.register_all(ALL_COMMANDS)
    return registry


class Hub:
    """The hub's write and read side over one database."""

    def __init__(self, config: HubConfig, clock: Callable[[], dt.datetime] = utc_now):
        self.config = config
        self.clock = clock
        self.db = open_database(config.database)
        self.registry = message_registry()
        self.store = EventStore(self.db, self.registry, clock)
        self.models = hub_models(self.db)
        self.processes = RegistrationProcesses(self)
        self.read_models = ReadModels(self)
        self.bus = CommandBus(self, Handlers(self).table())
        self.readers = guarded([IntegrationRouter(self), self.processes, OnSiteSales(self),
                                TicketIssuer(self), CheckInRules(self), self.read_models])
        self._pump_lock = threading.Lock()

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

    def run_until_idle(self, max_rounds: int = 10_000) -> int:
        """Handle due commands and feed every reader until nothing is left; return the work done.

        A reader sets aside an event it fails on (sync_protocol.readers.catch_up). What
        still fails here is a whole batch (the database went away) or a command: it is
        logged, and the other readers still get their round; the next tick tries again.
        """
        with self._pump_lock:
            done = 0
            for _ in range(max_rounds):
                work = self._isolated("handling due commands", self.bus.dispatch_due)
                for reader in self.readers:
                    work += self._isolated(f"feeding reader {reader.name}",
                                           lambda: catch_up(self.store, reader))
                if not work:
                    break
                done += work
            return done

    @staticmethod
    def _isolated(what: str, step: Callable[[], int]) -> int:
        try:
            return step()
        except Exception:   # never BaseException: Ctrl-C and SIGTERM still stop the pump
            log.exception("hub pump: %s failed; retried at the next tick", what)
            return 0

    def append_consequences(self, stream: str, events: list, cause,
                            correlation: str | None = None) -> None:
        """Append hub events that a logged event caused, under the conference's hub origin."""
        if events:
            self.store.append(stream, self.store.stream_version(stream), events,
                              origin=f"hub/{cause.conference}", conference=cause.conference,
                              causation=cause.id, correlation=correlation or stream)

    def refresh_read_models(self) -> None:
        """Bring the read models up to the log now, so a caller reads its own writes."""
        catch_up(self.store, OriginGuard(self.read_models))

    def close(self) -> None:
        self.db.close()


def bootstrap(config: HubConfig, clock: Callable[[], dt.datetime] = utc_now) -> Hub:
    hub = Hub(config, clock)
    hub.create_tables()
    return hub
