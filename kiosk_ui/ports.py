"""What the kiosk UI needs from the node it runs on: a Protocol, so a fake can stand in.

The UI never imports the node; the node hands it an object with these methods. Refusals
come back as `shared_domain.errors.DomainError(code, message)`.
"""
from __future__ import annotations

from typing import Protocol, TypedDict


class Decision(TypedDict):
    """A decided scan as a door shows it (no seat id: it names the order on the hub)."""
    admitted: bool
    reason: str            # "admitted" or a refusal code of shared_domain.checkin.MESSAGES
    attendee_name: str
    earlier_at: str        # refused as already used: when (ISO) and at which door
    earlier_door: str
    badge_job: str         # the badge's print job when admitted, else ""
    printer_ready: bool
    printer_reason: str    # "Ready" or why not, in words


class Attendee(TypedDict):
    seat_id: str
    first_name: str
    last_name: str
    email: str
    company: str
    seat_type: str         # its name
    access_code: str       # the order's access code
    checked_in: bool
    checked_in_at: str


class History(TypedDict):
    check_ins: list[dict]  # at, door, method, by, undone
    scans: list[dict]      # at, door, result, reason, by
    prints: list[dict]     # at, door, reprint, by
    waiting: list[dict]    # this door's unprinted jobs: queued_at, state, reprint, by, problem


class NodeForKiosk(Protocol):
    """The node service the kiosk, the staff desk and the status page are given."""

    def conference_name(self) -> str: ...

    def scan(self, code: str, *, by: str) -> Decision:
        """Decide and record a scan; an admitted one queues its badge."""

    def camera_decision(self, after: int) -> tuple[int, Decision | None]:
        """The newest camera scan's number, and its decision if newer than `after` and recent."""

    def badge_of_job(self, job_id: str) -> bytes | None:
        """The PNG a print job prints (the kiosk's preview)."""

    def search(self, text: str) -> list[Attendee]: ...

    def attendee(self, seat_id: str) -> Attendee | None: ...

    def history(self, seat_id: str) -> History: ...

    def check_in(self, seat_id: str, *, by: str) -> str:
        """Check in by hand and queue the badge; return its job id ("" when no code is known)."""

    def undo(self, seat_id: str, *, by: str) -> None: ...

    def reprint(self, seat_id: str, *, by: str) -> str:
        """Queue a deliberate reprint in the name of `by`; return the job id."""

    def badge_preview(self, seat_id: str) -> bytes:
        """The PNG the seat's badge would print now."""

    def print_test_badge(self, *, by: str) -> str: ...

    def retry_printing(self) -> None: ...

    def status(self) -> dict:
        """name, conference, connected, last_sync, last_error, events_waiting, clock_offset,
        hub_url, printer {ready, reason, waiting}, camera {configured, running, text}."""

    def staff_pin_is_set(self) -> bool: ...

    def check_staff_pin(self, pin: str) -> bool: ...
