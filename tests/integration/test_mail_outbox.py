"""The e-mail outbox against a real SMTP server (aiosmtpd on loopback): mails made from
events once, sent once, retried with backoff while the server is down, and never lost."""
import datetime as dt

import pytest

from hub.mail import delivery
from hub.mail.models import FAILED, QUEUED, SENDING, SENT, SKIPPED
from tests.support.clock import FakeClock
from tests.support.hub_api import HubClient, make_app
from tests.support.mail import outbox, parts, received, sender_for, smtp_server  # noqa: F401

PUBLIC_URL = "https://tickets.example.org"
GA = "General admission"


@pytest.fixture
def api(tmp_path):
    clock = FakeClock()
    client = HubClient(make_app(tmp_path, clock, public_url=PUBLIC_URL))
    client.clock = clock
    yield client
    client.hub.close()


def confirmed_order(api, email="ada@example.org", seats=1, **conference):
    slug, ids, _ = api.create_conference(**conference)
    order_id = api.order(slug, {ids[GA]: seats})
    api.pump()
    api.registrant(order_id, email)
    assert api.pay(order_id).status_code == 200
    api.pump()
    return order_id


def access_code(api, order_id):
    O = api.hub.models.OrderView
    return O.get(O.order_id == order_id).access_code


def test_a_confirmed_order_sends_one_confirmation_with_its_link_and_access_code(
        api, smtp_server):
    order_id = confirmed_order(api)
    sender = sender_for(api.hub, smtp_server)
    assert sender.send_due().sent == 1

    [mail] = received(smtp_server, "order_confirmation")
    body = parts(mail)
    assert mail["To"] == "ada@example.org"
    assert mail["Subject"] == "Your order for CQRS Summit is confirmed"
    assert mail["From"].addresses[0].display_name == "CQRS Summit via Contoso"
    assert mail["X-Envelope-To"] == "ada@example.org"
    link = f"{PUBLIC_URL}/orders/find?email=ada%40example.org"
    code = access_code(api, order_id)
    for form in (body["text"], body["html"]):
        assert code in form and "CQRS Summit" in form
    assert link in body["text"] and f'href="{link}"' in body["html"]
    assert mail.get_content_type() == "multipart/alternative"

    api.pump()                      # reading the log again, and sending again: nothing more
    assert sender.send_due().sent == 0
    assert len(received(smtp_server, "order_confirmation")) == 1
    [row] = outbox(api.hub, kind="order_confirmation")
    assert (row.status, row.attempts, row.message_id) == (SENT, 1, mail["Message-ID"])


def test_the_link_in_the_mail_opens_the_find_order_page_with_the_address_filled_in(
        api, smtp_server):
    confirmed_order(api)
    sender_for(api.hub, smtp_server).send_due()
    [mail] = received(smtp_server, "order_confirmation")
    link = parts(mail)["text"].split(PUBLIC_URL, 1)[1].split()[0]
    page = api.http.get(link)
    assert page.status_code == 200 and 'value="ada@example.org"' in page.get_data(as_text=True)


def test_the_same_event_read_again_makes_no_second_mail(api, smtp_server):
    from hub.mail.outbox import MailOutbox
    confirmed_order(api)
    [event] = [e for e in api.hub.store.read_all(0, 10_000) if e.type == "OrderConfirmed"]
    with api.hub.db.atomic():
        MailOutbox(api.hub).apply(event)       # as a dead letter retried, or a rebuild would
    assert len(outbox(api.hub, kind="order_confirmation")) == 1


def test_nothing_is_lost_while_the_server_is_down_and_each_mail_arrives_once_when_back(
        api, smtp_server):
    smtp_server.stop()
    confirmed_order(api, "ada@example.org")
    confirmed_order(api, "grace@example.org", slug="second", name="Second Summit")
    sender = sender_for(api.hub, smtp_server)
    first = sender.send_due()
    assert first.trouble and first.sent == 0
    rows = outbox(api.hub)
    assert [(r.status, r.attempts) for r in rows] == [(QUEUED, 1), (QUEUED, 1)]
    start = api.clock()
    for row in rows:        # 30 s, the jitter at its middle
        assert dt.datetime.fromisoformat(row.next_attempt_at) == start + dt.timedelta(seconds=30)
        assert "ConnectionRefusedError" in row.last_error
    assert sender.send_due().trouble == ""       # not due yet: nobody knocks

    api.clock.advance(seconds=31)
    sender.send_due()
    again = outbox(api.hub)
    assert [r.attempts for r in again] == [2, 2]
    assert all(dt.datetime.fromisoformat(r.next_attempt_at) == api.clock()
               + dt.timedelta(seconds=60) for r in again)     # doubled

    smtp_server.start()
    api.clock.advance(seconds=61)
    assert sender.send_due().sent == 2
    mails = received(smtp_server)
    assert sorted(m["To"] for m in mails) == ["ada@example.org", "grace@example.org"]
    assert len({m["Message-ID"] for m in mails}) == 2
    assert [r.status for r in outbox(api.hub)] == [SENT, SENT]


