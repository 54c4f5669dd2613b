"""Mails to the buyer of a door's sale: the receipt when the sale reaches the hub (the
tickets follow as ticket mails), and the notice when the door cancels it."""
from __future__ import annotations

from hub.mail import content, facts
from hub.mail.content import Code, Paragraph, Rows
from hub.mail.drafts import Draft, MailContext, lines
from shared_domain import orders, payments, sales
from event_store.store import StoredEvent

PAYMENT_WORDS = {"cash": "Cash", "card_terminal": "Card", "invoice": "Invoice"}
SALE_CANCELLED = "on_site_sale_cancelled"     # the refund's reason (hub/venue/sale_rules.py)


def onsite_receipt(ctx: MailContext, event: StoredEvent) -> list[Draft]:
    """To the buyer of an on-site sale: the receipt. Sent again when asked."""
    m = event.message
    if isinstance(m, orders.OrderMailsResendRequested):
        m = facts.sale_of(ctx.hub, m.order_id)
        if m is None:
            return []
    conference = ctx.conference(m.conference_id)
    if not m.buyer.email or conference is None:
        return []
    paid = " ".join(filter(None, [PAYMENT_WORDS.get(m.payment_method, m.payment_method),
                                  m.payment_reference]))
    mail = content.render(
        conference.name, f"Your receipt from {conference.name}", "Receipt",
        [Paragraph(f"Hello {m.buyer.first_name}, thank you for your purchase at "
                   f"{conference.name}."),
         lines(m.lines, m.total_cents, m.discounts),
         Rows((("Paid by", paid), ("Sold", content.moment(m.sold_at)),
               ("At", facts.node_name(ctx.hub, m.node_id)))),
         Code("Receipt number", sales.receipt_number(m.order_id)),
         Paragraph("Your tickets follow in separate mails, one for each seat.")],
        f"Order {m.order_id}. You receive this mail because this address was given for the "
        "purchase.")
    return [Draft(m.buyer.email, m.order_id, mail)]


def onsite_cancelled(ctx: MailContext, event: StoredEvent) -> list[Draft]:
    """To the buyer, when the door that sold it cancelled the sale and refunded it."""
    m: payments.PaymentRefunded = event.message
    if m.reason != SALE_CANCELLED:
        return []
    sale = facts.sale_of(ctx.hub, m.order_id)
    conference = ctx.conference(sale.conference_id) if sale else None
    if sale is None or not sale.buyer.email or conference is None:
        return []
    mail = content.render(
        conference.name, f"Your purchase at {conference.name} is cancelled",
        "Your purchase is cancelled",
        [Paragraph(f"Hello {sale.buyer.first_name}, your purchase at {conference.name} was "
                   "cancelled at the desk where it was made."),
         lines(sale.lines, sale.total_cents),
         Rows((("Refunded", content.money(m.total_cents)),)),
         Code("Receipt number", sales.receipt_number(sale.order_id)),
         Paragraph("Its tickets no longer open the door.")],
        f"Order {sale.order_id}. You receive this mail because this address was given for the "
        "purchase.")
    return [Draft(sale.buyer.email, sale.order_id, mail)]
