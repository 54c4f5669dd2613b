"""The running demo as the venue-day scenario drives it: over HTTP, as people and devices would."""
from __future__ import annotations

import time

import requests

from contoso_demo import hub_db


class ScenarioFailed(RuntimeError):
    pass


class Venue:
    def __init__(self, state: dict):
        self.state = state
        self.hub = state["hub_url"]
        self.slug = state["slug"]
        self.admin = tuple(state["admin"])
        self.doors = {name: door["url"] for name, door in state["doors"].items()}
        self.staff = state["staff"]

    # --- the doors ----------------------------------------------------------------------

    def scan(self, door: str, code: str) -> dict:
        """An attendee holds their ticket's QR code under the door's scanner."""
        return self._json("POST", f"{self.doors[door]}/api/scan", json={"code": code})

    def status(self, door: str) -> dict:
        return self._json("GET", f"{self.doors[door]}/status.json")

    def check_ins_known(self, door: str, seat_id: str) -> list[dict]:
        """The check-ins of a seat the door's staff desk shows (what its scans are decided on)."""
        return self._json("GET", f"{self.doors[door]}/api/attendees/{seat_id}/history",
                          headers=self.staff)["check_ins"]

    def offer(self, door: str) -> list[dict]:
        return self._json("GET", f"{self.doors[door]}/api/sales/offer",
                          headers=self.staff)["seat_types"]

    def sell(self, door: str, seat_type: str, buyer: dict) -> dict:
        """A planner at the door sells a seat of the door's allocation (staff PIN required)."""
        return self._json("POST", f"{self.doors[door]}/api/sales", headers=self.staff, json={
            "buyer": buyer, "seats": {seat_type: 1}, "payment_method": "cash"})

    # --- the hub --------------------------------------------------------------------------

    def rename_seat(self, ticket: hub_db.Ticket, person: dict) -> str:
        """The registrant gives a seat of their order to someone else (the hub's public API,
        signed in with the registrant's email and the order's access code); the answer
        carries the seat's new ticket code."""
        proof = hub_db.registrant_of(self.state["hub_db"], ticket.order_id)
        seat = f"{self.hub}/api/orders/{ticket.order_id}/seats/{ticket.position}"
        seats = self._json("PUT", seat, json=person, auth=proof)["seats"]
        return seats[ticket.position]["ticket_code"]

    def dashboard(self) -> dict:
        return self._json("GET", f"{self.hub}/api/admin/conferences/{self.slug}/dashboard",
                          auth=self.admin)

    def open_conflicts(self) -> list[dict]:
        return self._json("GET", f"{self.hub}/api/admin/conflicts", auth=self.admin,
                          params={"conference": self.slug, "status": "open"})

    def on_site_orders(self) -> int:
        return len(hub_db.on_site_orders(self.state["hub_db"]))

    # --- the venue's network ----------------------------------------------------------------

    def network(self, **links: bool) -> dict:
        return self._json("POST", f"{self.state['network_url']}/_network", json=links)

    def _json(self, method: str, url: str, **kwargs):
        try:
            reply = requests.request(method, url, timeout=30, **kwargs)
        except requests.RequestException as e:
            raise ScenarioFailed(f"{url} did not answer ({e.__class__.__name__}): "
                                 "is the demo still running?") from None
        if reply.status_code >= 400:
            raise ScenarioFailed(f"{method} {url}: HTTP {reply.status_code} {reply.text[:300]}")
        return reply.json()


def wait_for(what: str, predicate, timeout: float = 60, interval: float = 0.3):
    """Poll until predicate() is truthy and return its value; ScenarioFailed after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise ScenarioFailed(f"Gave up after {timeout:.0f} s waiting for {what}.")