def test_a_server_down_for_an_hour_costs_nothing_and_one_down_for_a_day_fails_the_mail(
        api, smtp_server):
    smtp_server.stop()
    confirmed_order(api)
    sender = sender_for(api.hub, smtp_server)
    for _ in range(12):                          # an hour of attempts, five minutes apart
        sender.send_due()
        api.clock.advance(minutes=5)
    [row] = outbox(api.hub)
    assert row.status == QUEUED and 3 <= row.attempts <= 8
    for _ in range(24):                          # the rest of the day
        api.clock.advance(hours=1)
        sender.send_due()
    [row] = outbox(api.hub)
    assert row.status == FAILED and row.attempts >= 20
    failing = api.clock() - dt.datetime.fromisoformat(row.failing_since)
    assert failing >= delivery.GIVE_UP_AFTER
    smtp_server.start()
    api.clock.advance(hours=1)
    assert sender.send_due().sent == 0           # failed stays failed until an admin retries


class Crash(BaseException):
    """The worker dying between the server's "250" and the commit of "sent"."""


def test_a_crash_between_sending_and_sent_sends_again_with_the_same_message_id(
        api, smtp_server):
    confirmed_order(api)

    def die(row):
        raise Crash()
    with pytest.raises(Crash):
        sender_for(api.hub, smtp_server, after_accepted=die).send_due()
    [row] = outbox(api.hub)
    assert row.status == SENDING
    assert len(received(smtp_server)) == 1      # the server has it; the hub does not know

    restarted = sender_for(api.hub, smtp_server)
    assert restarted.send_due().sent == 0       # claimed by the sender that died
    assert restarted.resume_interrupted() == 1  # a sender starting on SQLite takes it back
    assert restarted.send_due().sent == 1
    first, second = received(smtp_server)
    assert first["Message-ID"] == second["Message-ID"] == row.message_id
    assert parts(first)["text"] == parts(second)["text"] and first["Date"] == second["Date"]
    assert outbox(api.hub)[0].status == SENT


def test_a_claim_of_a_sender_that_died_runs_out_and_another_sends_the_mail(api, smtp_server):
    confirmed_order(api)

    def die(row):
        raise Crash()
    with pytest.raises(Crash):
        sender_for(api.hub, smtp_server, after_accepted=die).send_due()
    other = sender_for(api.hub, smtp_server)
    api.clock.advance(minutes=14)
    assert other.send_due().sent == 0
    api.clock.advance(minutes=2)                 # past the 15-minute claim
    assert other.send_due().sent == 1
    assert len({m["Message-ID"] for m in received(smtp_server)}) == 1


def test_mails_queued_before_a_restart_are_sent_by_the_worker_after_it(tmp_path, smtp_server):
    from hub.http.app import create_app
    from hub.bootstrap import HubConfig
    from tests.support.mail import settings_for
    from tests.support.processes import wait_for

    clock = FakeClock()
    before = HubClient(make_app(tmp_path, clock))             # no SMTP server set: they wait
    confirmed_order(before)
    assert [r.status for r in outbox(before.hub)] == [QUEUED]
    before.hub.close()

    app = create_app(HubConfig(data_dir=str(tmp_path / "hub"), settle_rounds=0,
                               mail=settings_for(smtp_server)), clock=clock, start_worker=True)
    worker = app.extensions["contoso_worker"]
    try:
        assert wait_for(lambda: received(smtp_server))
        assert wait_for(lambda: outbox(app.extensions["contoso_hub"])[0].status == SENT)
    finally:
        worker.stop()
        app.extensions["contoso_hub"].close()
    assert len(received(smtp_server)) == 1


def test_a_ticket_replaced_before_its_mail_went_out_is_skipped_not_sent_to_the_wrong_person(
        api, smtp_server):
    order_id = confirmed_order(api)
    seat = {"first_name": "Alan", "last_name": "Turing", "email": "alan@example.org"}
    assert api.http.put(f"/api/orders/{order_id}/seats/0", headers=api.owner(order_id),
                        json=seat).status_code == 200
    api.pump()
    seat = {"first_name": "Grace", "last_name": "Hopper", "email": "grace@example.org"}
    assert api.http.put(f"/api/orders/{order_id}/seats/0", headers=api.owner(order_id),
                        json=seat).status_code == 200
    api.pump()
    sender_for(api.hub, smtp_server).send_due()
    tickets = {r.recipient: r.status for r in outbox(api.hub, kind="ticket")}
    assert tickets == {"alan@example.org": SKIPPED, "grace@example.org": SENT}
    [notice] = received(smtp_server, "ticket_withdrawn")
    assert notice["To"] == "alan@example.org"
    text = parts(notice)["text"] + parts(notice)["html"]
    assert "Grace" not in text and "grace@example.org" not in text
    [ticket] = received(smtp_server, "ticket")
    assert ticket["To"] == "grace@example.org"
    assert "ada@example.org" not in parts(ticket)["text"] + parts(ticket)["html"]
