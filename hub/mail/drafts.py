"""What a mail kind makes of an event: drafts, read through a context (hub/mail/kinds.py)."""
from __future__ import annotations

from dataclasses import dataclass

from hub.mail import content, facts
from hub.mail.content import Rows


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


def lines(order_lines, total_cents: int, discounts=()) -> Rows:
    """The lines at list price, what each code took off a line (LineDiscount), the total."""
    order_lines = tuple(order_lines)
    rows = [(f"{line.quantity} × {line.name}", content.money(line.line_total_cents))
            for line in order_lines]
    names = {line.seat_type: line.name for line in order_lines}
    rows += [(f"Code {d.code} on {names.get(d.seat_type, d.seat_type)}",
              f"−{content.money(d.amount_cents)}") for d in discounts]
    return Rows((*rows, ("Total", content.money(total_cents) if total_cents else "Free")))


def when_where(conference: facts.Conference) -> str:
    return ", ".join(filter(None, [conference.dates, conference.location]))


def same_person(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()
