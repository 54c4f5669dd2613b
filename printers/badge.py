"""The attendee's badge, rendered once as a 1-bit image at the printer's width.

Top to bottom: the conference, the attendee's name (as large as fits, then wrapped),
the company, one black ribbon per seat type, and the ticket's QR code. Text too long
for its block is set smaller down to a floor, then cut with an ellipsis: a block never
grows past its lines, so no name, however long, overflows the label. The same image
is the UI's preview and what the thermal printer prints, dot for dot.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import qrcode
from PIL import Image, ImageDraw

from printers.fonts import FontChain, font_chain, wrap_anywhere, wrap_words
from shared_domain.tickets import TicketPayload

PAPER_WIDTH_DOTS = {58: 384, 80: 576}
WHITE, BLACK = 255, 0
ELLIPSIS = "\u2026"


@dataclass(frozen=True)
class BadgeContent:
    attendee_name: str
    conference_name: str
    ticket_code: str
    company: str = ""
    seat_types: tuple[str, ...] = ()

    @classmethod
    def from_ticket(cls, payload: TicketPayload, code: str, conference_name: str,
                    company: str = "") -> BadgeContent:
        """What a node can print from a signed ticket alone (plus what it knows)."""
        return cls(payload.attendee_name, conference_name, code, company, payload.seat_types)


@dataclass(frozen=True)
class TextStyle:
    largest: int            # point sizes at a 384-dot width; scaled for wider paper
    smallest: int
    bold: bool = False
    max_lines: int = 2
    one_line_down_to: int | None = None    # shrink on one line to this size before wrapping
    floor: int = 14         # the smallest size for text too long for `smallest`

    @property
    def most_lines(self) -> int:
        """Lines a block may take when broken anywhere: one more than when wrapped at spaces."""
        return self.max_lines + 1


CONFERENCE_STYLE = TextStyle(largest=26, smallest=18, bold=True, one_line_down_to=20)
NAME_STYLE = TextStyle(largest=64, smallest=26, bold=True, max_lines=3, one_line_down_to=42)
COMPANY_STYLE = TextStyle(largest=30, smallest=20, one_line_down_to=22)
RIBBON_STYLE = TextStyle(largest=28, smallest=16, bold=True, max_lines=1)


def width_for_paper(paper_width_mm: int) -> int:
    """Printable dots across 58 mm or 80 mm thermal paper."""
    try:
        return PAPER_WIDTH_DOTS[paper_width_mm]
    except KeyError:
        raise ValueError(f"Paper must be 58 or 80 mm wide, not {paper_width_mm}.") from None


def render_badge(content: BadgeContent, width: int = 384) -> Image.Image:
    """Render the badge as a 1-bit image exactly `width` dots wide."""
    scale = width / 384
    margin = round(16 * scale)
    text_width = width - 2 * margin
    blocks = [
        text_block(content.conference_name, CONFERENCE_STYLE, width, text_width, scale),
        rule(width, margin, round(3 * scale)),
        name_block(content.attendee_name, width, text_width, scale),
    ]
    if content.company.strip():
        blocks.append(text_block(content.company, COMPANY_STYLE, width, text_width, scale))
    blocks += [ribbon(name, width, scale) for name in content.seat_types if name.strip()]
    blocks.append(qr_block(content.ticket_code, width))
    return stack(blocks, width, gap=round(14 * scale), margin=margin).convert(
        "1", dither=Image.Dither.NONE)


def name_block(name: str, width: int, text_width: int, scale: float) -> Image.Image:
    """The attendee's name, as large as it fits."""
    return text_block(name, NAME_STYLE, width, text_width, scale)


def text_block(text: str, style: TextStyle, width: int, text_width: int,
               scale: float) -> Image.Image:
    """A centred paragraph: on one line if it fits large enough, else wrapped, then smaller."""
    attempts = [style]
    if style.one_line_down_to:
        attempts.insert(0, replace(style, smallest=style.one_line_down_to, max_lines=1))
    for attempt in attempts:
        fitted = fit_text(text, attempt, text_width, scale)
        if fitted:
            return draw_lines(*fitted, width)
    return draw_lines(*squeezed(text, style, text_width, scale), width)


