"""The hub's refusals beyond the domain's own: what was wrong with each field, how long to wait.

Services raise these (or a plain DomainError) and never name an HTTP status: hub/http/errors.py
decides the status of every code in one table, STATUS_BY_CODE.
"""
from __future__ import annotations

from shared_domain.errors import DomainError


class Refused(DomainError):
    """A refused request: a code, a message, per field what is wrong, and the seconds after
    which trying again may succeed (rate limits)."""

    def __init__(self, code: str, message: str, fields: dict | None = None, *,
                 retry_after: int | None = None) -> None:
        super().__init__(code, message)
        self.fields = dict(fields or {})
        self.retry_after = retry_after

    def __repr__(self) -> str:
        return f"Refused({self.code!r}, {self.message!r}, {self.fields!r})"
