"""`contoso hub worker`: the pump in a process of its own, with no HTTP.

On SQLite one worker per data folder (a second one is refused: two pumps would
handle the same commands); on PostgreSQL several may run, commands being claimed
in the bus. It stops cleanly on SIGTERM or Ctrl-C after the round under way.
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import logging
import os
import faulthandler
import signal
import sys
import time

from hub.bootstrap import HubConfig, bootstrap
from hub.platform.wake import alarm_for
from hub.platform.worker import Worker

log = logging.getLogger(__name__)

# Exit code when a worker already pumps this SQLite data folder: EX_TEMPFAIL, so a systemd
# unit can say RestartPreventExitStatus=75 (gunicorn itself uses 1, 3 and 4).
ANOTHER_WORKER_RUNNING = 75
LOCK_NAME = "worker.lock"
_PR_SET_PDEATHSIG = 1


class WorkerLock:
    """One worker per SQLite data folder: an flock held on data_dir/worker.lock while it runs.

    The kernel drops it when the process dies, however it dies, so a stale lock never
    blocks a restart."""

    def __init__(self, data_dir: str):
        os.makedirs(data_dir, exist_ok=True)
        self.path = os.path.join(data_dir, LOCK_NAME)
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)

    def acquire(self, wait_seconds: float = 0) -> bool:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() >= deadline:
                    return False
                time.sleep(0.1)
                continue
            os.ftruncate(self.fd, 0)
            os.write(self.fd, f"{os.getpid()}\n".encode())
            return True

    def holder(self) -> str:
        """The pid written by the worker holding the lock (for the refusal message)."""
        with open(self.path) as f:
            return f.read().strip() or "unknown"

    def release(self) -> None:
        os.close(self.fd)


def exit_with_parent(parent_pid: int) -> None:
    """Started by `contoso hub run`: get SIGTERM when it dies, even by kill -9 (Linux)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        log.debug("no prctl: this worker outlives a killed hub")
    if os.getppid() != parent_pid:     # the parent died before prctl took effect
        sys.exit(0)


def refusal(data_dir: str, holder: str) -> str:
    return (f"Another hub worker (pid {holder}) is already running on {data_dir}: on SQLite "
            f"only one worker may pump a hub. Stop it, or start the web side alone with "
            f"`contoso hub run --no-worker`.")


def mail_line(mail) -> str:
    if not mail.sending:
        return "no SMTP server set: mails wait in the outbox"
    return f"mail through {mail.smtp_host}:{mail.port} ({mail.smtp_security})"


def run_worker(config: HubConfig, *, interval: float, lock_wait: float = 0,
               ready_fd: int | None = None, parent_pid: int | None = None) -> int:
    """Run the pump until SIGTERM or SIGINT; return the exit code."""
    if parent_pid:
        exit_with_parent(parent_pid)
    lock = None
    if not config.db_url:
        lock = WorkerLock(config.data_dir)
        if not lock.acquire(lock_wait):
            print(refusal(config.data_dir, lock.holder()), file=sys.stderr, flush=True)
            return ANOTHER_WORKER_RUNNING
    hub = bootstrap(config)
    alarm = alarm_for(hub)
    worker = Worker(hub, interval, alarm)
    signal.signal(signal.SIGTERM, lambda *_: worker.stop())
    faulthandler.register(signal.SIGUSR1)   # `kill -USR1 <pid>`: where it is, on stderr
    # Under `contoso hub run` Ctrl-C reaches the whole group: the hub stops its worker
    # itself (SIGTERM) once the web processes are down.
    signal.signal(signal.SIGINT, signal.SIG_IGN if parent_pid else lambda *_: worker.stop())
    if ready_fd is not None:
        os.write(ready_fd, b"ready")
        os.close(ready_fd)
    print(f"Contoso hub worker (pid {os.getpid()}) pumping every {interval:g} s and when "
          f"woken; {mail_line(config.mail)}", flush=True)
    try:
        worker.run()
    finally:
        alarm.close()
        hub.close()
        if lock:
            lock.release()
    print(f"Contoso hub worker (pid {os.getpid()}) stopped after {worker.rounds} round(s)",
          flush=True)
    return 0
