"""A hub with a paid conference, served over real HTTP, and nodes enrolled with it."""
import datetime as dt

import contoso
from hub.venue import nodes
from onsite_node.service import NodeConfig, NodeService
from event_store.store import utc_now
from tests.support.hub_api import HubClient, make_app
from tests.support.servers import ThreadedServer

GA = "General admission"


class WallClock:
    """The real clock, with a knob to move it, as the hub's clock."""

    def __init__(self):
        self.offset = 0.0

    def __call__(self):
        return utc_now() + dt.timedelta(seconds=self.offset)


def venue_hub(tmp_path, clock, orders=3):
    """A hub with `orders` confirmed orders of two GA seats, the first seat assigned."""
    api = HubClient(make_app(tmp_path, clock))
    slug, ids, _ = api.create_conference()
    for n in range(orders):
        order_id = api.order(slug, {ids[GA]: 2})
        api.pump()
        api.registrant(order_id, f"p{n}@example.org")
        api.pay(order_id)
        api.pump()
        api.http.put(f"/api/orders/{order_id}/seats/0", headers=api.owner(order_id),
                     json={"first_name": f"Att{n}", "last_name": "Endee",
                           "email": f"a{n}@example.org"})
    api.pump()
    server = ThreadedServer(api.app)
    api.url = server.url
    api.conference = api.hub.models.Conference.get(api.hub.models.Conference.slug == slug)
    return api, server


def enroll(hub, data_dir, name="Door A"):
    _, code = nodes.create_node(hub.hub, hub.conference, name)
    assert contoso.main(["node", "enroll", "--hub", hub.url, "--code", code,
                         "--data-dir", str(data_dir)]) == 0
    return code


def node_service(data_dir, **config):
    return NodeService(NodeConfig(data_dir=str(data_dir), discovery=False, **config))


