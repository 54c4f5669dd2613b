"""People named in orders and seat assignments, and the email rule they share."""
from __future__ import annotations

import re
from dataclasses import dataclass

from shared_domain.errors import DomainError

# Deliberately loose: one "@", something on both sides, a dot in the domain.
# Whether the mailbox exists is for a confirmation email to find out, not a regex.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class PersonalInfo:
    first_name: str
    last_name: str
    email: str
    company: str = ""


def looks_like_email(value: object) -> bool:
    """An email is one address with a local part and a dotted domain."""
    return isinstance(value, str) and _EMAIL.fullmatch(value.strip()) is not None


def same_email(a: str | None, b: str | None) -> bool:
    """Emails compare without regard to case or surrounding blanks."""
    if a is None or b is None:
        return a is b
    return a.strip().casefold() == b.strip().casefold()


def require_email(email: object) -> None:
    """Refuse anything that does not look like an email address."""
    if not looks_like_email(email):
        raise DomainError("invalid_email", f"{email!r} is not a valid email address.")


def require_name(value: object, field: str) -> None:
    """Refuse a blank name."""
    if not isinstance(value, str) or not value.strip():
        raise DomainError("invalid_name", f"The {field.replace('_', ' ')} is required.")
