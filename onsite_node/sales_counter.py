"""The planner's sale as the kiosk UI sees it (kiosk_ui.ports.NodeForSales): who buys, the
sale with its receipt and badge queued in the same transaction, the sales list, seat moves."""
from __future__ import annotations

import json
import logging
from dataclasses import asdict

from kiosk_ui.ports import Buyer, Door, PrintShown, Quote, Sale, SeatOffer
from onsite_node.badges import BadgeMaker
from onsite_node.checkin import MAX_CODE_LENGTH, CheckInDesk
from onsite_node.printing import PrintQueue
from onsite_node.receipts import receipt_number
from onsite_node.sales import SalesDesk
from shared_domain import checkin, sales
from shared_domain.errors import DomainError
from shared_domain.people import PersonalInfo
from shared_domain.tickets import read_ticket

log = logging.getLogger(__name__)
SALES_LISTED = 200


class SalesCounter:
    """On-site sales for the planner's pages, over the sales desk, the door and the printer."""

    def __init__(self, sales_desk: SalesDesk, desk: CheckInDesk, prints: PrintQueue,
                 badges: BadgeMaker):
        self.sales_desk = sales_desk
        self.desk = desk
        self.prints = prints
        self.badges = badges
        self.replica = desk.replica

    # --- what can be sold, to whom ------------------------------------------------------

    def offer(self) -> list[SeatOffer]:
        return sorted(self.sales_desk.offer(), key=lambda seat: seat["name"].casefold())

    def quote(self, wanted: dict[str, int], codes: tuple[str, ...] = (), *,
              by: str = "") -> Quote:
        """Lines at list price, the codes' discounts per line, and the total to pay."""
        lines = sales.price_sale(wanted, self.sales_desk.prices())
        priced = self.sales_desk.discount(lines, codes, by=by)
        return {"lines": [asdict(line) for line in lines], "codes": list(priced.codes),
                "discounts": [asdict(d) for d in priced.discounted.discounts],
                "discount_cents": priced.discounted.discount_cents,
                "total_cents": priced.discounted.total_cents}

    def buyer_of_code(self, code: str) -> Buyer:
        """Read the code with this door's keys, like a scan (but nothing is checked in)."""
        code = (code or "").strip()[:MAX_CODE_LENGTH]
        try:
            ticket = read_ticket(code, self.desk.public_keys())
        except DomainError as refused:
            raise DomainError(refused.code, checkin.MESSAGES.get(refused.code, refused.message)
                              + " Search for the buyer instead.") from None
        seat = self.desk.seat_at_door(ticket.seat_id, checkin.code_digest(code))
        if ticket.conference_id != self.replica.conference_id or seat.code_revoked:
            reason = "revoked" if seat.code_revoked else "wrong_conference"
            raise DomainError(reason, checkin.MESSAGES[reason])
        buyer = self.buyer_of_seat(ticket.seat_id)
        if buyer is None:
            raise DomainError("buyer_not_known", (
                f"The ticket of {ticket.attendee_name} is genuine, but this door does not know "
                "their details yet. Search for them, or register them as a walk-in."))
        return buyer

    def buyer_of_seat(self, seat_id: str) -> Buyer | None:
        row = self.badges.attendee_row(seat_id)
        if row is None or not row.email:
            return None
        return {"seat_id": seat_id, "first_name": row.first_name, "last_name": row.last_name,
                "email": row.email, "company": row.company,
                "holds": self.badges.seat_types_held(row.email)}

    # --- selling --------------------------------------------------------------------------

    def sell(self, buyer: Buyer, wanted: dict[str, int], *, payment_method: str,
             payment_reference: str, by: str, codes: tuple[str, ...] = ()) -> str:
        """The sale, its receipt and the buyer's badge commit together (or none of them)."""
        with self.replica.db.atomic():
            sale = self.sales_desk.sell(
                buyer=PersonalInfo(buyer["first_name"].strip(), buyer["last_name"].strip(),
                                   buyer["email"].strip(), buyer["company"].strip()),
                wanted=wanted, payment_method=payment_method,
                payment_reference=payment_reference, buyer_seat_id=buyer["seat_id"], by=by,
                codes=codes)
            jobs = [self.prints.add_receipt(sale.sale_id, by=by), self._queue_badge(sale, by)]
        self._prepare(jobs)
        return sale.sale_id

    def _queue_badge(self, sale: sales.OnSiteSaleMade, by: str) -> str:
        """The buyer's badge with its new ribbons: on their own ticket, or a walk-in's new one."""
        seat_id, code = self._badge_seat(sale)
        if not code:
            return ""
        P = self.replica.models.PrintView
        printed_before = P.select().where(P.seat_id == seat_id).exists()
        return self.prints.add_badge(seat_id, code, by=by, reprint=printed_before)

    def _badge_seat(self, sale: sales.OnSiteSaleMade) -> tuple[str, str]:
        if not sale.buyer_seat_id:
            first = sale.seats[0]
            return first.seat_id, first.code
        try:
            return sale.buyer_seat_id, self.badges.code_for(sale.buyer_seat_id)
        except DomainError:
            return sale.buyer_seat_id, ""

    def _prepare(self, jobs: list[str]) -> None:
        """Render now (the previews), then wake the printer; both after the commit."""
        for job_id in filter(None, jobs):
            try:
                self.prints.image(job_id)
            except Exception:    # the worker renders it again; the sale stands
                log.exception("print job %s could not be rendered", job_id)
        self.prints.nudge()

    def print_receipt(self, sale_id: str, *, by: str) -> str:
        self._sale_row(sale_id)
        job_id = self.prints.add_receipt(sale_id, by=by)
        self._prepare([job_id])
        return job_id

    def cancel_sale(self, sale_id: str, *, refund_method: str, by: str) -> None:
        """Cancel a sale of this door (another door's sales are that door's to cancel)."""
        self._sale_row(sale_id)
        self.sales_desk.cancel(sale_id, by=by, refund_method=refund_method)

    # --- the sales of this door -----------------------------------------------------------

    def sales(self) -> list[Sale]:
        S = self.replica.models.SaleView
        rows = (S.select().where(S.node_id == self.desk.node_id)
                .order_by(S.sold_at.desc()).limit(SALES_LISTED))
        return [self._sale(row, with_prints=False) for row in rows]

    def sale(self, sale_id: str) -> Sale | None:
        try:
            return self._sale(self._sale_row(sale_id))
        except DomainError:
            return None

    def _sale_row(self, sale_id: str):
        S = self.replica.models.SaleView
        row = S.get_or_none((S.sale_id == sale_id) & (S.node_id == self.desk.node_id))
        if row is None:
            raise DomainError("unknown_sale", "There is no such sale at this door.")
        return row

    def _sale(self, row, with_prints: bool = True) -> Sale:
        body = json.loads(row.body)
        buyer = body["buyer"]
        names = {s["seat_type"]: s["name"] for s in body["lines"]}
        tickets = [{"seat_id": s["seat_id"], "seat_type": names.get(s["seat_type"], ""),
                    "code": s["code"]} for s in body.get("seats", [])]
        badge_seat = body["buyer_seat_id"] or (tickets[0]["seat_id"] if tickets else "")
        return {"sale_id": row.sale_id, "receipt_number": receipt_number(row.sale_id),
                "buyer_name": row.buyer_name, "buyer_email": buyer["email"],
                "buyer_company": buyer.get("company", ""), "buyer_seat_id": badge_seat,
                "lines": body["lines"], "total_cents": row.total_cents,
                "codes": body.get("codes", []), "discounts": body.get("discounts", []),
                "discount_cents": body.get("discount_cents", 0),
                "payment_method": row.payment_method,
                "payment_reference": body["payment_reference"], "sold_at": row.sold_at,
                "by": row.by, "cancelled": row.cancelled, "tickets": tickets,
                "receipt": self._newest_job(kind="receipt", code=row.sale_id) if with_prints else None,
                "badge": self._newest_job(kind="badge", seat_id=badge_seat) if with_prints else None}

    def _newest_job(self, **match) -> PrintShown | None:
        J = self.prints.jobs
        query = J.select()
        for field, value in match.items():
            query = query.where(getattr(J, field) == value)
        job = query.order_by(J.job_id.desc()).first()
        return ({"job_id": job.job_id, "state": job.state, "problem": job.last_problem}
                if job else None)

    # --- moving seats ---------------------------------------------------------------------

    def doors(self) -> list[Door]:
        """Every other door this replica has heard of: by its key or its facts."""
        K = self.replica.models.NodeKeyView
        ids = {k.node_id for k in K.select(K.node_id)}
        ids |= {origin.rsplit(":", 1)[0] for origin in self.replica.store.version_vector()
                if not origin.startswith("hub/")}
        ids.discard(self.desk.node_id)
        named = ({"node_id": node_id, "name": self.replica.door_name(node_id)} for node_id in ids)
        return sorted(({**door, "name": door["name"][:1].upper() + door["name"][1:]}
                       for door in named), key=lambda door: door["name"])

    def hand_over(self, to_node_id: str, seat_type: str, quantity: int, *, by: str) -> None:
        if to_node_id not in {door["node_id"] for door in self.doors()}:
            raise DomainError("unknown_peer", "Choose one of the doors in the list.")
        self.sales_desk.hand_over(to_node_id, seat_type, quantity, by=by)

    def give_back(self, seat_type: str, quantity: int, *, by: str) -> None:
        self.sales_desk.give_back(seat_type, quantity, by=by)
