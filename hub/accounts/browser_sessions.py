"""The server side of signed-in browser sessions (hub admins, conference owners).

Flask's session is a signed cookie: on its own, a copy of it stays valid after signing out.
So the cookie holds a random token, and a row (keyed by the token's hash, so a copy of the
table opens nothing) says when the session started, was last seen and ended. Every request
checks the row; signing out, or idling past the timeout, ends it for every copy.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

TOKEN_LENGTH = 43          # secrets.token_urlsafe(32)


def _id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(hub, kind: str, subject: str = "") -> str:
    """A new session of this kind; the token is what the cookie keeps."""
    token = secrets.token_urlsafe(32)
    now = hub.clock().isoformat()
    W = hub.models.WebSession
    with hub.db.atomic():
        W.create(id=_id(token), kind=kind, subject=subject, created_at=now, seen_at=now)
        # Sessions idle for a day are long over: keep the table small.
        W.delete().where(W.seen_at < (hub.clock() - dt.timedelta(days=1)).isoformat()).execute()
    return token


def live(hub, token, kind: str, idle: dt.timedelta, *, touch: bool = True):
    """The open session of this token and kind, or None (unknown, ended, or idle too long)."""
    return check(hub, token, kind, idle, touch=touch)[0]


def check(hub, token, kind: str, idle: dt.timedelta, *, touch: bool = True):
    """(the open session or None, whether it just ended for being idle too long).

    An idle session is ended here, so it cannot come back; with touch this request
    counts as activity.
    """
    if not isinstance(token, str) or len(token) != TOKEN_LENGTH:
        return None, False
    W, now = hub.models.WebSession, hub.clock()
    row = W.get_or_none((W.id == _id(token)) & (W.kind == kind))
    if row is None or row.ended_at is not None:
        return None, False
    if now - dt.datetime.fromisoformat(row.seen_at) > idle:
        end(hub, token)
        return None, True
    if touch:
        W.update(seen_at=now.isoformat()).where(W.id == row.id).execute()
    return row, False


def end(hub, token) -> None:
    """End the session everywhere: every copy of its cookie stops working."""
    if isinstance(token, str):
        W = hub.models.WebSession
        W.update(ended_at=hub.clock().isoformat()).where(
            (W.id == _id(token)) & W.ended_at.is_null()).execute()
