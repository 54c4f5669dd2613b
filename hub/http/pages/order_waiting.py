"""Requests that wait for an order to move on: the API's long-poll and the order pages'
POSTs, bounded by the hub's configuration and by how many may wait at once."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Mapping

from flask import current_app

from hub.orders import order_progress
from hub.http.context import current_hub, order_waits
from hub.http.errors import ApiError
from hub.orders.order_progress import WAIT_MAX_SECONDS, Progress, read_progress

_WHOLE_SECONDS = re.compile(r"\d{1,2}", re.ASCII)


@dataclass(frozen=True)
class WaitRequest:
    """A validated ?wait=&since=: no wait (seconds 0) answers at once."""
    seconds: int = 0
    since: str = ""


def parse_wait(args: Mapping[str, str],
               is_since: Callable[[str], bool] = order_progress.is_since) -> WaitRequest:
    """wait: whole seconds 0..25; since: a status or a version (what is_since accepts),
    required with a wait."""
    wait, since = args.get("wait"), args.get("since")
    if wait is None and since is None:
        return WaitRequest()
    errors = {}
    seconds = int(wait) if wait is not None and _WHOLE_SECONDS.fullmatch(wait) else -1
    if wait is not None and not 0 <= seconds <= WAIT_MAX_SECONDS:
        errors["wait"] = f"A whole number of seconds from 0 to {WAIT_MAX_SECONDS}."
    if since is not None and not is_since(since):
        errors["since"] = "An order status or the order's version, as last answered."
    if wait is not None and since is None:
        errors["since"] = "Say what you have: the status or the version last answered."
    if errors:
        raise ApiError(400, "invalid_fields", "Give wait and since as documented.", errors)
    return WaitRequest(max(seconds, 0), since or "")


def wait_for_order(order_id: str, done: Callable[[Progress], bool],
                   seconds: float | None = None, read: Callable = read_progress) -> None:
    """Hold this request until done(progress) or the wait is up (the pages' wait unless
    told); go on at once when the process already has as many waiting as it allows.
    `read` as order_progress.wait_until takes it."""
    seconds = current_app.config["ORDER_PAGE_WAIT_SECONDS"] if seconds is None else seconds
    seconds = min(seconds, current_app.config["ORDER_WAIT_MAX_SECONDS"])
    if seconds <= 0:
        return
    with order_waits().slot() as may_wait:
        if may_wait:
            order_progress.wait_until(current_hub(), order_id, done, seconds, read)


def reserved_or_refused(progress: Progress) -> bool:
    """The reservation has answered (with all, some or none of the seats), or it is too late."""
    return progress.status != "pending_reservation"


def confirmed_or_refunded(progress: Progress) -> bool:
    """A payment accepted has done what it will: the order is confirmed, or it is refunded."""
    return progress.status == "confirmed" or progress.payment_status == "refunded"
