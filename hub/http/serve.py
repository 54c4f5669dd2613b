"""`contoso hub run`: gunicorn (gthread) web processes, and by default one pump worker process.

The gunicorn master (this process) forks the web processes; each builds its own app with
`create_app(start_worker=False)`, so no web process ever pumps. The master also starts
`contoso hub worker` as a child and restarts it if it dies. See docs/deployment.md.
"""
from __future__ import annotations

import ctypes
import logging
import os
import signal
import subprocess
import sys
import threading

from gunicorn.app.base import BaseApplication

from hub.bootstrap import HubConfig

log = logging.getLogger(__name__)
_PR_SET_PDEATHSIG = 1


def _die_with_master() -> None:
    """A web process killed with its master (kill -9 included) frees the port at once."""
    try:
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass        # gunicorn's own check stops an orphan within a second


class HubServer(BaseApplication):
    """gunicorn driven from Python, so the hub stays one command."""

    def __init__(self, config: HubConfig, options: dict, proxy_hops: int = 0):
        self.config = config
        self.options = options
        self.proxy_hops = proxy_hops
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:     # settings newer than the installed gunicorn: skip
                self.cfg.set(key, value)

    def load(self):
        from hub.http.app import create_app
        return create_app(self.config, start_worker=False, proxy_hops=self.proxy_hops)


def run_master(server: HubServer, on_exit) -> int:
    """Run gunicorn's master on this process until it stops; return its exit status.

    The web processes are forked from inside run(), so they leave through these same
    frames: on_exit (stopping the worker, withdrawing zeroconf) runs in the master only."""
    master = os.getpid()
    try:
        server.run()
    except SystemExit as e:
        if os.getpid() != master:
            raise
        return e.code or 0      # gunicorn's master leaves by sys.exit
    finally:
        if os.getpid() == master:
            on_exit()
    return 0


def gunicorn_options(host: str, port: int, *, processes: int, threads: int,
                     on_ready=None, access_log: bool = False) -> dict:
    return {
        "bind": [f"{host}:{port}"],
        "workers": processes,
        "worker_class": "gthread",
        "threads": threads,
        "graceful_timeout": 10,      # SIGTERM: in-flight requests get this long to finish
        "keepalive": 5,
        "proc_name": "contoso-hub",
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        # The scheme, host and client address come from ProxyFix (--proxy-hops) only, so
        # there is one place that decides whom to trust.
        "secure_scheme_headers": {},
        "forwarded_allow_ips": "",
        # gunicorn >= 25: one control socket per user would be shared by every hub.
        "control_socket_disable": True,
        "post_fork": lambda arbiter, worker: _die_with_master(),
        "when_ready": lambda arbiter: on_ready and on_ready(),
    }


class WorkerChild:
    """The pump worker process beside the web processes; restarted if it dies."""

    RESTART_DELAY = 2.0

    def __init__(self, worker_args: list[str]):
        self.args = worker_args
        self.proc: subprocess.Popen | None = None
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._started = threading.Event()
        self.first_exit: int | None = None

    def start(self, timeout: float = 60) -> int | None:
        """Start it and wait until it holds its lock; None if running, else its exit code.

        It is started and watched from one thread that lives as long as this process,
        because the kernel's parent-death signal follows the thread that forked."""
        self._thread = threading.Thread(target=self._supervise, name="hub-worker-child",
                                        daemon=True)
        self._thread.start()
        self._started.wait(timeout)
        return self.first_exit

    def _spawn(self) -> tuple[subprocess.Popen, bool]:
        read, write = os.pipe()
        proc = subprocess.Popen([sys.executable, "-m", "contoso", "hub", "worker", *self.args,
                                 "--ready-fd", str(write), "--parent-pid", str(os.getpid())],
                                pass_fds=(write,))
        os.close(write)
        with os.fdopen(read, "rb") as ready:
            # Five bytes, not up to EOF: a web process forked meanwhile may hold a copy of
            # the write end. EOF first: the worker stopped before pumping.
            ok = ready.read(5) == b"ready"
        return proc, ok

    def _supervise(self) -> None:
        first = True
        while not self._stopping.is_set():
            self.proc, ok = self._spawn()
            if first:
                first = False
                if not ok:
                    self.first_exit = self.proc.wait()
                    self._started.set()
                    return
                self._started.set()
            # gunicorn's master may reap this child before we do (it waits on any pid):
            # then poll() reports 0, which is all we need to know that it is gone.
            while self.proc.poll() is None and not self._stopping.wait(0.5):
                pass
            if not self._stopping.is_set():
                log.error("hub worker process %s stopped (%s); restarting it in %.0f s",
                          self.proc.pid, self.proc.returncode, self.RESTART_DELAY)
                self._stopping.wait(self.RESTART_DELAY)

    def stop(self, timeout: float = 15) -> None:
        self._stopping.set()
        proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self._thread is not None:
            self._thread.join(timeout)
