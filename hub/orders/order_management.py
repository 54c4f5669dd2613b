"""Order management: what the organiser's side (the conference's owner, or a hub admin) and
the registrant may do to an order after it was placed. Each action is a command carrying who
asked for it, handled by the bus; its consequences (seats back on sale, tickets revoked, the
refund) follow from the events, through the process manager and the readers. The pages, the
management API and the registrant's API all call these functions (docs/orders.md)."""
from __future__ import annotations

import uuid

from hub.orders import registration
from hub.platform.errors import Refused
from shared_domain import limits, orders, payments
from shared_domain.errors import DomainError


def owner(conference) -> str:
    """Who the owner is in the events: the conference's owner email (the owner session and
    the API's Basic credentials both prove it with the access code)."""
    return f"owner:{conference.owner_email.strip().lower()}"


def admin(account) -> str:
    """Who a hub admin is in the events: their sign-in email."""
    return f"admin:{account.email.strip().lower()}"


def order_of(hub, conference, order_id: str):
    """The conference's order (its read model row); another conference's order, or none, is a
    404 alike, so an owner cannot tell another conference's orders exist."""
    O = hub.models.OrderView
    row = O.get_or_none((O.order_id == order_id) & (O.conference_id == conference.id)) \
        if isinstance(order_id, str) else None
    if row is None:
        raise DomainError("order_not_found", "This conference has no such order.")
    return row


def require_order_of(hub, conference, order_id: str) -> None:
    """404 unless the order is the conference's: projected, or only just placed (its stream
    says so before the read model has caught up)."""
    O = hub.models.OrderView
    if isinstance(order_id, str) and O.get_or_none(
            (O.order_id == order_id) & (O.conference_id == conference.id)) is not None:
        return
    placed = hub.store.load(orders.stream_id(order_id))[:1] if isinstance(order_id, str) else []
    if not placed or placed[0].conference != conference.id:
        raise DomainError("order_not_found", "This conference has no such order.")


# --- the organiser's side -----------------------------------------------------------

def cancel(hub, conference, order_id: str, reason, *, by: str) -> None:
    """Cancel the order: its seats go back on sale, its tickets are revoked at every door,
    what was paid is refunded. Cancelling a cancelled order changes nothing."""
    require_order_of(hub, conference, order_id)
    hub.bus.handle(orders.CancelOrder(order_id, by, orders.ORGANISER, _reason(reason)),
                   correlation=order_id)
    hub.settle()    # seats, refund and revocations decided before the answer when they can
    hub.refresh_read_models()   # the answer shows the order cancelled, whatever is left


def mark_paid_by_invoice(hub, conference, order_id: str, invoice_reference, *, by: str) -> str:
    """Record that the order was paid by invoice; return the payment's id. The process
    manager confirms a reserved order; an expired one is confirmed only if its seats are
    still free (else the payment is refunded at once, as any late payment)."""
    row = order_of(hub, conference, order_id)
    reference = _invoice_reference(invoice_reference)
    order = registration.order_state(hub, order_id)
    _require_unpaid(order, row)
    payment_id = str(uuid.uuid4())
    hub.bus.handle(payments.PayByInvoice(payment_id, order_id, conference.id,
                                         order.total_cents, reference, by),
                   correlation=order_id)
    hub.settle()
    hub.refresh_read_models()
    return payment_id


def change_attendee(hub, conference, order_id: str, position: int, body: dict, *,
                    by: str) -> None:
    """Assign the seat to an attendee (another email moves it: the old ticket is revoked)."""
    require_order_of(hub, conference, order_id)
    registration.assign_seat(hub, order_id, position, body, by=by)


def unassign_attendee(hub, conference, order_id: str, position: int, *, by: str) -> None:
    require_order_of(hub, conference, order_id)
    registration.unassign_seat(hub, order_id, position, by=by)


def resend_mails(hub, conference, order_id: str, *, by: str) -> None:
    """Record who asked for the order's mails again: the mail outbox reads that event and
    queues the order's mails once more (hub/mail/kinds.py), sent by the worker."""
    require_order_of(hub, conference, order_id)
    hub.bus.handle(orders.ResendOrderMails(order_id, by), correlation=order_id)
    hub.refresh_read_models()


# --- the registrant ----------------------------------------------------------------

def cancel_by_registrant(hub, order_id: str, reason=None) -> None:
    """The registrant cancels their own order, until the conference's deadline (the caller
    checked the proof of the order: hub/orders/order_access.py)."""
    registration.require_order(hub, order_id)
    O = hub.models.OrderView
    row = O.get_or_none(O.order_id == order_id)
    who = f"registrant:{row.registrant_email}" if row and row.registrant_email else "registrant"
    hub.bus.handle(orders.CancelOrder(order_id, who, orders.REGISTRANT, _reason(reason)),
                   correlation=order_id)
    hub.settle()
    hub.refresh_read_models()


# --- rules of the hub's own --------------------------------------------------------

def _reason(reason) -> str:
    try:
        return orders.require_reason(reason)
    except DomainError as refusal:
        raise Refused("invalid_fields", refusal.message, {"reason": refusal.message}) from None


def _invoice_reference(reference) -> str:
    if not isinstance(reference, str) or not reference.strip():
        message = "Give the invoice's number or reference."
    elif len(reference.strip()) > limits.REFERENCE_MAX:
        message = f"At most {limits.REFERENCE_MAX} characters."
    else:
        return reference.strip()
    raise Refused("invalid_fields", message, {"invoice_reference": message})


def _require_unpaid(order: orders.OrderState, row) -> None:
    """Only an order that holds seats and waits for its money may be marked paid."""
    if order.status == orders.CANCELLED:
        raise DomainError("order_cancelled", "This order was cancelled.")
    if order.status == orders.CONFIRMED or row.payment_status == "paid":
        raise DomainError("already_paid", "This order is paid (or free and confirmed) already.")
    if order.total_cents == 0:
        raise DomainError("nothing_to_pay", "This order is free: there is nothing to pay.")
    if order.status == orders.PLACED:
        raise DomainError("reservation_pending", "Its seats are still being reserved; try "
                          "again in a moment.")
    if not order.reserved_seats:
        raise DomainError("nothing_reserved", "No seats could be reserved for this order.")
    if not order.registrant_email:
        raise DomainError("registrant_missing", "Nobody is named on this order yet: a paid "
                          "order needs its registrant.")
