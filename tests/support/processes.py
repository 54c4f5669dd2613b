"""Start the real `contoso` command as a separate process on loopback."""
import os
import signal
import socket
import subprocess
import sys
import time

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Service:
    """A `contoso ...` process that serves HTTP; stopped with SIGTERM or killed with -9."""

    def __init__(self, args, port, log_path):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = open(log_path, "ab")
        self.proc = subprocess.Popen([sys.executable, "-m", "contoso", *args], cwd=ROOT,
                                     stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self, path="/api/openapi.json", timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"service exited with {self.proc.returncode}")
            try:
                if requests.get(self.url + path, timeout=1).status_code < 500:
                    return self
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.1)
        raise TimeoutError(f"{self.url} not ready")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    def kill(self):
        self.proc.kill()
        self.proc.wait()
        self.log.close()


def start_hub(data_dir, log_path, *extra):
    """`contoso hub run` (gunicorn and its pump worker); extra: more of its options."""
    port = free_port()
    return Service(["hub", "run", "--data-dir", str(data_dir), "--port", str(port),
                    "--zeroconf-interface", "127.0.0.1", *extra], port,
                   log_path).wait_ready()


def children(pid) -> list[str]:
    """The command lines of a process's direct children (Linux /proc)."""
    return list(child_processes(pid).values())


def child_processes(pid) -> dict[int, str]:
    """A process's direct children: {pid: command line} (Linux /proc)."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            if ppid == pid:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    found[int(entry)] = f.read().replace(b"\0", b" ").decode().strip()
        except (OSError, IndexError, ValueError):
            continue       # it ended while we looked
    return found


def wait_for(predicate, timeout=20, interval=0.05):
    """Poll until predicate() returns a truthy value; return it (the test asserts on it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()
