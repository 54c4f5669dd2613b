"""Command handlers of promotional codes: a code's own stream, and the order it discounts.

Applying a code writes two streams in one transaction: the code's (a use held, appended
at the version read, so two orders racing for its last use clash and the loser is retried
and refused) and the order's (the terms it was given and its new totals)."""
from __future__ import annotations

from shared_domain import orders, promotions
from shared_domain.errors import DomainError


class PromotionHandlers:
    """The handlers of the promotional-code commands, bound to one hub."""

    def __init__(self, hub):
        self.hub = hub

    def table(self) -> dict:
        """The commands of this context and their handlers (merged into the hub's table)."""
        pr = promotions
        return {
            pr.DefinePromotionalCode: self.code,
            pr.UpdatePromotionalCode: self.code,
            pr.RedeemPromotionalCode: self.code,
            pr.ReleasePromotionalCode: self.code,
            orders.ApplyPromotionalCode: self.apply,
            orders.RemovePromotionalCode: self.remove,
            orders.ReinstateOrder: self.reinstate,
        }

    def code(self, command, command_id, correlation):
        code = promotions.normalise_code(command.code)
        stream = promotions.stream_id(command.conference_id, code)
        if self._reinstated_meanwhile(command):
            return
        history = self.hub.store.load(stream)
        state = promotions.fold(e.message for e in history)
        capacity = None
        if isinstance(command, (promotions.DefinePromotionalCode,
                                promotions.UpdatePromotionalCode)):
            capacity = self.capacity(command.conference_id)
        events = promotions.decide(state, command, now=self.hub.clock(), capacity=capacity)
        self.hub.publish(stream, events, conference=command.conference_id,
                         expected_version=len(history), causation=command_id,
                         correlation=correlation or command_id)

    def apply(self, command: orders.ApplyPromotionalCode, command_id, correlation):
        order_stream, order_history, order = self._order(command.order_id)
        try:
            code = promotions.normalise_code(command.code)
        except DomainError:    # a malformed code is a code nobody has
            raise DomainError("promotional_code_not_found", "There is no such promotional code.")
        stream = promotions.stream_id(order.conference_id, code)
        history = self.hub.store.load(stream)
        promotion = promotions.fold(e.message for e in history)
        if promotion is None:
            raise DomainError("promotional_code_not_found", "There is no such promotional code.")
        now = self.hub.clock()
        discount = promotion.discount()
        order_events = orders.decide(order, orders.ApplyPromotionalCode(order.order_id, code),
                                     now=now, discount=discount)
        seats = promotions.seats_in_scope(discount, order.wanted_seats)
        redeem = promotions.RedeemPromotionalCode(order.conference_id, code, order.order_id,
                                                  seats)
        code_events = promotions.decide(promotion, redeem, now=now)
        correlation = correlation or order.order_id
        self.hub.publish(stream, code_events, conference=order.conference_id,
                         expected_version=len(history), causation=command_id,
                         correlation=correlation)
        self.hub.publish(order_stream, order_events, conference=order.conference_id,
                         expected_version=len(order_history), causation=command_id,
                         correlation=correlation)

    def reinstate(self, command: orders.ReinstateOrder, command_id, correlation):
        """A late payment brings the expired order back with its codes' uses taken again, in
        one transaction, each within its quota (not its dates: the order was given the code
        within them). A code used up meanwhile refuses the reinstatement: the order stays
        expired and the process manager refunds the payment, as when the seats are gone."""
        order_stream, history, order = self._order(command.order_id)
        if any(isinstance(e.message, orders.OrderReinstatementRefused) for e in history):
            return       # refused once, refunded: a redelivery does not bring it back
        order_events = orders.decide(order, command, now=self.hub.clock())
        redeemed = []
        for discount in order_events and order.discount_terms:
            stream = promotions.stream_id(order.conference_id, discount.code)
            code_history = self.hub.store.load(stream)
            redeem = promotions.RedeemPromotionalCode(
                order.conference_id, discount.code, order.order_id,
                promotions.seats_in_scope(discount, command.seats), reinstating=True)
            try:
                events = promotions.decide(promotions.fold(e.message for e in code_history),
                                           redeem, now=self.hub.clock())
            except DomainError as refused:
                order_events = [orders.OrderReinstatementRefused(order.order_id, discount.code,
                                                                 refused.code)]
                redeemed = []
                break
            redeemed.append((stream, events, len(code_history)))
        correlation = correlation or order.order_id
        for stream, events, version in redeemed:
            self.hub.publish(stream, events, conference=order.conference_id,
                             expected_version=version, causation=command_id,
                             correlation=correlation)
        self.hub.publish(order_stream, order_events, conference=order.conference_id,
                         expected_version=len(history), causation=command_id,
                         correlation=correlation)

    def _reinstated_meanwhile(self, command) -> bool:
        """An expired order's use is given back only while the order stays expired: a late
        payment may have reinstated it (and taken the use again) before the release ran."""
        if not (isinstance(command, promotions.ReleasePromotionalCode)
                and command.reason == promotions.ORDER_EXPIRED):
            return False
        order = orders.fold(e.message for e in self.hub.store.load(
            orders.stream_id(command.order_id)))
        return order is not None and order.status != orders.EXPIRED

    def remove(self, command: orders.RemovePromotionalCode, command_id, correlation):
        """Take the code off the order; its use goes back when the reader sees the removal."""
        order_stream, history, order = self._order(command.order_id)
        code = command.code.strip().upper() if isinstance(command.code, str) else ""
        events = orders.decide(order, orders.RemovePromotionalCode(order.order_id, code),
                               now=self.hub.clock())
        self.hub.publish(order_stream, events, conference=order.conference_id,
                         expected_version=len(history), causation=command_id,
                         correlation=correlation or order.order_id)

    def _order(self, order_id: str):
        stream = orders.stream_id(order_id)
        history = self.hub.store.load(stream)
        order = orders.fold(e.message for e in history)
        if order is None:
            raise DomainError("order_not_found", "There is no such order.")
        return stream, history, order

    def capacity(self, conference_id: str) -> dict[str, int]:
        """The conference's seats per seat type: no quota may be above those in its scope."""
        S = self.hub.models.SeatType
        return {row.id: row.quantity for row in
                S.select(S.id, S.quantity).where(S.conference == conference_id)}
