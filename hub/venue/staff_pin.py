"""The hub admin sets a conference's staff PIN; the doors learn its salted hash by sync."""
from __future__ import annotations

from werkzeug.security import generate_password_hash

from shared_domain import staff
from shared_domain.staff import StaffPinSet, require_pin


def set_staff_pin(hub, conference_id: str, pin: str, *, by: str) -> None:
    require_pin(pin)
    hub.publish(staff.stream_id(conference_id), [
        StaffPinSet(conference_id, generate_password_hash(pin), by, hub.clock().isoformat())],
        conference=conference_id)
