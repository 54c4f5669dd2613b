"""What the pages and the APIs ask of the wait-lists: parse and bound the input, check the
proof of a link, hand the command to the bus, read the lists' view."""
from __future__ import annotations

from event_store.ids import uuid7
from event_store.readers import catch_up
from hub.accounts import guesses
from hub.orders import registration
from hub.platform.errors import Refused
from hub.venue.origins import OriginGuard
from hub.waitlists import proofs
from shared_domain import limits
from shared_domain import waitlists as wl
from shared_domain.errors import DomainError

NAME_MAX = limits.PERSON_NAME_MAX


def refresh(hub) -> None:
    """Bring the lists' view up to the log, so a caller reads its own writes."""
    hub.settle()
    catch_up(hub.store, OriginGuard(hub.waitlist_views))


def seat_type_names(hub, conference_id: str) -> dict[str, str]:
    S = hub.models.SeatType
    return {row.id: row.name for row in S.select(S.id, S.name)
            .where(S.conference == conference_id).order_by(S.name)}


def _require_seat_type(hub, conference_id: str, seat_type: object) -> str:
    if not isinstance(seat_type, str) or seat_type not in seat_type_names(hub, conference_id):
        raise DomainError("seat_type_not_found", "There is no such seat type.")
    return seat_type


def _publicly_available(hub, seat_type: str) -> int:
    V = hub.models.SeatTypeView
    row = V.get_or_none(V.seat_type_id == seat_type)
    return max(row.available, 0) if row else 0


# --- the registrant's ------------------------------------------------------------

def join(hub, slug: str, seat_type: object, body: dict, *, client: str) -> dict:
    """Join a seat type's list; at most a few joins per list and address (429 past them)."""
    conference = registration.published_conference(hub, slug)
    seat_type = _require_seat_type(hub, conference.id, seat_type)
    name, email, quantity = _entry_fields(body)
    if _publicly_available(hub, seat_type) >= quantity:
        raise DomainError("seat_type_available", "These seats are on sale: order them.")
    key = f"waitlist:{conference.id}:{seat_type}"
    guesses.refuse_if_guessing(hub, key, client, "wait-list joins")
    entry_id = uuid7()
    hub.bus.handle(wl.JoinWaitlist(conference.id, seat_type, entry_id, email, name, quantity),
                   correlation=entry_id)
    guesses.remember(hub, key, client, succeeded=False)    # every join counts to the limit
    refresh(hub)
    return {**entry(hub, entry_id), "entry_token": proofs.proof(hub, "entry", entry_id)}


def _entry_fields(body: dict) -> tuple[str, str, int]:
    name, email, quantity = body.get("name"), body.get("email"), body.get("quantity")
    errors = {}
    if not isinstance(name, str) or not name.strip() or len(name) > NAME_MAX:
        errors["name"] = f"Your name, 1 to {NAME_MAX} characters."
    if not isinstance(email, str) or not email.strip() or len(email) > limits.EMAIL_MAX:
        errors["email"] = "Your e-mail address."
    if type(quantity) is not int or not 1 <= quantity <= wl.MAX_ENTRY_QUANTITY:
        errors["quantity"] = f"1 to {wl.MAX_ENTRY_QUANTITY} seats."
    if errors:
        raise Refused("invalid_fields", "Some fields are not valid.", errors)
    return name.strip(), email.strip(), quantity


def entry(hub, entry_id: str) -> dict:
    E = hub.waitlist_models.WaitlistEntryView
    row = E.get_or_none(E.entry_id == entry_id)
    if row is None:
        raise DomainError("entry_not_found", "There is no such wait-list entry.")
    return _entry(row, seat_type_names(hub, row.conference_id))


def _entry(row, names: dict) -> dict:
    return {"entry_id": row.entry_id, "seat_type": row.seat_type,
            "seat_type_name": names.get(row.seat_type, ""), "name": row.name,
            "email": row.email, "quantity": row.quantity, "joined_at": row.joined_at,
            "status": row.status, "offer_id": row.offer_id or None,
            "offer_expires_at": row.offer_expires_at or None, "converted": row.converted}


def proven_entry(hub, entry_id: str, proof: object) -> dict:
    """The entry a link opens: a wrong proof is as unknown as a wrong id (404)."""
    if not proofs.holds(hub, "entry", entry_id, proof):
        raise DomainError("entry_not_found", "There is no such wait-list entry.")
    return entry(hub, entry_id)


