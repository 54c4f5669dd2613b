"""How the hub writes money and dates for people: the pages, the mails and the tickets say
them the same way."""
from __future__ import annotations

import datetime as dt


def money(cents: int | None) -> str:
    """Cents as dollars: $1,234.50 (-$5.00 for a refund)."""
    cents = cents or 0
    sign = "-" if cents < 0 else ""
    return f"{sign}${abs(cents) // 100:,}.{abs(cents) % 100:02d}"


def _date(value: str | dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def day(value: str | dt.date) -> str:
    """'3 June 2026'; text that is not a date is shown as it is."""
    try:
        d = _date(value)
    except (TypeError, ValueError):
        return value or ""
    return f"{d.day} {d:%B %Y}"


def date_range(start: str | dt.date, end: str | dt.date) -> str:
    """'1–3 June 2026', '30 June – 2 July 2026', or a single day."""
    try:
        a, b = _date(start), _date(end)
    except (TypeError, ValueError):
        return " – ".join(str(part) for part in (start, end) if part)
    if a == b:
        return day(a)
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{b.day} {b:%B %Y}"
    if a.year == b.year:
        return f"{a.day} {a:%B} – {b.day} {b:%B %Y}"
    return f"{day(a)} – {day(b)}"
