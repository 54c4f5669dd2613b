"""Hub admin accounts: werkzeug password hashes, sign-in checks, failed sign-ins limited by
hub.guesses (per account and address, per address, per account) and logged."""
from __future__ import annotations

import logging

from werkzeug.security import check_password_hash, generate_password_hash

from hub.accounts import guesses
from hub.platform.errors import Refused
from shared_domain.errors import DomainError
from event_store.ids import uuid7

log = logging.getLogger("hub.admin")

MIN_PASSWORD_LENGTH = 10
MAX_FAILURES = guesses.MAX_FAILURES
FAILURE_WINDOW = guesses.FAILURE_WINDOW
# Checked when the email is unknown, so a wrong email takes as long as a wrong password.
_UNKNOWN_EMAIL_HASH = generate_password_hash("no admin has this password")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def create_admin(hub, email: str, password: str):
    """Add a hub admin; refuse a taken email, a malformed email or a short password."""
    email = normalise_email(email)
    errors = {}
    if "@" not in email or len(email) > 254 or " " in email:
        errors["email"] = "Give a valid email address."
    if len(password or "") < MIN_PASSWORD_LENGTH:
        errors["password"] = f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if errors:
        raise Refused("invalid_fields", "Some fields are not valid.", errors)
    A = hub.models.AdminUser
    with hub.db.atomic():
        if A.get_or_none(A.email == email) is not None:
            raise DomainError("admin_exists", f"There is already an admin {email}.")
        return A.create(id=uuid7(), email=email, password_hash=generate_password_hash(password),
                        created_at=hub.clock().isoformat())


def admin_by_id(hub, admin_id: str):
    return hub.models.AdminUser.get_or_none(hub.models.AdminUser.id == admin_id)


def sign_in(hub, email: str, password: str, client: str):
    """The admin with this email and password; a wrong pair is 401, too many failures 429."""
    email, client = normalise_email(email)[:254], (client or "unknown")[:64]
    key = f"admin:{email}"
    try:
        guesses.refuse_if_guessing(hub, key, client, "sign-ins")
    except guesses.TooManyGuesses:
        log.warning("admin sign-in refused (rate limit) for %r from %s", email, client)
        raise
    A = hub.models.AdminUser
    admin = A.get_or_none(A.email == email)
    if not check_password_hash(admin.password_hash if admin else _UNKNOWN_EMAIL_HASH,
                               password or ""):
        guesses.remember(hub, key, client, succeeded=False)
        log.warning("admin sign-in failed for %r from %s", email, client)
        raise DomainError("unauthorized", "The email or password is wrong.")
    guesses.remember(hub, key, client, succeeded=True)
    A.update(last_sign_in=hub.clock().isoformat()).where(A.id == admin.id).execute()
    log.info("admin %s signed in from %s", email, client)
    return admin
