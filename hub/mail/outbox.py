"""The MailOutbox reader: events become rows of the mail outbox, never a mail sent.

It runs in the pump's round like every reader, so a row is written in the same transaction
as the reader's position: the same event never makes its mails twice, and a mail is queued
exactly when its event is read. Sending is the worker's sender (hub/mail/sender.py), in
transactions of its own."""
from __future__ import annotations

import ipaddress
import json
import logging
import re
from urllib.parse import urlsplit

from hub.mail import kinds
from hub.mail.drafts import Draft, MailContext
from hub.mail.models import FAILED, QUEUED
from event_store.ids import uuid7
from event_store.statements import prepared
from event_store.store import StoredEvent

log = logging.getLogger(__name__)

UNUSABLE_ADDRESS = "This address cannot be written in a mail (it is not user@domain)."


class MailOutbox:
    """A reader of the log: each event of a mail kind (hub/mail/kinds.py) queues its mails."""

    name = "mail_outbox"
    # New to a hub that has a log already: start at its end, never mail its whole past.
    starts_at_log_end = True

    def __init__(self, hub):
        self.hub = hub
        self.handles = tuple({event for kind in kinds.KINDS for event in kind.events})

    def apply(self, event: StoredEvent) -> None:
        context = MailContext(self.hub, self.hub.config.public_url)
        for kind in kinds.kinds_for(type(event.message)):
            seen = set()
            for draft in kind.drafts(context, event):
                key = (draft.recipient.strip().casefold(), draft.part)
                if key not in seen:
                    seen.add(key)
                    queue(self.hub, event, kind.name, draft, context.conference_name)


COLUMNS = ("id", "conference_id", "order_id", "kind", "event_id", "recipient", "part",
           "conference_name", "subject", "text_body", "html_body", "attachment", "message_id",
           "status", "attempts", "next_attempt_at", "failing_since", "last_error", "created_at",
           "sent_at", "retried_by")


def queue(hub, event: StoredEvent, kind: str, draft: Draft,
          conference_name: str = "") -> None:
    """One outbox row; a row already made for this event, kind, recipient and part stays as
    it is."""
    table = hub.models.MailOutbox._meta.table_name
    insert = prepared(hub.db, "mail.queue", lambda sql: sql.insert(table, COLUMNS,
                                                                   ignore_taken=True))
    now = hub.clock().isoformat()
    recipient = draft.recipient.strip()[:254]
    usable = usable_address(recipient)
    row_id = uuid7()
    hub.db.execute_sql(insert, (
        row_id, event.conference, draft.order_id, kind, event.id, recipient, draft.part[:40],
        conference_name[:300], draft.mail.subject, draft.mail.text, draft.mail.html,
        json.dumps(draft.attachment) if draft.attachment else "",
        message_id(row_id, hub.config.public_url), QUEUED if usable else FAILED, 0, now, None,
        "" if usable else UNUSABLE_ADDRESS, now, None, ""))


def usable_address(address: str) -> bool:
    """One plain address (local@domain.tld), nothing a header would read as more: no blanks,
    quotes, brackets, commas or semicolons. A non-ASCII local part is fine (it goes with
    SMTPUTF8, which a server without it refuses: that mail then fails for the admin)."""
    if not address or len(address) > 254:
        return False
    local, at, domain = address.rpartition("@")
    return bool(at and _LOCAL.fullmatch(local) and _DOMAIN.fullmatch(domain)
                and ".." not in local and not local.startswith(".") and not local.endswith("."))


_LOCAL = re.compile(r"[^\s@<>()\[\]\\,;:\"\x00-\x1f\x7f]+")
_LABEL = r"[^\W_](?:[\w-]*[^\W_])?"
_DOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})+")


def message_id(row_id: str, public_url: str) -> str:
    """The Message-ID of a row: made once, sent on every attempt, so a mail sent twice after
    a crash is recognisably the same mail (docs/mail.md)."""
    host = urlsplit(public_url).hostname or "contoso.invalid"
    try:
        ip = ipaddress.ip_address(host)
        host = f"[{ip}]" if ip.version == 6 else str(ip)
    except ValueError:
        pass
    return f"<mail-{row_id}@{host}>"

