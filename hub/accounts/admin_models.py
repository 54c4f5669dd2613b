"""The hub's tables for signing in: admin accounts, attempts (for guessing limits) and the
server side of browser sessions (so signing out ends a session everywhere)."""
from __future__ import annotations

import peewee


def admin_models(Base) -> dict:
    """Model classes for hub admins, on the hub's base model."""

    class AdminUser(Base):
        id = peewee.CharField(max_length=36, primary_key=True)
        email = peewee.CharField(max_length=254, unique=True)   # stored lower case
        password_hash = peewee.CharField(max_length=255)       # werkzeug's salted hash
        created_at = peewee.CharField(max_length=40)
        last_sign_in = peewee.CharField(max_length=40, null=True)

        class Meta:
            table_name = "admin_user"

    class SignInAttempt(Base):
        """Every admin sign-in attempt, kept so failures can be counted per email and address."""
        email = peewee.CharField(max_length=254, index=True)
        client = peewee.CharField(max_length=64, index=True)
        at = peewee.CharField(max_length=40, index=True)
        succeeded = peewee.BooleanField(default=False)

        class Meta:
            table_name = "admin_sign_in_attempt"

    class WebSession(Base):
        """One signed-in browser session; the cookie holds only the token whose hash is id."""
        id = peewee.CharField(max_length=64, primary_key=True)   # sha256 hex of the token
        kind = peewee.CharField(max_length=16)                   # "admin" or "owner"
        subject = peewee.CharField(max_length=36, default="")    # the admin's id
        created_at = peewee.CharField(max_length=40)
        seen_at = peewee.CharField(max_length=40, index=True)
        ended_at = peewee.CharField(max_length=40, null=True)

        class Meta:
            table_name = "web_session"

    return {"AdminUser": AdminUser, "SignInAttempt": SignInAttempt, "WebSession": WebSession}
