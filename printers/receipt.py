"""A sale receipt for on-site sales, rendered as a 1-bit image like the badge."""
from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageDraw

from printers.badge import BLACK, WHITE, draw_lines, rule, stack
from printers.fonts import FontChain, font_chain, wrap_anywhere, wrap_words
from shared_domain.pricing import OrderLine


@dataclass(frozen=True)
class ReceiptContent:
    conference_name: str
    receipt_number: str
    issued_at: str                  # already formatted for people, in the venue's time
    lines: tuple[OrderLine, ...]
    total_cents: int
    payment_method: str             # "card", "cash", ...
    currency: str = "USD"
    discounts: tuple[tuple[str, int], ...] = ()    # ("Code FRIENDS", cents taken off), ...


def money(cents: int, currency: str) -> str:
    """Integer cents as "1234.50 USD" (never through a float)."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d} {currency}"


def render_receipt(receipt: ReceiptContent, width: int = 384) -> Image.Image:
    """Render the receipt as a 1-bit image exactly `width` dots wide."""
    scale = width / 384
    margin = round(16 * scale)
    inner = width - 2 * margin
    heading, body = font_chain(round(26 * scale), bold=True), font_chain(round(22 * scale))
    total = font_chain(round(26 * scale), bold=True)
    blocks = [
        draw_lines(heading, _wrapped(receipt.conference_name, heading, inner), width),
        draw_lines(body, [f"Receipt {receipt.receipt_number}", receipt.issued_at], width),
        rule(width, margin, 2),
        *(_line(line, receipt.currency, body, width, margin) for line in receipt.lines),
        *(_columns(label, money(-cents, receipt.currency), body, width, margin)
          for label, cents in receipt.discounts),
        rule(width, margin, 2),
        _columns("TOTAL", money(receipt.total_cents, receipt.currency), total, width, margin),
        draw_lines(body, [f"Paid by {receipt.payment_method}", "Thank you!"], width),
    ]
    return stack(blocks, width, gap=round(10 * scale), margin=margin).convert(
        "1", dither=Image.Dither.NONE)


def _line(line: OrderLine, currency: str, chain: FontChain, width: int,
          margin: int) -> Image.Image:
    label = f"{line.quantity} × {line.name}"
    return _columns(label, money(line.line_total_cents, currency), chain, width, margin)


def _columns(label: str, amount: str, chain: FontChain, width: int, margin: int) -> Image.Image:
    """The label on the left (wrapped if long), the amount on the right of its first line."""
    room = width - 2 * margin - chain.length(amount) - chain.length("  ")
    lines = _wrapped(label, chain, room)
    leading = round(chain.line_height * 1.05)
    image = Image.new("L", (width, leading * len(lines)), WHITE)
    draw = ImageDraw.Draw(image)
    for row, text in enumerate(lines):
        chain.draw(draw, margin, row * leading + chain.ascent, text, fill=BLACK)
    chain.draw(draw, width - margin - chain.length(amount), chain.ascent, amount, fill=BLACK)
    return image


def _wrapped(text: str, chain: FontChain, width: float) -> list[str]:
    return wrap_words(text, chain, width) or wrap_anywhere(text, chain, width) or [""]
