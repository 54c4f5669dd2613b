"""The real SMTP server of the demo (aiosmtpd, hub/mail/dev_server.py) on a free loopback
port, and what tests read back from it. Never a fake SMTP."""
import pytest

from hub.mail.dev_server import DevSmtpServer
from hub.mail.sender import MailSender
from hub.mail.settings import MailSettings

SENDER = "tickets@contoso.example"


@pytest.fixture
def smtp_server(tmp_path):
    """aiosmtpd on 127.0.0.1 at a free port, its mails kept under tmp_path/mailbox."""
    server = DevSmtpServer(str(tmp_path / "mailbox")).start()
    yield server
    server.stop()


def settings_for(server, **overrides) -> MailSettings:
    """Plain SMTP to the test server (as the demo sends)."""
    return MailSettings(**{"smtp_host": "127.0.0.1", "smtp_port": server.port,
                           "smtp_security": "none", "sender_address": SENDER, **overrides})


def sender_for(hub, server, **options) -> MailSender:
    """A sender the test drives by hand (send_due), with no jitter unless asked."""
    options.setdefault("chance", lambda: 0.5)
    return MailSender(hub, settings_for(server), **options)


def received(server, kind=None) -> list:
    """The mails the server holds, oldest first, parsed (email.policy.default)."""
    messages = [server.mailbox.message(r.key) for r in reversed(server.mailbox.messages())]
    return [m for m in messages if kind is None or m["X-Contoso-Mail"] == kind]


def parts(message) -> dict:
    """{"text": ..., "html": ..., "attachments": [(filename, content type, bytes)]}."""
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    return {"text": text.get_content() if text else "", "html": html.get_content() if html else "",
            "attachments": [(a.get_filename(), a.get_content_type(), a.get_content())
                            for a in message.iter_attachments()]}


def outbox(hub, **where) -> list:
    M = hub.models.MailOutbox
    query = M.select().order_by(M.created_at, M.id)
    for field, value in where.items():
        query = query.where(getattr(M, field) == value)
    return list(query)

