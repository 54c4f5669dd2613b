"""Drive the hub's JSON API like a client would, with the pump run by hand."""
import base64

import pytest

from hub.http.app import create_app
from hub.bootstrap import HubConfig, bootstrap
from tests.support.clock import FakeClock

CONFERENCE = {
    "name": "CQRS Summit", "slug": "cqrs2026", "description": "Event sourcing in practice",
    "location": "Redmond", "start_date": "2026-06-01", "end_date": "2026-06-03",
    "owner_name": "Contoso Events", "owner_email": "owner@contoso.example",
}
SEAT_TYPES = [
    {"name": "General admission", "description": "All talks", "quantity": 100, "price": 199},
    {"name": "CQRS Workshop", "description": "Hands on", "quantity": 100, "price": 500},
    {"name": "Additional cocktail party", "description": "Evening", "quantity": 100, "price": 50},
]


def make_app(tmp_path, clock, **config):
    """A hub whose pump runs only when a test says so (no worker, no rounds in requests,
    no page waiting for an order to move)."""
    config.setdefault("settle_rounds", 0)
    app = create_app(HubConfig(data_dir=str(tmp_path / "hub"), **config), clock=clock,
                     start_worker=False)
    app.config["ORDER_PAGE_WAIT_SECONDS"] = 0
    return app


def fake_clock_hub(postgres: bool = False):
    """The `clock` and `api` fixtures of a module whose scenarios drive the clock: a fake
    clock, and a hub in this process on it (on SQLite, or with `postgres` on a new database
    of the test run's cluster, for a module that runs another's scenarios again there)."""
    @pytest.fixture
    def clock():
        return FakeClock()

    @pytest.fixture
    def api(tmp_path, clock, request):
        url = request.getfixturevalue("postgres_cluster").new_database() if postgres else None
        client = HubClient(make_app(tmp_path, clock, db_url=url))
        yield client
        client.hub.close()
    return clock, api


def on_postgres():
    """fake_clock_hub on PostgreSQL."""
    return fake_clock_hub(postgres=True)


def web_and_workers(tmp_path, db_url, clock, workers=2):
    """A hub serving requests (its pump left to the workers) and `workers` hubs pumping the
    same database, as separate worker processes would; close them with `close_all`."""
    web = HubClient(make_app(tmp_path / "web", clock, db_url=db_url))
    return web, [bootstrap(HubConfig(data_dir=str(tmp_path / f"w{n}"), db_url=db_url), clock)
                 for n in range(1, workers + 1)]


def close_all(web, workers):
    for hub in [web.hub, *workers]:
        hub.close()


def basic(email, code):
    token = base64.b64encode(f"{email}:{code}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


class HubClient:
    def __init__(self, app, http=None):
        self.app = app
        self.hub = app.extensions["contoso_hub"]
        self.http = http or app.test_client()
        self.tokens = {}    # order id -> the order token the hub gave when it was placed

    def owner(self, order_id):
        """Headers proving the order is ours: its token, else the registrant's email and code,
        else none (a page session that placed the order proves it for reads)."""
        if order_id in self.tokens:
            return bearer(self.tokens[order_id])
        O = self.hub.models.OrderView
        row = O.get_or_none(O.order_id == order_id)
        return basic(row.registrant_email, row.access_code) if row and row.registrant_email \
            else {}

    def open_in_session(self, order_id):
        """As if this client's browser had found the order with "Find my order"."""
        with self.http.session_transaction() as session:
            session["registrant_orders"] = [*session.get("registrant_orders", []), order_id]

    def pump(self):
        return self.hub.run_until_idle()

    def create_conference(self, seat_types=SEAT_TYPES, **overrides):
        """Create, add seat types and publish; return (slug, {seat type name: id}, auth)."""
        body = {**CONFERENCE, **overrides}
        r = self.http.post("/api/conferences", json=body)
        assert r.status_code == 201, r.get_json()
        auth = basic(body["owner_email"], r.get_json()["access_code"])
        ids = {}
        for seat_type in seat_types:
            r = self.http.post(f"/api/conferences/{body['slug']}/seat-types", json=seat_type,
                               headers=auth)
            assert r.status_code == 201, r.get_json()
            ids[seat_type["name"]] = r.get_json()["id"]
        assert self.http.post(f"/api/conferences/{body['slug']}/publish",
                              headers=auth).status_code == 200
        self.pump()
        return body["slug"], ids, auth

    def order(self, slug, seats):
        r = self.http.post(f"/api/conferences/{slug}/orders",
                           json={"seats": [{"seat_type": t, "quantity": q} for t, q in seats.items()]})
        assert r.status_code == 202, r.get_json()
        self.tokens[r.get_json()["order_id"]] = r.get_json()["order_token"]
        return r.get_json()["order_id"]

    def get_order(self, order_id):
        return self.http.get(f"/api/orders/{order_id}", headers=self.owner(order_id)).get_json()

    def registrant(self, order_id, email="ada@example.org"):
        r = self.http.post(f"/api/orders/{order_id}/registrant", headers=self.owner(order_id),
                           json={"first_name": "Ada", "last_name": "Lovelace", "email": email})
        assert r.status_code == 200, r.get_json()

    def start_payment(self, order_id, method="card"):
        return self.http.post(f"/api/orders/{order_id}/payment", json={"method": method},
                              headers=self.owner(order_id))

    def pay(self, order_id, accept=True):
        r = self.start_payment(order_id)
        if r.status_code != 201:
            return r
        verb = "accept" if accept else "reject"
        return self.http.post(f"/api/payments/{r.get_json()['payment_id']}/{verb}")

    def available(self, slug):
        conf = self.http.get(f"/api/conferences/{slug}").get_json()
        return {s["name"]: s["available"] for s in conf["seat_types"]}
