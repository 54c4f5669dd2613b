"""People named in orders and seat assignments, and the email rule they share."""
from __future__ import annotations

import re
from dataclasses import dataclass

from shared_domain.errors import DomainError
from shared_domain.limits import COMPANY_MAX, EMAIL_MAX, PERSON_NAME_MAX

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
    """Refuse anything that does not look like an email address, or is longer than EMAIL_MAX."""
    # Length first: the pattern backtracks on a long run without a dot.
    if isinstance(email, str) and len(email.strip()) > EMAIL_MAX:
        raise DomainError("invalid_email", f"An email address has at most {EMAIL_MAX} characters.")
    if not looks_like_email(email):
        raise DomainError("invalid_email", f"{email!r} is not a valid email address.")


def require_name(value: object, field: str) -> None:
    """Refuse a blank name, or one longer than PERSON_NAME_MAX."""
    if not isinstance(value, str) or not value.strip():
        raise DomainError("invalid_name", f"The {_label(field)} is required.")
    require_optional_name(value, field)


def require_optional_name(value: object, field: str) -> None:
    """A name that may be blank is text of at most PERSON_NAME_MAX characters."""
    _require_text_within(value, field, PERSON_NAME_MAX, "invalid_name")


def require_company(value: object, field: str = "company") -> None:
    """A company (optional) is text of at most COMPANY_MAX characters."""
    _require_text_within(value, field, COMPANY_MAX, "invalid_company")


def require_person(person: PersonalInfo, *, names_required: bool = True) -> None:
    """Every limit of a person's details: names, email, company."""
    check = require_name if names_required else require_optional_name
    check(person.first_name, "first_name")
    check(person.last_name, "last_name")
    require_email(person.email)
    require_company(person.company)


def _require_text_within(value: object, field: str, maximum: int, code: str) -> None:
    if not isinstance(value, str):
        raise DomainError(code, f"The {_label(field)} must be text.")
    if len(value.strip()) > maximum:
        raise DomainError(code, f"The {_label(field)} has at most {maximum} characters.")


def _label(field: str) -> str:
    return field.replace("_", " ")
