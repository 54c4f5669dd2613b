"""The table of mail kinds: which events make which mail.

A kind is one row of KINDS: its name (stored in the outbox), what the admin page calls it,
the events that make it, and a function from an event to its drafts (hub/mail/drafts.py).
A new kind (the wait-list offer, issue 15) is one function and one row; nothing else
changes. Every kind writes to one person about what is theirs: the registrant about their
order, an attendee about their own seat, a buyer about their purchase; never anyone else's
name or address. "Resend its mails" (OrderMailsResendRequested) is an event of the kinds
that make an order's mails again."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from hub.mail.drafts import Draft, MailContext
from hub.mail.order_mails import order_cancelled, order_confirmation
from hub.mail.sale_mails import onsite_cancelled, onsite_receipt
from hub.mail.ticket_mails import ticket, ticket_cancelled, ticket_withdrawn
from hub.waitlists.mails import waitlist_joined, waitlist_offer
from shared_domain import checkin, orders, payments, sales, seat_assignments, waitlists
from event_store.store import StoredEvent

RESEND = orders.OrderMailsResendRequested


@dataclass(frozen=True)
class MailKind:
    name: str
    label: str
    events: tuple[type, ...]
    drafts: Callable[[MailContext, StoredEvent], list[Draft]]


KINDS: tuple[MailKind, ...] = (
    MailKind("order_confirmation", "Order confirmation", (orders.OrderConfirmed, RESEND),
             order_confirmation),
    MailKind("order_cancelled", "Order cancelled", (orders.OrderCancelled, RESEND),
             order_cancelled),
    MailKind("ticket", "Ticket", (checkin.TicketIssued, RESEND), ticket),
    MailKind("ticket_withdrawn", "Ticket no longer valid", (seat_assignments.SeatUnassigned,),
             ticket_withdrawn),
    MailKind("ticket_cancelled", "Ticket of a cancelled order", (checkin.TicketRevoked,),
             ticket_cancelled),
    MailKind("onsite_receipt", "On-site receipt", (sales.OnSiteOrderRecorded, RESEND),
             onsite_receipt),
    MailKind("onsite_cancelled", "On-site sale cancelled", (payments.PaymentRefunded,),
             onsite_cancelled),
    MailKind("waitlist_joined", "On the wait-list", (waitlists.WaitlistJoined,), waitlist_joined),
    MailKind("waitlist_offer", "Wait-list offer", (waitlists.WaitlistOfferMade,), waitlist_offer),
)
LABELS = {kind.name: kind.label for kind in KINDS}


def kinds_for(event_type: type) -> list[MailKind]:
    return [kind for kind in KINDS if event_type in kind.events]
