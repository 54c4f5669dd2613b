"""A seat's badge, drawn from its signed ticket and what the replica knows (company, conference)."""
from __future__ import annotations

import io
from dataclasses import replace

import peewee
from peewee import fn
from PIL import Image

from onsite_node.checkin import CheckInDesk
from printers.badge import BadgeContent, render_badge, width_for_paper
from shared_domain import checkin
from shared_domain.errors import DomainError
from shared_domain.tickets import read_ticket

TEST_CODE = "CONTOSO TEST BADGE"


def png_bytes(image: Image.Image) -> bytes:
    """The image as a PNG file's bytes (what the UI shows and the queue keeps)."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


class BadgeMaker:
    """Renders badges at the printer's width for one node's conference."""

    def __init__(self, desk: CheckInDesk, paper_width_mm: int = 58):
        self.desk = desk
        self.replica = desk.replica
        self.width = width_for_paper(paper_width_mm)

    def conference_name(self) -> str:
        C = self.replica.models.ConferenceView
        row = C.get_or_none(C.conference_id == self.replica.conference_id)
        return row.name if row and row.name else self.replica.credentials["conference"]["name"]

    def company(self, seat_id: str) -> str:
        row = self.attendee_row(seat_id)
        return row.company if row else ""

    def attendee_row(self, seat_id: str):
        A = self.replica.models.AttendeeView
        order_id, _, position = seat_id.rpartition(":")
        if not position.isdigit():
            return None
        return A.get_or_none((A.order_id == order_id) & (A.position == int(position)))

    def seat_badge(self, code: str) -> Image.Image:
        """The badge a verified ticket code prints (see `badge_content`)."""
        return render_badge(self.badge_content(code), self.width)

    def badge_content(self, code: str) -> BadgeContent:
        """What a ticket's badge says: its name, our conference, and a ribbon for every seat
        type its holder (same email and name) holds (seats bought later, on site too, show on
        a reprint): one person, one badge."""
        ticket = read_ticket(code, self.desk.public_keys())
        row = self.attendee_row(ticket.seat_id)
        content = BadgeContent.from_ticket(ticket, code, self.conference_name(),
                                           row.company if row else "")
        held = self.seat_types_held(row.email, full_name(row)) if row else []
        return replace(content, seat_types=tuple(dict.fromkeys([*ticket.seat_types, *held])))

    def email(self, seat_id: str) -> str:
        row = self.attendee_row(seat_id)
        return row.email if row else ""

    def seat_types_held(self, email: str, name: str | None = None) -> list[str]:
        """Names of the seat types of every confirmed seat assigned to this email (and, when
        given, this name: case and spaces aside)."""
        return list(dict.fromkeys(row.name or row.seat_type
                                  for row in self._confirmed_seats(email, name)))

    def seats_of_person(self, seat_id: str) -> list[str]:
        """The seat ids of every confirmed seat held by this seat's holder (same email, same
        name), this seat included."""
        row = self.attendee_row(seat_id)
        if row is None:
            return []
        return [checkin.seat_id(r.order_id, r.position)
                for r in self._confirmed_seats(row.email, full_name(row))]

    def _confirmed_seats(self, email: str, name: str | None) -> list:
        if not email.strip():
            return []
        m = self.replica.models
        A, O, T = m.AttendeeView, m.OrderView, m.SeatTypeView
        rows = (A.select(A.order_id, A.position, A.first_name, A.last_name, A.seat_type, T.name)
                .join(O, on=(A.order_id == O.order_id))
                .join(T, peewee.JOIN.LEFT_OUTER, on=(A.seat_type == T.seat_type_id))
                .where((fn.LOWER(A.email) == email.strip().lower()) & (O.status == "confirmed"))
                .order_by(A.order_id, A.position).objects())
        return [r for r in rows if name is None or same_name(full_name(r), name)]

    def test_badge(self, node_name: str) -> Image.Image:
        """A badge that proves the printer works, with no attendee on it."""
        return render_badge(printer_test_content(self.conference_name(), node_name), self.width)

    def code_for(self, seat_id: str) -> str:
        """The seat's live ticket code: issued by the hub, or the last one printed here."""
        m = self.replica.models
        issued = m.TicketCodeView.get_or_none(m.TicketCodeView.seat_id == seat_id)
        if issued is not None:
            return issued.code
        J = m.PrintJob
        printed = (J.select().where((J.seat_id == seat_id) & (J.code != ""))
                   .order_by(J.job_id.desc()).first())
        if printed is None:
            raise DomainError("no_ticket_code", "This door has no ticket code for this seat yet: "
                                                "sync with the hub, or scan the attendee's ticket.")
        return printed.code


def full_name(row) -> str:
    return f"{row.first_name} {row.last_name}"


def same_name(one: str, other: str) -> bool:
    """Whether two names are one person's as typed (case and spaces aside)."""
    return " ".join(one.split()).casefold() == " ".join(other.split()).casefold()


def printer_test_content(conference_name: str, node_name: str) -> BadgeContent:
    """What a test badge says: no attendee, the door's name, a QR code that is no ticket."""
    return BadgeContent("Test Badge", conference_name, TEST_CODE, f"Printer test · {node_name}",
                        ("Test",))
