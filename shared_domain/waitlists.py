"""The Waitlist aggregate: one per conference and seat type, first come, first served.

Registrants join a sold-out seat type's list for a quantity. When seats come free, the
first entry in line is offered its whole quantity, held in SeatsAvailability under the
offer's id (the id the registrant's order will use), for the list's offer window; the
offer is accepted (an order is placed on the held seats), declined, or expires, and the
seats pass to the next in line. Strictly in order of joining: a smaller entry behind a
large first one waits too (docs/waitlists.md). An entry is offered at most once.

`decide_with_seats` decides a wait-list command together with its consequences for the
conference's SeatsAvailability (offers held, ended offers released, the waiting demand
public orders must leave alone), so the hub appends both in one transaction.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from shared_domain import seats_availability as sa
from shared_domain.errors import DomainError
from shared_domain.people import require_email, require_name

STREAM_PREFIX = "waitlist-"
MAX_ENTRY_QUANTITY = 20         # the most seats of one type one order may hold (registration)
MAX_OPEN_ENTRIES = 500          # waiting or offered, per list: a stranger cannot flood it
DEFAULT_OFFER_WINDOW_MINUTES = 24 * 60
MIN_OFFER_WINDOW_MINUTES = 15
MAX_OFFER_WINDOW_MINUTES = 14 * 24 * 60

WAITING, OFFERED, ACCEPTED = "waiting", "offered", "accepted"
DECLINED, EXPIRED, LEFT, REMOVED = "declined", "expired", "left", "removed"
OPEN = (WAITING, OFFERED)


def stream_id(conference_id: str, seat_type: str) -> str:
    """A seat type's wait-list lives in the stream waitlist-<conference_id>-<seat_type>."""
    return f"{STREAM_PREFIX}{conference_id}-{seat_type}"


# --- commands ---------------------------------------------------------------

@dataclass(frozen=True)
class JoinWaitlist:
    conference_id: str
    seat_type: str
    entry_id: str
    email: str
    name: str
    quantity: int


@dataclass(frozen=True)
class LeaveWaitlist:
    """The registrant's own leaving (the hub checks the entry's proof first)."""
    conference_id: str
    seat_type: str
    entry_id: str


@dataclass(frozen=True)
class RemoveFromWaitlist:
    """The organiser takes someone off the list."""
    conference_id: str
    seat_type: str
    entry_id: str
    by: str


@dataclass(frozen=True)
class CloseWaitlist:
    conference_id: str
    seat_type: str
    by: str


@dataclass(frozen=True)
class ReopenWaitlist:
    conference_id: str
    seat_type: str
    by: str


@dataclass(frozen=True)
class SetOfferWindow:
    conference_id: str
    seat_type: str
    minutes: int
    by: str


@dataclass(frozen=True)
class OfferFreedSeats:
    """Seats may have come free: offer them to the first in line, under this offer id."""
    conference_id: str
    seat_type: str
    offer_id: str


@dataclass(frozen=True)
class AcceptWaitlistOffer:
    conference_id: str
    seat_type: str
    offer_id: str


@dataclass(frozen=True)
class DeclineWaitlistOffer:
    conference_id: str
    seat_type: str
    offer_id: str


@dataclass(frozen=True)
class ExpireWaitlistOffer:
    conference_id: str
    seat_type: str
    offer_id: str


# --- events -----------------------------------------------------------------

@dataclass(frozen=True)
class WaitlistJoined:
    conference_id: str
    seat_type: str
    entry_id: str
    email: str
    name: str
    quantity: int
    joined_at: datetime


@dataclass(frozen=True)
class WaitlistLeft:
    conference_id: str
    seat_type: str
    entry_id: str
    offer_id: str = ""      # the offer it ended, if it held one


@dataclass(frozen=True)
class WaitlistEntryRemoved:
    conference_id: str
    seat_type: str
    entry_id: str
    by: str
    offer_id: str = ""


@dataclass(frozen=True)
class WaitlistClosed:
    conference_id: str
    seat_type: str
    by: str


@dataclass(frozen=True)
class WaitlistReopened:
    conference_id: str
    seat_type: str
    by: str


@dataclass(frozen=True)
class OfferWindowSet:
    conference_id: str
    seat_type: str
    minutes: int
    by: str


