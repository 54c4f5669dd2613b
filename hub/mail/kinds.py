"""The table of mail kinds: which event makes which mail, to whom, saying what.

A kind is one row of KINDS: its name (stored in the outbox), the events that make it, and a
function from the event to its drafts. A new kind (the wait-list offer, issue 15) is one
function and one row; nothing else changes. Every kind writes to one person about what is
theirs: the registrant about their order, an attendee about their own ticket, a buyer about
their purchase; never anyone else's name or address."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlencode

from hub.mail import content, facts
from hub.mail.content import Code, Link, Paragraph, Rows
from hub.orders.ticket_documents import order_reference
from shared_domain import checkin, orders, sales, seat_assignments
from event_store.store import StoredEvent

PAYMENT_WORDS = {"cash": "Cash", "card_terminal": "Card", "invoice": "Invoice"}


@dataclass(frozen=True)
class Draft:
    recipient: str
    order_id: str
    mail: content.Rendered
    attachment: dict | None = None     # what the sender attaches: {"ticket": {...}}
    part: str = ""                     # which of one event's mails to this person (a seat)


@dataclass
class MailContext:
    """What the kinds read through while one event is turned into mails."""
    hub: object
    public_url: str
    conference_name: str = ""      # of the last conference looked up: the mails' From

    def conference(self, conference_id: str) -> facts.Conference | None:
        found = facts.conference(self.hub, conference_id)
        self.conference_name = found.name if found else ""
        return found


@dataclass(frozen=True)
class MailKind:
    name: str
    label: str
    events: tuple[type, ...]
    drafts: Callable[[MailContext, StoredEvent], list[Draft]]


def order_confirmation(ctx: MailContext, event: StoredEvent) -> list[Draft]:
    """To the registrant: the order, its access code and the link to open it."""
    order = facts.order_at(ctx.hub, event.message.order_id, event.version)
    if order is None or order.registrant is None:
        return []
    conference = ctx.conference(order.conference_id)
    if conference is None:
        return []
    email = order.registrant.email
    link = f"{ctx.public_url}/orders/find?{urlencode({'email': email})}"
    mail = content.render(
        conference.name, f"Your order for {conference.name} is confirmed", "Your order is confirmed",
        [Paragraph(f"Hello {order.registrant.first_name}, thank you: your order for "
                   f"{conference.name} ({_when_where(conference)}) is confirmed."),
         _lines(order.lines, order.total_cents),
         Code("Your access code", order.access_code),
         Link("Open your order", link),
         Paragraph("To open the order, enter this e-mail address and the access code. There "
                   "you name each seat's attendee; every attendee then receives their own "
                   "ticket by e-mail.")],
        f"Order {order.order_id}. You receive this mail because this address placed the order.")
    return [Draft(email, order.order_id, mail)]


def ticket(ctx: MailContext, event: StoredEvent) -> list[Draft]:
    """To the attendee a seat was assigned to: their ticket, attached when sent."""
    m: checkin.TicketIssued = event.message
    attendee, seat_type, updated = facts.holder_by(ctx.hub, event.causation, m.order_id,
                                                   m.position)
    conference = ctx.conference(event.conference)
    if attendee is None or conference is None:
        return []
    heading = "Your updated ticket" if updated else "Your ticket"
    opening = (f"Hello {attendee.first_name or m.attendee_name}, your ticket for "
               f"{conference.name} was updated: the ticket sent before no longer opens the door."
               if updated else
               f"Hello {attendee.first_name or m.attendee_name}, here is your ticket for "
               f"{conference.name}.")
    mail = content.render(
        conference.name, f"{heading} for {conference.name}", heading,
        [Paragraph(opening),
         Rows((("Attendee", m.attendee_name), ("Seat", facts.seat_type_name(ctx.hub, seat_type)),
               ("When", conference.dates), ("Where", conference.location),
               ("Order", order_reference(m.order_id)))),
         Paragraph("Your ticket is attached as a PDF. At the door, show its QR code on your "
                   "phone or on paper; it is checked even when the venue is offline.")],
        f"You receive this mail because a seat at {conference.name} was assigned to this "
        "address.")
    ref = {"order_id": m.order_id, "position": m.position, "code_digest": m.code_digest}
    return [Draft(attendee.email, m.order_id, mail, {"ticket": ref}, str(m.position))]


def ticket_withdrawn(ctx: MailContext, event: StoredEvent) -> list[Draft]:
    """To the person a seat is taken from: their ticket no longer opens the door (nothing
    about who holds the seat now)."""
    m: seat_assignments.SeatUnassigned = event.message
    holder, seat_type = facts.holder_before(ctx.hub, event)
    conference = ctx.conference(event.conference)
    if holder is None or conference is None:
        return []
    mail = content.render(
        conference.name, f"Your ticket for {conference.name} is no longer valid",
        "Your ticket is no longer valid",
        [Paragraph(f"Hello {holder.first_name or holder.email}, the seat at {conference.name} "
                   "that was assigned to you has been given to someone else or released by "
                   "the person who ordered it. The ticket sent to you before no longer opens "
                   "the door."),
         Rows((("Seat", facts.seat_type_name(ctx.hub, seat_type)),
               ("When", conference.dates))),
         Paragraph("If you think this is a mistake, ask the person who ordered the seat.")],
        f"You receive this mail because a seat at {conference.name} was assigned to this "
        "address.")
    return [Draft(holder.email, m.order_id, mail)]


def onsite_receipt(ctx: MailContext, event: StoredEvent) -> list[Draft]:
    """To the buyer of an on-site sale: the receipt (the tickets follow, one mail each)."""
    m: sales.OnSiteOrderRecorded = event.message
    conference = ctx.conference(m.conference_id)
    if not m.buyer.email or conference is None:
        return []
    paid = " ".join(filter(None, [PAYMENT_WORDS.get(m.payment_method, m.payment_method),
                                  m.payment_reference]))
    mail = content.render(
        conference.name, f"Your receipt from {conference.name}", "Receipt",
        [Paragraph(f"Hello {m.buyer.first_name}, thank you for your purchase at "
                   f"{conference.name}."),
         _lines(m.lines, m.total_cents),
         Rows((("Paid by", paid), ("Sold", content.moment(m.sold_at)),
               ("At", facts.node_name(ctx.hub, m.node_id)))),
         Code("Receipt number", sales.receipt_number(m.order_id)),
         Paragraph("Your tickets follow in separate mails, one for each seat.")],
        f"Order {m.order_id}. You receive this mail because this address was given for the "
        "purchase.")
    return [Draft(m.buyer.email, m.order_id, mail)]


KINDS: tuple[MailKind, ...] = (
    MailKind("order_confirmation", "Order confirmation", (orders.OrderConfirmed,),
             order_confirmation),
    MailKind("ticket", "Ticket", (checkin.TicketIssued,), ticket),
    MailKind("ticket_withdrawn", "Ticket no longer valid", (seat_assignments.SeatUnassigned,),
             ticket_withdrawn),
    MailKind("onsite_receipt", "On-site receipt", (sales.OnSiteOrderRecorded,), onsite_receipt),
)
LABELS = {kind.name: kind.label for kind in KINDS}


def kinds_for(event_type: type) -> list[MailKind]:
    return [kind for kind in KINDS if event_type in kind.events]


def _lines(lines, total_cents: int) -> Rows:
    rows = [(f"{line.quantity} × {line.name}", content.money(line.line_total_cents))
            for line in lines]
    return Rows((*rows, ("Total", content.money(total_cents) if total_cents else "Free")))


def _when_where(conference: facts.Conference) -> str:
    return ", ".join(filter(None, [conference.dates, conference.location]))

