"""The one call point between order management and the e-mail outbox (hub/mail/).

"Resend its mails" first records `OrderMailsResendRequested` (who asked) on the order's
stream, through the bus (hub/orders/order_management.py); then it calls `resend` below, in
the same request. The outbox is built beside order management and not wired here yet: until
it is, `resend` only logs, and the recorded event is what the outbox may act on instead (a
reader of the log with `handles = (orders.OrderMailsResendRequested,)`). Either way the mails
must be queued from here or from that event, not both. docs/orders.md, "Resending mails".
"""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def resend(hub, order_id: str) -> None:
    """Queue the order's mails again in the outbox (wired when hub/mail/ lands)."""
    log.info("order %s: mails asked for again (OrderMailsResendRequested recorded); the "
             "mail outbox is not wired to order management yet", order_id)