@dataclass(frozen=True)
class WaitlistOfferMade:
    conference_id: str
    seat_type: str
    offer_id: str           # also the reservation id in SeatsAvailability and the order's id
    entry_id: str
    quantity: int
    expires_at: datetime


@dataclass(frozen=True)
class WaitlistOfferAccepted:
    conference_id: str
    seat_type: str
    offer_id: str
    entry_id: str


@dataclass(frozen=True)
class WaitlistOfferDeclined:
    conference_id: str
    seat_type: str
    offer_id: str
    entry_id: str


@dataclass(frozen=True)
class WaitlistOfferExpired:
    conference_id: str
    seat_type: str
    offer_id: str
    entry_id: str


WAITLIST_EVENTS = (WaitlistJoined, WaitlistLeft, WaitlistEntryRemoved, WaitlistClosed,
                   WaitlistReopened, OfferWindowSet, WaitlistOfferMade, WaitlistOfferAccepted,
                   WaitlistOfferDeclined, WaitlistOfferExpired)
WAITLIST_COMMANDS = (JoinWaitlist, LeaveWaitlist, RemoveFromWaitlist, CloseWaitlist,
                     ReopenWaitlist, SetOfferWindow, OfferFreedSeats, AcceptWaitlistOffer,
                     DeclineWaitlistOffer, ExpireWaitlistOffer)


# --- state ------------------------------------------------------------------

@dataclass(frozen=True)
class WaitlistEntry:
    entry_id: str
    email: str
    name: str
    quantity: int
    joined_at: datetime
    status: str = WAITING
    offer_id: str = ""
    offer_expires_at: datetime | None = None


@dataclass(frozen=True)
class WaitlistState:
    conference_id: str
    seat_type: str
    entries: tuple[WaitlistEntry, ...] = ()     # in order of joining
    closed: bool = False
    offer_window_minutes: int = DEFAULT_OFFER_WINDOW_MINUTES

    def waiting(self) -> list[WaitlistEntry]:
        """Entries not yet offered, first in line first."""
        return [e for e in self.entries if e.status == WAITING]

    def demand(self) -> int:
        """Seats the waiting entries want: public orders must leave that many free seats
        alone (none while the list is closed)."""
        return 0 if self.closed else sum(e.quantity for e in self.waiting())

    def entry(self, entry_id: str) -> WaitlistEntry | None:
        return next((e for e in self.entries if e.entry_id == entry_id), None)

    def offered(self, offer_id: str) -> WaitlistEntry | None:
        """The entry an offer was made to, whatever became of the offer."""
        return next((e for e in self.entries if offer_id and e.offer_id == offer_id), None)

    def open_entry_of(self, email: str) -> WaitlistEntry | None:
        key = email.strip().casefold()
        return next((e for e in self.entries
                     if e.status in OPEN and e.email.strip().casefold() == key), None)


def evolve(state: WaitlistState | None, event: object) -> WaitlistState:
    """Apply one wait-list event to the state."""
    state = state or WaitlistState(event.conference_id, event.seat_type)
    match event:
        case WaitlistJoined():
            entry = WaitlistEntry(event.entry_id, event.email, event.name, event.quantity,
                          event.joined_at)
            return replace(state, entries=state.entries + (entry,))
        case WaitlistLeft():
            return _set_status(state, event.entry_id, LEFT)
        case WaitlistEntryRemoved():
            return _set_status(state, event.entry_id, REMOVED)
        case WaitlistClosed():
            return replace(state, closed=True)
        case WaitlistReopened():
            return replace(state, closed=False)
        case OfferWindowSet():
            return replace(state, offer_window_minutes=event.minutes)
        case WaitlistOfferMade():
            return _set_status(state, event.entry_id, OFFERED, offer_id=event.offer_id,
                               offer_expires_at=event.expires_at)
        case WaitlistOfferAccepted():
            return _set_status(state, event.entry_id, ACCEPTED)
        case WaitlistOfferDeclined():
            return _set_status(state, event.entry_id, DECLINED)
        case WaitlistOfferExpired():
            return _set_status(state, event.entry_id, EXPIRED)
    raise TypeError(f"not a wait-list event: {event!r}")


def fold(events: Iterable[object], state: WaitlistState | None = None) -> WaitlistState | None:
    """Rebuild a wait-list from its events."""
    for event in events:
        state = evolve(state, event)
    return state


