"""The demo's child processes: `contoso hub run` and `contoso node run`, each logging to a file."""
from __future__ import annotations

import signal
import subprocess
import sys
import time

import requests


class Child:
    """One `contoso ...` process in its own session: Ctrl-C in the terminal reaches the demo
    only, which then stops each child with SIGTERM and waits for it."""

    def __init__(self, name: str, args: list[str], log_path: str, url: str):
        self.name, self.url = name, url
        self.log_path = log_path
        with open(log_path, "ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "contoso", *args], stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def wait_ready(self, path: str, timeout: float = 60) -> "Child":
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ChildFailed(self)
            try:
                if requests.get(self.url + path, timeout=2).status_code < 500:
                    return self
            except requests.RequestException:
                time.sleep(0.2)
        raise ChildFailed(self, f"did not answer on {self.url} within {timeout:.0f} s")

    def stop(self, timeout: float = 20) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log_tail(self, lines: int = 15) -> str:
        with open(self.log_path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])


class ChildFailed(RuntimeError):
    def __init__(self, child: Child, why: str = ""):
        why = why or f"exited with status {child.proc.returncode}"
        super().__init__(f"{child.name} {why}; the end of {child.log_path}:\n{child.log_tail()}")


class Children:
    def __init__(self):
        self.started: list[Child] = []

    def start(self, *args, **kwargs) -> Child:
        child = Child(*args, **kwargs)
        self.started.append(child)
        return child

    def watch(self, interval: float = 0.5) -> None:
        """Return never; raise ChildFailed when one of them exits on its own."""
        while True:
            for child in self.started:
                if child.proc.poll() is not None:
                    raise ChildFailed(child)
            time.sleep(interval)

    def stop_all(self) -> None:
        """The nodes first (their last sync reaches a hub still up), then the hub."""
        for child in reversed(self.started):
            child.stop()
