"""Mails to the person on a wait-list, about their own entry only: they are on the list
(with the link to leave it), and seats are held for them (with the link to take them)."""
from __future__ import annotations

from urllib.parse import quote, urlencode

from hub.mail import content
from hub.mail.content import Link, Paragraph, Rows
from hub.mail.drafts import Draft, MailContext, when_where
from hub.waitlists import proofs
from shared_domain import waitlists as wl
from event_store.store import StoredEvent

FOOTER = "You receive this mail because this address joined the wait-list."


def _entry_at(hub, event: StoredEvent, entry_id: str):
    """The entry as its list stood at the mail's event."""
    history = [e.message for e in hub.store.load(event.stream) if e.version <= event.version]
    state = wl.fold(history)
    return state.entry(entry_id) if state else None


def _seat_type_name(hub, seat_type: str) -> str:
    S = hub.models.SeatType
    row = S.get_or_none(S.id == seat_type)
    return row.name if row else "Seats"


def _addressed(ctx: MailContext, event: StoredEvent):
    """(the event, its entry, its conference, its seat type's name); None if either is gone."""
    m = event.message
    entry = _entry_at(ctx.hub, event, m.entry_id)
    conference = ctx.conference(m.conference_id)
    if entry is None or conference is None:
        return None
    return m, entry, conference, _seat_type_name(ctx.hub, m.seat_type)


_PATHS = {"entry": "entries", "offer": "offers"}


def _link(ctx: MailContext, kind: str, identifier: str) -> str:
    return (f"{ctx.public_url}/waitlist/{_PATHS[kind]}/{quote(identifier)}?"
            + urlencode({"proof": proofs.proof(ctx.hub, kind, identifier)}))


def waitlist_joined(ctx: MailContext, event: StoredEvent) -> list[Draft]:
    """To whoever joined: which list, how many seats, and the link to leave it."""
    addressed = _addressed(ctx, event)
    if addressed is None:
        return []
    m, entry, conference, seat_name = addressed
    mail = content.render(
        conference.name, f"You are on the wait-list for {seat_name}", "You are on the wait-list",
        [Paragraph(f"Hello {entry.name}, you are on the wait-list for {seat_name} at "
                   f"{conference.name} ({when_where(conference)})."),
         Rows((("Seats", str(entry.quantity)), ("Since", content.moment(
             entry.joined_at.isoformat())))),
         Paragraph("When seats come free, they are offered in the order people joined: we "
                   "write to you as soon as they are held for you."),
         Link("Leave the wait-list", _link(ctx, "entry", m.entry_id))],
        FOOTER)
    return [Draft(entry.email, m.entry_id, mail)]


def waitlist_offer(ctx: MailContext, event: StoredEvent) -> list[Draft]:
    """To the entry's address: the seats held, until when, and the link to order them."""
    addressed = _addressed(ctx, event)
    if addressed is None:
        return []
    m, entry, conference, seat_name = addressed
    ends = content.moment(m.expires_at.isoformat())
    mail = content.render(
        conference.name, f"Seats are held for you: {seat_name}", "Your seats are held for you",
        [Paragraph(f"Hello {entry.name}, seats came free for {conference.name} "
                   f"({when_where(conference)}), and they are held for you."),
         Rows((("Seats", f"{m.quantity} × {seat_name}"), ("Held until", ends))),
         Link("Complete your order", _link(ctx, "offer", m.offer_id)),
         Paragraph(f"If you do not order them by {ends}, they go to the next in line.")],
        FOOTER)
    return [Draft(entry.email, m.offer_id, mail)]
