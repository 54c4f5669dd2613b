"""What every page about one order shows: the order, its conference, its seat type names."""
from __future__ import annotations

from hub.conferences import management_queries as queries
from hub.orders import registration
from hub.http.context import current_hub
from shared_domain import limits


def form_limits() -> dict:
    """A context processor: the forms' maxlength comes from the one table of input limits."""
    return {"limits": limits}


def order_context(order_id: str) -> dict:
    """The template context of an order page; an unknown order is a 404."""
    hub = current_hub()
    order = registration.order_json(hub, order_id)
    names = queries.seat_type_names(hub, order["conference_id"])
    return {"order": order, "conference": queries.conference_by_id(hub, order["conference_id"]),
            "seat_names": names, "reservation": reservation_rows(order, names),
            "nothing_reserved": nothing_reserved(order)}


def reservation_rows(order: dict, names: dict[str, str]) -> list[dict]:
    """Per seat type: what the registrant asked for and what could be reserved."""
    return [{"name": names.get(item["seat_type"], "Seat"), "requested": item["requested"],
             "reserved": item["reserved"], "seat_type": item["seat_type"]}
            for item in order.get("items", [])]


def expired(order: dict) -> bool:
    """The registrant's time is up (the seats themselves are released a little later)."""
    if order["status"] == "confirmed":
        return False
    return order["status"] == "expired" or order.get("seconds_left", 1) <= 0


def nothing_reserved(order: dict) -> bool:
    return order["status"] == "partially_reserved" and not any(
        item["reserved"] for item in order.get("items", []))
