"""A registrant and a business customer against a real hub process over real HTTP."""
import pytest
import requests

from tests.support.hub_api import CONFERENCE, SEAT_TYPES
from tests.support.processes import start_hub, wait_for

pytestmark = pytest.mark.slow


@pytest.fixture
def hub_url(tmp_path):
    hub = start_hub(tmp_path / "hub", tmp_path / "hub.log")
    yield hub.url
    hub.stop()


def test_order_is_reserved_in_the_background_and_confirmed_after_payment(hub_url):
    r = requests.post(f"{hub_url}/api/conferences", json=CONFERENCE)
    assert r.status_code == 201
    auth = (CONFERENCE["owner_email"], r.json()["access_code"])
    ids = {}
    for seat_type in SEAT_TYPES:
        r = requests.post(f"{hub_url}/api/conferences/{CONFERENCE['slug']}/seat-types",
                          json=seat_type, auth=auth)
        ids[seat_type["name"]] = r.json()["id"]
    assert requests.post(f"{hub_url}/api/conferences/{CONFERENCE['slug']}/publish",
                         auth=auth).status_code == 200

    r = requests.post(f"{hub_url}/api/conferences/{CONFERENCE['slug']}/orders",
                      json={"seats": [{"seat_type": ids["CQRS Workshop"], "quantity": 10},
                                      {"seat_type": ids["General admission"], "quantity": 3}]})
    assert r.status_code == 202
    order_url = hub_url + r.json()["order_url"]
    registrant = requests.Session()
    registrant.headers["Authorization"] = f"Bearer {r.json()['order_token']}"
    assert requests.get(order_url).status_code == 401          # the id alone opens nothing
    order = wait_for(lambda: (o := registrant.get(order_url).json())["status"] == "reserved" and o)
    assert order["total_cents"] == 559700 and order["seconds_left"] > 800

    order_id = order["order_id"]
    registrant.post(f"{hub_url}/api/orders/{order_id}/registrant",
                    json={"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.org"})
    payment = registrant.post(f"{hub_url}/api/orders/{order_id}/payment",
                              json={"method": "card"}).json()
    assert requests.post(hub_url + payment["accept_url"]).json()["status"] == "completed"
    confirmed = wait_for(lambda: registrant.get(order_url).json()["status"] == "confirmed")
    assert confirmed
    seats = wait_for(lambda: registrant.get(f"{order_url}/seats").json()["seats"])
    assert len(seats) == 13

    orders = requests.get(f"{hub_url}/api/conferences/{CONFERENCE['slug']}/orders",
                          auth=auth).json()
    assert [o["order_id"] for o in orders] == [order_id]
    public = requests.get(f"{hub_url}/api/conferences/{CONFERENCE['slug']}").json()
    assert {s["name"]: s["available"] for s in public["seat_types"]}["CQRS Workshop"] == 90
