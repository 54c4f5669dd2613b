"""The sender's steps in the outbox, each a short transaction of its own (never the pump's).

A row is marked "sending" and committed before its SMTP transaction begins, and "sent" in
another commit after the server accepted it. A crash between the two leaves it "sending":
it is sent again, with the same Message-ID (docs/mail.md, "Never twice")."""
from __future__ import annotations

import datetime as dt
import random

from hub.mail.models import FAILED, QUEUED, SENDING, SENT, SKIPPED
from event_store.database import is_postgres

FIRST_DELAY = dt.timedelta(seconds=30)     # then doubling ...
MAX_DELAY = dt.timedelta(hours=1)          # ... up to an hour between attempts
GIVE_UP_AFTER = dt.timedelta(days=1)       # failing this long: marked failed for the admin
JITTER = 0.25                              # each delay is +/- a quarter, so mails spread out
# A claimed row is the claimer's this long; past it another sender may take it (the first
# crashed, or hangs). Far above a batch's SMTP timeouts (hub/mail/sender.py).
CLAIM = dt.timedelta(minutes=15)
ERROR_MAX = 2000


def claim_due(hub, now: dt.datetime, limit: int) -> list:
    """The due rows (queued and due, or claimed by a sender whose claim ran out), marked
    "sending" and committed. On PostgreSQL locked rows are skipped (FOR UPDATE SKIP LOCKED):
    two senders never claim one row."""
    M = hub.models.MailOutbox
    stamp = now.isoformat()
    with hub.db.atomic():
        query = (M.select().where(M.status.in_([QUEUED, SENDING]) & (M.next_attempt_at <= stamp))
                 .order_by(M.next_attempt_at, M.id).limit(limit))
        if is_postgres(hub.db):
            query = query.for_update("FOR UPDATE SKIP LOCKED")
        rows = list(query)
        if rows:
            (M.update(status=SENDING, attempts=M.attempts + 1,
                      next_attempt_at=(now + CLAIM).isoformat())
             .where(M.id.in_([row.id for row in rows])).execute())
    for row in rows:
        row.attempts += 1
    return rows


def mark_sent(hub, row, now: dt.datetime) -> None:
    M = hub.models.MailOutbox
    with hub.db.atomic():
        M.update(status=SENT, sent_at=now.isoformat(), last_error="").where(M.id == row.id) \
            .execute()


def mark_retry(hub, row, now: dt.datetime, error: str, *, permanent: bool = False,
               chance=random.random) -> str:
    """Queue the row again after its backoff; failed (for the admin) when the error is
    permanent or it has failed for GIVE_UP_AFTER. Return the status it got."""
    M = hub.models.MailOutbox
    since = dt.datetime.fromisoformat(row.failing_since) if row.failing_since else now
    status = FAILED if permanent or now - since >= GIVE_UP_AFTER else QUEUED
    with hub.db.atomic():
        M.update(status=status, failing_since=since.isoformat(),
                 next_attempt_at=(now + backoff(row.attempts, chance())).isoformat(),
                 last_error=error[:ERROR_MAX]).where(M.id == row.id).execute()
    return status


def backoff(attempts: int, chance: float) -> dt.timedelta:
    """30 s after the first failed attempt, doubling, at most an hour; +/- JITTER."""
    delay = min(FIRST_DELAY * 2 ** max(0, min(attempts - 1, 20)), MAX_DELAY)
    return delay * (1 - JITTER + 2 * JITTER * chance)


def mark_skipped(hub, row, why: str) -> None:
    M = hub.models.MailOutbox
    with hub.db.atomic():
        M.update(status=SKIPPED, last_error=why[:ERROR_MAX]).where(M.id == row.id).execute()


def release(hub, rows, now: dt.datetime) -> None:
    """Give back claimed rows never tried (the connection broke before their turn)."""
    if not rows:
        return
    M = hub.models.MailOutbox
    with hub.db.atomic():
        (M.update(status=QUEUED, attempts=M.attempts - 1, next_attempt_at=now.isoformat())
         .where(M.id.in_([row.id for row in rows]) & (M.status == SENDING)).execute())


def resume_interrupted(hub, now: dt.datetime) -> int:
    """At a sender's start on SQLite (one worker per hub, so no other sender holds a claim):
    rows left "sending" by a crash are due now, sent again with their Message-ID."""
    M = hub.models.MailOutbox
    with hub.db.atomic():
        return M.update(next_attempt_at=now.isoformat()).where(M.status == SENDING).execute()


def next_due(hub) -> dt.datetime | None:
    """When the next row falls due (a plain read, no transaction)."""
    M = hub.models.MailOutbox
    stamp = (M.select(M.next_attempt_at).where(M.status.in_([QUEUED, SENDING]))
             .order_by(M.next_attempt_at).limit(1).scalar())
    return dt.datetime.fromisoformat(stamp) if stamp else None
