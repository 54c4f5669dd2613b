"""Promotional codes: one aggregate per code of a conference, and the pricing of discounts.

A code's stream holds its definition, its updates and the orders holding one of its uses;
the quota is checked there, under optimistic concurrency, so two orders racing for the last
use never both get it. The order keeps the terms it was given (`Discount`) and re-prices
with `apply_codes` whenever its lines change (docs/promotions.md).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from shared_domain.errors import DomainError
from shared_domain.pricing import OrderLine
from shared_domain.seats import SeatQuantity

STREAM_PREFIX = "promotion-"
CODE_MIN, CODE_MAX = 3, 20
CODE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9_-]*")
PERCENTAGE, AMOUNT = "percentage", "amount"
KINDS = (PERCENTAGE, AMOUNT)
MAX_AMOUNT_CENTS = 10_000_000
UNLIMITED, USES, SEATS = "unlimited", "uses", "seats"
QUOTA_KINDS = (UNLIMITED, USES, SEATS)
# How a code combines with the other codes of one order.
CUMULATIVE = "cumulative"        # with other cumulative codes and with add-ons
EXCLUSIVE = "exclusive"          # no other stand-alone code in the order (add-ons still may)
COMBINE_ONLY = "combine_only"    # an add-on: it discounts only alongside a stand-alone code
COMBINATIONS = (CUMULATIVE, EXCLUSIVE, COMBINE_ONLY)
REMOVED, ORDER_EXPIRED, ORDER_CANCELLED, SEATS_CHANGED = (
    "removed", "order_expired", "order_cancelled", "seats_changed")


def normalise_code(raw: object) -> str:
    """A code as typed, upper-cased and trimmed: 3 to 20 of A-Z, 0-9, '-' and '_'."""
    code = raw.strip().upper() if isinstance(raw, str) else ""
    if not CODE_MIN <= len(code) <= CODE_MAX or not CODE_PATTERN.fullmatch(code):
        raise DomainError("invalid_promotional_code", f"A promotional code is {CODE_MIN} to "
                          f"{CODE_MAX} letters, digits, '-' or '_'.")
    return code


def stream_id(conference_id: str, code: str) -> str:
    """A code's events live in the stream promotion-<conference_id>-<CODE>."""
    return f"{STREAM_PREFIX}{conference_id}-{code}"


# --- values -----------------------------------------------------------------

@dataclass(frozen=True)
class CodeTerms:
    """What the organiser sets for a code."""
    kind: str                         # percentage | amount
    value: int                        # 1..100 percent, or cents
    seat_types: tuple[str, ...] = ()  # () = every seat type of the conference
    quota_kind: str = UNLIMITED       # unlimited | uses (orders) | seats
    quota: int = 0                    # 0 when unlimited; single use is uses 1
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    combination: str = CUMULATIVE


@dataclass(frozen=True)
class Discount:
    """The terms an order was given when the code was applied: it re-prices with them."""
    code: str
    kind: str
    value: int
    seat_types: tuple[str, ...] = ()
    combination: str = CUMULATIVE

    def covers(self, seat_type: str) -> bool:
        return not self.seat_types or seat_type in self.seat_types


@dataclass(frozen=True)
class LineDiscount:
    code: str
    seat_type: str
    amount_cents: int


@dataclass(frozen=True)
class Discounted:
    discounts: tuple[LineDiscount, ...]
    discount_cents: int
    total_cents: int


# --- commands ---------------------------------------------------------------

@dataclass(frozen=True)
class DefinePromotionalCode:
    conference_id: str
    code: str
    terms: CodeTerms
    by: str = ""


@dataclass(frozen=True)
class UpdatePromotionalCode:
    conference_id: str
    code: str
    terms: CodeTerms
    by: str = ""


@dataclass(frozen=True)
class RedeemPromotionalCode:
    conference_id: str
    code: str
    order_id: str
    seats: int          # the order's seats in the code's scope
    # A late payment reinstating an expired order takes its use again: the order was given
    # the code within its dates, so only the quota is checked (docs/promotions.md).
    reinstating: bool = False


