"""Promotional codes at the doors: what a door may grant offline, the discount of a door's
sale, and the hub's check of that sale when it syncs (docs/promotions.md, "At the doors").

A door sees none of the hub's holds, so it grants only codes its replica holds as unlimited
and within their dates; no door sale ever takes a use of a quota. The hub checks the sale
against the terms the door held (the code's definition as of the hub's events the door had).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from shared_domain import promotions
from shared_domain.errors import DomainError
from shared_domain.promotions import CodeTerms, Discount, Discounted, LineDiscount

MAX_CODES = 3           # codes on one door sale
NOT_FOUND, LIMITED, MISMATCH = ("promotional_code_not_found", "promotional_code_limited",
                                "door_discount_mismatch")
LIMITED_MESSAGE = "This code has a limited number of uses: it can be used online only."


@dataclass(frozen=True)
class DoorDiscount:
    """The codes a door sale was given (normalised, in the order typed) and what they take."""
    codes: tuple[str, ...]
    discounted: Discounted


def typed_codes(raw: Iterable[object]) -> tuple[str, ...]:
    """The codes typed at the desk, normalised, blanks and repeats dropped; a malformed one
    is a code nobody has."""
    codes: list[str] = []
    for typed in raw:
        if isinstance(typed, str) and not typed.strip():
            continue
        try:
            code = promotions.normalise_code(typed)
        except DomainError:
            raise DomainError(NOT_FOUND, "There is no such promotional code.") from None
        if code not in codes:
            codes.append(code)
    if len(codes) > MAX_CODES:
        raise DomainError("too_many_promotional_codes",
                          f"A sale at the door takes at most {MAX_CODES} codes.")
    return tuple(codes)


def require_door_may_grant(code: str, terms: CodeTerms | None, now: datetime) -> Discount:
    """A code a door may grant offline: known, unlimited, within its dates (else refused)."""
    if terms is None:
        raise DomainError(NOT_FOUND, f"There is no promotional code {code}.")
    if terms.quota_kind != promotions.UNLIMITED:
        raise DomainError(LIMITED, LIMITED_MESSAGE)
    promotions.require_valid_at(terms, now)
    return promotions.discount_of(code, terms)


def door_discount(terms_of: Mapping[str, CodeTerms], codes: Iterable[object], lines: tuple,
                  now: datetime) -> DoorDiscount:
    """Price a door sale's lines with its codes: each one a door may grant, combined as on
    an order (`promotions.admit`), discounted per line by `promotions.apply_codes`."""
    normalised = typed_codes(codes)
    given: list[Discount] = []
    for code in normalised:
        discount = require_door_may_grant(code, terms_of.get(code), now)
        promotions.admit(tuple(given), discount, lines)
        given.append(discount)
    return DoorDiscount(normalised, promotions.apply_codes(lines, given))


def sale_discount_problem(codes: tuple[str, ...], discounts: tuple[LineDiscount, ...],
                          discount_cents: int, total_cents: int, lines: tuple,
                          terms_of: Mapping[str, CodeTerms], sold_at: datetime) -> str:
    """Why a door sale's discount does not stand (a refusal code), or "" when it does: each
    code known to the door as unlimited and valid when it sold, and the discount and total
    exactly what `apply_codes` gives."""
    if not codes:      # a sale at list price, as every sale before codes at the doors
        return MISMATCH if discounts or discount_cents else ""
    try:
        priced = door_discount(terms_of, codes, lines, sold_at).discounted
    except DomainError as refused:
        return refused.code
    if (tuple(discounts), discount_cents, total_cents) != (
            priced.discounts, priced.discount_cents, priced.total_cents):
        return MISMATCH
    return ""


def terms_known_at(events: Iterable[tuple[int, object]], hub_seq: int) -> CodeTerms | None:
    """A code's terms as a door held them: the last definition or update among the code's
    events (hub seq, message) that the door had received (seq <= hub_seq)."""
    terms = None
    for seq, message in events:
        if seq <= hub_seq and isinstance(message, (promotions.PromotionalCodeDefined,
                                                   promotions.PromotionalCodeUpdated)):
            terms = message.terms
    return terms
