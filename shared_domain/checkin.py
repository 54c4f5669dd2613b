"""Check-in at the door: every scan is a recorded fact, an entry is a fact, never a flag.

A node decides a scan alone, with what its replica knows: the ticket's signature, the
revocation list, the seat's order, and the seat's last check-in. Each check-in names
the check-in it knew of for the seat (`previous`), so two check-ins decided with the
same knowledge (two doors offline) are a fork the hub can see, whatever the order in
which they reach it.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from shared_domain.errors import DomainError
from shared_domain.tickets import TicketPayload

TICKETS_STREAM_PREFIX = "tickets-"


def tickets_stream(order_id: str) -> str:
    """An order's tickets (issued, revoked) live in tickets-<order_id>."""
    return TICKETS_STREAM_PREFIX + order_id


SINGLE_ENTRY, REENTRY = "single", "reentry"
MESSAGES = {
    "admitted": "Welcome!",
    "already_checked_in": "This ticket was already used.",
    "revoked": "This ticket is no longer valid.",
    "order_cancelled": "This ticket's order was cancelled.",
    "unpaid": "This ticket's order is not paid.",
    "wrong_conference": "This ticket is for another conference.",
    "forged": "This ticket is not genuine.",
    "altered": "This ticket code has been changed.",
    "unknown_key": "This ticket was signed with a key this door does not know.",
    "malformed": "This is not a ticket code.",
}
NEXT_STEP = "Please see the staff desk."


# --- events (facts observed at a node) --------------------------------------------

@dataclass(frozen=True)
class TicketScanned:
    """One reading of a code at a door, admitted or refused: always recorded (audit)."""
    scan_nonce: str
    code_digest: str
    seat_id: str
    node_id: str
    scanned_at: str       # the node's clock, corrected later by its offset
    result: str           # "admitted" | "refused"
    reason: str           # "admitted" or a refusal code
    by: str = "kiosk"


@dataclass(frozen=True)
class AttendeeCheckedIn:
    seat_id: str
    node_id: str
    scanned_at: str
    scan_nonce: str       # the same scan uploaded twice is one check-in
    attendee_name: str
    code_digest: str = ""  # "" for a manual check-in by staff
    previous: str = ""    # scan_nonce of the check-in this node knew of for the seat
    method: str = "scan"  # "scan" | "manual"
    by: str = "kiosk"


@dataclass(frozen=True)
class CheckInUndone:
    """Staff took back a mistaken check-in: a new fact, the old one stays in the log."""
    seat_id: str
    scan_nonce: str       # the check-in taken back
    node_id: str
    undone_at: str
    by: str
    undo_nonce: str = ""


@dataclass(frozen=True)
class BadgePrinted:
    """A badge came out of a door's printer: a fact of its own, apart from the check-in."""
    seat_id: str
    node_id: str
    printed_at: str
    job_id: str           # the print job: the same job confirmed twice is one print
    reprint: bool = False  # a deliberate reprint by staff, never automatic
    by: str = "kiosk"


# --- hub events: tickets and their revocation -----------------------------------------

@dataclass(frozen=True)
class TicketIssued:
    order_id: str
    position: int
    seat_id: str
    code: str
    code_digest: str
    attendee_name: str
    key_id: str


@dataclass(frozen=True)
class TicketRevoked:
    order_id: str
    seat_id: str
    code_digest: str
    reason: str           # "reassigned" | "renamed" | "order_cancelled" | "refunded"


CHECKIN_EVENTS = (TicketScanned, AttendeeCheckedIn, CheckInUndone, BadgePrinted, TicketIssued,
                  TicketRevoked)


# --- deciding a scan ---------------------------------------------------------------------

@dataclass(frozen=True)
class SeatAtDoor:
    """What the node knows about one seat when a code for it is scanned."""
    seat_id: str
    order_confirmed: bool | None     # None: the node has not heard of the order yet
    last_check_in: AttendeeCheckedIn | None
    code_revoked: bool
    order_cancelled: bool = False    # the node holds the order's cancellation


