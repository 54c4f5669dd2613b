"""An outbox row as the e-mail that goes out: the same headers on every attempt."""
from __future__ import annotations

import datetime as dt
import hashlib
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from hub.mail.attachments import Attachment
from hub.mail.content import one_line
from hub.mail.settings import MailSettings


def email_message(row, settings: MailSettings, attachments: list[Attachment]) -> EmailMessage:
    """multipart/alternative (text, then HTML), in multipart/mixed with any attachment; From
    "<conference> via <sender name>"; Message-ID, Date and the MIME boundaries from the row,
    never from the attempt, so a mail sent again is the same mail (the same words; an
    attachment is made again from the same ticket)."""
    message = EmailMessage()
    display = one_line(f"{row.conference_name} via {settings.sender_name}"
                       if row.conference_name else settings.sender_name)
    message["From"] = Address(display_name=display, addr_spec=settings.sender_address)
    message["To"] = _address(row.recipient)
    message["Subject"] = one_line(row.subject)
    message["Date"] = format_datetime(dt.datetime.fromisoformat(row.created_at)
                                      .astimezone(dt.timezone.utc), usegmt=True)
    message["Message-ID"] = row.message_id
    message["Auto-Submitted"] = "auto-generated"     # RFC 3834: no vacation replies, please
    message["X-Contoso-Mail"] = row.kind
    message.set_content(row.text_body)
    message.add_alternative(row.html_body, subtype="html")
    for attachment in attachments:
        message.add_attachment(attachment.data, maintype=attachment.maintype,
                               subtype=attachment.subtype, filename=attachment.filename)
    digest = hashlib.sha256(row.message_id.encode()).hexdigest()[:24]
    for n, part in enumerate(p for p in message.walk() if p.is_multipart()):
        part.set_boundary(f"contoso-{digest}-{n}")
    return message


def _address(addr_spec: str):
    """The To header's address: an Address when it is ASCII; a non-ASCII local part (which
    Address refuses) as it is, checked when queued (hub/mail/outbox.py, usable_address)."""
    try:
        return Address(addr_spec=addr_spec)
    except ValueError:
        return addr_spec
