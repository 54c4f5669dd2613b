"""The node's projection of allocations and sales: the ledger a sale is checked against."""
from __future__ import annotations

import json

from shared_domain import allocations, sales, seats_availability
from shared_domain.checkin import code_digest
from sync_protocol.store import StoredEvent


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

    def apply(self, event: StoredEvent) -> None:
        handler = self.handlers.get(type(event.message))
        if handler is not None:
            handler(event.message, event)

    def reset(self) -> None:
        for model in (self.m.LedgerView, self.m.SaleView, self.m.NodeKeyView,
                      self.m.AllocationRequestView, self.m.OriginKeyView):
            model.delete().execute()

    def _add(self, node_id, epoch, seat_type, field, quantity):
        L = self.m.LedgerView
        L.insert(node_id=node_id, epoch=epoch, seat_type=seat_type).on_conflict_ignore().execute()
        L.update({field: getattr(L, field) + quantity}).where(
            (L.node_id == node_id) & (L.epoch == epoch) & (L.seat_type == seat_type)).execute()

    def _granted(self, e, _):
        self._add(e.node_id, e.epoch, e.seat_type, "granted", e.quantity)
        self._answer(e.allocation_id)

    def _handed_over(self, e, _):
        self._add(e.from_node_id, e.from_epoch, e.seat_type, "handed_out", e.quantity)
        self._add(e.to_node_id, e.to_epoch, e.seat_type, "handed_in", e.quantity)

    def _returned(self, e, _):
        self._add(e.node_id, e.epoch, e.seat_type, "returned", e.quantity)
        self._answer(e.return_id)

    def _top_up_requested(self, e, _):
        self._request(e.request_id, "top_up", e)

    def _reduction_requested(self, e, _):
        self._request(e.request_id, "reduce", e)

    def _request(self, request_id, kind, e):
        self.m.AllocationRequestView.insert(
            request_id=request_id, kind=kind, node_id=e.node_id, epoch=e.epoch,
            seat_type=e.seat_type, quantity=e.quantity).on_conflict_ignore().execute()

    def _answer(self, request_id):
        R = self.m.AllocationRequestView
        R.update(answered=True).where(R.request_id == request_id).execute()

    def _node_key(self, e, _):
        K = self.m.NodeKeyView
        K.insert(key_id=e.key_id, node_id=e.node_id, public_key=e.public_key,
                 epoch=e.epoch).on_conflict(
            conflict_target=[K.key_id], update={K.public_key: e.public_key, K.epoch: e.epoch}
        ).execute()
        O = self.m.OriginKeyView
        (O.insert(origin=f"{e.node_id}:{e.epoch}", public_key=e.public_key)
         .on_conflict(conflict_target=[O.origin], update={O.public_key: e.public_key}).execute())

    def _sale_made(self, e, event):
        name = f"{e.buyer.first_name} {e.buyer.last_name}".strip()
        self.m.SaleView.insert(
            sale_id=e.sale_id, node_id=e.node_id, epoch=e.epoch, buyer_name=name,
            buyer_email=e.buyer.email.lower(), body=json.dumps(event.data),
            total_cents=e.total_cents, payment_method=e.payment_method, sold_at=e.sold_at,
            by=e.by).on_conflict_ignore().execute()
        for line in e.lines:
            self._add(e.node_id, e.epoch, line.seat_type, "sold", line.quantity)
        self.m.OrderView.insert(order_id=e.sale_id, status="confirmed",
                                registrant_name=name, registrant_email=e.buyer.email.lower()
                                ).on_conflict_ignore().execute()
        for seat in e.seats:
            self.m.AttendeeView.insert(
                order_id=e.sale_id, position=seat.position, seat_type=seat.seat_type,
                first_name=e.buyer.first_name, last_name=e.buyer.last_name,
                email=e.buyer.email.lower(), company=e.buyer.company).on_conflict_ignore().execute()

    def _sale_cancelled(self, e, _):
        S = self.m.SaleView
        sale = S.get_or_none(S.sale_id == e.sale_id)
        if sale is None or sale.cancelled or sale.node_id != e.node_id:
            return   # only the door that made a sale may cancel it
        S.update(cancelled=True).where(S.sale_id == e.sale_id).execute()
        body = json.loads(sale.body)
        for line in body["lines"]:
            self._add(sale.node_id, sale.epoch, line["seat_type"], "sold", -line["quantity"])
        O = self.m.OrderView
        O.update(status="cancelled").where(O.order_id == e.sale_id).execute()
        for seat in body.get("seats", []):
            self.m.RevokedCode.insert(code_digest=code_digest(seat["code"]),
                                      seat_id=seat["seat_id"],
                                      reason="order_cancelled").on_conflict_ignore().execute()