@dataclass(frozen=True)
class ReleasePromotionalCode:
    conference_id: str
    code: str
    order_id: str
    reason: str


# --- events -----------------------------------------------------------------

@dataclass(frozen=True)
class PromotionalCodeDefined:
    conference_id: str
    code: str
    terms: CodeTerms
    by: str = ""


@dataclass(frozen=True)
class PromotionalCodeUpdated:
    conference_id: str
    code: str
    terms: CodeTerms
    by: str = ""


@dataclass(frozen=True)
class PromotionalCodeRedeemed:
    """The order holds one use of the code (and `seats` of a seats quota); again with other
    seats, the hold is changed, not doubled."""
    conference_id: str
    code: str
    order_id: str
    seats: int


@dataclass(frozen=True)
class PromotionalCodeReleased:
    conference_id: str
    code: str
    order_id: str
    reason: str


PROMOTION_EVENTS = (PromotionalCodeDefined, PromotionalCodeUpdated, PromotionalCodeRedeemed,
                    PromotionalCodeReleased)
PROMOTION_COMMANDS = (DefinePromotionalCode, UpdatePromotionalCode, RedeemPromotionalCode,
                      ReleasePromotionalCode)


# --- state ------------------------------------------------------------------

@dataclass(frozen=True)
class PromotionState:
    conference_id: str
    code: str
    terms: CodeTerms
    holds: tuple[tuple[str, int], ...] = ()   # (order id, seats) of every order holding a use

    @property
    def uses(self) -> int:
        return len(self.holds)

    @property
    def seats(self) -> int:
        return sum(seats for _, seats in self.holds)

    def held_by(self, order_id: str) -> int | None:
        return next((seats for held, seats in self.holds if held == order_id), None)

    def discount(self) -> Discount:
        return discount_of(self.code, self.terms)


def discount_of(code: str, terms: CodeTerms) -> Discount:
    """The terms an order (or a door's sale) is given for a code."""
    return Discount(code, terms.kind, terms.value, terms.seat_types, terms.combination)


def evolve(state: PromotionState | None, event: object) -> PromotionState:
    """Apply one promotional-code event to the state."""
    if isinstance(event, PromotionalCodeDefined):
        return PromotionState(event.conference_id, event.code, event.terms)
    assert state is not None, f"{type(event).__name__} before PromotionalCodeDefined"
    match event:
        case PromotionalCodeUpdated(terms=terms):
            return replace(state, terms=terms)
        case PromotionalCodeRedeemed(order_id=order_id, seats=seats):
            others = tuple(h for h in state.holds if h[0] != order_id)
            return replace(state, holds=others + ((order_id, seats),))
        case PromotionalCodeReleased(order_id=order_id):
            return replace(state, holds=tuple(h for h in state.holds if h[0] != order_id))
    raise TypeError(f"not a promotional-code event: {event!r}")


def fold(events: Iterable[object], state: PromotionState | None = None) -> PromotionState | None:
    """Rebuild a code from its events."""
    for event in events:
        state = evolve(state, event)
    return state


# --- decisions --------------------------------------------------------------

def decide(state: PromotionState | None, command: object, *, now: datetime,
           capacity: Mapping[str, int] | None = None) -> list[object]:
    """Return the events a promotional-code command causes, or raise DomainError.

    `capacity`: the conference's seats per seat type (defining and updating need it)."""
    _require_aware(now)
    match command:
        case DefinePromotionalCode():
            return _define(state, command, _required(capacity))
        case UpdatePromotionalCode():
            return _update(_existing(state), command, _required(capacity))
        case RedeemPromotionalCode():
            return _redeem(_existing(state), command, now)
        case ReleasePromotionalCode():
            return _release(state, command)
    raise TypeError(f"not a promotional-code command: {command!r}")


def _define(state, cmd: DefinePromotionalCode, capacity) -> list[object]:
    """Define a code once; defining the same code again with the same terms changes nothing."""
    code = normalise_code(cmd.code)
    terms = require_valid_terms(cmd.terms, capacity)
    if state is not None:
        if state.terms == terms:
            return []
        raise DomainError("promotional_code_exists", f"The code {code} exists already.")
    return [PromotionalCodeDefined(cmd.conference_id, code, terms, cmd.by)]


