"""Registrant and attendee details, every field checked at once: the API and the pages
say the same, within the limits of shared_domain/limits.py (docs/api.md)."""
from __future__ import annotations

import unicodedata

from hub.platform.errors import Refused
from shared_domain import limits
from shared_domain.errors import DomainError
from shared_domain.people import require_email, require_name


PERSON_FIELD_MAX = {"first_name": limits.PERSON_NAME_MAX, "last_name": limits.PERSON_NAME_MAX,
                    "email": limits.EMAIL_MAX, "company": limits.COMPANY_MAX}


def registrant_field_errors(body: dict) -> dict[str, str]:
    """Field -> message for registrant details the order would refuse; empty when valid."""
    return _person_field_errors(body, ("first_name", "last_name", "email"),
                                required=("first_name", "last_name"))


def attendee_field_errors(body: dict) -> dict[str, str]:
    """Field -> message for attendee details a seat assignment would refuse; empty when valid."""
    return _person_field_errors(body, tuple(PERSON_FIELD_MAX), required=())


def _person_field_errors(body: dict, fields: tuple[str, ...], required: tuple[str, ...]) -> dict:
    errors = {}
    for field in fields:
        problem = _text_problem(body.get(field), PERSON_FIELD_MAX[field])
        if problem:
            errors[field] = problem
    for name in required:
        if name not in errors:
            try:
                require_name(body.get(name), name)
            except DomainError as refusal:
                errors[name] = refusal.message
    email = body.get("email")
    if "email" not in errors:
        if not (isinstance(email, str) and email.strip()):
            errors["email"] = "The email is required."
        else:
            try:
                require_email(email)
            except DomainError as refusal:
                errors["email"] = refusal.message
    return errors


def _text_problem(value, longest: int) -> str | None:
    """Why a typed text cannot be taken as it is, or None (absent counts as empty)."""
    if value is None:
        return None
    if not isinstance(value, str):
        return "Must be text."
    if len(value.strip()) > longest:
        return f"At most {longest} characters."
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in value):
        return "Must not contain control characters."
    return None


def require_valid_person(errors: dict[str, str]) -> None:
    """Refuse once, naming every bad field (400 invalid_fields)."""
    if errors:
        raise Refused("invalid_fields", "Please correct: " + ", ".join(errors) + ".", errors)
