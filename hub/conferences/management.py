"""Conference management: plain CRUD whose every change publishes an integration event
in the same transaction as the row it changes."""
from __future__ import annotations

import hmac
import os

import peewee

from hub.accounts import guesses
from hub.platform.errors import Refused
from shared_domain import conferences as rules
from shared_domain.conferences import (
    ConferenceCreated, ConferencePublished, ConferenceUnpublished, ConferenceUpdated,
    SeatCreated, SeatDeleted, SeatUpdated,
)
from shared_domain.errors import DomainError
from shared_domain.people import same_email
from shared_domain.seats_availability import SetSeatQuantity
from event_store.ids import uuid7

CONFERENCE_FIELDS = ("slug", "name", "description", "location", "tagline", "twitter_search",
                     "start_date", "end_date", "owner_name", "owner_email",
                     "cancellation_deadline")
SEAT_TYPE_FIELDS = ("name", "description", "quantity", "price")


def stream_of(conference_id: str) -> str:
    return rules.stream_id(conference_id)


def publish_event(hub, conference_id: str, event) -> None:
    """Append an integration event to the conference's stream (call inside the transaction)."""
    hub.publish(stream_of(conference_id), [event], conference=conference_id)


# --- conferences ---------------------------------------------------------------

def create_conference(hub, fields: dict, wrong_types: dict | None = None):
    """Create an unpublished conference with a fresh access code; return (row, access code).

    `wrong_types` (field -> message) joins the refusal, so every bad field is named at once.
    """
    values = _clean_conference(hub, fields, wrong_types)
    access_code = rules.access_code_from(os.urandom(16))
    C = hub.models.Conference
    with hub.db.atomic():
        _require_free_slug(hub, values["slug"])
        conference = C.create(id=uuid7(), access_code=access_code, **values)
        publish_event(hub, conference.id, ConferenceCreated(**_event_fields(conference)))
    return conference, access_code


def update_conference(hub, conference, fields: dict, wrong_types: dict | None = None):
    """Change some of a conference's fields; the slug is fixed once it has been published."""
    current = {name: getattr(conference, name) for name in CONFERENCE_FIELDS}
    values = _clean_conference(hub, {**current, **fields}, wrong_types)
    with hub.db.atomic():
        conference = _reload(hub, conference)
        if values["slug"] != conference.slug:
            if conference.was_ever_published:
                raise DomainError("slug_locked",
                                  "The slug cannot change once the conference has been published.")
            _require_free_slug(hub, values["slug"])
        _save(conference, values)
        publish_event(hub, conference.id, ConferenceUpdated(**_event_fields(conference)))
    return conference


def publish(hub, conference):
    """Open the conference for registration; publishing a published conference changes nothing."""
    return _set_published(hub, conference, True)


def unpublish(hub, conference):
    """Close the conference for registration; its seat types stay as they are."""
    return _set_published(hub, conference, False)


def _set_published(hub, conference, published: bool):
    with hub.db.atomic():
        conference = _reload(hub, conference)
        if conference.is_published == published:
            return conference
        if published:
            _require_seat_types(hub, conference)
        conference.is_published = published
        conference.was_ever_published = conference.was_ever_published or published
        conference.save()
        event = ConferencePublished if published else ConferenceUnpublished
        publish_event(hub, conference.id, event(conference.id))
    return conference


def _require_seat_types(hub, conference) -> None:
    """A conference opens for registration only with something to register for."""
    S = hub.models.SeatType
    if not S.select().where(S.conference == conference.id).exists():
        raise DomainError("no_seat_types", "Add at least one seat type before publishing: "
                          "registrants need something to buy.")


def locate(hub, owner_email: str, access_code: str, *, client: str = ""):
    """The conference this owner email and access code open, or None (guesses are limited)."""
    C = hub.models.Conference
    email = (owner_email or "").strip()
    key = f"owner:{email.lower()}"
    guesses.refuse_if_guessing(hub, key, client, "tries of the access code")
    candidates = C.select().where(peewee.fn.LOWER(C.owner_email) == email.lower())
    found = next((c for c in candidates if opens(c, email, access_code)), None)
    guesses.remember(hub, key, client, succeeded=found is not None)
    return found


def opens_guarded(hub, conference, owner_email: str, access_code: str, *, client: str) -> bool:
    """`opens`, with failed tries counted and refused once they look like guessing."""
    key = f"owner:{(owner_email or '').strip().lower()}"
    guesses.refuse_if_guessing(hub, key, client, "tries of the access code")
    ok = conference is not None and opens(conference, owner_email, access_code)
    if not ok:
        guesses.remember(hub, key, client, succeeded=False)
    return ok


def opens(conference, owner_email: str, access_code: str) -> bool:
    """Whether the credentials are this conference's owner email and access code."""
    given = (access_code or "").strip().upper().encode()
    code_matches = hmac.compare_digest(given, conference.access_code.encode())
    return same_email(conference.owner_email, owner_email or "") and code_matches


def _clean_conference(hub, fields: dict, wrong_types: dict | None = None) -> dict:
    values = {name: _stripped(fields.get(name, "")) for name in CONFERENCE_FIELDS}
    errors = rules.validate_conference(values) or _too_long(hub.models.Conference, values)
    errors = {**errors, **(wrong_types or {})}
    if errors:
        raise Refused("invalid_fields", "Some conference fields are not valid.",
                      fields=errors)
    values["cancellation_deadline"] = rules.normalised_deadline(values["cancellation_deadline"])
    return values


