"""Limits on guessing secrets (admin passwords, owner access codes, order access codes).

A key names the account and the kind of secret: `admin:<email>`, `owner:<email>`,
`order:<email>`. Failed tries are counted over a sliding window by three separate rules,
so that nobody can lock someone else out by failing on purpose:

- the pair (key, address): a few failures since the pair's last success stop that
  address guessing that account;
- the address, per kind of secret: many failures over any accounts stop that address
  for that kind only (typos of order codes never touch an admin's sign-in);
- the account: many failures from all addresses together stop guessing from addresses
  that never opened this account, so rotating addresses does not help; an address that
  opened it recently (a "known" pair) still gets in with the right secret.

A refused try tests nothing and is not counted: waiting the `retry_after` is enough.
"""
from __future__ import annotations

import datetime as dt
import math

from hub.platform.errors import Refused

MAX_FAILURES = 5                     # per (account, address) since its last success
ADDRESS_CEILING = 20                 # per address, for one kind of secret
ACCOUNT_CEILING = 20                 # per account, from addresses that never opened it
FAILURE_WINDOW = dt.timedelta(minutes=15)
KNOWN_FOR = dt.timedelta(days=30)    # a success makes the pair known this long
KEY_LENGTH, CLIENT_LENGTH = 254, 64


class TooManyGuesses(Refused):
    """Too many failed tries, with the seconds to wait (hub/http sends them as `Retry-After`)."""

    def __init__(self, what: str, retry_after: int):
        super().__init__("too_many_attempts",
                         f"Too many failed {what}. Wait {wait_words(retry_after)}, "
                         "then try again.", retry_after=retry_after)


def wait_words(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def kind_of(key: str) -> str:
    return key.partition(":")[0] if ":" in key else key


def refuse_if_guessing(hub, key: str, client: str, what: str = "attempts") -> None:
    """Raise TooManyGuesses (with retry_after) if any rule stops this try; record nothing."""
    key, client = _bounded(key, client)
    wait = seconds_to_wait(hub, key, client)
    if wait > 0:
        raise TooManyGuesses(what, wait)


def seconds_to_wait(hub, key: str, client: str) -> int:
    """0 if this address may try this key now, else the seconds until it may."""
    S, now = hub.models.SignInAttempt, hub.clock()
    since = now - FAILURE_WINDOW
    failures = S.select(S.at).where((S.succeeded == False) & (S.at > since.isoformat()))  # noqa: E712
    last_success = _last_success(hub, key, client)
    pair_since = max(since, last_success) if last_success else since
    limits = [(failures.where((S.email == key) & (S.client == client)
                              & (S.at > pair_since.isoformat())), MAX_FAILURES)]
    if last_success is None or now - last_success > KNOWN_FOR:
        limits += [(failures.where((S.client == client)
                                      & S.email.startswith(kind_of(key) + ":")),
                    ADDRESS_CEILING),
                   (failures.where(S.email == key), ACCOUNT_CEILING)]
    return max(_wait(query, ceiling, now) for query, ceiling in limits)


def _wait(query, ceiling: int, now: dt.datetime) -> int:
    """Seconds until fewer than `ceiling` of these failures are inside the window."""
    times = [row.at for row in query.order_by(query.model.at.desc()).limit(ceiling)]
    if len(times) < ceiling:
        return 0
    frees_at = dt.datetime.fromisoformat(times[-1]) + FAILURE_WINDOW
    return max(1, math.ceil((frees_at - now).total_seconds()))


def _last_success(hub, key: str, client: str) -> dt.datetime | None:
    S = hub.models.SignInAttempt
    row = (S.select(S.at).where((S.email == key) & (S.client == client)
                                & (S.succeeded == True))  # noqa: E712
           .order_by(S.at.desc()).first())
    return dt.datetime.fromisoformat(row.at) if row else None


def remember(hub, key: str, client: str, *, succeeded: bool) -> None:
    """Record one try that tested the secret; a success makes the pair known."""
    S, now = hub.models.SignInAttempt, hub.clock()
    key, client = _bounded(key, client)
    with hub.db.atomic():
        if succeeded:   # one success row per pair: the latest is all the rules read
            S.delete().where((S.email == key) & (S.client == client)
                             & (S.succeeded == True)).execute()  # noqa: E712
        S.create(email=key, client=client, at=now.isoformat(), succeeded=succeeded)
        # Old attempts count for nothing; keep the table small.
        S.delete().where(((S.succeeded == False) & (S.at < (now - 4 * FAILURE_WINDOW).isoformat()))  # noqa: E712
                         | (S.at < (now - KNOWN_FOR).isoformat())).execute()


def _bounded(key: str, client: str) -> tuple[str, str]:
    return (key or "")[:KEY_LENGTH], (client or "unknown")[:CLIENT_LENGTH]
