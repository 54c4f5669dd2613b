"""The node on the venue LAN: advertised, and adopting the hub and peers of its conference."""
from __future__ import annotations

from sync_protocol.discovery import HUB_SERVICE, NODE_SERVICE, Discovery, service_info
from sync_protocol.wire import PROTOCOL_VERSION


def node_discovery(service, interfaces=None) -> Discovery:
    """Advertise this node; adopt the hub and the peers of our conference when they appear."""
    discovery = Discovery(interfaces)
    creds = service.replica.credentials
    conference = creds["conference"]["id"]
    discovery.advertise(service_info(
        NODE_SERVICE, f"contoso-node-{creds['node_id'][-12:]}", service.config.host,
        service.config.port, {"conference": conference, "node_id": creds["node_id"],
                              "protocol": PROTOCOL_VERSION}))

    def found_node(found):
        props = found["properties"]
        if props.get("conference") == conference and props.get("node_id") != creds["node_id"]:
            service.peers[props["node_id"]] = found["url"]

    def found_hub(found):
        props = found["properties"]
        # A LAN may hold several hubs (a test hub, another event's): only ours will do.
        ours = not creds.get("hub_id") or props.get("hub_id") == creds["hub_id"]
        if props.get("protocol") == str(PROTOCOL_VERSION) and ours:
            service.discovered_hub = found["url"]

    discovery.watch(NODE_SERVICE, found_node)
    discovery.watch(HUB_SERVICE, found_hub)
    return discovery
