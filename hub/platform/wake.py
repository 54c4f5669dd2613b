"""Wakes the hub's worker process when a request leaves it work.

On SQLite the worker binds a unix datagram socket in the data folder and a web process
sends it one byte; on PostgreSQL web processes `NOTIFY contoso_pump` and every worker
LISTENs. A wake that is lost (no worker yet, a full queue) costs at most one pump
interval: the worker pumps on its timer as well.
"""
from __future__ import annotations

import hashlib
import logging
import os
import selectors
import socket
import threading

from event_store.database import is_postgres

log = logging.getLogger(__name__)

CHANNEL = "contoso_pump"
SOCKET_NAME = "pump.sock"
_SUN_PATH_MAX = 107        # sockaddr_un holds 108 bytes with the final NUL


def socket_address(data_dir: str) -> str:
    """The wake socket of a data folder: a file in it, or (path too long) an abstract name."""
    path = os.path.join(os.path.abspath(data_dir), SOCKET_NAME)
    if len(os.fsencode(path)) <= _SUN_PATH_MAX:
        return path
    # Linux's abstract namespace has no length trouble and leaves no file behind.
    return "\0contoso-pump-" + hashlib.sha256(os.fsencode(path)).hexdigest()[:40]


class Sender:
    """A web process's side: tell the worker(s) there is work. Never fails the request."""

    def __init__(self, hub):
        self.hub = hub
        self.postgres = is_postgres(hub.db)
        self.address = None if self.postgres else socket_address(hub.config.data_dir)
        self._socket: socket.socket | None = None
        self._lock = threading.Lock()

    def __call__(self) -> None:
        try:
            if self.postgres:
                # Inside a transaction PostgreSQL delivers it at commit: the worker never
                # wakes before it can see the work.
                self.hub.db.execute_sql(f"NOTIFY {CHANNEL}")
            else:
                self._datagram_socket().sendto(b"!", self.address)
        except Exception as e:   # no worker bound, queue full (a wake is pending anyway)
            log.debug("worker not woken: %s", e)

    def _datagram_socket(self) -> socket.socket:
        with self._lock:
            if self._socket is None:
                self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                self._socket.setblocking(False)
            return self._socket


class Alarm:
    """A worker's side: wait until woken, stopped, or the interval has passed.

    This base alarm is rung from the same process only (a worker thread next to the web
    app in tests and `create_app(start_worker=True)`); ring() is safe in a signal handler.
    """

    def __init__(self):
        self._read, self._write = os.pipe()
        os.set_blocking(self._read, False)
        os.set_blocking(self._write, False)
        self.closed = False

    def ring(self) -> None:
        if self.closed:     # never write to a descriptor number since reused
            return
        try:
            os.write(self._write, b"!")
        except (BlockingIOError, OSError):   # full: already rung; closed: stopping
            pass

    def wait(self, timeout: float) -> bool:
        """Block up to timeout seconds; True if something rang (the rings are consumed)."""
        # A selector, not select.select: that one refuses descriptors above 1023, and a
        # process holding many files (a long test run, a busy hub) then never slept at all.
        with selectors.DefaultSelector() as selector:
            try:
                for source in (self._read, *self._sources()):
                    selector.register(source, selectors.EVENT_READ)
                ready = [key.fileobj for key, _ in selector.select(timeout)]
            except (OSError, ValueError):   # a source went away: the caller pumps anyway
                return True
        for source in ready:
            self._drain(source)
        return bool(ready)

    def _sources(self) -> list:
        return []

    def _drain(self, source) -> None:
        try:
            while os.read(self._read, 4096):
                pass
        except (BlockingIOError, OSError):
            pass

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        for fd in (self._read, self._write):
            try:
                os.close(fd)
            except OSError:
                pass


class SocketAlarm(Alarm):
    """Rung by web processes through the data folder's datagram socket (SQLite hubs).

    Only the single worker binds it (it holds the worker lock), so a socket file left by
    a killed worker is stale and replaced."""

    def __init__(self, data_dir: str):
        super().__init__()
        self.address = socket_address(data_dir)
        if not self.address.startswith("\0") and os.path.exists(self.address):
            os.unlink(self.address)
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.socket.bind(self.address)
        self.socket.setblocking(False)

    def _sources(self) -> list:
        return [self.socket]

    def _drain(self, source) -> None:
        if source is not self.socket:
            return super()._drain(source)
        try:
            while self.socket.recv(64):
                pass
        except (BlockingIOError, OSError):
            pass

    def close(self) -> None:
        self.socket.close()
        if not self.address.startswith("\0"):
            try:
                os.unlink(self.address)
            except OSError:
                pass
        super().close()


class NotifyAlarm(Alarm):
    """Rung by `NOTIFY contoso_pump` (PostgreSQL hubs): a connection of its own LISTENs.

    If that connection breaks (the database restarted) the worker falls back to its timer
    and listens again at the next wait."""

    def __init__(self, db):
        super().__init__()
        self.db = db
        self.connection = None
        self._listen()

    def _listen(self) -> None:
        import psycopg2
        try:
            self.connection = psycopg2.connect(database=self.db.database, **self.db.connect_params)
            self.connection.autocommit = True
            self.connection.cursor().execute(f"LISTEN {CHANNEL}")
        except psycopg2.Error as e:
            log.warning("hub worker: cannot LISTEN for wakes (%s); pumping on the timer", e)
            self.connection = None

    def wait(self, timeout: float) -> bool:
        if self.connection is None or self.connection.closed:
            self._listen()
        return super().wait(timeout)

    def _sources(self) -> list:
        return [self.connection] if self.connection is not None else []

    def _drain(self, source) -> None:
        if source is not self.connection:
            return super()._drain(source)
        try:
            self.connection.poll()
            self.connection.notifies.clear()
        except Exception as e:
            log.warning("hub worker: lost the LISTEN connection (%s)", e)
            self._close_connection()

    def _close_connection(self) -> None:
        try:
            self.connection.close()
        except Exception:
            pass
        self.connection = None

    def close(self) -> None:
        if self.connection is not None:
            self._close_connection()
        super().close()


def alarm_for(hub) -> Alarm:
    """The alarm the hub's web processes ring: NOTIFY on PostgreSQL, the socket on SQLite."""
    if is_postgres(hub.db):
        return NotifyAlarm(hub.db)
    return SocketAlarm(hub.config.data_dir)