def _set_status(state: WaitlistState, entry_id: str, status: str, **fields) -> WaitlistState:
    entries = tuple(replace(e, status=status, **fields) if e.entry_id == entry_id else e
                    for e in state.entries)
    return replace(state, entries=entries)


# --- decisions --------------------------------------------------------------

def decide(state: WaitlistState | None, command: object, *, now: datetime,
           free_seats: int) -> list[object]:
    """The events a wait-list command causes, or a DomainError; `free_seats` are the seat
    type's seats free in SeatsAvailability now (those protected for the list included)."""
    state = state or WaitlistState(command.conference_id, command.seat_type)
    match command:
        case JoinWaitlist():
            return _join(state, command, now)
        case LeaveWaitlist():
            return _leave(state, command, lambda offer: WaitlistLeft(
                command.conference_id, command.seat_type, command.entry_id, offer))
        case RemoveFromWaitlist():
            return _leave(state, command, lambda offer: WaitlistEntryRemoved(
                command.conference_id, command.seat_type, command.entry_id, command.by, offer))
        case CloseWaitlist():
            return [] if state.closed else [WaitlistClosed(*_key(command), command.by)]
        case ReopenWaitlist():
            return [WaitlistReopened(*_key(command), command.by)] if state.closed else []
        case SetOfferWindow():
            return _set_window(state, command)
        case OfferFreedSeats():
            return _offer(state, command, now, free_seats)
        case AcceptWaitlistOffer():
            return _accept(state, command, now)
        case DeclineWaitlistOffer():
            return _decline(state, command)
        case ExpireWaitlistOffer():
            return _expire(state, command, now)
    raise TypeError(f"not a wait-list command: {command!r}")


def _key(command) -> tuple[str, str]:
    return command.conference_id, command.seat_type


def _join(state: WaitlistState, cmd: JoinWaitlist, now: datetime) -> list[object]:
    """Join at the end of the line: once per email while the entry is open, 1..20 seats."""
    if state.entry(cmd.entry_id) is not None:
        return []       # the same join delivered again
    q = cmd.quantity
    if isinstance(q, bool) or not isinstance(q, int) or not 1 <= q <= MAX_ENTRY_QUANTITY:
        raise DomainError("invalid_quantity",
                          f"Wait for 1 to {MAX_ENTRY_QUANTITY} seats.")
    require_email(cmd.email)
    require_name(cmd.name, "name")
    if state.closed:
        raise DomainError("waitlist_closed", "This wait-list is closed.")
    if state.open_entry_of(cmd.email) is not None:
        raise DomainError("already_on_waitlist", "This e-mail address is on the wait-list.")
    if sum(1 for e in state.entries if e.status in OPEN) >= MAX_OPEN_ENTRIES:
        raise DomainError("waitlist_full", "This wait-list is full.")
    return [WaitlistJoined(*_key(cmd), cmd.entry_id, cmd.email.strip(), cmd.name.strip(), q,
                           now)]


def _leave(state: WaitlistState, cmd, event_for) -> list[object]:
    """Leave (or be removed) while waiting or offered; an offer held ends with the entry."""
    entry = state.entry(cmd.entry_id)
    if entry is None:
        raise DomainError("entry_not_found", "There is no such wait-list entry.")
    if entry.status in (LEFT, REMOVED):
        return []
    if entry.status not in OPEN:
        raise DomainError("entry_not_open", f"This entry is {entry.status} already.")
    return [event_for(entry.offer_id if entry.status == OFFERED else "")]


def _set_window(state: WaitlistState, cmd: SetOfferWindow) -> list[object]:
    m = cmd.minutes
    if isinstance(m, bool) or not isinstance(m, int) \
            or not MIN_OFFER_WINDOW_MINUTES <= m <= MAX_OFFER_WINDOW_MINUTES:
        raise DomainError("invalid_offer_window",
                          f"An offer lasts {MIN_OFFER_WINDOW_MINUTES} minutes to "
                          f"{MAX_OFFER_WINDOW_MINUTES // (24 * 60)} days.")
    if m == state.offer_window_minutes:
        return []
    return [OfferWindowSet(*_key(cmd), m, cmd.by)]


