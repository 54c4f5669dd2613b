"""The e-mail outbox: one row per mail to send, written by the MailOutbox reader."""
from __future__ import annotations

import peewee

QUEUED, SENDING, SENT, FAILED, SKIPPED = "queued", "sending", "sent", "failed", "skipped"
STATUSES = (QUEUED, SENDING, SENT, FAILED, SKIPPED)


def mail_models(Base) -> dict:
    class MailOutbox(Base):
        """A mail, rendered when its event was read; the worker's sender delivers it.

        (event_id, kind, recipient, part) is unique: the same event never makes the same mail
        twice, whoever reads it again (`part` tells apart the mails one event makes for one
        person, e.g. a ticket per seat). `next_attempt_at` is when a queued mail is due, and
        for a mail being sent when its sender's claim runs out (docs/mail.md)."""
        id = peewee.CharField(max_length=36, primary_key=True)
        conference_id = peewee.CharField(max_length=36)
        order_id = peewee.CharField(max_length=36, default="", index=True)
        kind = peewee.CharField(max_length=40)
        event_id = peewee.CharField(max_length=36)
        recipient = peewee.CharField(max_length=254)
        part = peewee.CharField(max_length=40, default="")
        conference_name = peewee.CharField(max_length=300)   # From: "<it> via <sender name>"
        subject = peewee.CharField(max_length=400)
        text_body = peewee.TextField()
        html_body = peewee.TextField()
        attachment = peewee.TextField(default="")          # JSON: what to attach when sent
        message_id = peewee.CharField(max_length=200)      # the same on every attempt
        status = peewee.CharField(max_length=10, default=QUEUED)
        attempts = peewee.IntegerField(default=0)
        next_attempt_at = peewee.CharField(max_length=40)
        failing_since = peewee.CharField(max_length=40, null=True)
        last_error = peewee.TextField(default="")
        created_at = peewee.CharField(max_length=40)
        sent_at = peewee.CharField(max_length=40, null=True)
        retried_by = peewee.CharField(max_length=254, default="")

        class Meta:
            table_name = "mail_outbox"
            indexes = ((("event_id", "kind", "recipient", "part"), True),
                       (("status", "next_attempt_at"), False),
                       (("conference_id", "created_at"), False))

    return {"MailOutbox": MailOutbox}