def _update(state: PromotionState, cmd: UpdatePromotionalCode, capacity) -> list[object]:
    """Change a code's terms; its quota never below what orders hold already."""
    terms = require_valid_terms(cmd.terms, capacity)
    if terms == state.terms:
        return []
    held = state.uses if terms.quota_kind == USES else state.seats
    if terms.quota_kind != UNLIMITED and terms.quota < held:
        raise DomainError("quota_below_uses", f"Orders hold {held} of this code's "
                          f"{terms.quota_kind} already: the quota cannot be lower.")
    return [PromotionalCodeUpdated(state.conference_id, state.code, terms, cmd.by)]


def _redeem(state: PromotionState, cmd: RedeemPromotionalCode, now: datetime) -> list[object]:
    """Hold one use for the order, within the dates and the quota; the same order again is
    the same use (its seats adjusted)."""
    held = state.held_by(cmd.order_id)
    if held == cmd.seats:
        return []
    if held is None and not cmd.reinstating:
        require_valid_at(state.terms, now)
    if isinstance(cmd.seats, bool) or not isinstance(cmd.seats, int) or cmd.seats < 0:
        raise ValueError(f"seats in scope must be a count, not {cmd.seats!r}")
    if exceeds_quota(state, cmd.order_id, cmd.seats):
        raise DomainError("promotional_code_exhausted",
                          f"The code {state.code} has been used up.")
    return [PromotionalCodeRedeemed(state.conference_id, state.code, cmd.order_id, cmd.seats)]


def exceeds_quota(state: PromotionState, order_id: str, seats: int) -> bool:
    """Whether the order holding `seats` of the code would take it beyond its quota."""
    terms = state.terms
    others = tuple(h for h in state.holds if h[0] != order_id)
    if terms.quota_kind == USES:
        return len(others) + 1 > terms.quota
    if terms.quota_kind == SEATS:
        return sum(s for _, s in others) + seats > terms.quota
    return False


def _release(state: PromotionState | None, cmd: ReleasePromotionalCode) -> list[object]:
    """Give back the order's use; an order holding none (released already) changes nothing."""
    if state is None or state.held_by(cmd.order_id) is None:
        return []
    return [PromotionalCodeReleased(state.conference_id, state.code, cmd.order_id, cmd.reason)]


def require_valid_at(terms: CodeTerms, now: datetime) -> None:
    """Refuse a code outside its validity dates."""
    if terms.valid_from is not None and now < terms.valid_from:
        raise DomainError("promotional_code_not_yet_valid", "This code is not valid yet.")
    if terms.valid_until is not None and now > terms.valid_until:
        raise DomainError("promotional_code_expired", "This code has expired.")


def require_valid_terms(terms: CodeTerms, capacity: Mapping[str, int]) -> CodeTerms:
    """A code's terms as the rules allow them, or a refusal naming the field."""
    if terms.kind not in KINDS:
        _invalid("kind", f"one of {', '.join(KINDS)}")
    top = 100 if terms.kind == PERCENTAGE else MAX_AMOUNT_CENTS
    if not _whole(terms.value) or not 1 <= terms.value <= top:
        _invalid("value", f"a whole number from 1 to {top}")
    unknown = [t for t in terms.seat_types if t not in capacity]
    if unknown or len(set(terms.seat_types)) != len(terms.seat_types):
        raise DomainError("unknown_seat_type", f"Not a seat type of this conference: "
                          f"{', '.join(unknown) or 'a seat type given twice'}.")
    _require_valid_quota(terms, capacity)
    if terms.combination not in COMBINATIONS:
        _invalid("combination", f"one of {', '.join(COMBINATIONS)}")
    for moment in (terms.valid_from, terms.valid_until):
        if moment is not None:
            _require_aware(moment)
    if terms.valid_from and terms.valid_until and terms.valid_until <= terms.valid_from:
        _invalid("valid_until", "after valid_from")
    return replace(terms, seat_types=tuple(terms.seat_types),
                   quota=0 if terms.quota_kind == UNLIMITED else terms.quota)


