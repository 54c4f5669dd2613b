"""Cancellation and "resend its mails", as mails read back from the real SMTP server: the
registrant told who cancelled and what is refunded, each other attendee told their ticket no
longer opens the door, and a resend making the order's true mails once more."""
import pytest

from tests.support.clock import FakeClock
from tests.support.hub_api import HubClient, make_app
from tests.support.mail import outbox, parts, received, sender_for, smtp_server  # noqa: F401

GA = "General admission"


@pytest.fixture
def api(tmp_path):
    client = HubClient(make_app(tmp_path, FakeClock()))
    client.conference = client.create_conference(cancellation_deadline="2026-05-20T12:00")
    yield client
    client.hub.close()


def confirmed_with_attendees(api, attendees):
    slug, ids, _ = api.conference
    order_id = api.order(slug, {ids[GA]: len(attendees)})
    api.pump()
    api.registrant(order_id, "ada@example.org")
    assert api.pay(order_id).status_code == 200
    api.pump()
    for position, (first, email) in enumerate(attendees):
        r = api.http.put(f"/api/orders/{order_id}/seats/{position}",
                         headers=api.owner(order_id),
                         json={"first_name": first, "last_name": "Example", "email": email})
        assert r.status_code == 200, r.get_json()
        api.pump()
    return order_id


def cancel_as_organiser(api, order_id, reason="Asked by phone"):
    slug, _, auth = api.conference
    r = api.http.post(f"/api/conferences/{slug}/orders/{order_id}/cancel", headers=auth,
                      json={"reason": reason})
    assert r.status_code == 200, r.get_json()
    api.pump()


def test_a_cancelled_order_mails_its_registrant_and_each_other_attendee(api, smtp_server):
    order_id = confirmed_with_attendees(api, [("Ada", "ada@example.org"),
                                              ("Alan", "alan@example.org")])
    sender = sender_for(api.hub, smtp_server)
    sender.send_due()
    cancel_as_organiser(api, order_id)
    sender.send_due()

    [cancelled] = received(smtp_server, "order_cancelled")
    assert cancelled["To"] == "ada@example.org"
    assert cancelled["Subject"] == "Your order for CQRS Summit is cancelled"
    text = parts(cancelled)["text"]
    assert "Hello Ada, the organiser cancelled your order" in text and "Asked by phone" in text
    assert "The $398.00 paid for it is refunded." in text
    [notice] = received(smtp_server, "ticket_cancelled")     # Ada has the order's own mail
    assert notice["To"] == "alan@example.org"
    words = parts(notice)["text"] + parts(notice)["html"]
    assert "has been cancelled" in words and "ada@example.org" not in words
    assert "Asked by phone" not in words                      # the registrant's business

    cancel_as_organiser(api, order_id)                        # twice is once
    sender.send_due()
    assert len(received(smtp_server, "order_cancelled")) == 1


def test_the_registrants_own_cancellation_says_so(api, smtp_server):
    order_id = confirmed_with_attendees(api, [("Ada", "ada@example.org")])
    r = api.http.post(f"/api/orders/{order_id}/cancel", headers=api.owner(order_id),
                      json={"reason": ""})
    assert r.status_code == 200, r.get_json()
    api.pump()
    sender_for(api.hub, smtp_server).send_due()
    [cancelled] = received(smtp_server, "order_cancelled")
    text = parts(cancelled)["text"]
    assert "you cancelled your order" in text and "Reason" not in text
    assert not received(smtp_server, "ticket_cancelled")


def test_resend_makes_the_confirmation_and_each_live_ticket_again(api, smtp_server):
    order_id = confirmed_with_attendees(api, [("Alan", "alan@example.org"),
                                              ("Grace", "grace@example.org")])
    sender = sender_for(api.hub, smtp_server)
    sender.send_due()
    first = len(received(smtp_server))
    slug, _, auth = api.conference
    assert api.http.post(f"/api/conferences/{slug}/orders/{order_id}/resend-mails",
                         headers=auth).status_code == 202
    api.pump()
    sender.send_due()
    again = received(smtp_server)[first:]
    assert sorted((m["X-Contoso-Mail"], m["To"]) for m in again) == [
        ("order_confirmation", "ada@example.org"), ("ticket", "alan@example.org"),
        ("ticket", "grace@example.org")]
    assert all("Sent again at the organiser's request." in parts(m)["text"] for m in again)
    assert all(parts(m)["attachments"] for m in again if m["X-Contoso-Mail"] == "ticket")
    assert len({m["Message-ID"] for m in received(smtp_server)}) == len(received(smtp_server))


def test_resend_of_a_cancelled_order_sends_the_cancellation_not_a_confirmation(api,
                                                                              smtp_server):
    order_id = confirmed_with_attendees(api, [("Alan", "alan@example.org")])
    cancel_as_organiser(api, order_id)
    slug, _, auth = api.conference
    assert api.http.post(f"/api/conferences/{slug}/orders/{order_id}/resend-mails",
                         headers=auth).status_code == 202
    api.pump()
    sender_for(api.hub, smtp_server).send_due()
    kinds = [m["X-Contoso-Mail"] for m in received(smtp_server)]
    assert kinds.count("order_cancelled") == 2 and kinds.count("order_confirmation") == 1
    # The ticket was revoked before its mail went out: skipped, and nothing live to resend.
    assert "ticket" not in kinds
    assert [r.status for r in outbox(api.hub, kind="ticket")] == ["skipped"]


def test_a_seat_the_organiser_gives_to_someone_else_tells_the_old_holder_who(api, smtp_server):
    order_id = confirmed_with_attendees(api, [("Alan", "alan@example.org")])
    slug, _, auth = api.conference
    r = api.http.put(f"/api/conferences/{slug}/orders/{order_id}/seats/0", headers=auth,
                     json={"first_name": "Grace", "last_name": "Hopper",
                           "email": "grace@example.org"})
    assert r.status_code == 200, r.get_json()
    api.pump()
    sender_for(api.hub, smtp_server).send_due()
    [notice] = received(smtp_server, "ticket_withdrawn")
    text = parts(notice)["text"]
    assert notice["To"] == "alan@example.org" and "released by the organiser" in text
    assert "Grace" not in text and "grace@example.org" not in text
