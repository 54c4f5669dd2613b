"""A sale's receipt, drawn from the sale as this door recorded it."""
from __future__ import annotations

import datetime as dt
import json

from PIL import Image

from onsite_node.badges import BadgeMaker
from printers.receipt import ReceiptContent, render_receipt
from shared_domain.errors import DomainError
from shared_domain.pricing import OrderLine
from shared_domain.sales import receipt_number

PAYMENT_WORDS = {"cash": "cash", "card_terminal": "card", "invoice": "invoice"}


def paid_by(method: str, reference: str) -> str:
    """'cash', 'card (T-1001)', 'invoice (INV-7)': what the receipt says after 'Paid by'."""
    words = PAYMENT_WORDS.get(method, method)
    return f"{words} ({reference})" if reference else words


def local_time(iso: str) -> str:
    """'2026-06-01 14:05' in the node's own time zone (a receipt is read at the venue)."""
    moment = dt.datetime.fromisoformat(iso)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class ReceiptMaker:
    """Renders receipts at the printer's width for one node's sales."""

    def __init__(self, badges: BadgeMaker):
        self.badges = badges
        self.replica = badges.replica

    def sale_body(self, sale_id: str) -> dict:
        S = self.replica.models.SaleView
        row = S.get_or_none(S.sale_id == sale_id)
        if row is None:
            raise DomainError("unknown_sale", "There is no such sale on this node.")
        return json.loads(row.body)

    def receipt(self, sale_id: str) -> Image.Image:
        sale = self.sale_body(sale_id)
        lines = tuple(OrderLine(**line) for line in sale["lines"])
        return render_receipt(ReceiptContent(
            self.badges.conference_name(), receipt_number(sale_id), local_time(sale["sold_at"]),
            lines, sale["total_cents"],
            paid_by(sale["payment_method"], sale["payment_reference"]),
            discounts=tuple((f"Code {d['code']}", d["amount_cents"])
                            for d in sale.get("discounts", []))), self.badges.width)
