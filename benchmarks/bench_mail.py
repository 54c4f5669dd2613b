"""The mail outbox beside the pump: what the MailOutbox reader costs a round, how fast the
sender sends to a real SMTP server (aiosmtpd on loopback), and whether the sender slows the
pump. Figures:

  mail_pump_share  pump time to reserve 40 new orders while the sender works through a
                   backlog (the demo's seeded orders' mails), against no sender at all
                   (baseline); `no_yield_s`: the same with the sender not waiting for the
                   pump to be between rounds
  mail_send        mails sent per second (baseline: none); `reader_ms_per_event`: what
                   MailOutbox.apply costs per event that makes a mail
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time

from benchmarks.figures import cleanup, emit, note, sized, workdir
from hub import demo
from hub.bootstrap import HubConfig, bootstrap
from hub.mail import outbox
from hub.mail.sender import MailSender
from hub.mail.settings import MailSettings
from hub.orders import registration
from hub.platform.worker import Worker

NEW_ORDERS = 40


def seeded(folder: str, orders: int) -> float:
    """Seed the demo's orders; return the reader's time per event that makes a mail (ms)."""
    spent, events = [0.0], [0]
    apply = outbox.MailOutbox.apply

    def timed(self, event):
        started = time.perf_counter()
        apply(self, event)
        spent[0] += time.perf_counter() - started
        events[0] += 1
    outbox.MailOutbox.apply = timed
    try:
        hub = bootstrap(HubConfig(data_dir=folder))
        demo.seed(hub, orders, progress=lambda line: None)
        hub.close()
    finally:
        outbox.MailOutbox.apply = apply
    return spent[0] * 1000 / max(events[0], 1)


class ServerProcess:
    """The SMTP server in a process of its own, as a real one would be: its work never
    shares this process's interpreter lock with the pump being measured."""

    def __init__(self, folder: str):
        self.port = free_port()
        self.proc = subprocess.Popen([sys.executable, "-c", SERVE, folder, str(self.port)])
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the SMTP server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


SERVE = """
import sys, threading
from hub.mail.dev_server import DevSmtpServer
DevSmtpServer(sys.argv[1], port=int(sys.argv[2])).start()
threading.Event().wait()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def settings(server) -> MailSettings:
    return MailSettings(smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none",
                        sender_address="tickets@contoso.example")


def pump_time(seed: str, folder: str, server, variant: str) -> float:
    """Seconds the worker's pump takes to reserve NEW_ORDERS orders placed at once."""
    shutil.copytree(seed, folder)
    hub = bootstrap(HubConfig(data_dir=folder, settle_rounds=0))
    mail = MailSender(hub, settings(server)) if variant != "none" else None
    worker = Worker(hub, interval=0.05, mail=mail)
    if variant == "no_yield":
        mail.pump_idle = None
    worker.start()
    time.sleep(1.0)     # the sender is into its backlog
    T, O = hub.models.SeatType, hub.models.OrderView
    ga = T.get(T.name == "General admission").id
    started = time.perf_counter()
    placed = []
    for _ in range(NEW_ORDERS):
        placed.append(registration.place_order(hub, demo.DEMO_SLUG,
                                               [{"seat_type": ga, "quantity": 1}]))
        worker.wake()
    while O.select().where(O.order_id.in_(placed) & (O.status == "reserved")).count() \
            < NEW_ORDERS:
        time.sleep(0.005)
    elapsed = time.perf_counter() - started
    worker.stop()
    hub.close()
    return elapsed


def main() -> None:
    work = workdir("mail")
    try:
        orders = sized(200, 40)
        note(f"seeding {orders} orders")
        reader_ms = seeded(f"{work}/seed", orders)
        server = ServerProcess(f"{work}/mailbox")
        try:
            shutil.copytree(f"{work}/seed", f"{work}/send")
            hub = bootstrap(HubConfig(data_dir=f"{work}/send"))
            note("sending the backlog")
            started = time.perf_counter()
            sent = MailSender(hub, settings(server)).send_due().sent
            rate = sent / (time.perf_counter() - started)
            hub.close()
            times = {}
            for n, variant in enumerate(["none", "yield", "no_yield"] * 3):
                note(f"pump beside the sender: {variant}")
                times.setdefault(variant, []).append(
                    pump_time(f"{work}/seed", f"{work}/pump{n}", server, variant))
        finally:
            server.stop()
        best = {variant: min(values) for variant, values in times.items()}
        emit("mail_pump_share", round(best["yield"], 3), "s", round(best["none"], 3),
             round(best["yield"] / best["none"], 2), no_yield_s=round(best["no_yield"], 3),
             orders=NEW_ORDERS, backlog=sent)
        emit("mail_send", round(rate, 1), "mails/s", None, None, mails=sent,
             reader_ms_per_event=round(reader_ms, 3))
    finally:
        cleanup(work)


if __name__ == "__main__":
    main()