def _require_valid_quota(terms: CodeTerms, capacity: Mapping[str, int]) -> None:
    if terms.quota_kind not in QUOTA_KINDS:
        _invalid("quota_kind", f"one of {', '.join(QUOTA_KINDS)}")
    if terms.quota_kind == UNLIMITED:
        return
    if not _whole(terms.quota) or terms.quota < 1:
        _invalid("quota", "a whole number of at least 1")
    # Each use takes at least one seat in scope: neither quota can be above those seats.
    seats = sum(capacity[t] for t in (terms.seat_types or capacity))
    if terms.quota > seats:
        raise DomainError("quota_exceeds_seats", f"The quota ({terms.quota}) exceeds the "
                          f"{seats} seats of the seat types the code applies to.")


def _invalid(field: str, expected: str) -> None:
    raise DomainError("invalid_promotional_code_terms", f"{field} must be {expected}.")


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _existing(state: PromotionState | None) -> PromotionState:
    if state is None:
        raise DomainError("promotional_code_not_found", "There is no such promotional code.")
    return state


def _required(capacity):
    if capacity is None:
        raise ValueError("defining a code needs the conference's seats per seat type")
    return capacity


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got {moment!r}")


# --- codes on an order ------------------------------------------------------

def seats_in_scope(discount: Discount, seats: Iterable[SeatQuantity]) -> int:
    """How many of these seats the code applies to."""
    return sum(s.quantity for s in seats if discount.covers(s.seat_type))


def admit(on_order: tuple[Discount, ...], new: Discount,
          lines: tuple[OrderLine, ...]) -> None:
    """Refuse a code the order holds already, one that discounts none of its lines, or one
    its other codes do not combine with."""
    if any(d.code == new.code for d in on_order):
        raise DomainError("promotional_code_already_applied",
                          f"The code {new.code} is applied to this order already.")
    if not any(new.covers(line.seat_type) and line.line_total_cents > 0 for line in lines):
        raise DomainError("promotional_code_not_applicable",
                          f"The code {new.code} applies to none of the seats in this order.")
    stand_alone = [d for d in on_order if d.combination != COMBINE_ONLY]
    if new.combination == EXCLUSIVE and stand_alone:
        raise DomainError("promotional_code_not_combinable", f"The code {new.code} cannot "
                          f"be combined with {', '.join(d.code for d in stand_alone)}.")
    exclusive = [d.code for d in stand_alone if d.combination == EXCLUSIVE]
    if new.combination == CUMULATIVE and exclusive:
        raise DomainError("promotional_code_not_combinable", f"The code {exclusive[0]} cannot "
                          f"be combined with another code such as {new.code}.")


def apply_codes(lines: Iterable[OrderLine], codes: Iterable[Discount]) -> Discounted:
    """Discount the lines: percentages first, in the order applied, each on what is left of
    every line in scope, rounded half-up per line; then fixed amounts, in the order applied,
    each once per order, taken from the lines in scope in the order's line order. An add-on
    discounts only when a stand-alone code is on the order. No line goes below zero."""
    lines = tuple(lines)
    codes = tuple(codes)
    if not any(c.combination != COMBINE_ONLY for c in codes):
        codes = ()
    left = [line.line_total_cents for line in lines]
    found: list[LineDiscount] = []
    for code in [c for c in codes if c.kind == PERCENTAGE] + \
            [c for c in codes if c.kind == AMOUNT]:
        budget = code.value
        for i, line in enumerate(lines):
            if not code.covers(line.seat_type) or left[i] == 0:
                continue
            if code.kind == PERCENTAGE:
                cut = min(left[i], (left[i] * code.value * 2 + 100) // 200)
            else:
                cut = min(left[i], budget)
                budget -= cut
            if cut:
                left[i] -= cut
                found.append(LineDiscount(code.code, line.seat_type, cut))
    discount = sum(d.amount_cents for d in found)
    return Discounted(tuple(found), discount, sum(left))


def discount_of_code(discounted: Discounted, code: str) -> int:
    """What one code took off the order."""
    return sum(d.amount_cents for d in discounted.discounts if d.code == code)