def squeezed(text: str, style: TextStyle, text_width: int,
             scale: float) -> tuple[FontChain, list[str]]:
    """Text too long to wrap at spaces: broken anywhere, smaller down to the floor, then cut."""
    for size in range(style.smallest, min(style.floor, style.smallest) - 1, -2):
        chain = font_chain(round(size * scale), bold=style.bold)
        lines = wrap_anywhere(text, chain, text_width)
        if len(lines) <= style.most_lines:
            return chain, lines
    return chain, cut_lines(lines, style.most_lines, chain, text_width)


def cut_lines(lines: list[str], most: int, chain: FontChain, text_width: int) -> list[str]:
    """The first `most` lines, the last ending in an ellipsis that fits."""
    kept = lines[:most]
    if len(lines) > most:
        kept[-1] = clip_line(kept[-1] + ELLIPSIS, chain, text_width)
    return kept


def clip_line(line: str, chain: FontChain, text_width: int) -> str:
    """The line as it is if it fits, else shortened to end in an ellipsis within the width."""
    if chain.length(line) <= text_width:
        return line
    body = line.removesuffix(ELLIPSIS)
    while body and chain.length(body + ELLIPSIS) > text_width:
        body = body[:-1]
    return body.rstrip() + ELLIPSIS


def fit_text(text: str, style: TextStyle, text_width: int,
             scale: float) -> tuple[FontChain, list[str]] | None:
    """The largest font of the style whose wrapped lines fit; None when none does."""
    for size in range(style.largest, style.smallest - 1, -2):
        chain = font_chain(round(size * scale), bold=style.bold)
        lines = wrap_words(text, chain, text_width)
        if lines is not None and len(lines) <= style.max_lines:
            return chain, lines
    return None


def draw_lines(chain: FontChain, lines: Iterable[str], width: int,
               ink: int = BLACK, paper: int = WHITE) -> Image.Image:
    """Centre each line on its own baseline, one line height apart."""
    lines = list(lines)
    leading = round(chain.line_height * 1.05)
    image = Image.new("L", (width, max(1, leading * len(lines))), paper)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        left = (width - chain.length(line)) / 2
        chain.draw(draw, left, row * leading + chain.ascent, line, fill=ink)
    return image


def ribbon(seat_type: str, width: int, scale: float) -> Image.Image:
    """A full-width black bar with the seat type in white capitals."""
    label = seat_type.upper()
    label_width = width - round(24 * scale)
    fitted = fit_text(label, RIBBON_STYLE, label_width, scale)
    if fitted is None:
        chain = font_chain(round(RIBBON_STYLE.smallest * scale), bold=True)
        fitted = chain, [clip_line(" ".join(label.split()), chain, label_width)]
    chain, lines = fitted
    text = draw_lines(chain, lines, width, ink=WHITE, paper=BLACK)
    _, top, _, bottom = text.getbbox() or (0, 0, 0, text.height)
    padding = round(12 * scale)    # centre the letters themselves, not the line box
    bar = Image.new("L", (width, bottom - top + 2 * padding), BLACK)
    bar.paste(text.crop((0, top, width, bottom)), (0, padding))
    return bar


def qr_block(code: str, width: int) -> Image.Image:
    """The ticket's QR code, whole dots per module, about half the badge wide."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    qr.add_data(code)
    qr.make(fit=True)
    matrix = qr.get_matrix()          # includes the quiet zone a reader needs
    modules = len(matrix)
    image = Image.new("L", (modules, modules), WHITE)
    image.putdata([BLACK if dark else WHITE for row in matrix for dark in row])
    dots = max(2, round(width * 0.6) // modules)
    image = image.resize((modules * dots, modules * dots), Image.Resampling.NEAREST)
    block = Image.new("L", (width, image.height), WHITE)
    block.paste(image, ((width - image.width) // 2, 0))
    return block


def rule(width: int, margin: int, thickness: int) -> Image.Image:
    """A thin black line between the conference and the attendee."""
    image = Image.new("L", (width, thickness), WHITE)
    ImageDraw.Draw(image).rectangle((margin, 0, width - margin - 1, thickness - 1), fill=BLACK)
    return image


def stack(blocks: list[Image.Image], width: int, gap: int, margin: int) -> Image.Image:
    """Blocks one under the other with a gap between them and a margin around."""
    height = sum(b.height for b in blocks) + gap * (len(blocks) - 1) + 2 * margin
    badge = Image.new("L", (width, height), WHITE)
    top = margin
    for block in blocks:
        badge.paste(block, (0, top))
        top += block.height + gap
    return badge
