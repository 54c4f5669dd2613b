"""Staff sessions of the desk kept in the node's database (the kiosk's StaffSessions port):
a row per session with when it started, was last seen and ended, keyed by the hash of the
token the cookie holds. A restart keeps the desk open; locking it ends every copy."""
from __future__ import annotations

import hashlib
import secrets

import peewee

KEEP_ENDED_S = 24 * 3600.0


def _id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TableStaffSessions:
    """kiosk_ui.staff_sessions.StaffSessions over a table of the node's database."""

    def __init__(self, db: peewee.Database):
        class StaffSession(peewee.Model):
            id = peewee.CharField(max_length=64, primary_key=True)
            name = peewee.CharField(max_length=100)
            created_at = peewee.FloatField()
            seen_at = peewee.FloatField(index=True)
            ended_at = peewee.FloatField(null=True)

            class Meta:
                database = db
                table_name = "staff_session"

        self.S = StaffSession
        db.create_tables([StaffSession], safe=True)

    def start(self, name: str, now: float) -> str:
        token = secrets.token_urlsafe(32)
        S = self.S
        with S._meta.database.atomic():
            S.create(id=_id(token), name=name[:100], created_at=now, seen_at=now)
            S.delete().where(S.seen_at < now - KEEP_ENDED_S).execute()
        return token

    def name_of(self, token: str, now: float, idle_s: float) -> str | None:
        """The staff member of this open session, counting this request as activity."""
        if not isinstance(token, str):
            return None
        S = self.S
        row = S.get_or_none(S.id == _id(token))
        if row is None or row.ended_at is not None:
            return None
        if now - row.seen_at > idle_s:
            self.end(token, now)
            return None
        S.update(seen_at=now).where(S.id == row.id).execute()
        return row.name

    def end(self, token: str, now: float) -> None:
        if isinstance(token, str):
            S = self.S
            S.update(ended_at=now).where((S.id == _id(token)) & S.ended_at.is_null()).execute()