@dataclass(frozen=True)
class ScanDecision:
    admitted: bool
    reason: str
    message: str
    attendee_name: str = ""
    seat_id: str = ""
    earlier: AttendeeCheckedIn | None = None   # when refused as already used: when and where


def seat_id(order_id: str, position: int) -> str:
    return f"{order_id}:{position}"


def code_digest(code: str) -> str:
    """The digest a code is known by in the log and on revocation lists."""
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()[:32]


def refusal(reason: str) -> ScanDecision:
    return ScanDecision(False, reason, f"{MESSAGES.get(reason, reason)} {NEXT_STEP}")


def decide_scan(ticket: TicketPayload, seat: SeatAtDoor, *, conference_id: str,
                policy: str) -> ScanDecision:
    """Admit a valid, paid, unrevoked ticket once (or again, under re-entry); refuse the rest."""
    if ticket.conference_id != conference_id:
        return refusal("wrong_conference")
    if seat.order_cancelled:
        return refusal("order_cancelled")
    if seat.code_revoked:
        return refusal("revoked")
    if seat.order_confirmed is False:
        return refusal("unpaid")
    if seat.last_check_in is not None and policy != REENTRY:
        earlier = seat.last_check_in
        return ScanDecision(False, "already_checked_in",
                            f"{MESSAGES['already_checked_in']} {NEXT_STEP}",
                            ticket.attendee_name, seat.seat_id, earlier)
    return ScanDecision(True, "admitted", f"Welcome, {first_name(ticket.attendee_name)}!",
                        ticket.attendee_name, seat.seat_id)


def scan_events(decision: ScanDecision, seat: SeatAtDoor, *, code: str, node_id: str,
                scanned_at: str, scan_nonce: str, by: str) -> list:
    """The facts a decided scan leaves: the scan, and the check-in when admitted."""
    digest = code_digest(code)
    events: list = [TicketScanned(scan_nonce, digest, decision.seat_id, node_id, scanned_at,
                                  "admitted" if decision.admitted else "refused",
                                  decision.reason, by)]
    if decision.admitted:
        previous = seat.last_check_in.scan_nonce if seat.last_check_in else ""
        events.append(AttendeeCheckedIn(seat.seat_id, node_id, scanned_at, scan_nonce,
                                        decision.attendee_name, digest, previous, "scan", by))
    return events


def manual_check_in(seat: SeatAtDoor, attendee_name: str, *, node_id: str, at: str,
                    nonce: str, by: str, policy: str) -> list:
    """Staff admit someone found by search; the same rules as a scan except the signature."""
    if seat.order_cancelled:
        raise DomainError("order_cancelled", MESSAGES["order_cancelled"])
    if seat.order_confirmed is False:
        raise DomainError("unpaid", MESSAGES["unpaid"])
    if seat.last_check_in is not None and policy != REENTRY:
        raise DomainError("already_checked_in",
                          f"Already checked in at {seat.last_check_in.scanned_at}.")
    previous = seat.last_check_in.scan_nonce if seat.last_check_in else ""
    return [AttendeeCheckedIn(seat.seat_id, node_id, at, nonce, attendee_name, "", previous,
                              "manual", by)]


def undo_check_in(seat: SeatAtDoor, *, node_id: str, at: str, by: str, nonce: str) -> list:
    """Take back the seat's last check-in (a mistaken one); nothing to undo is an error."""
    if seat.last_check_in is None:
        raise DomainError("not_checked_in", "This attendee is not checked in.")
    return [CheckInUndone(seat.seat_id, seat.last_check_in.scan_nonce, node_id, at, by, nonce)]


def check_reprint(by: str) -> None:
    """A reprint is deliberate: staff ask for it under their own name, never a door by itself."""
    if by.strip() in ("", "kiosk", "camera"):
        raise DomainError("staff_only", "Only staff can reprint a badge, under their own name.")


def first_name(name: str) -> str:
    """What a door greets someone by."""
    return name.split()[0] if name.strip() else "welcome"
