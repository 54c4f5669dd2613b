"""Form parsing and refusals shown next to the fields."""
from __future__ import annotations

from flask import request

from shared_domain.errors import DomainError

FORM_ERROR = "_form"  # the key of a message that belongs to no single field


def form_fields(names) -> dict[str, str]:
    """The named form fields as text, stripped; absent fields are left out."""
    return {name: request.form[name].strip() for name in names if name in request.form}


def refusal_errors(refusal: DomainError, field_of_code: dict | None = None) -> dict:
    """A service refusal as field -> message, with a form-level message when needed."""
    fields = dict(getattr(refusal, "fields", None) or {})
    field = (field_of_code or {}).get(refusal.code)
    if field and field not in fields:
        fields[field] = refusal.message
    if not fields:
        fields[FORM_ERROR] = refusal.message
    elif getattr(refusal, "code", "") == "invalid_fields":
        fields.setdefault(FORM_ERROR, "Please correct the fields marked below.")
    return fields
