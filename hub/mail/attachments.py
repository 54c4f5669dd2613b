"""What a mail carries besides its words, made when it is sent: the ticket of a seat."""
from __future__ import annotations

import json
from dataclasses import dataclass

from hub.orders.ticket_documents import ticket_document, ticket_filename, ticket_pdf


@dataclass(frozen=True)
class Attachment:
    data: bytes
    maintype: str
    subtype: str
    filename: str


class Superseded(Exception):
    """The mail is about something that no longer holds (a ticket replaced before the mail
    went out): it is skipped, the newer state has a mail of its own."""


REPLACED = ("The ticket was replaced or withdrawn before this mail went out: the seat's "
            "newer ticket, if any, has a mail of its own.")


def attachments_of(hub, row) -> list[Attachment]:
    """The row's attachments; raise Superseded when the ticket it names is no longer live."""
    if not row.attachment:
        return []
    wanted = json.loads(row.attachment)
    if "ticket" in wanted:
        return [ticket_attachment(hub, **wanted["ticket"])]
    return []


def ticket_attachment(hub, order_id: str, position: int, code_digest: str) -> Attachment:
    """The seat's ticket as a PDF (hub/orders/ticket_documents.py), only while it is the very
    ticket the mail was queued for (its live ticket, read from the tickets stream)."""
    doc = ticket_document(hub, order_id, position)
    if doc is None or doc.code_digest != code_digest:
        raise Superseded(REPLACED)
    return Attachment(ticket_pdf(doc), "application", "pdf", ticket_filename(doc, "pdf"))
