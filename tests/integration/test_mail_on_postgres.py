"""Two workers' mail senders on one PostgreSQL database: each mail is claimed by one of them
(FOR UPDATE SKIP LOCKED) and reaches the SMTP server exactly once."""
import collections
import threading

import pytest

from hub.mail.models import SENT
from tests.support.clock import FakeClock
from tests.support.hub_api import close_all, web_and_workers
from tests.support.mail import outbox, received, sender_for, smtp_server  # noqa: F401

GA = "General admission"
ORDERS = 20


@pytest.fixture
def hubs(tmp_path, postgres_cluster):
    web, workers = web_and_workers(tmp_path, postgres_cluster.new_database(), FakeClock())
    yield web, workers
    close_all(web, workers)


def test_two_senders_never_send_one_mail_twice(hubs, smtp_server):
    web, workers = hubs
    slug, ids, _ = web.create_conference()
    for n in range(ORDERS):
        order_id = web.order(slug, {ids[GA]: 1})
        web.pump()
        web.registrant(order_id, f"r{n}@example.org")
        assert web.pay(order_id).status_code == 200
    web.pump()
    assert len(outbox(web.hub)) == ORDERS

    start, errors = threading.Barrier(2), []
    senders = [sender_for(hub, smtp_server, batch=2) for hub in workers]

    def send(sender):
        try:
            start.wait()
            for _ in range(ORDERS):
                sender.send_due()
        except Exception as broken:     # shown by the assert below
            errors.append(broken)
        finally:
            sender.hub.db.close()
    threads = [threading.Thread(target=send, args=(s,)) for s in senders]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    ids_received = collections.Counter(m["Message-ID"] for m in received(smtp_server))
    assert len(ids_received) == ORDERS and set(ids_received.values()) == {1}
    rows = outbox(web.hub)
    assert {r.status for r in rows} == {SENT} and {r.attempts for r in rows} == {1}
