"""The wait-list feature at the API level: a real hub in this process (Flask's test client,
its own SQLite file, a fake clock, the pump run by hand), driven through its JSON API."""
import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from pytest_bdd import scenarios

from tests.support.clock import FakeClock
from tests.support.hub_api import HubClient, make_app
from tests.support.mail import outbox
from tests.specs.waitlist_steps import *  # noqa: F401,F403  (the feature's steps)

scenarios("features/waitlist.feature")
PER_ORDER = 20      # the most seats of one type one order may hold


class ApiWorld:
    def __init__(self, api: HubClient, clock: FakeClock):
        self.api, self.clock = api, clock
        self.ids: dict[str, str] = {}
        self.singles: dict[str, str] = {}
        self.entries: dict[str, list[str]] = {}    # person -> entry ids
        self.registrant_order = None

    def conference(self, seat_types):
        self.slug, self.ids, self.auth = self.api.create_conference([
            {"name": name, "description": "", "quantity": quota, "price": price}
            for name, (price, quota) in seat_types.items()])

    def paid_order(self, seats):
        order = self.api.order(self.slug, seats)
        self.api.pump()
        self.api.registrant(order)
        assert self.api.pay(order).status_code == 200
        self.api.pump()
        return order

    def sell_out(self, name):
        seat_type = self.ids[name]
        left = self.api.available(self.slug)[name]
        while left > 1:
            self.paid_order({seat_type: min(PER_ORDER, left - 1)})
            left = self.api.available(self.slug)[name]
        self.singles[name] = self.paid_order({seat_type: 1})
        assert self.api.available(self.slug)[name] == 0

    def join(self, person, name, quantity):
        r = self.api.http.post(f"/api/conferences/{self.slug}/waitlists/{self.ids[name]}/entries",
                               json={"name": person, "email": f"{person.lower()}@example.org",
                                     "quantity": quantity})
        assert r.status_code == 201, r.get_json()
        self.entries.setdefault(person, []).append(r.get_json()["entry_id"])
        self.api.pump()

    def place(self, chosen, to_wait):
        for name, quantity in to_wait.items():
            if quantity:
                self.join("registrant", name, quantity)
        wanted = {self.ids[name]: q for name, q in chosen.items() if q}
        if wanted:
            self.registrant_order = self.api.order(self.slug, wanted)
            self.api.pump()

    def _entries(self):
        lists = self.api.http.get(f"/api/conferences/{self.slug}/waitlists",
                                  headers=self.auth).get_json()
        return {e["entry_id"]: e for wl in lists for e in wl["entries"]}

    def waiting_of(self, person):
        entries = self._entries()
        return {entries[i]["seat_type_name"]: entries[i]["quantity"]
                for i in self.entries.get(person, []) if entries[i]["status"] == "waiting"}

    def _reserved(self, order_id):
        names = {v: k for k, v in self.ids.items()}
        items = self.api.get_order(order_id)["items"]
        return {names[i["seat_type"]]: i["reserved"] for i in items if i["reserved"]}

    def reserved(self):
        return self._reserved(self.registrant_order) if self.registrant_order else {}

    def cancel_single_order(self, name):
        r = self.api.http.post(f"/api/conferences/{self.slug}/orders/{self.singles[name]}/cancel",
                               headers=self.auth, json={"reason": "cannot come"})
        assert r.status_code == 200, r.get_json()
        self.api.pump()

    def _entry(self, person):
        entry_id, = self.entries[person]
        return self._entries()[entry_id]

    def offer_of(self, person, name):
        entry = self._entry(person)
        held = dt.datetime.fromisoformat(entry["offer_expires_at"]) - self.clock()
        return entry["status"], entry["quantity"], held

    def status_of(self, person):
        return self._entry(person)["status"]

    def public_reserves(self, name, quantity):
        order = self.api.order(self.slug, {self.ids[name]: quantity})
        self.api.pump()
        return self._reserved(order).get(name, 0)

    def pass_time(self, delta):
        self.clock.advance(seconds=delta.total_seconds())
        self.api.pump()

    def take_offer(self, person):
        row, = outbox(self.api.hub, kind="waitlist_offer", recipient=f"{person.lower()}@example.org")
        url = next(line.strip() for line in row.text_body.splitlines()
                   if "/waitlist/offers/" in line)
        link = urlsplit(url)
        r = self.api.http.post(f"/api{link.path}/accept?proof={parse_qs(link.query)['proof'][0]}")
        assert r.status_code == 202, r.get_json()
        self.api.tokens[r.get_json()["order_id"]] = r.get_json()["order_token"]
        self.api.pump()
        self.orders = {person: r.get_json()["order_id"]}

    def order_of(self, person):
        return self._reserved(self.orders[person])


@pytest.fixture
def world(tmp_path):
    clock = FakeClock()
    api = HubClient(make_app(tmp_path, clock))
    yield ApiWorld(api, clock)
    api.hub.close()
