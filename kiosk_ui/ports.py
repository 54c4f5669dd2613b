"""What the kiosk UI needs from the node it runs on: a Protocol, so a fake can stand in.

The UI never imports the node; the node hands it an object with these methods. Refusals
come back as `shared_domain.errors.DomainError(code, message)`.
"""
from __future__ import annotations

from typing import NotRequired, Protocol, TypedDict


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
    badge_held: NotRequired[bool]   # admitted, no new badge: their badge from another seat lists it


class Attendee(TypedDict):
    seat_id: str
    first_name: str
    last_name: str
    email: str
    company: str
    seat_type: str         # its name
    checked_in: bool
    checked_in_at: str
    badge_held: NotRequired[bool]   # a badge of another of their seats (one person, one badge)


class History(TypedDict):
    check_ins: list[dict]  # at, door, method, by, undone
    scans: list[dict]      # at, door, result, reason, by
    prints: list[dict]     # at, door, reprint, by
    waiting: list[dict]    # this door's unprinted jobs: queued_at, state, reprint, by, problem


class SeatOffer(TypedDict):
    """A seat type this door may sell: its price and this door's allocation of it."""
    seat_type: str         # the seat type's id
    name: str
    price_cents: int
    allocated: int         # granted + handed in - handed out - returned
    sold: int
    left: int


class Buyer(TypedDict):
    seat_id: str           # the seat they already hold ("" for a walk-in)
    first_name: str
    last_name: str
    email: str
    company: str
    holds: list[str]       # names of the seat types they hold (found by email)


class Quote(TypedDict, total=False):
    lines: list[dict]      # seat_type, name, quantity, unit_price_cents, line_total_cents
    total_cents: int       # what the buyer pays: the lines less the codes' discounts
    codes: list[str]       # the promotional codes granted (normalised)
    discounts: list[dict]  # code, seat_type, amount_cents: what each code takes off a line
    discount_cents: int


class PrintShown(TypedDict):
    job_id: str
    state: str             # waiting | printed | failed
    problem: str           # why it waits, in words, or ""


class Sale(TypedDict):
    sale_id: str
    receipt_number: str    # short, printed on the receipt
    buyer_name: str
    buyer_email: str
    buyer_company: str
    buyer_seat_id: str     # the seat whose badge shows this sale ("" if none)
    lines: list[dict]      # as in Quote
    total_cents: int
    codes: list[str]       # promotional codes granted, and their discounts, as in Quote
    discounts: list[dict]
    discount_cents: int
    payment_method: str    # cash | card_terminal | invoice
    payment_reference: str
    sold_at: str
    by: str
    cancelled: bool
    tickets: list[dict]    # seat_id, seat_type (its name), code (the provisional ticket)
    receipt: PrintShown | None    # the newest receipt job at this door
    badge: PrintShown | None      # the newest badge job of buyer_seat_id at this door


class Door(TypedDict):
    node_id: str
    name: str              # the door's name if known, else its id shortened


class NodeForSales(Protocol):
    """The planner's part of the node: sell from this door's allocation, cancel, move seats."""

    def sale_offer(self) -> list[SeatOffer]: ...

    def quote(self, wanted: dict[str, int], codes: tuple[str, ...] = (), *,
              by: str = "") -> Quote:
        """Lines and total for the quantities wanted (seat type id -> quantity), discounted
        by the promotional codes typed: an unlimited one within its dates; a limited or
        unknown one is refused (unknown ones count as guesses of `by`)."""

    def buyer_of_code(self, code: str) -> Buyer:
        """The holder of a genuine ticket this door knows; forged or revoked codes are refused."""

    def buyer_of_seat(self, seat_id: str) -> Buyer | None: ...

    def sell(self, buyer: Buyer, wanted: dict[str, int], *, payment_method: str,
             payment_reference: str, by: str, codes: tuple[str, ...] = ()) -> str:
        """Sell in one transaction with the receipt and the buyer's badge queued; the sale id."""

    def sale(self, sale_id: str) -> Sale | None: ...

    def sales(self) -> list[Sale]:
        """This door's sales, newest first."""

    def cancel_sale(self, sale_id: str, *, refund_method: str, by: str) -> None: ...

    def print_receipt(self, sale_id: str, *, by: str) -> str:
        """Queue the sale's receipt again; return the job id."""

    def doors(self) -> list[Door]:
        """The other doors this replica has heard of (seats can be handed to them)."""

    def hand_over(self, to_node_id: str, seat_type: str, quantity: int, *, by: str) -> None: ...

    def give_back(self, seat_type: str, quantity: int, *, by: str) -> None: ...


class NodeForKiosk(NodeForSales, Protocol):
    """The node service the kiosk, the staff desk, the planner's sales and the status page
    are given."""

    def conference_name(self) -> str: ...

    def scan(self, code: str, *, by: str) -> Decision:
        """Decide and record a scan; an admitted one queues its badge."""

    def camera_decision(self, after: int) -> tuple[int, Decision | None]:
        """The newest camera scan's number, and its decision if newer than `after` and recent."""

    def badge_of_job(self, job_id: str) -> bytes | None:
        """The PNG a print job prints (a badge or a receipt: the previews)."""

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

    def kiosk_sound(self) -> bool:
        """Whether the kiosk sounds a tone for each decision (on unless staff turned it off)."""

    def set_kiosk_sound(self, on: bool, *, by: str) -> None:
        """Turn the kiosk's tones on or off (kept on this node)."""

    def status(self) -> dict:
        """name, conference, connected, last_sync, last_error, events_waiting, clock_offset,
        hub_url, printer {ready, reason, waiting}, camera {configured, running, text}."""

    def staff_pin_is_set(self) -> bool: ...

    def check_staff_pin(self, pin: str) -> bool: ...
