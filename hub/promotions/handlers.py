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
        }

    def code(self, command, command_id, correlation):
        code = promotions.normalise_code(command.code)
        stream = promotions.stream_id(command.conference_id, code)
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
