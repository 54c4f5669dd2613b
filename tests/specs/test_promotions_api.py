"""The promotional-code features run against the real hub: its JSON API over Flask's test
client, a SQLite file, the pump run by hand."""
from __future__ import annotations

import pytest
from pytest_bdd import scenarios

from tests.specs.promotions_steps import *  # noqa: F401,F403  (the features' steps)
from tests.support.clock import FakeClock
from tests.support.hub_api import HubClient, make_app

scenarios("features/promotional_codes.feature", "features/discount_domain.feature",
          "features/promotional_codes_configuration.feature")


class ApiWorld:
    def __init__(self, api: HubClient):
        self.api = api
        self.ids: dict[str, str] = {}
        self.order_id = None
        self.refusal = None
        self.code = None
        self.slug = self.auth = None

    @property
    def http(self):
        return self.api.http

    def sell(self, seat_types):
        self.slug, self.ids, self.auth = self.api.create_conference(seat_types=[
            {"name": name, "description": "", "quantity": seats, "price": price / 100}
            for name, price, seats in seat_types])

    def _body(self, terms: dict) -> dict:
        return {"kind": terms["kind"], "value": terms["value"], "quota_kind": terms["quota_kind"],
                "quota": terms["quota"], "combination": terms["combination"],
                "seat_types": [self.ids[s] for s in terms["scope"]]}

    @staticmethod
    def _refusal(r, ok: int):
        return None if r.status_code == ok else r.get_json()["error"]["code"]

    def define(self, code, terms):
        r = self.http.post(f"/api/conferences/{self.slug}/promotional-codes",
                           json={"code": code, **self._body(terms)}, headers=self.auth)
        return self._refusal(r, 201)

    def update(self, code, changes):
        r = self.http.put(f"/api/conferences/{self.slug}/promotional-codes/{code}",
                          json={"seat_types": [self.ids[s] for s in changes["scope"]],
                                "quota_kind": changes["quota_kind"], "quota": changes["quota"]},
                          headers=self.auth)
        if r.status_code == 400 and r.get_json()["error"]["code"] == "quota_exceeds_seats":
            assert "quota" in r.get_json()["error"]["fields"]   # the form shows it there
        return self._refusal(r, 200)

    def _codes(self):
        r = self.http.get(f"/api/conferences/{self.slug}/promotional-codes", headers=self.auth)
        assert r.status_code == 200
        return {c["code"]: c for c in r.get_json()}

    def codes(self):
        return sorted(self._codes())

    def terms_of(self, code):
        found = self._codes()[code]
        names = {v: k for k, v in self.ids.items()}
        return [names[s] for s in found["seat_types"]], found["quota_kind"], found["quota"]

    def reserve(self, seats):
        self.order_id = self.api.order(self.slug, {self.ids[n]: q for n, q in seats.items()})
        self.api.pump()
        assert self.api.get_order(self.order_id)["status"] == "reserved"

    def apply(self, code):
        r = self.http.post(f"/api/orders/{self.order_id}/promotional-codes",
                           json={"code": code}, headers=self.api.owner(self.order_id))
        return self._refusal(r, 200)

    def total(self):
        return self.api.get_order(self.order_id)["total_cents"]

    def taken_by(self, code):
        codes = {c["code"]: c for c in self.api.get_order(self.order_id)["promotional_codes"]}
        return codes[code]["discount_cents"] if code in codes else 0

    def complete(self):
        self.api.registrant(self.order_id)
        r = self.api.pay(self.order_id)
        assert r.status_code in (200, 303), r
        self.api.pump()
        assert self.api.get_order(self.order_id)["status"] == "confirmed"

    def uses(self, code):
        return self._codes()[code]["uses"]


@pytest.fixture
def world(tmp_path):
    api = HubClient(make_app(tmp_path, FakeClock()))
    yield ApiWorld(api)
    api.hub.close()
