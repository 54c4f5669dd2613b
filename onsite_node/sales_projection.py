"""The node's projection of allocations and sales: the ledger a sale is checked against."""
from __future__ import annotations

import json

from onsite_node.name_search import search_text
from onsite_node.projections import connection_of
from onsite_node.projector import Immediate
from shared_domain import allocations, sales, seats_availability
from shared_domain.checkin import code_digest
from event_store.store import StoredEvent


# One upsert per ledger column: the row is created at zero, then the column moves.
LEDGER_FIELDS = ("granted", "handed_in", "handed_out", "returned", "sold")
ADD_TO_LEDGER = {field: (
    "INSERT INTO rm_ledger (node_id, epoch, seat_type, granted, handed_in, handed_out, "
    "returned, sold) VALUES (?, ?, ?, " + ", ".join("?" if f == field else "0"
                                                    for f in LEDGER_FIELDS) + ") "
    f"ON CONFLICT (node_id, epoch, seat_type) DO UPDATE SET {field} = {field} + excluded.{field}")
    for field in LEDGER_FIELDS}
ANSWER_REQUEST = "UPDATE rm_allocation_request SET answered = 1 WHERE request_id = ?"
INSERT_REQUEST = ("INSERT OR IGNORE INTO rm_allocation_request (request_id, kind, node_id, epoch, "
                  "seat_type, quantity, answered) VALUES (?, ?, ?, ?, ?, ?, 0)")
UPSERT_NODE_KEY = ("INSERT INTO rm_node_key (key_id, node_id, public_key, epoch) "
                   "VALUES (?, ?, ?, ?) ON CONFLICT (key_id) DO UPDATE SET "
                   "public_key = excluded.public_key, epoch = excluded.epoch")
UPSERT_ORIGIN_KEY = ("INSERT INTO rm_origin_key (origin, public_key) VALUES (?, ?) "
                     "ON CONFLICT (origin) DO UPDATE SET public_key = excluded.public_key")
INSERT_SALE = ('INSERT OR IGNORE INTO rm_sale (sale_id, node_id, epoch, buyer_name, buyer_email, '
               'body, total_cents, payment_method, sold_at, "by", cancelled) '
               'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)')
INSERT_SOLD_ORDER = ("INSERT OR IGNORE INTO rm_order (order_id, status, access_code, "
                     "registrant_name, registrant_email) VALUES (?, 'confirmed', '', ?, ?)")
