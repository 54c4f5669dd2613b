"""An admin's request to change a node's allocation, checked once for the console and the API.

The availability aggregate would quietly grant min(asked, free): a typo of 100000 once gave a
door the whole online stock. So an amount above what is free online (or, asking back, above
what the node holds unsold) is refused with the number there is, and the amount is always a
positive number of seats: the direction is said separately, never by a sign in a form.
"""
from __future__ import annotations

import re

from hub.venue import allocations
from hub.platform.errors import Refused
from shared_domain import seats_availability
from shared_domain.seats import MAX_SEAT_QUANTITY

GIVE, ASK_BACK = "give", "back"
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,9}")


def parse_amount(text: str) -> int:
    """A form's amount: a whole number of seats from 1, else a 400 invalid_quantity."""
    text = (text or "").strip()
    if not _WHOLE_NUMBER.fullmatch(text):
        raise _refusal("invalid_quantity", "Give a whole number of seats.")
    return int(text)


def change(hub, node, seat_type_id: str, direction: str, amount: int) -> str:
    """Give a node `amount` seats, or ask `amount` unsold seats back; say what happens."""
    seat_type = _seat_type(hub, node, seat_type_id)
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_SEAT_QUANTITY:
        raise _refusal("invalid_quantity",
                       f"Give a number of seats from 1 to {MAX_SEAT_QUANTITY}; choose "
                       "\u201cGive\u201d or \u201cAsk back\u201d for the direction.")
    if direction == GIVE:
        free = free_online(hub, node.conference_id, seat_type_id)
        if amount > free:
            raise _refusal("not_enough_free_seats",
                           f"Only {free} {seat_type.name} seat(s) are free online.")
        return allocations.change(hub, node, seat_type_id, amount)
    if direction == ASK_BACK:
        held = unsold_held(hub, node, seat_type_id)
        if amount > held:
            raise _refusal("more_than_held",
                           f"{node.name} holds {held} unsold {seat_type.name} seat(s) "
                           "as of its last sync.")
        return allocations.change(hub, node, seat_type_id, -amount)
    raise _refusal("invalid_direction", "Choose to give seats or to ask them back.",
                   field="direction")


def change_by_sign(hub, node, seat_type_id: str, quantity: int) -> str:
    """The API's documented form: quantity > 0 gives, < 0 asks back (0 is refused)."""
    direction = ASK_BACK if isinstance(quantity, int) and quantity < 0 else GIVE
    return change(hub, node, seat_type_id, direction,
                  abs(quantity) if isinstance(quantity, int) else quantity)


def free_online(hub, conference_id: str, seat_type_id: str) -> int:
    """Seats of a type registrants could reserve now, from the availability stream itself."""
    return free_online_by_type(hub, conference_id).get(seat_type_id, 0)


def free_online_by_type(hub, conference_id: str) -> dict[str, int]:
    """Seat type id -> seats free online now (the aggregate's state, never a lagging view)."""
    stream = seats_availability.stream_id(conference_id)
    snapshot = hub.store.load_snapshot(stream)
    version, state = 0, None
    if snapshot is not None:
        version, state = snapshot[0], seats_availability.from_snapshot(snapshot[1])
    history = hub.store.load(stream, after_version=version)
    state = seats_availability.fold([e.message for e in history], state)
    return {t: max(n, 0) for t, n in state.remaining().items()} if state else {}


def unsold_held(hub, node, seat_type_id: str) -> int:
    """Unsold seats of a type the node holds in its current epoch, as the hub last heard."""
    return sum(max(row["left"], 0) for row in allocations.allocation_summary(hub, node)
               if row["seat_type"] == seat_type_id)


def _seat_type(hub, node, seat_type_id: str):
    T = hub.models.SeatType
    seat_type = T.get_or_none((T.id == seat_type_id) & (T.conference == node.conference_id))
    if seat_type is None:
        raise _refusal("unknown_seat_type", f"Unknown seat type {seat_type_id!r}.",
                       field="seat_type")
    return seat_type


def _refusal(code: str, message: str, field: str = "quantity") -> Refused:
    return Refused(code, message, fields={field: message})
