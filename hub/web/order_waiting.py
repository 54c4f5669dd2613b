"""Requests that wait for an order to move on: the API's long-poll and the order pages'
POSTs, bounded by the hub's configuration and by how many may wait at once."""
from __future__ import annotations

from typing import Callable

from flask import current_app

from hub import order_progress
from hub.app import current_hub, order_waits
from hub.order_progress import Progress


def wait_for_order(order_id: str, done: Callable[[Progress], bool],
                   seconds: float | None = None) -> None:
    """Hold this request until done(progress) or the wait is up (the pages' wait unless
    told); go on at once when the process already has as many waiting as it allows."""
    seconds = current_app.config["ORDER_PAGE_WAIT_SECONDS"] if seconds is None else seconds
    seconds = min(seconds, current_app.config["ORDER_WAIT_MAX_SECONDS"])
    if seconds <= 0:
        return
    with order_waits().slot() as may_wait:
        if may_wait:
            order_progress.wait_until(current_hub(), order_id, done, seconds)


def reserved_or_refused(progress: Progress) -> bool:
    """The reservation has answered (with all, some or none of the seats), or it is too late."""
    return progress.status != "pending_reservation"


def confirmed_or_refunded(progress: Progress) -> bool:
    """A payment accepted has done what it will: the order is confirmed, or it is refunded."""
    return progress.status == "confirmed" or progress.payment_status == "refunded"
