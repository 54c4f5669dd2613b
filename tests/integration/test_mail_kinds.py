"""What each mail says, and to whom: read back from the real SMTP server."""
import io

import pypdf
import pytest
from pyzbar.pyzbar import decode

from hub.mail.models import FAILED
from tests.support.clock import FakeClock
from tests.support.hub_api import HubClient, make_app
from tests.support.mail import outbox, parts, received, sender_for, smtp_server  # noqa: F401

GA = "General admission"
HOSTILE = '<script>alert("x")</script>'
HOSTILE_LAST = '"><img src=x onerror=alert(1)>'


@pytest.fixture
def api(tmp_path):
    client = HubClient(make_app(tmp_path, FakeClock()))
    yield client
    client.hub.close()


def order_with_seats(api, seats=2, registrant="ada@example.org", **conference):
    slug, ids, _ = api.create_conference(**conference)
    order_id = api.order(slug, {ids[GA]: seats})
    api.pump()
    api.registrant(order_id, registrant)
    assert api.pay(order_id).status_code == 200
    api.pump()
    return order_id


def assign(api, order_id, position, first, last, email):
    r = api.http.put(f"/api/orders/{order_id}/seats/{position}", headers=api.owner(order_id),
                     json={"first_name": first, "last_name": last, "email": email})
    assert r.status_code == 200, r.get_json()
    api.pump()


def test_a_hostile_attendee_name_is_escaped_in_the_html_of_the_mail(api, smtp_server):
    order_id = order_with_seats(api, name="Summit <b>&</b> Co")
    assign(api, order_id, 0, HOSTILE, HOSTILE_LAST, "eve@example.org")
    sender_for(api.hub, smtp_server).send_due()
    [ticket] = received(smtp_server, "ticket")
    html = parts(ticket)["html"]
    assert HOSTILE not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert "Summit &lt;b&gt;&amp;&lt;/b&gt; Co" in html
    assert HOSTILE in parts(ticket)["text"]                # the text part says it as it is
    assert ticket["Subject"] == "Your ticket for Summit <b>&</b> Co"


def test_each_attendee_gets_their_own_ticket_attached_and_nothing_of_the_others(
        api, smtp_server):
    order_id = order_with_seats(api)
    assign(api, order_id, 0, "Alan", "Turing", "alan@example.org")
    assign(api, order_id, 1, "Grace", "Hopper", "grace@example.org")
    sender_for(api.hub, smtp_server).send_due()
    tickets = {m["To"]: m for m in received(smtp_server, "ticket")}
    assert set(tickets) == {"alan@example.org", "grace@example.org"}
    K = api.hub.models.TicketView
    for position, (email, name, other) in enumerate([("alan@example.org", "Alan", "Grace"),
                                                     ("grace@example.org", "Grace", "Alan")]):
        body = parts(tickets[email])
        words = body["text"] + body["html"]
        assert name in words and other not in words and "ada@example.org" not in words
        [(filename, content_type, data)] = body["attachments"]
        code = K.get((K.order_id == order_id) & (K.position == position)).code
        assert content_type == "application/pdf" and filename.endswith(f"-seat-{position + 1}.pdf")
        page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
        assert name in page.extract_text() and other not in page.extract_text()
        assert [found.data.decode() for image in page.images
                for found in decode(image.image)] == [code]


def test_renaming_an_attendee_sends_their_updated_ticket(api, smtp_server):
    order_id = order_with_seats(api, seats=1)
    assign(api, order_id, 0, "Alan", "Turing", "alan@example.org")
    sender = sender_for(api.hub, smtp_server)
    sender.send_due()
    assign(api, order_id, 0, "Alan M.", "Turing", "alan@example.org")
    sender.send_due()
    first, second = received(smtp_server, "ticket")
    assert first["Subject"] == "Your ticket for CQRS Summit"
    assert second["Subject"] == "Your updated ticket for CQRS Summit"
    assert "Alan M. Turing" in parts(second)["text"]
    assert not received(smtp_server, "ticket_withdrawn")


def test_an_address_no_mail_can_carry_is_failed_at_once_for_the_admin(api, smtp_server):
    order_id = order_with_seats(api, seats=1)
    assign(api, order_id, 0, "Odd", "One", "odd,one@example.org")
    sender_for(api.hub, smtp_server).send_due()
    [row] = outbox(api.hub, kind="ticket")
    assert row.status == FAILED and "cannot be written" in row.last_error
    assert not received(smtp_server, "ticket")


def test_a_non_ascii_address_is_sent_with_smtputf8(api, smtp_server):
    order_with_seats(api, seats=1, registrant="josé.müller@example.org")
    assert sender_for(api.hub, smtp_server).send_due().sent == 1
    [mail] = received(smtp_server, "order_confirmation")
    assert mail["X-Envelope-To"] == "josé.müller@example.org"