def leave(hub, entry_id: str, proof: object) -> dict:
    found = proven_entry(hub, entry_id, proof)
    hub.bus.handle(wl.LeaveWaitlist(_conference_of(hub, entry_id), found["seat_type"],
                                    entry_id), correlation=entry_id)
    refresh(hub)
    return entry(hub, entry_id)


def _conference_of(hub, entry_id: str) -> str:
    E = hub.waitlist_models.WaitlistEntryView
    return E.get(E.entry_id == entry_id).conference_id


def proven_offer(hub, offer_id: str, proof: object) -> dict:
    E = hub.waitlist_models.WaitlistEntryView
    row = E.get_or_none(E.offer_id == offer_id) if isinstance(offer_id, str) else None
    if row is None or not proofs.holds(hub, "offer", offer_id, proof):
        raise DomainError("offer_not_found", "There is no such offer.")
    return {**_entry(row, seat_type_names(hub, row.conference_id)),
            "conference_id": row.conference_id}


def accept(hub, offer_id: str, proof: object) -> str:
    """Accept the offer: its order is placed on the held seats; returns the order id."""
    offer = proven_offer(hub, offer_id, proof)
    hub.bus.handle(wl.AcceptWaitlistOffer(offer["conference_id"], offer["seat_type"], offer_id),
                   correlation=offer_id)
    refresh(hub)
    return offer_id


def decline(hub, offer_id: str, proof: object) -> dict:
    offer = proven_offer(hub, offer_id, proof)
    hub.bus.handle(wl.DeclineWaitlistOffer(offer["conference_id"], offer["seat_type"],
                                           offer_id), correlation=offer_id)
    refresh(hub)
    return entry(hub, offer["entry_id"])


# --- the organiser's ---------------------------------------------------------------

def lists(hub, conference) -> list[dict]:
    """Every seat type's list: open or closed, its offer window, its entries in line."""
    E, L = hub.waitlist_models.WaitlistEntryView, hub.waitlist_models.WaitlistView
    names = seat_type_names(hub, conference.id)
    settings = {row.seat_type: row for row in L.select().where(L.conference_id == conference.id)}
    entries: dict[str, list] = {}
    for row in (E.select().where(E.conference_id == conference.id)
                .order_by(E.seat_type, E.position)):
        entries.setdefault(row.seat_type, []).append(_entry(row, names))
    return [{"seat_type": seat_type, "seat_type_name": name,
             "closed": bool(settings[seat_type].closed) if seat_type in settings else False,
             "offer_window_minutes": settings[seat_type].offer_window_minutes
             if seat_type in settings else wl.DEFAULT_OFFER_WINDOW_MINUTES,
             "waiting": sum(e["quantity"] for e in entries.get(seat_type, [])
                            if e["status"] == wl.WAITING),
             "entries": entries.get(seat_type, [])}
            for seat_type, name in names.items()]


def one_list(hub, conference, seat_type: object) -> dict:
    seat_type = _require_seat_type(hub, conference.id, seat_type)
    return next(found for found in lists(hub, conference) if found["seat_type"] == seat_type)


def remove(hub, conference, seat_type: object, entry_id: object, by: str) -> None:
    seat_type = _require_seat_type(hub, conference.id, seat_type)
    if not isinstance(entry_id, str):
        raise DomainError("entry_not_found", "There is no such wait-list entry.")
    E = hub.waitlist_models.WaitlistEntryView
    row = E.get_or_none((E.entry_id == entry_id) & (E.conference_id == conference.id)
                        & (E.seat_type == seat_type))
    if row is None:
        raise DomainError("entry_not_found", "There is no such wait-list entry.")
    hub.bus.handle(wl.RemoveFromWaitlist(conference.id, seat_type, entry_id, by))
    refresh(hub)


def set_closed(hub, conference, seat_type: object, closed: bool, by: str) -> None:
    seat_type = _require_seat_type(hub, conference.id, seat_type)
    command = wl.CloseWaitlist if closed else wl.ReopenWaitlist
    hub.bus.handle(command(conference.id, seat_type, by))
    refresh(hub)


def set_offer_window(hub, conference, seat_type: object, minutes: object, by: str) -> None:
    seat_type = _require_seat_type(hub, conference.id, seat_type)
    if type(minutes) is not int:
        raise DomainError("invalid_offer_window", "The offer window is a whole number of "
                                                  "minutes.")
    hub.bus.handle(wl.SetOfferWindow(conference.id, seat_type, minutes, by))
    refresh(hub)
