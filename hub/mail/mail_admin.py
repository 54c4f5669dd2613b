"""The mail outbox as the hub admin sees it: each conference's mails, and a retry."""
from __future__ import annotations

import peewee

from hub.mail.kinds import LABELS
from hub.mail.models import FAILED, QUEUED, SENDING, STATUSES
from shared_domain.errors import DomainError

LIST_LIMIT = 500
ID_MAX = 36


def mails_of(hub, conference_id: str, status: str = "") -> list[dict]:
    """A conference's mails, newest first (at most LIST_LIMIT), of one status or every one."""
    M = hub.models.MailOutbox
    query = (M.select(M.id, M.kind, M.recipient, M.subject, M.status, M.attempts,
                      M.next_attempt_at, M.last_error, M.created_at, M.sent_at, M.retried_by)
             .where(M.conference_id == conference_id)
             .order_by(M.created_at.desc(), M.id.desc()).limit(LIST_LIMIT))
    if status:
        query = query.where(M.status == status)
    return [{"id": row.id, "kind": LABELS.get(row.kind, row.kind), "recipient": row.recipient,
             "subject": row.subject, "status": row.status, "attempts": row.attempts,
             "next_attempt_at": row.next_attempt_at if row.status in (QUEUED, SENDING) else "",
             "error": row.last_error, "created_at": row.created_at, "sent_at": row.sent_at or "",
             "retried_by": row.retried_by, "retryable": row.status == FAILED}
            for row in query]


def counts_of(hub, conference_id: str) -> dict[str, int]:
    """How many mails of the conference are in each status."""
    M = hub.models.MailOutbox
    held = dict(M.select(M.status, peewee.fn.COUNT(M.id))
                .where(M.conference_id == conference_id).group_by(M.status).tuples())
    return {status: held.get(status, 0) for status in STATUSES}


def retry(hub, conference_id: str, mail_id: str, by: str):
    """Queue a failed mail again, due now, its day of retries starting afresh (a skipped
    mail is about a ticket replaced since: it would only be skipped again)."""
    M = hub.models.MailOutbox
    row = M.get_or_none((M.id == mail_id[:ID_MAX]) & (M.conference_id == conference_id))
    if row is None:
        raise DomainError("mail_not_found", "This conference has no such mail.")
    if row.status != FAILED:
        raise DomainError("mail_not_retryable",
                          f"This mail is {row.status}: only a failed mail is retried.")
    with hub.db.atomic():
        M.update(status=QUEUED, next_attempt_at=hub.clock().isoformat(), failing_since=None,
                 retried_by=by[:254]).where((M.id == row.id) & (M.status == row.status)).execute()
    return M.get_by_id(row.id)
