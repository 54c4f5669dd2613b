"""One attendee form for every seat of an order: each seat's fields are checked first, and only
when every seat is right are the seats that changed sent, one AssignSeat or UnassignSeat
each, through the bus. A seat left blank stays open, a seat cleared is freed (its ticket is
revoked), and a seat whose fields are as the form showed them is left alone: nothing is
re-assigned and no ticket is issued again for it."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Mapping

from hub.orders.registrant_fields import attendee_field_errors
from hub.platform.errors import Refused
from shared_domain import seat_assignments
from shared_domain.errors import DomainError
from shared_domain.people import PersonalInfo

FIELDS = ("first_name", "last_name", "email", "company")
FIELD_OF_CODE = {"invalid_email": "email", "invalid_company": "company"}


@dataclass(frozen=True)
class SeatEntry:
    """One seat of the form as it came back: its fields as typed, and what it showed."""
    position: int
    typed: dict[str, str]
    shown: str           # shown_digest of the fields the form showed for this seat

    @property
    def blank(self) -> bool:
        return not any(self.typed.values())

    @property
    def untouched(self) -> bool:
        return shown_digest(self.typed) == self.shown


def input_name(position: int, field: str) -> str:
    """The form's name of one seat's field: seat-<position>-<field>."""
    return f"seat-{position}-{field}"


def shown_digest(fields: Mapping[str, str] | None) -> str:
    """A short digest of a seat's four fields as shown (a hidden field of the form), so the
    answer tells a seat the registrant left as it was from one they changed."""
    values = [((fields or {}).get(name) or "").strip() for name in FIELDS]
    return hashlib.sha256(json.dumps(values).encode()).hexdigest()[:16]


def parse(form: Mapping[str, str], positions) -> list[SeatEntry]:
    """The entries of the order's own seats; any other field is ignored."""
    def text(name: str) -> str:
        value = form.get(name, "")
        return value.strip() if isinstance(value, str) else ""
    return [SeatEntry(p, {f: text(input_name(p, f)) for f in FIELDS},
                      text(input_name(p, "shown"))) for p in positions]


def save_attendees(hub, order_id: str, entries: list[SeatEntry]) -> dict[int, DomainError]:
    """Check every seat, then change the seats that changed; the refusals by position. When
    any seat is refused by the checks, no seat is changed."""
    state = seat_assignments.fold(e.message for e in hub.store.load(
        seat_assignments.stream_id(order_id)))
    if state is None:
        raise DomainError("unknown_order", "This order has no seats to assign yet.")
    commands, refused = [], {}
    for entry in entries:
        try:
            command = _change(state, order_id, entry, hub.clock())
        except DomainError as refusal:
            refused[entry.position] = refusal
            continue
        if command is not None:
            commands.append((entry.position, command))
    if refused:
        return refused
    for position, command in commands:
        try:
            hub.bus.handle(command, correlation=order_id)
        except DomainError as refusal:   # the seat changed meanwhile: the others stand
            refused[position] = refusal
    return refused


def _change(state, order_id: str, entry: SeatEntry, now):
    """The command this seat's entry asks for, or None when it asks for nothing."""
    seat = state.seat(entry.position)
    if seat is None:
        raise DomainError("unknown_seat_position", "This order has no such seat.")
    if entry.untouched:
        return None
    if entry.blank:
        return seat_assignments.UnassignSeat(order_id, entry.position) if seat.attendee else None
    errors = attendee_field_errors(entry.typed)
    if errors:
        raise Refused("invalid_fields", "Please correct the fields marked below.", errors)
    command = seat_assignments.AssignSeat(order_id, entry.position, PersonalInfo(
        entry.typed["first_name"], entry.typed["last_name"], entry.typed["email"],
        entry.typed["company"]))
    # The domain's own decision, on the state as it is: no events means nothing changes.
    return command if seat_assignments.decide(state, command, now=now) else None
