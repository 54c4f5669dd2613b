"""Limits on guessing secrets (admin passwords, owner access codes, order access codes):
failures are counted per key (e.g. the email tried) and per client address."""
from __future__ import annotations

import datetime as dt

from hub.errors import ApiError

MAX_FAILURES = 5
FAILURE_WINDOW = dt.timedelta(minutes=15)


def refuse_if_guessing(hub, key: str, client: str, what: str = "attempts") -> None:
    """Five failures for the key, or from the address, within the window, lock both out (429)."""
    S = hub.models.SignInAttempt
    since = (hub.clock() - FAILURE_WINDOW).isoformat()
    failures = S.select().where((S.at > since) & (S.succeeded == False))  # noqa: E712
    if (failures.where(S.email == key[:254]).count() >= MAX_FAILURES
            or failures.where(S.client == client[:64]).count() >= MAX_FAILURES):
        remember(hub, key, client, succeeded=False)
        minutes = int(FAILURE_WINDOW.total_seconds() // 60)
        raise ApiError(429, "too_many_attempts",
                       f"Too many failed {what}. Wait {minutes} minutes, then try again.")


def remember(hub, key: str, client: str, *, succeeded: bool) -> None:
    S = hub.models.SignInAttempt
    with hub.db.atomic():
        S.create(email=key[:254], client=(client or "unknown")[:64], at=hub.clock().isoformat(),
                 succeeded=succeeded)
        # Old attempts count for nothing; keep the table small.
        S.delete().where(S.at < (hub.clock() - 4 * FAILURE_WINDOW).isoformat()).execute()
