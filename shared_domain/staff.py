"""The staff PIN of a conference's doors, set by the hub admin and synced as a salted hash."""
from __future__ import annotations

import re
from dataclasses import dataclass

from shared_domain.errors import DomainError

STREAM_PREFIX = "staff-"


def stream_id(conference_id: str) -> str:
    """A conference's staff settings (its PIN) live in staff-<conference_id>."""
    return STREAM_PREFIX + conference_id


_PIN = re.compile(r"\d{4,12}")


@dataclass(frozen=True)
class StaffPinSet:
    """Only the salted hash travels; nodes check a typed PIN against it offline."""
    conference_id: str
    pin_hash: str
    set_by: str
    set_at: str


STAFF_EVENTS = (StaffPinSet,)


def require_pin(pin: str) -> None:
    """A staff PIN is 4 to 12 digits: quick on a touch screen, and not a word."""
    if not isinstance(pin, str) or not _PIN.fullmatch(pin):
        raise DomainError("invalid_pin", "A staff PIN is 4 to 12 digits.")