def _require_free_slug(hub, slug: str) -> None:
    C = hub.models.Conference
    if C.select().where(peewee.fn.LOWER(C.slug) == slug.lower()).exists():
        raise Refused("slug_taken", f"The slug {slug!r} is already taken.",
                      fields={"slug": "Another conference uses this slug."})


def _event_fields(conference) -> dict:
    return {"conference_id": conference.id,
            **{name: getattr(conference, name) for name in CONFERENCE_FIELDS
               if name != "twitter_search"}}


# --- seat types ------------------------------------------------------------------

def create_seat_type(hub, conference, fields: dict, wrong_types: dict | None = None):
    """Add a seat type and offer its seats for sale."""
    values = _clean_seat_type(hub, fields, wrong_types)
    with hub.db.atomic():
        conference = _reload(hub, conference)
        seat_type = hub.models.SeatType.create(id=uuid7(), conference=conference.id, **values)
        publish_event(hub, conference.id, SeatCreated(**_seat_event_fields(seat_type)))
        _set_quantity(hub, seat_type, seat_type.quantity)
    return seat_type


def update_seat_type(hub, conference, seat_type_id: str, fields: dict,
                     wrong_types: dict | None = None):
    """Change a seat type; a new quantity adds or withdraws seats by the difference."""
    with hub.db.atomic():
        seat_type = find_seat_type(hub, conference, seat_type_id)
        current = {"name": seat_type.name, "description": seat_type.description,
                   "quantity": seat_type.quantity, "price": _dollars(seat_type.price_cents)}
        values = _clean_seat_type(hub, {**current, **fields}, wrong_types)
        _save(seat_type, values)
        # First the stock (which may refuse), so a refused quantity stores nothing at all.
        _set_quantity(hub, seat_type, seat_type.quantity)
        publish_event(hub, seat_type.conference_id, SeatUpdated(**_seat_event_fields(seat_type)))
    return seat_type


def delete_seat_type(hub, conference, seat_type_id: str) -> None:
    """Delete a seat type, only while its conference has never been published."""
    with hub.db.atomic():
        conference = _reload(hub, conference)
        seat_type = find_seat_type(hub, conference, seat_type_id)
        if not rules.can_delete_seat_type(conference.was_ever_published):
            raise DomainError("seat_type_in_use", "Seat types cannot be deleted once the "
                              "conference has been published; set the quantity to 0 instead.")
        _set_quantity(hub, seat_type, 0)
        seat_type.delete_instance()
        publish_event(hub, conference.id, SeatDeleted(conference.id, seat_type.id))


def find_seat_type(hub, conference, seat_type_id: str):
    """The conference's seat type with this id, else a 404."""
    S = hub.models.SeatType
    seat_type = S.get_or_none((S.id == seat_type_id) & (S.conference == conference.id))
    if seat_type is None:
        raise DomainError("seat_type_not_found", "This conference has no such seat type.")
    return seat_type


def _clean_seat_type(hub, fields: dict, wrong_types: dict | None = None) -> dict:
    raw = {name: _stripped(fields.get(name)) for name in SEAT_TYPE_FIELDS}
    errors = {**rules.validate_seat_type(raw), **(wrong_types or {})}
    values = {"name": raw["name"] or "", "description": raw["description"] or ""}
    if not errors:
        values["quantity"] = rules.seat_quantity_from(raw["quantity"])
        values["price_cents"] = rules.price_cents_from(raw["price"])
        errors = _too_long(hub.models.SeatType, values)
    if errors:
        raise Refused("invalid_fields", "Some seat type fields are not valid.",
                      fields=errors)
    return values


def _set_quantity(hub, seat_type, quantity: int) -> None:
    """Set the stock inside the caller's transaction: a refusal undoes the whole change.

    Handled inline (not queued) so the check against what is sold and held sees the
    stream as it is and the reservations that follow see the new quantity.
    """
    try:
        hub.bus.handle(SetSeatQuantity(seat_type.conference_id, seat_type.id, quantity),
                       correlation=seat_type.conference_id)
    except DomainError as refusal:
        if refusal.code in ("quantity_below_sold", "quantity_below_held"):
            raise Refused(refusal.code, refusal.message,
                          fields={"quantity": refusal.message}) from None
        raise


def _seat_event_fields(seat_type) -> dict:
    return dict(conference_id=seat_type.conference_id, seat_type_id=seat_type.id,
                name=seat_type.name, description=seat_type.description,
                quantity=seat_type.quantity, price_cents=seat_type.price_cents)


# --- shared ------------------------------------------------------------------------

def _reload(hub, conference):
    """The conference as the current transaction sees it."""
    return hub.models.Conference.get_by_id(conference.id)


def _save(row, values: dict) -> None:
    for name, value in values.items():
        setattr(row, name, value)
    row.save()


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


def _dollars(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _too_long(model, values: dict) -> dict[str, str]:
    """Columns narrower than the rules allow (PostgreSQL would refuse the row)."""
    errors = {}
    for name, value in values.items():
        limit = getattr(model._meta.fields.get(name), "max_length", None)
        if isinstance(value, str) and limit and len(value) > limit:
            errors[name] = f"At most {limit} characters."
    return errors
