"""Mails to the registrant about their order: confirmed (with its access code and link),
cancelled. "Resend its mails" (OrderMailsResendRequested) makes whichever is true again."""
from __future__ import annotations

from urllib.parse import urlencode

from hub.mail import content, facts
from hub.mail.content import Code, Link, Paragraph
from hub.mail.drafts import Draft, MailContext, lines, when_where
from shared_domain import orders
from event_store.store import StoredEvent

RESENT = "Sent again at the organiser's request."


def order_confirmation(ctx: MailContext, event: StoredEvent) -> list[Draft]:
    """To the registrant: the order, its access code and the link to open it."""
    order = facts.order_at(ctx.hub, event.message.order_id, event.version)
    if order is None or order.registrant is None or not order.confirmed or order.cancelled:
        return []
    conference = ctx.conference(order.conference_id)
    if conference is None:
        return []
    email = order.registrant.email
    link = f"{ctx.public_url}/orders/find?{urlencode({'email': email})}"
    mail = content.render(
        conference.name, f"Your order for {conference.name} is confirmed", "Your order is confirmed",
        [Paragraph(f"Hello {order.registrant.first_name}, thank you: your order for "
                   f"{conference.name} ({when_where(conference)}) is confirmed."),
         lines(order.lines, order.total_cents),
         Code("Your access code", order.access_code),
         Link("Open your order", link),
         Paragraph("To open the order, enter this e-mail address and the access code. There "
                   "you name each seat's attendee; every attendee then receives their own "
                   "ticket by e-mail."),
         *_resent(event)],
        f"Order {order.order_id}. You receive this mail because this address placed the order.")
    return [Draft(email, order.order_id, mail)]


def order_cancelled(ctx: MailContext, event: StoredEvent) -> list[Draft]:
    """To the registrant: the order is cancelled, by whom (their side or the organiser's),
    why if it was said, and what happens to the money and the tickets."""
    order = facts.order_at(ctx.hub, event.message.order_id, event.version)
    if order is None or order.registrant is None or order.cancelled is None:
        return []
    conference = ctx.conference(order.conference_id)
    if conference is None:
        return []
    cancelled = order.cancelled
    by = ("You cancelled" if cancelled.role == orders.REGISTRANT
          else "The organiser cancelled")
    blocks = [Paragraph(f"Hello {order.registrant.first_name}, {by[0].lower() + by[1:]} your "
                        f"order for {conference.name} ({when_where(conference)})."),
              lines(order.lines, order.total_cents)]
    if cancelled.reason:
        blocks.append(content.Rows((("Reason", cancelled.reason),)))
    if order.confirmed and order.total_cents:
        blocks.append(Paragraph(f"The {content.money(order.total_cents)} paid for it is "
                                "refunded."))
    blocks += [Paragraph("Its seats are released, and its tickets no longer open the door."),
               *_resent(event)]
    mail = content.render(
        conference.name, f"Your order for {conference.name} is cancelled",
        "Your order is cancelled", blocks,
        f"Order {order.order_id}. You receive this mail because this address placed the order.")
    return [Draft(order.registrant.email, order.order_id, mail)]


def _resent(event: StoredEvent) -> list:
    return [Paragraph(RESENT)] if isinstance(event.message, orders.OrderMailsResendRequested) \
        else []