INSERT_SOLD_SEAT = ("INSERT OR IGNORE INTO rm_attendee (order_id, position, seat_type, "
                    "first_name, last_name, email, company, search_text) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
SALE_OF = "SELECT node_id, epoch, body, cancelled FROM rm_sale WHERE sale_id = ?"
CANCEL_SALE = "UPDATE rm_sale SET cancelled = 1 WHERE sale_id = ?"
CANCEL_ORDER = "UPDATE rm_order SET status = 'cancelled' WHERE order_id = ?"
REVOKE_SOLD_CODE = ("INSERT OR IGNORE INTO rm_revoked_code (code_digest, seat_id, reason) "
                    "VALUES (?, ?, 'order_cancelled')")


class SalesViews:
    """Ledger per node, epoch and seat type; sales; node keys; allocation requests."""

    name = "sales_views"

    def __init__(self, models):
        self.m = models
        self.handlers = {
            seats_availability.SeatsAllocatedToNode: self._granted,
            allocations.AllocationHandedOver: self._handed_over,
            allocations.AllocationReturned: self._returned,
            allocations.AllocationTopUpRequested: self._top_up_requested,
            allocations.AllocationReductionRequested: self._reduction_requested,
            allocations.NodeKeyRegistered: self._node_key,
            sales.OnSiteSaleMade: self._sale_made,
            sales.OnSiteSaleCancelled: self._sale_cancelled,
        }
        # The type names it acts on: the projector reads and decodes only these.
        self.handles = frozenset(cls.__name__ for cls in self.handlers)

    def apply(self, event: StoredEvent) -> None:
        self.project(event, Immediate(connection_of(self.m)))

    def project(self, event: StoredEvent, w) -> None:
        """Hand the statements of one decoded event to the writer `w` (projector.py)."""
        handler = self.handlers.get(type(event.message))
        if handler is not None:
            handler(event.message, event, w)

    def reset(self) -> None:
        for model in (self.m.LedgerView, self.m.SaleView, self.m.NodeKeyView,
                      self.m.AllocationRequestView, self.m.OriginKeyView):
            model.delete().execute()

    def _add(self, w, node_id, epoch, seat_type, field, quantity):
        w.run("rm_ledger", ADD_TO_LEDGER[field], (node_id, epoch, seat_type, quantity))

    def _granted(self, e, _, w):
        self._add(w, e.node_id, e.epoch, e.seat_type, "granted", e.quantity)
        self._answer(w, e.allocation_id)

    def _handed_over(self, e, _, w):
        self._add(w, e.from_node_id, e.from_epoch, e.seat_type, "handed_out", e.quantity)
        self._add(w, e.to_node_id, e.to_epoch, e.seat_type, "handed_in", e.quantity)

    def _returned(self, e, _, w):
        self._add(w, e.node_id, e.epoch, e.seat_type, "returned", e.quantity)
        self._answer(w, e.return_id)

    def _top_up_requested(self, e, _, w):
        self._request(w, e.request_id, "top_up", e)

    def _reduction_requested(self, e, _, w):
        self._request(w, e.request_id, "reduce", e)

    def _request(self, w, request_id, kind, e):
        w.run("rm_allocation_request", INSERT_REQUEST,
              (request_id, kind, e.node_id, e.epoch, e.seat_type, e.quantity))

    def _answer(self, w, request_id):
        w.run("rm_allocation_request", ANSWER_REQUEST, (request_id,))

    def _node_key(self, e, _, w):
        w.run("rm_node_key", UPSERT_NODE_KEY, (e.key_id, e.node_id, e.public_key, e.epoch))
        w.run("rm_origin_key", UPSERT_ORIGIN_KEY, (f"{e.node_id}:{e.epoch}", e.public_key))

    def _sale_made(self, e, event, w):
        b = e.buyer
        name, email = f"{b.first_name} {b.last_name}".strip(), b.email.lower()
        w.run("rm_sale", INSERT_SALE, (e.sale_id, e.node_id, e.epoch, name, email,
                                       json.dumps(event.data), e.total_cents, e.payment_method,
                                       e.sold_at, e.by))
        for line in e.lines:
            self._add(w, e.node_id, e.epoch, line.seat_type, "sold", line.quantity)
        w.run("rm_order", INSERT_SOLD_ORDER, (e.sale_id, name, email))
        found_as = search_text(b.first_name, b.last_name, email, b.company)
        for seat in e.seats:
            w.run("rm_attendee", INSERT_SOLD_SEAT, (e.sale_id, seat.position, seat.seat_type,
                                                    b.first_name, b.last_name, email, b.company,
                                                    found_as))

    def _sale_cancelled(self, e, _, w):
        sale = w.fetchone(SALE_OF, (e.sale_id,))
        if sale is None or sale[3] or sale[0] != e.node_id:
            return   # only the door that made a sale may cancel it
        node_id, epoch, body = sale[0], sale[1], json.loads(sale[2])
        w.run("rm_sale", CANCEL_SALE, (e.sale_id,))
        for line in body["lines"]:
            self._add(w, node_id, epoch, line["seat_type"], "sold", -line["quantity"])
        w.run("rm_order", CANCEL_ORDER, (e.sale_id,))
        for seat in body.get("seats", []):
            w.run("rm_revoked_code", REVOKE_SOLD_CODE, (code_digest(seat["code"]),
                                                        seat["seat_id"]))
