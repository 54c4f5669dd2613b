"""Conference management rules: validation, access codes, and the integration events it publishes.

Conferences and seat types are plain records edited on the hub (not event-sourced);
what registration needs to know about them travels as the events below.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation

from shared_domain import limits
from shared_domain.errors import DomainError
from shared_domain.people import looks_like_email

STREAM_PREFIX = "conference-"


def stream_id(conference_id: str) -> str:
    """A conference's own events (created, updated, its seat types) live here."""
    return STREAM_PREFIX + conference_id


# No 0/O, 1/I/L: codes are read aloud and typed from paper. 32 symbols = 5 bits.
ACCESS_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ123456789"
ACCESS_CODE_LENGTH = 6
MAX_SEAT_TYPE_QUANTITY = 100_000
MAX_SEAT_TYPE_PRICE_CENTS = 50_000 * 100

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PRICE_TEXT = re.compile(r"\d{1,5}(\.\d{1,2})?")
_SLUG = re.compile(r"\w+", re.ASCII)  # ASCII: the slug is part of every registration URL


# --- integration events -----------------------------------------------------

@dataclass(frozen=True)
class ConferenceCreated:
    conference_id: str
    slug: str
    name: str
    description: str
    location: str
    tagline: str
    start_date: str  # YYYY-MM-DD
    end_date: str
    owner_name: str
    owner_email: str
    # Until when registrants may cancel their own orders (ISO 8601, UTC); "": they may not.
    cancellation_deadline: str = ""


@dataclass(frozen=True)
class ConferenceUpdated:
    conference_id: str
    slug: str
    name: str
    description: str
    location: str
    tagline: str
    start_date: str
    end_date: str
    owner_name: str
    owner_email: str
    # Until when registrants may cancel their own orders (ISO 8601, UTC); "": they may not.
    cancellation_deadline: str = ""


@dataclass(frozen=True)
class ConferencePublished:
    conference_id: str


@dataclass(frozen=True)
class ConferenceUnpublished:
    conference_id: str


@dataclass(frozen=True)
class SeatCreated:
    conference_id: str
    seat_type_id: str
    name: str
    description: str
    quantity: int
    price_cents: int


@dataclass(frozen=True)
class SeatUpdated:
    conference_id: str
    seat_type_id: str
    name: str
    description: str
    quantity: int
    price_cents: int


@dataclass(frozen=True)
class SeatDeleted:
    conference_id: str
    seat_type_id: str


CONFERENCE_EVENTS = (
    ConferenceCreated, ConferenceUpdated, ConferencePublished, ConferenceUnpublished,
    SeatCreated, SeatUpdated, SeatDeleted,
)


# --- access codes -----------------------------------------------------------

def access_code_from(random_bytes: bytes) -> str:
    """Six symbols of the access code alphabet, one per byte, each equally likely."""
    if len(random_bytes) < ACCESS_CODE_LENGTH:
        raise ValueError(f"an access code needs {ACCESS_CODE_LENGTH} random bytes")
    # 256 is a multiple of 32, so byte % 32 favours no symbol.
    return "".join(ACCESS_CODE_ALPHABET[b % len(ACCESS_CODE_ALPHABET)]
                   for b in random_bytes[:ACCESS_CODE_LENGTH])


def is_access_code(value: object) -> bool:
    """An access code is six symbols of the alphabet."""
    return (isinstance(value, str) and len(value) == ACCESS_CODE_LENGTH
            and all(c in ACCESS_CODE_ALPHABET for c in value))


# --- conference validation --------------------------------------------------

def validate_conference(fields: Mapping[str, object]) -> dict[str, str]:
    """Field -> message for every conference field that breaks a rule; empty when valid."""
    errors: dict[str, str] = {}
    _check_text(errors, fields, "name", "Name", required=True,
                min_len=limits.CONFERENCE_NAME_MIN, max_len=limits.CONFERENCE_NAME_MAX)
    _check_text(errors, fields, "description", "Description", required=True,
                max_len=limits.CONFERENCE_DESCRIPTION_MAX)
    _check_text(errors, fields, "location", "Location", required=True,
                max_len=limits.LOCATION_MAX)
    _check_text(errors, fields, "tagline", "Tagline", max_len=limits.TAGLINE_MAX)
    _check_text(errors, fields, "twitter_search", "Twitter search",
                max_len=limits.TWITTER_SEARCH_MAX)
    _check_text(errors, fields, "owner_name", "Owner name", required=True,
                max_len=limits.ORGANISER_NAME_MAX)
    if _check_text(errors, fields, "slug", "Slug", required=True, max_len=limits.SLUG_MAX):
        if not _SLUG.fullmatch(_text(fields, "slug")):
            errors["slug"] = "Slug can only contain letters, digits and underscores."
    if _check_text(errors, fields, "owner_email", "Owner email", required=True,
                   max_len=limits.EMAIL_MAX):
        if not looks_like_email(_text(fields, "owner_email")):
            errors["owner_email"] = "Owner email is not a valid email address."
    start = _check_date(errors, fields, "start_date", "Start date")
    end = _check_date(errors, fields, "end_date", "End date")
    if start and end and end < start:
        errors["end_date"] = "End date must not be before the start date."
    _check_deadline(errors, _text(fields, "cancellation_deadline"), end)
    return errors


