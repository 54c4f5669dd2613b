"""The registration figures' clients: threads that walk orders through the hub's JSON API.

Each client takes the next order and walks it like the registration page does: place it
(202; the hub reserves in the request when it can), follow the order with the long-poll
(`GET /api/orders/<id>?wait=25&since=<status>`) until the reservation answers, name the
registrant, pay by card at the simulated processor and accept, follow it until confirmed. An order that got no seat at
all stops there (sold out); one that got some pays for those. Every HTTP request a client
makes is counted (`http_requests_per_order`).
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import requests

from benchmarks.venue import SLUG

WAIT_S = 25    # the long-poll's bound: the hub answers as soon as the order moves
GA, WORKSHOP = "General admission", "CQRS Workshop"


def seats_wanted(orders: int) -> dict[str, int]:
    """What the orders ask for per seat type: order n wants 1 + n % 3 general admission
    seats, and a workshop seat when n % 4 == 0."""
    return {GA: sum(1 + n % 3 for n in range(orders)),
            WORKSHOP: sum(1 for n in range(orders) if n % 4 == 0)}


class CountingSession(requests.Session):
    """A requests session that counts the requests it sends."""

    def __init__(self):
        super().__init__()
        self.sent = 0

    def request(self, *args, **kwargs):
        self.sent += 1
        return super().request(*args, **kwargs)


class Registrant:
    """One client: walks orders through the API until none are left."""

    def __init__(self, url: str, seat_types: dict, next_order, outcomes: list):
        self.url, self.seat_types, self.next_order = url, seat_types, next_order
        self.outcomes = outcomes
        self.http = CountingSession()

    def run(self) -> None:
        while (n := self.next_order()) is not None:
            started = time.perf_counter()
            outcome = self.register(n)
            self.outcomes.append((outcome, time.perf_counter() - started))

    def register(self, n: int) -> str:
        seats = [{"seat_type": self.seat_types[GA][0], "quantity": 1 + n % 3}]
        if n % 4 == 0:
            seats.append({"seat_type": self.seat_types[WORKSHOP][0], "quantity": 1})
        r = self.http.post(f"{self.url}/api/conferences/{SLUG}/orders", json={"seats": seats})
        r.raise_for_status()
        order_id = r.json()["order_id"]
        owner = {"Authorization": f"Bearer {r.json()['order_token']}"}
        order = r.json()    # reserved in the request, or followed until it is
        if order["status"] not in ("reserved", "partially_reserved"):
            order = self.wait(order_id, owner, ("reserved", "partially_reserved"),
                              since=order["status"])
        if not any(item["reserved"] for item in order["items"]):
            return "sold_out"
        self.post(f"/api/orders/{order_id}/registrant",
                  {"first_name": "Reg", "last_name": f"Istrant{n}",
                   "email": f"registrant{n}@example.org"}, owner)
        payment = self.post(f"/api/orders/{order_id}/payment", {"method": "card"}, owner)
        self.post(payment["accept_url"], {})
        self.wait(order_id, owner, ("confirmed",), since=order["status"])
        return "partial" if order["status"] == "partially_reserved" else "confirmed"

    def post(self, path: str, body: dict, headers: dict | None = None) -> dict:
        r = self.http.post(self.url + path, json=body, headers=headers)
        if r.status_code >= 400:
            raise RuntimeError(f"{path}: {r.status_code} {r.text[:200]}")
        return r.json()

    def wait(self, order_id: str, owner: dict, statuses, *, since: str,
             timeout: float = 120) -> dict:
        """The order once its status is one of `statuses`: one long-poll per change."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            order = self.http.get(f"{self.url}/api/orders/{order_id}", headers=owner,
                                  params={"wait": WAIT_S, "since": since},
                                  timeout=WAIT_S + 10).json()
            if order.get("status") in statuses:
                return order
            since = order.get("status", since)
        raise TimeoutError(f"order {order_id} never became {statuses}")


@dataclass
class Run:
    outcomes: list            # (outcome, seconds) per order
    seconds: float
    requests: int             # HTTP requests all clients sent

    @property
    def confirmed(self) -> int:
        return sum(1 for o, _ in self.outcomes if o in ("confirmed", "partial"))

    def count(self, outcome: str) -> int:
        return sum(1 for o, _ in self.outcomes if o == outcome)


def register_all(url: str, seat_types: dict, orders: int, clients: int) -> Run:
    """`clients` threads walk `orders` orders to their end; the wall-clock time it took."""
    counter = iter(range(orders))
    lock = threading.Lock()

    def next_order():
        with lock:
            return next(counter, None)

    outcomes: list = []
    registrants = [Registrant(url, seat_types, next_order, outcomes) for _ in range(clients)]
    threads = [threading.Thread(target=r.run) for r in registrants]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if len(outcomes) != orders:
        raise RuntimeError(f"only {len(outcomes)} of {orders} orders finished")
    return Run(outcomes, elapsed, sum(r.http.sent for r in registrants))
