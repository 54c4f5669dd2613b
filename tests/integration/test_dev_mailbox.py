"""The demo's mailbox page shows what the real SMTP server received, and nothing a mail holds
can run in it: text and HTML escaped, HTML only in a sandboxed frame, attachments downloaded."""
import smtplib
from email.message import EmailMessage

import pytest

from hub.http.dev_mailbox import create_mailbox_app
from tests.support.mail import smtp_server  # noqa: F401
from tests.support.pages import text

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def mailbox(smtp_server):
    message = EmailMessage()
    message["From"], message["To"] = "tickets@contoso.example", "ada@example.org"
    message["Subject"] = "Your ticket <b>now</b>"
    message.set_content(f"Hello {HOSTILE}")
    message.add_alternative(f"<p>Hello</p>{HOSTILE}<a href='https://example.org'>x</a>",
                            subtype="html")
    message.add_attachment(b"%PDF-1.4 fake", maintype="application", subtype="pdf",
                           filename="../ticket Ada.pdf")
    message.add_attachment(b"<html><script>alert(2)</script>", maintype="text", subtype="html",
                           filename="evil.html")
    with smtplib.SMTP("127.0.0.1", smtp_server.port) as smtp:
        smtp.send_message(message)
    app = create_mailbox_app(smtp_server.mailbox)
    return app.test_client(), smtp_server.mailbox


def test_the_list_shows_each_mail_received_and_the_json_says_the_same(mailbox):
    http, box = mailbox
    page = http.get("/")
    assert page.status_code == 200
    assert "ada@example.org" in text(page) and "Your ticket &lt;b&gt;now&lt;/b&gt;" in text(page)
    [listed] = http.get("/messages.json").get_json()
    assert listed["envelope_to"] == ["ada@example.org"]
    assert listed["subject"] == "Your ticket <b>now</b>" and listed["key"] == box.keys()[0]


def test_a_mail_is_shown_escaped_with_its_html_only_in_a_sandboxed_frame(mailbox):
    http, box = mailbox
    page = http.get(f"/messages/{box.keys()[0]}")
    body = text(page)
    assert page.status_code == 200
    assert "<script>" not in body and "<img src=x" not in body
    assert "Hello &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in body     # the text part
    assert '<iframe sandbox srcdoc="&lt;p&gt;Hello&lt;/p&gt;&lt;script&gt;' in body
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"


def test_attachments_are_downloads_and_an_html_one_never_renders(mailbox):
    http, box = mailbox
    key = box.keys()[0]
    pdf = http.get(f"/messages/{key}/attachments/0")
    assert pdf.status_code == 200 and pdf.data == b"%PDF-1.4 fake"
    assert pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"] == 'attachment; filename="ticket_Ada.pdf"'
    evil = http.get(f"/messages/{key}/attachments/1")
    assert evil.mimetype == "application/octet-stream"
    assert evil.headers["Content-Disposition"].startswith("attachment;")
    assert http.get(f"/messages/{key}/attachments/2").status_code == 404


def test_unknown_keys_and_paths_open_nothing(mailbox):
    http, _ = mailbox
    for path in ("/messages/nope", "/messages/..%2F..%2Fetc%2Fpasswd",
                 "/messages/nope/source", "/messages/nope/attachments/0"):
        assert http.get(path).status_code == 404, path