def _check_deadline(errors, text: str, end: date | None) -> None:
    if not text:
        return
    try:
        deadline = normalised_deadline(text)
    except DomainError as refusal:
        errors["cancellation_deadline"] = refusal.message
        return
    if end is not None and cancellation_deadline_from(deadline) > conference_end(end):
        errors["cancellation_deadline"] = ("The cancellation deadline must not be after the "
                                           "conference ends.")


# --- registrants' cancellations -----------------------------------------------

_DEADLINE = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?")


def normalised_deadline(text: str) -> str:
    """A cancellation deadline as stored: "" (registrants may not cancel), or the moment in
    UTC, to the minute. A moment written without an offset is UTC."""
    text = (text or "").strip()
    if not text:
        return ""
    refusal = DomainError("invalid_fields", "Give the deadline as a date and time, "
                          "YYYY-MM-DDTHH:MM (UTC), or leave it empty.")
    if not _DEADLINE.fullmatch(text):
        raise refusal
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T"))
    except ValueError:
        raise refusal from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).replace(second=0, microsecond=0).isoformat()


def cancellation_deadline_from(stored: str | None) -> datetime | None:
    """The stored deadline as a moment, or None when registrants may not cancel."""
    if not stored:
        return None
    try:
        moment = datetime.fromisoformat(stored)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def conference_end(end_date: date) -> datetime:
    """The conference is over at the end of its last day, UTC."""
    return datetime.combine(end_date + timedelta(days=1), time(0, 0), tzinfo=timezone.utc)


def registrants_may_cancel(stored_deadline: str | None, now: datetime) -> bool:
    """Whether a registrant may cancel their own order at this moment."""
    deadline = cancellation_deadline_from(stored_deadline)
    return deadline is not None and now <= deadline


def _text(fields: Mapping[str, object], key: str) -> str:
    value = fields.get(key)
    return value.strip() if isinstance(value, str) else ""


def _check_text(errors, fields, key, label, *, required=False, min_len=0, max_len=None) -> bool:
    """Record a length problem; True when the field holds text worth checking further."""
    value = _text(fields, key)
    if not value:
        if required:
            errors[key] = f"{label} is required."
        return False
    if len(value) < min_len or (max_len is not None and len(value) > max_len):
        top = f" and {max_len}" if max_len is not None else " or more"
        errors[key] = f"{label} must be between {min_len or 1}{top} characters."
        return False
    return True


def _check_date(errors, fields, key, label) -> date | None:
    if not _check_text(errors, fields, key, label, required=True):
        return None
    value = _text(fields, key)
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        errors[key] = f"{label} must be a date written YYYY-MM-DD."
        return None


# --- seat type validation ---------------------------------------------------

def validate_seat_type(fields: Mapping[str, object]) -> dict[str, str]:
    """Field -> message for every seat type field that breaks a rule; empty when valid."""
    errors: dict[str, str] = {}
    _check_text(errors, fields, "name", "Name", required=True,
                min_len=limits.SEAT_TYPE_NAME_MIN, max_len=limits.SEAT_TYPE_NAME_MAX)
    _check_text(errors, fields, "description", "Description",
                max_len=limits.SEAT_TYPE_DESCRIPTION_MAX)
    for key, parse in (("quantity", seat_quantity_from), ("price", price_cents_from)):
        try:
            parse(fields.get(key))
        except DomainError as refusal:
            errors[key] = refusal.message
    return errors


def seat_quantity_from(value: object) -> int:
    """A seat type offers a whole number of seats from 0 to 100000."""
    text = str(value).strip() if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
    if not re.fullmatch(r"\d+", text) or int(text) > MAX_SEAT_TYPE_QUANTITY:
        raise DomainError("invalid_quantity",
                          f"Quantity must be a whole number from 0 to {MAX_SEAT_TYPE_QUANTITY}.")
    return int(text)


def price_cents_from(value: object) -> int:
    """A price is 0 to 50000 dollars with at most two decimals; it is kept in cents."""
    refusal = DomainError("invalid_price",
                          "Price must be from 0 to 50000 with at most two decimals.")
    if isinstance(value, bool) or not isinstance(value, (int, str, Decimal, float)):
        raise refusal
    if isinstance(value, str) and not _PRICE_TEXT.fullmatch(value.strip()):
        raise refusal   # as documented: "199.50", not "1e2", "+5" or "12,50"
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise refusal from None
    cents = amount * 100
    if not amount.is_finite() or cents != cents.to_integral_value():
        raise refusal
    if not 0 <= cents <= MAX_SEAT_TYPE_PRICE_CENTS:
        raise refusal
    return int(cents)


def can_delete_seat_type(was_ever_published: bool) -> bool:
    """Seat types can be deleted only while the conference has never been published."""
    return not was_ever_published
