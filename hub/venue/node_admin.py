"""The hub admin's view of a conference's nodes: status as last reported, and the QR code
an operator scans to enroll a device."""
from __future__ import annotations

import base64
import datetime as dt
import io

from hub.venue import nodes
from hub.venue.on_site_figures import allocation_summary

ONLINE_WITHIN = dt.timedelta(minutes=2)


def conference_nodes(hub, conference_id: str) -> list:
    N = hub.models.Node
    return list(N.select().where(N.conference_id == conference_id).order_by(N.created_at, N.id))


def node_in(hub, conference_id: str, node_id: str):
    """The node with this id in this conference, or None."""
    N = hub.models.Node
    return N.get_or_none((N.id == node_id) & (N.conference_id == conference_id))


def is_online(node, now: dt.datetime) -> bool:
    """Seen within two minutes and not revoked."""
    seen = _parse(node.last_contact)
    return node.revoked_at is None and seen is not None and now - seen <= ONLINE_WITHIN


def doors(nodes) -> list:
    """The nodes that could be online: enrolled and not revoked (a node never enrolled is none)."""
    return [n for n in nodes if node_state(n) == "enrolled"]


def doors_online(nodes, now: dt.datetime) -> tuple[int, int]:
    """(online, could be online): what the console counts as doors online, everywhere."""
    live = doors(nodes)
    return sum(is_online(n, now) for n in live), len(live)


def node_state(node) -> str:
    if node.revoked_at:
        return "revoked"
    return "enrolled" if node.epoch and node.secret else "waiting_for_enrollment"


def node_row(hub, node, now: dt.datetime) -> dict:
    """One node as the admin sees it (and the API returns it)."""
    return {"id": node.id, "name": node.name, "state": node_state(node),
            "online": is_online(node, now), "created_at": node.created_at,
            "enrolled_at": node.enrolled_at, "revoked_at": node.revoked_at,
            "last_contact": node.last_contact, "software_version": node.software_version,
            "protocol_version": node.protocol_version or None, "epoch": node.epoch,
            "clock_offset": node.clock_offset, "events_waiting": node.events_waiting,
            "oldest_unsynced": node.oldest_unsynced,
            "oldest_unsynced_age": oldest_unsynced_age(node, now),
            "allocation": allocation_summary(hub, node)}


def node_rows(hub, conference_id: str) -> list[dict]:
    now = hub.clock()
    return [node_row(hub, node, now) for node in conference_nodes(hub, conference_id)]


def oldest_unsynced_age(node, now: dt.datetime) -> float | None:
    """Seconds since the oldest event the node last reported unsynced (its clock, corrected)."""
    oldest = _parse(node.oldest_unsynced)
    if oldest is None or not node.events_waiting:
        return None
    corrected = oldest + dt.timedelta(seconds=node.clock_offset or 0.0)
    return max(0.0, (now - corrected).total_seconds())


def revoke_node(hub, node):
    """Revoke once (the first time stands): the node is refused and wipes itself at next contact."""
    if not node.revoked_at:
        nodes.revoke(hub, node)
    return hub.models.Node.get_by_id(node.id)


def enroll_hint(hub_url: str, code: str) -> str:
    """What the operator types on the device."""
    return f"contoso node enroll --hub {hub_url.rstrip('/')} --code {code}"


def qr_png(text: str) -> bytes:
    """A QR code of the text as PNG bytes (rendered here: no script, no CDN)."""
    import qrcode
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=6, border=4)
    qr.add_data(text)
    out = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(out, format="PNG")
    return out.getvalue()


def qr_data_uri(text: str) -> str:
    """The QR code as a data: URI for an <img>, so the one-time code never gets a URL."""
    return "data:image/png;base64," + base64.b64encode(qr_png(text)).decode()


def _parse(value: str | None) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
