"""The promotional codes' read side: codes with their uses, and each order's codes and
discounts; the same reader gives a use back when its order lets go of the code."""
from __future__ import annotations

import json
from types import SimpleNamespace

import peewee

from shared_domain import orders, promotions, sales
from event_store.store import StoredEvent

HELD, RELEASED = "held", "released"


def promotion_models(db: peewee.Database) -> SimpleNamespace:
    class Base(peewee.Model):
        class Meta:
            database = db

    class PromotionalCodeView(Base):
        conference_id = peewee.CharField(max_length=36, index=True)
        code = peewee.CharField(max_length=20)
        kind = peewee.CharField(max_length=20)
        value = peewee.IntegerField()
        seat_types = peewee.TextField(default="[]")     # JSON list; [] = every seat type
        quota_kind = peewee.CharField(max_length=20)
        quota = peewee.IntegerField(default=0)
        valid_from = peewee.CharField(max_length=40, default="")
        valid_until = peewee.CharField(max_length=40, default="")
        combination = peewee.CharField(max_length=20)
        uses = peewee.IntegerField(default=0)
        seats = peewee.IntegerField(default=0)
        updated_at = peewee.CharField(max_length=40, default="")

        class Meta:
            table_name = "promotional_code_view"
            indexes = ((("conference_id", "code"), True),)

    class PromotionalCodeUseView(Base):
        conference_id = peewee.CharField(max_length=36, index=True)
        code = peewee.CharField(max_length=20)
        order_id = peewee.CharField(max_length=36, index=True)
        seats = peewee.IntegerField(default=0)
        status = peewee.CharField(max_length=10)      # held | released
        reason = peewee.CharField(max_length=40, default="")
        at = peewee.CharField(max_length=40)

        class Meta:
            table_name = "promotional_code_use_view"
            indexes = ((("conference_id", "code", "order_id"), True),)

    class OrderCodeView(Base):
        """The codes on an order, in the order applied, and what each takes off each line."""
        order_id = peewee.CharField(max_length=36, index=True)
        code = peewee.CharField(max_length=20)
        seat_type = peewee.CharField(max_length=36, default="")   # "": the code's own row
        amount_cents = peewee.IntegerField(default=0)
        position = peewee.IntegerField(default=0)

        class Meta:
            table_name = "order_code_view"

    return SimpleNamespace(PromotionalCodeView=PromotionalCodeView,
                           PromotionalCodeUseView=PromotionalCodeUseView,
                           OrderCodeView=OrderCodeView,
                           all=[PromotionalCodeView, PromotionalCodeUseView, OrderCodeView])


