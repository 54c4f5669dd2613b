"""`contoso hub worker` sending mail to a real SMTP server: killed with -9 after the server
took a mail but before the hub marked it sent, then started again; the mail goes again with
the same Message-ID, and every mail queued before the restart goes after it."""
import signal
import sqlite3
import subprocess
import sys

import pytest

from event_store.store import utc_now
from hub.mail.dev_server import DevSmtpServer
from tests.support.hub_api import HubClient, make_app
from tests.support.mail import SENDER, received
from tests.support.processes import ROOT, wait_for

pytestmark = pytest.mark.slow
GA = "General admission"


def orders_confirmed(tmp_path, emails):
    setup = HubClient(make_app(tmp_path, utc_now))
    slug, ids, _ = setup.create_conference()
    for email in emails:
        order_id = setup.order(slug, {ids[GA]: 1})
        setup.pump()
        setup.registrant(order_id, email)
        assert setup.pay(order_id).status_code == 200
        setup.pump()
    setup.hub.close()
    return tmp_path / "hub"


def worker(data_dir, server, log):
    return subprocess.Popen(
        [sys.executable, "-m", "contoso", "hub", "worker", "--data-dir", str(data_dir),
         "--lock-wait", "10", "--smtp-host", "127.0.0.1", "--smtp-port", str(server.port),
         "--smtp-security", "none", "--mail-from", SENDER], cwd=ROOT, stdout=log,
        stderr=subprocess.STDOUT)


def statuses(data_dir):
    db = sqlite3.connect(f"file:{data_dir / 'hub.sqlite3'}?mode=ro", uri=True, timeout=10)
    try:
        return dict(db.execute("SELECT recipient, status FROM mail_outbox").fetchall())
    finally:
        db.close()


def test_a_worker_killed_between_the_servers_ok_and_sent_sends_again_with_the_same_id(
        tmp_path):
    data_dir = orders_confirmed(tmp_path, ["ada@example.org", "grace@example.org"])
    server = DevSmtpServer(str(tmp_path / "mailbox")).start()
    server.hold_replies()               # the server keeps the first mail and says nothing
    log = open(tmp_path / "worker.log", "ab")
    first = worker(data_dir, server, log)
    try:
        assert wait_for(server.holding, timeout=30), (tmp_path / "worker.log").read_text()
        assert "sending" in statuses(data_dir).values()
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    server.release_replies()
    [kept] = received(server)
    # Both were claimed in one batch: the second never went, and goes with its own id.
    assert set(statuses(data_dir).values()) == {"sending"}

    second = worker(data_dir, server, log)
    try:
        assert wait_for(lambda: set(statuses(data_dir).values()) == {"sent"}, timeout=30), \
            (tmp_path / "worker.log").read_text()
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(20)
        log.close()
        server.stop()
    mails = received(server)
    assert len(mails) == 3                     # the first twice, the second once
    assert [m["Message-ID"] for m in mails].count(kept["Message-ID"]) == 2
    assert sorted(m["To"] for m in mails[1:]) == ["ada@example.org", "grace@example.org"]
    assert "sent again with the same Message-ID" in (tmp_path / "worker.log").read_text()
