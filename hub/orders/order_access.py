"""Proof of owning an order. The order id is printed in every ticket's QR code (the seat id is
"<order_id>:<position>"), so the id alone opens nothing: a request also shows the order's
token, or the registrant's email with the order's access code, or comes from the page
session that placed or found the order (hub/http/pages/order_session.py). docs/api.md,
"Authentication of order endpoints"."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from event_store.statements import prepared
from hub.accounts import guesses
from shared_domain.errors import DomainError

TOKEN_BYTES = 32
TOKEN_MAX_LENGTH = 100       # a token is 43 characters; anything much longer is not one
TOKENS_KEPT_PER_ORDER = 20   # each "find my order" issues one; the oldest stop working
# One answer for an unknown id and for a proof of another order, so ids cannot be probed.
NOT_OPENED = "There is no such order, or this proof does not open it."


@dataclass(frozen=True)
class Proof:
    """What a request shows besides the order id; empty when it shows nothing."""
    token: str | None = None
    email: str | None = None
    access_code: str | None = None
    session_orders: tuple[str, ...] = ()


def auth_required() -> DomainError:
    return DomainError("order_auth_required",
                       "Show that the order is yours: send 'Authorization: Bearer <order_token>' "
                       "(the token given when the order was placed or found), or the registrant's "
                       "email and the order's access code as HTTP Basic credentials.")


def not_opened() -> DomainError:
    return DomainError("order_not_found", NOT_OPENED)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def store_token(hub, order_id: str, token: str) -> None:
    """Store the hash of a token of a new order, inside the caller's transaction (the one
    that places the order: a new order has no older tokens to forget)."""
    table = hub.models.OrderAccessToken._meta.table_name
    insert = prepared(hub.db, "token.insert", lambda sql: sql.insert(
        table, ("token_hash", "order_id", "created_at")))
    hub.db.execute_sql(insert, (_digest(token), order_id, hub.clock().isoformat()))


def issue_token(hub, order_id: str) -> str:
    """A new token that opens this order; only its hash is stored."""
    token = new_token()
    table = hub.models.OrderAccessToken._meta.table_name
    insert = prepared(hub.db, "token.insert", lambda sql: sql.insert(
        table, ("token_hash", "order_id", "created_at")))
    prune = prepared(hub.db, "token.prune", lambda sql: (
        f"DELETE FROM {sql.q(table)} WHERE {sql.q('order_id')} = {sql.p} AND "
        f"{sql.q('token_hash')} NOT IN (SELECT {sql.q('token_hash')} FROM {sql.q(table)} "
        f"WHERE {sql.q('order_id')} = {sql.p} ORDER BY {sql.q('created_at')} DESC "
        f"LIMIT {TOKENS_KEPT_PER_ORDER})"))
    with hub.db.atomic():
        hub.db.execute_sql(insert, (_digest(token), order_id, hub.clock().isoformat()))
        hub.db.execute_sql(prune, (order_id, order_id))
    return token


def require(hub, order_id: str, proof: Proof, *, client: str = "") -> None:
    """Let the request through only with proof of this order: 401 without any, 404 if wrong."""
    if proof.token is not None:
        if not _token_opens(hub, order_id, proof.token):
            raise not_opened()
    elif proof.email is not None:
        if code_opens(hub, proof.email, proof.access_code or "", client=client) != order_id:
            raise not_opened()
    elif order_id not in proof.session_orders:
        raise not_opened() if proof.session_orders else auth_required()


def code_opens(hub, email: str, access_code: str, *, client: str = "") -> str | None:
    """The order this email and access code open, or None; failures count as guesses (429)."""
    email, access_code = email.strip().lower()[:254], access_code.strip().upper()[:20]
    key = f"order:{email}"
    guesses.refuse_if_guessing(hub, key, client, "tries of the access code")
    O = hub.models.OrderView
    row = O.get_or_none((O.registrant_email == email) & (O.access_code == access_code)) \
        if email and access_code else None
    if row is None:   # successes would only add a write to every request that shows a code
        guesses.remember(hub, key, client, succeeded=False)
    return row.order_id if row else None


def _token_opens(hub, order_id: str, token: str) -> bool:
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return False
    table = hub.models.OrderAccessToken._meta.table_name
    opens = prepared(hub.db, "token.opens", lambda sql: (
        f"SELECT {sql.q('order_id')} FROM {sql.q(table)} WHERE {sql.q('token_hash')} = {sql.p}"))
    row = hub.db.execute_sql(opens, (_digest(token),)).fetchone()
    return row is not None and row[0] == order_id


def _digest(token: str) -> str:
    # A token is 256 random bits: a fast hash is enough, no salt or stretching needed.
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