def _offer(state: WaitlistState, cmd: OfferFreedSeats, now: datetime,
           free_seats: int) -> list[object]:
    """The first waiting entry gets its whole quantity if that many seats are free; else
    nobody does (no one passes the first in line). An offer id is used once."""
    if state.closed or state.offered(cmd.offer_id) is not None:
        return []
    waiting = state.waiting()
    if not waiting or waiting[0].quantity > free_seats:
        return []
    first = waiting[0]
    expires_at = now + timedelta(minutes=state.offer_window_minutes)
    return [WaitlistOfferMade(*_key(cmd), cmd.offer_id, first.entry_id, first.quantity,
                              expires_at)]


def _offer_entry(state: WaitlistState, offer_id: str) -> WaitlistEntry:
    entry = state.offered(offer_id)
    if entry is None:
        raise DomainError("offer_not_found", "There is no such offer.")
    return entry


def _accept(state: WaitlistState, cmd: AcceptWaitlistOffer, now: datetime) -> list[object]:
    """Accept before the offer ends; accepting again changes nothing."""
    entry = _offer_entry(state, cmd.offer_id)
    if entry.status == ACCEPTED:
        return []
    if entry.status == EXPIRED or (entry.status == OFFERED and now >= entry.offer_expires_at):
        raise DomainError("offer_expired", "This offer has ended; the seats went to the next "
                                           "in line.")
    if entry.status != OFFERED:
        raise DomainError("offer_closed", "This offer is no longer open.")
    return [WaitlistOfferAccepted(*_key(cmd), cmd.offer_id, entry.entry_id)]


def _decline(state: WaitlistState, cmd: DeclineWaitlistOffer) -> list[object]:
    entry = _offer_entry(state, cmd.offer_id)
    if entry.status == DECLINED:
        return []
    if entry.status != OFFERED:
        raise DomainError("offer_closed", "This offer is no longer open.")
    return [WaitlistOfferDeclined(*_key(cmd), cmd.offer_id, entry.entry_id)]


def _expire(state: WaitlistState, cmd: ExpireWaitlistOffer, now: datetime) -> list[object]:
    """At its end an offer not taken expires; a stale or early alarm does nothing."""
    entry = state.offered(cmd.offer_id)
    if entry is None or entry.status != OFFERED or now < entry.offer_expires_at:
        return []
    return [WaitlistOfferExpired(*_key(cmd), cmd.offer_id, entry.entry_id)]


# --- with the seats ---------------------------------------------------------

def ended_offer(event: object) -> str:
    """The offer whose held seats an event gives back ("" for none)."""
    if isinstance(event, (WaitlistOfferDeclined, WaitlistOfferExpired)):
        return event.offer_id
    if isinstance(event, (WaitlistLeft, WaitlistEntryRemoved)):
        return event.offer_id
    return ""


def seat_commands(before: WaitlistState | None, after: WaitlistState,
                  events: list[object]) -> list[object]:
    """What SeatsAvailability must do for these wait-list events: hold an offer's seats,
    give an ended offer's seats back, and keep the waiting demand up to date."""
    out: list[object] = []
    for event in events:
        if isinstance(event, WaitlistOfferMade):
            out.append(sa.HoldSeatsForOffer(event.conference_id, event.offer_id,
                                            event.seat_type, event.quantity))
        elif offer := ended_offer(event):
            out.append(sa.CancelSeatReservation(event.conference_id, offer))
    if before is None or before.demand() != after.demand():
        out.append(sa.SetWaitingDemand(after.conference_id, after.seat_type, after.demand()))
    return out


def decide_with_seats(
    waitlist: WaitlistState | None, seats: sa.SeatsAvailabilityState | None, command: object,
    *, now: datetime,
) -> tuple[list[object], list[object]]:
    """(wait-list events, availability events) of one wait-list command, decided together
    so both are appended in one transaction or not at all."""
    free = seats.remaining().get(command.seat_type, 0) if seats else 0
    events = decide(waitlist, command, now=now, free_seats=free)
    if not events:
        return [], []
    after = fold(events, waitlist)
    seat_events: list[object] = []
    for seat_command in seat_commands(waitlist, after, events):
        decided = sa.decide(seats, seat_command, now=now)
        if isinstance(seat_command, sa.HoldSeatsForOffer) and not decided:
            raise DomainError("offer_not_held", "The offer's seats could not be held.")
        seats = sa.fold(decided, seats)
        seat_events += decided
    return events, seat_events