class PromotionViews:
    """A reader of the log: projects codes and uses, and releases the uses of orders that
    expired, were cancelled or let go of a code."""

    name = "promotions"

    def __init__(self, hub):
        self.hub = hub
        self.m = promotion_models(hub.db)
        hub.db.create_tables(self.m.all, safe=True)
        self.handlers = {
            promotions.PromotionalCodeDefined: self._defined,
            promotions.PromotionalCodeUpdated: self._defined,
            promotions.PromotionalCodeRedeemed: self._redeemed,
            promotions.PromotionalCodeReleased: self._released,
            orders.PromotionalCodeApplied: self._applied,
            orders.PromotionalCodeRemoved: self._removed,
            orders.OrderDiscountsCalculated: self._discounts,
            orders.OrderExpired: self._let_go(promotions.ORDER_EXPIRED),
            orders.OrderCancelled: self._let_go(promotions.ORDER_CANCELLED),
            sales.OnSiteOrderRecorded: self._door_sale,
        }
        self.handles = tuple(self.handlers)

    def apply(self, event: StoredEvent) -> None:
        handler = self.handlers.get(type(event.message))
        if handler is not None:
            handler(event.message, event)

    def reset(self) -> None:
        for model in self.m.all:
            model.delete().execute()

    # --- codes and uses --------------------------------------------------------

    def _defined(self, e, event):
        V, t = self.m.PromotionalCodeView, e.terms
        fields = dict(kind=t.kind, value=t.value, seat_types=json.dumps(list(t.seat_types)),
                      quota_kind=t.quota_kind, quota=t.quota,
                      valid_from=t.valid_from.isoformat() if t.valid_from else "",
                      valid_until=t.valid_until.isoformat() if t.valid_until else "",
                      combination=t.combination, updated_at=event.occurred_at)
        (V.insert(conference_id=e.conference_id, code=e.code, **fields)
         .on_conflict(conflict_target=[V.conference_id, V.code], update=fields).execute())

    def _redeemed(self, e, event):
        U = self.m.PromotionalCodeUseView
        fields = dict(seats=e.seats, status=HELD, reason="", at=event.occurred_at)
        (U.insert(conference_id=e.conference_id, code=e.code, order_id=e.order_id, **fields)
         .on_conflict(conflict_target=[U.conference_id, U.code, U.order_id], update=fields)
         .execute())
        self._count(e)

    def _released(self, e, event):
        U = self.m.PromotionalCodeUseView
        (U.update(status=RELEASED, reason=e.reason, at=event.occurred_at)
         .where((U.conference_id == e.conference_id) & (U.code == e.code)
                & (U.order_id == e.order_id)).execute())
        self._count(e)

    def _count(self, e):
        U, V = self.m.PromotionalCodeUseView, self.m.PromotionalCodeView
        held = (U.select(peewee.fn.COUNT(U.id), peewee.fn.COALESCE(peewee.fn.SUM(U.seats), 0))
                .where((U.conference_id == e.conference_id) & (U.code == e.code)
                       & (U.status == HELD)).tuples().first())
        (V.update(uses=held[0], seats=held[1])
         .where((V.conference_id == e.conference_id) & (V.code == e.code)).execute())

    # --- orders ------------------------------------------------------------------

    def _applied(self, e, _):
        O = self.m.OrderCodeView
        last = (O.select(peewee.fn.MAX(O.position)).where(O.order_id == e.order_id).scalar())
        O.insert(order_id=e.order_id, code=e.discount.code, position=(last or 0) + 1).execute()

    def _removed(self, e, _):
        O = self.m.OrderCodeView
        O.delete().where((O.order_id == e.order_id) & (O.code == e.code)).execute()
        self._send_release(e.conference_id, e.code, e.order_id, e.reason)

    def _discounts(self, e, _):
        O = self.m.OrderCodeView
        O.delete().where((O.order_id == e.order_id) & (O.seat_type != "")).execute()
        if e.discounts:
            O.insert_many([dict(order_id=e.order_id, code=d.code, seat_type=d.seat_type,
                                amount_cents=d.amount_cents, position=0)
                           for d in e.discounts]).execute()

    def _door_sale(self, e, _):
        """A door's sale shows its codes like an order's; it holds no use of any of them."""
        O = self.m.OrderCodeView
        if O.select().where(O.order_id == e.order_id).exists():
            return
        rows = [dict(order_id=e.order_id, code=code, seat_type="", amount_cents=0,
                     position=i + 1) for i, code in enumerate(e.codes)]
        rows += [dict(order_id=e.order_id, code=d.code, seat_type=d.seat_type,
                      amount_cents=d.amount_cents, position=0) for d in e.discounts]
        if rows:
            O.insert_many(rows).execute()

    def _let_go(self, reason: str):
        def handle(e, event):
            order = orders.fold(x.message for x in self.hub.store.load(event.stream))
            for discount in (order.discount_terms if order else ()):
                self._send_release(order.conference_id, discount.code, order.order_id, reason)
        return handle

    def _send_release(self, conference_id, code, order_id, reason):
        self.hub.bus.send(promotions.ReleasePromotionalCode(conference_id, code, order_id,
                                                            reason), correlation=order_id)
