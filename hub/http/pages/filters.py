"""Jinja filters: money, dates and order states as people read them."""
from __future__ import annotations

import datetime as dt

from hub.platform.formats import date_range, day, money

ORDER_STATUS_LABELS = {
    "pending_reservation": "Reserving seats",
    "reserved": "Reserved",
    "partially_reserved": "Partly reserved",
    "expired": "Expired",
    "confirmed": "Confirmed",
    "cancelled": "Cancelled",
}
PAYMENT_STATUS_LABELS = {"": "Not paid", "paid": "Paid", "rejected": "Rejected",
                         "refunded": "Refunded", "initiated": "Started", "returned": "Returned"}


def price(cents: int | None) -> str:
    return "Free" if not cents else money(cents)


def dollars(cents: int | None) -> str:
    """Cents as a form value: 1234.50."""
    cents = cents or 0
    return f"{cents // 100}.{cents % 100:02d}"


def moment(iso: str | None) -> str:
    """A stored timestamp in UTC, to the minute."""
    try:
        t = dt.datetime.fromisoformat(iso).astimezone(dt.timezone.utc)
    except (TypeError, ValueError):
        return iso or ""
    return f"{t:%Y-%m-%d %H:%M} UTC"


def clock_time(seconds: int | None) -> str:
    """Seconds left as m:ss."""
    seconds = max(0, int(seconds or 0))
    return f"{seconds // 60}:{seconds % 60:02d}"


def order_status(status: str) -> str:
    return ORDER_STATUS_LABELS.get(status, status.replace("_", " ").capitalize())


def payment_status(status: str | None) -> str:
    return PAYMENT_STATUS_LABELS.get(status or "", (status or "").capitalize())


def duration(seconds: float | None) -> str:
    """A span of time as people say it: 45 s, 12 min, 3 h 05 min."""
    if seconds is None:
        return "—"
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def clock_offset(seconds: float | None) -> str:
    """A node's clock offset (hub minus node): +2.4 s."""
    return "—" if seconds is None else f"{seconds:+.1f} s"


def time_of_day(iso: str | None) -> str:
    """A stored timestamp to the second, in UTC."""
    try:
        t = dt.datetime.fromisoformat(iso).astimezone(dt.timezone.utc)
    except (TypeError, ValueError):
        return iso or "—"
    return f"{t:%Y-%m-%d %H:%M:%S}"


FILTERS = {"duration": duration, "clock_offset": clock_offset, "time_of_day": time_of_day,
           "money": money, "price": price, "dollars": dollars, "day": day,
           "date_range": date_range, "moment": moment, "clock_time": clock_time, "order_status": order_status,
           "payment_status": payment_status}
