"""The promotional-code features run on the pure domain: the order and the code aggregates
decide, events are folded in memory (no hub, no database)."""
from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from pytest_bdd import scenarios

from shared_domain import orders, promotions as p
from shared_domain.errors import DomainError
from shared_domain.pricing import SeatTypePrice
from shared_domain.seats import SeatQuantity
from tests.specs.promotions_steps import *  # noqa: F401,F403  (the features' steps)
from tests.unit.domain_givens import NOW

CONF = "conf-1"
scenarios("features/promotional_codes.feature", "features/discount_domain.feature",
          "features/promotional_codes_configuration.feature")


class DomainWorld:
    """A conference's codes and orders as lists of events."""

    def __init__(self):
        self.prices: dict[str, SeatTypePrice] = {}
        self.capacity: dict[str, int] = {}
        self.ids: dict[str, str] = {}
        self.codes_: dict[str, list] = {}
        self.orders: dict[str, list] = {}
        self.order_id = None
        self.refusal = None
        self.code = None
        self._ids = (f"order-{n}" for n in itertools.count(1))

    def sell(self, seat_types):
        for name, price, seats in seat_types:
            self.ids[name] = seat_type = name.lower().replace(" ", "-")
            self.prices[seat_type] = SeatTypePrice(seat_type, name, price)
            self.capacity[seat_type] = seats

    def _terms(self, t: dict) -> p.CodeTerms:
        return p.CodeTerms(t["kind"], t["value"], tuple(self.ids[s] for s in t["scope"]),
                           t["quota_kind"], t["quota"], combination=t["combination"])

    def _code_command(self, command):
        stream = self.codes_.setdefault(p.normalise_code(command.code), [])
        try:
            stream += p.decide(p.fold(stream), command, now=NOW, capacity=self.capacity)
        except DomainError as refused:
            return refused.code
        return None

    def define(self, code, terms):
        return self._code_command(p.DefinePromotionalCode(CONF, code, self._terms(terms)))

    def update(self, code, changes):
        current = p.fold(self.codes_[code]).terms
        terms = replace(current, seat_types=tuple(self.ids[s] for s in changes["scope"]),
                        quota_kind=changes["quota_kind"], quota=changes["quota"])
        return self._code_command(p.UpdatePromotionalCode(CONF, code, terms))

    def codes(self):
        return sorted(code for code, events in self.codes_.items() if events)

    def terms_of(self, code):
        terms = p.fold(self.codes_[code]).terms
        names = {v: k for k, v in self.ids.items()}
        return [names[s] for s in terms.seat_types], terms.quota_kind, terms.quota

    def reserve(self, seats: dict[str, int]):
        self.order_id = next(self._ids)
        wanted = tuple(SeatQuantity(self.ids[name], q) for name, q in seats.items())
        events = orders.decide(None, orders.RegisterToConference(self.order_id, CONF, wanted),
                               now=NOW, prices=self.prices, access_code="ABC123")
        state = orders.fold(events)
        events += orders.decide(state, orders.MarkSeatsAsReserved(
            self.order_id, wanted, NOW + orders.RESERVATION_WINDOW), now=NOW, prices=self.prices)
        self.orders[self.order_id] = events

    def apply(self, code):
        """What the hub's handler does, on lists: the order decides, then the code's stream."""
        history = self.orders[self.order_id]
        order = orders.fold(history)
        code = p.normalise_code(code)
        promotion = p.fold(self.codes_.get(code, []))
        try:
            if promotion is None:
                raise DomainError("promotional_code_not_found", "no such code")
            discount = promotion.discount()
            order_events = orders.decide(order, orders.ApplyPromotionalCode(
                self.order_id, code), now=NOW, discount=discount)
            code_events = p.decide(promotion, p.RedeemPromotionalCode(
                CONF, code, self.order_id, p.seats_in_scope(discount, order.wanted_seats)),
                now=NOW)
        except DomainError as refused:
            return refused.code
        history += order_events
        self.codes_[code] += code_events
        return None

    def _state(self):
        return orders.fold(self.orders[self.order_id])

    def total(self):
        return self._state().total_cents

    def taken_by(self, code):
        return sum(d.amount_cents for d in self._state().discounts if d.code == code)

    def complete(self):
        self.orders[self.order_id] += orders.decide(
            self._state(), orders.ConfirmOrder(self.order_id), now=NOW)

    def uses(self, code):
        return p.fold(self.codes_[code]).uses


@pytest.fixture
def world():
    return DomainWorld()


def test_the_order_records_the_discount_as_events():
    """Besides the features: the discount is in the order's events, not worked out on read."""
    w = DomainWorld()
    w.sell([("Conference pass", 100000, 10)])
    w.define("TWENTY", {"kind": p.PERCENTAGE, "value": 20, "scope": [],
                        "quota_kind": p.UNLIMITED, "quota": 0, "combination": p.CUMULATIVE})
    w.reserve({"Conference pass": 1})
    w.apply("TWENTY")
    kinds = [type(e).__name__ for e in w.orders[w.order_id]][-3:]
    assert kinds == ["PromotionalCodeApplied", "OrderDiscountsCalculated",
                     "OrderTotalsCalculated"]
