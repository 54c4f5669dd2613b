"""What the hub keeps back when it sends its events to doors: secrets and personal data a
door never needs. A door's replica may be stolen with the device; an order's access code
with its registrant's email opens the order, so neither leaves the hub
(docs/sync-protocol.md, "What a door receives")."""
from __future__ import annotations

from collections.abc import Mapping

# Event type -> the body fields sent blank. Blank, not removed: the body keeps its schema.
KEPT_BACK: Mapping[str, tuple[str, ...]] = {
    "OrderPlaced": ("access_code",),
    "OrderRegistrantAssigned": ("first_name", "last_name", "email"),
    # Who waits for seats (docs/waitlists.md): a door neither sells to nor admits them.
    "WaitlistJoined": ("email", "name"),
}


def for_doors(envelope: dict) -> dict:
    """The envelope as a door receives it: the kept-back fields of its body blanked."""
    fields = KEPT_BACK.get(envelope.get("type"))
    data = envelope.get("data")
    if not fields or not isinstance(data, dict):
        return envelope
    return {**envelope, "data": {**data, **{f: "" for f in fields if f in data}}}
