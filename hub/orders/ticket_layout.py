"""Where everything of a ticket goes, in millimetres on an A5 page: the PDF draws it as it is,
the PNG at a fixed number of pixels per millimetre. Long texts are wrapped, then shrunk, then
cut with an ellipsis: nothing ever runs off the ticket."""
from __future__ import annotations

from dataclasses import dataclass

from hub.orders.ticket_fonts import POINT_MM, printable, width_mm

PAGE_W, PAGE_H = 148.0, 210.0          # A5 portrait, mm
MARGIN = 12.0
TEXT_W = PAGE_W - 2 * MARGIN
QR_LARGEST, QR_SMALLEST = 66.0, 44.0   # mm; a version 10 code stays above 0.6 mm a module
LEADING = 1.22                          # line height / font size
ELLIPSIS = "…"

INK, MUTED, WHITE = (27, 35, 51), (93, 102, 120), (255, 255, 255)
BAND, BAND_SOFT, RULE = (36, 71, 168), (205, 217, 247), (226, 230, 238)

AT_THE_DOOR = (
    "Show this code at the entrance, on your phone or printed.",
    "It works offline: the door checks it without a network.",
    "One person per ticket: it admits once, and a copy is refused.",
    "It is in the name above. When the seat goes to someone else, this ticket stops "
    "working and they get a new one.",
)


@dataclass(frozen=True)
class Line:
    """One line of text; x is its left end and baseline its baseline, in mm."""
    text: str
    x: float
    baseline: float
    size: float        # points
    bold: bool
    color: tuple[int, int, int]


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    color: tuple[int, int, int]


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    rects: tuple[Rect, ...]
    lines: tuple[Line, ...]
    qr: Rect               # the square the QR code fills (its quiet zone included)


@dataclass(frozen=True)
class Fields:
    """What the ticket says, already as text."""
    conference: str
    dates: str
    venue: str
    attendee: str
    seat_type: str
    reference: str


class _Column:
    """Lines laid top to bottom in the text column."""

    def __init__(self, top: float):
        self.y = top
        self.lines: list[Line] = []

    def text(self, text: str, sizes: tuple[float, ...], *, max_lines: int = 1,
             bold: bool = False, color=INK, gap: float = 0.0) -> None:
        size, wrapped = fit(printable(text), sizes, max_lines, TEXT_W, bold)
        for line in wrapped:
            self.y += size * POINT_MM * LEADING
            self.lines.append(Line(line, MARGIN, self.y, size, bold, color))
        self.y += gap

    def label(self, text: str, color=MUTED) -> None:
        self.text(text.upper(), (7.5,), bold=True, color=color)
        self.y += 0.6

    def skip(self, mm: float) -> None:
        self.y += mm


def lay_out(fields: Fields) -> Layout:
    band = _Column(MARGIN - 3)
    band.label("Admission ticket", BAND_SOFT)
    band.text(fields.conference, (18, 15, 12.5), max_lines=2, bold=True, color=WHITE, gap=1)
    band.text(fields.dates, (11,), color=WHITE)
    band.text(fields.venue, (11, 9.5), max_lines=2, color=WHITE)
    band_h = band.y + 6

    body = _Column(band_h + 3)
    body.label("Attendee")
    body.text(fields.attendee, (22, 18, 15), max_lines=2, bold=True, gap=3)
    body.label("Seat type")
    body.text(fields.seat_type, (13, 11), max_lines=2, gap=3)
    body.label("Order reference")
    body.text(fields.reference, (12,), gap=2)

    door = _Column(0)
    door.label("At the door")
    for point in AT_THE_DOOR:
        door.text(point, (9,), max_lines=3, gap=1)
    door_top = PAGE_H - MARGIN - door.y
    space = door_top - body.y - 4
    qr_size = max(QR_SMALLEST, min(QR_LARGEST, space))
    qr = Rect((PAGE_W - qr_size) / 2, body.y + (space - qr_size) / 2, qr_size, qr_size, WHITE)
    door_lines = [Line(line.text, line.x, line.baseline + door_top, line.size, line.bold,
                       line.color) for line in door.lines]
    rects = (Rect(0, 0, PAGE_W, band_h, BAND), Rect(MARGIN, door_top - 1, TEXT_W, 0.3, RULE))
    return Layout(PAGE_W, PAGE_H, rects, (*band.lines, *body.lines, *door_lines), qr)


def fit(text: str, sizes: tuple[float, ...], max_lines: int, width: float,
        bold: bool) -> tuple[float, list[str]]:
    """The largest size whose wrapped lines fit in max_lines, else the smallest, cut."""
    for size in sizes:
        lines = wrap(text, size, bold, width)
        if len(lines) <= max_lines:
            return size, lines
    size = sizes[-1]
    lines = wrap(text, size, bold, width)
    return size, [*lines[:max_lines - 1], cut(" ".join(lines[max_lines - 1:]), size, bold, width)]


def wrap(text: str, size: float, bold: bool, width: float) -> list[str]:
    """Break at spaces; a word wider than the line is broken between characters."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if width_mm(candidate, size, bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while width_mm(word, size, bold) > width:
            head = _longest_head(word, size, bold, width)
            lines.append(word[:head])
            word = word[head:]
        current = word
    return [*lines, current] if current else lines


def cut(text: str, size: float, bold: bool, width: float) -> str:
    """The text, or as much of it as fits with an ellipsis after it."""
    if width_mm(text, size, bold) <= width:
        return text
    head = _longest_head(text, size, bold, width - width_mm(ELLIPSIS, size, bold))
    return text[:head].rstrip() + ELLIPSIS


def _longest_head(text: str, size: float, bold: bool, width: float) -> int:
    """How many leading characters fit (at least one, so wrapping always moves on)."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if width_mm(text[:middle], size, bold) <= width:
            low = middle
        else:
            high = middle - 1
    return low
