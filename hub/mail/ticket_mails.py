"""Mails to attendees about their own seat: their ticket, and the notice that it no longer
opens the door (the seat given to someone else, or the order cancelled). Nothing about who
holds the seat now, or who ordered it."""
from __future__ import annotations

from hub.mail import content, facts
from hub.mail.content import Paragraph, Rows
from hub.mail.drafts import Draft, MailContext, same_person
from hub.orders.ticket_documents import order_reference
from shared_domain import checkin, orders, seat_assignments
from event_store.store import StoredEvent


def ticket(ctx: MailContext, event: StoredEvent) -> list[Draft]:
    """To the attendee a seat was assigned to: their ticket, attached when sent. "Resend its
    mails" sends each seat's live ticket again."""
    if isinstance(event.message, orders.OrderMailsResendRequested):
        order = facts.order_at(ctx.hub, event.message.order_id, event.version)
        if order is not None and order.cancelled:
            return []
        live = facts.tickets_at(ctx.hub, event.message.order_id, event.position)
        return [draft for issued in live.values()
                for draft in _ticket(ctx, issued, resent=True)]
    return _ticket(ctx, event, resent=False)


def _ticket(ctx: MailContext, event: StoredEvent, *, resent: bool) -> list[Draft]:
    m: checkin.TicketIssued = event.message
    attendee, seat_type, updated = facts.holder_by(ctx.hub, event.causation, m.order_id,
                                                   m.position)
    conference = ctx.conference(event.conference)
    if attendee is None or conference is None:
        return []
    updated = updated and not resent
    heading = "Your updated ticket" if updated else "Your ticket"
    hello = f"Hello {attendee.first_name or m.attendee_name}"
    opening = (f"{hello}, your ticket for {conference.name} was updated: the ticket sent "
               "before no longer opens the door." if updated else
               f"{hello}, here is your ticket for {conference.name}.")
    mail = content.render(
        conference.name, f"{heading} for {conference.name}", heading,
        [Paragraph(opening),
         Rows((("Attendee", m.attendee_name), ("Seat", facts.seat_type_name(ctx.hub, seat_type)),
               ("When", conference.dates), ("Where", conference.location),
               ("Order", order_reference(m.order_id)))),
         Paragraph("Your ticket is attached as a PDF. At the door, show its QR code on your "
                   "phone or on paper; it is checked even when the venue is offline."),
         *([Paragraph("Sent again at the organiser's request.")] if resent else [])],
        f"You receive this mail because a seat at {conference.name} was assigned to this "
        "address.")
    ref = {"order_id": m.order_id, "position": m.position, "code_digest": m.code_digest}
    return [Draft(attendee.email, m.order_id, mail, {"ticket": ref}, str(m.position))]


def ticket_withdrawn(ctx: MailContext, event: StoredEvent) -> list[Draft]:
    """To the person a seat is taken from: their ticket no longer opens the door."""
    m: seat_assignments.SeatUnassigned = event.message
    holder, seat_type = facts.holder_before(ctx.hub, event)
    conference = ctx.conference(event.conference)
    if holder is None or conference is None:
        return []
    who = "the organiser" if getattr(m, "by", "") else "the person who ordered it"
    return [_notice(conference, holder, seat_type, ctx, m.order_id, m.position,
                    "the seat at {conference} that was assigned to you has been given to "
                    f"someone else or released by {who}",
                    "If you think this is a mistake, ask the person who ordered the seat.")]


def ticket_cancelled(ctx: MailContext, event: StoredEvent) -> list[Draft]:
    """To each attendee of a cancelled order (its registrant has the cancellation)."""
    m: checkin.TicketRevoked = event.message
    if m.reason != "order_cancelled":
        return []
    issued = facts.issued(ctx.hub, event.stream, m.code_digest)
    order = facts.order_at(ctx.hub, m.order_id)
    if issued is None:
        return []
    holder, seat_type, _ = facts.holder_by(ctx.hub, issued.causation, m.order_id,
                                           issued.message.position)
    conference = ctx.conference(event.conference)
    if holder is None or conference is None or (
            order and order.registrant and same_person(holder.email, order.registrant.email)):
        return []
    return [_notice(conference, holder, seat_type, ctx, m.order_id, issued.message.position,
                    "the order your seat at {conference} was part of has been cancelled",
                    "If you think this is a mistake, ask the person who ordered the seat.")]


def _notice(conference, holder, seat_type, ctx, order_id, position, what, then) -> Draft:
    mail = content.render(
        conference.name, f"Your ticket for {conference.name} is no longer valid",
        "Your ticket is no longer valid",
        [Paragraph(f"Hello {holder.first_name or holder.email}, "
                   f"{what.format(conference=conference.name)}. The ticket sent to you "
                   "before no longer opens the door."),
         Rows((("Seat", facts.seat_type_name(ctx.hub, seat_type)),
               ("When", conference.dates))),
         Paragraph(then)],
        f"You receive this mail because a seat at {conference.name} was assigned to this "
        "address.")
    return Draft(holder.email, order_id, mail, None, str(position))
