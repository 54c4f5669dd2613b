"""OpenAPI 3.1 description of the wait-lists' API (merged by hub.openapi)."""
from __future__ import annotations

from hub.http.openapi_management import SLUG, error, json_content, ok, ref
from shared_domain import limits
from shared_domain import waitlists as wl

SEAT_TYPE = {"name": "seat_type_id", "in": "path", "required": True,
             "schema": {"type": "string"}}
PROOF = {"name": "proof", "in": "query", "required": True,
         "description": "The proof from the mail's link, or the join's entry_token",
         "schema": {"type": "string", "maxLength": 100}}

ENTRY_EXAMPLE = {"entry_id": "0190f1e2-7a3b-7c4d-8e5f-0a1b2c3d4e5f",
                 "seat_type": "0190f1e2-0000-7c4d-8e5f-0a1b2c3d4e5f",
                 "seat_type_name": "CQRS Workshop", "name": "Ada Lovelace",
                 "email": "ada@example.org", "quantity": 1,
                 "joined_at": "2026-05-01T09:00:00+00:00", "status": "waiting",
                 "offer_id": None, "offer_expires_at": None, "converted": False}
LIST_EXAMPLE = {"seat_type": ENTRY_EXAMPLE["seat_type"], "seat_type_name": "CQRS Workshop",
                "closed": False, "offer_window_minutes": 1440, "waiting": 1,
                "entries": [ENTRY_EXAMPLE]}

OPENAPI_COMPONENTS = {"schemas": {
    "WaitlistEntry": {"type": "object", "required": ["entry_id", "seat_type", "quantity",
                                                     "status"], "properties": {
        "entry_id": {"type": "string"}, "seat_type": {"type": "string"},
        "seat_type_name": {"type": "string"}, "name": {"type": "string"},
        "email": {"type": "string"}, "quantity": {"type": "integer"},
        "joined_at": {"type": "string"},
        "status": {"type": "string", "enum": [wl.WAITING, wl.OFFERED, wl.ACCEPTED,
                                              wl.DECLINED, wl.EXPIRED, wl.LEFT, wl.REMOVED]},
        "offer_id": {"type": ["string", "null"]},
        "offer_expires_at": {"type": ["string", "null"]},
        "converted": {"type": "boolean"},
        "entry_token": {"type": "string"}}},
    "Waitlist": {"type": "object", "required": ["seat_type", "closed", "entries"],
                 "properties": {
                     "seat_type": {"type": "string"}, "seat_type_name": {"type": "string"},
                     "closed": {"type": "boolean"},
                     "offer_window_minutes": {"type": "integer"},
                     "waiting": {"type": "integer"},
                     "entries": {"type": "array", "items": ref("WaitlistEntry")}}},
    "WaitlistJoin": {"type": "object", "required": ["name", "email", "quantity"],
                     "properties": {
                         "name": {"type": "string", "minLength": 1,
                                  "maxLength": limits.PERSON_NAME_MAX},
                         "email": {"type": "string", "format": "email",
                                   "maxLength": limits.EMAIL_MAX},
                         "quantity": {"type": "integer", "minimum": 1,
                                      "maximum": wl.MAX_ENTRY_QUANTITY}}},
    "OfferWindow": {"type": "object", "required": ["minutes"], "properties": {
        "minutes": {"type": "integer", "minimum": wl.MIN_OFFER_WINDOW_MINUTES,
                    "maximum": wl.MAX_OFFER_WINDOW_MINUTES}}},
}}


def _op(summary: str, responses: dict, *, owner: bool = False, body=None,
        parameters=None) -> dict:
    op = {"summary": summary, "tags": ["waitlists"], "responses": responses}
    if body is not None:
        op["requestBody"] = {"required": True, "content": json_content(*body)}
    if owner:
        op["security"] = [{"basicAuth": []}]
    if parameters:
        op["parameters"] = parameters
    return op


_NOT_FOUND = error("No such entry or offer, or a wrong proof", "entry_not_found",
                   "There is no such wait-list entry.")
_CONFLICT = error("The list or the offer does not allow it", "waitlist_closed",
                  "This wait-list is closed.")
_LIST = ok("The seat type's wait-list", ref("Waitlist"), LIST_EXAMPLE)

OPENAPI_PATHS = {
    "/api/conferences/{slug}/waitlists/{seat_type_id}/entries": {"post": _op(
        "Join a sold-out seat type's wait-list (a few joins per list and address)", {
            "201": ok("On the list; entry_token proves the entry is yours",
                      ref("WaitlistEntry"), {**ENTRY_EXAMPLE, "entry_token": "3f1c..."}),
            "404": error("No such published conference or seat type", "seat_type_not_found",
                         "There is no such seat type."),
            "409": error("Closed, full, already on it, or seats on sale", "already_on_waitlist",
                         "This e-mail address is on the wait-list."),
            "429": error("Too many joins from this address", "too_many_attempts",
                         "Too many failed wait-list joins. Wait 15 minutes, then try again."),
        }, body=(ref("WaitlistJoin"),), parameters=[SLUG, SEAT_TYPE])},
    "/api/waitlist/entries/{entry_id}": {
        "get": _op("Your wait-list entry", {
            "200": ok("The entry", ref("WaitlistEntry"), ENTRY_EXAMPLE), "404": _NOT_FOUND},
            parameters=[PROOF]),
        "delete": _op("Leave the wait-list (an offer you hold ends too)", {
            "200": ok("The entry, left", ref("WaitlistEntry"), {**ENTRY_EXAMPLE,
                                                                "status": "left"}),
            "404": _NOT_FOUND,
            "409": error("The entry is no longer open (its offer was accepted)",
                         "entry_not_open", "This entry is accepted already.")},
            parameters=[PROOF])},
    "/api/waitlist/offers/{offer_id}": {"get": _op("An offer made to you", {
        "200": ok("The offer's entry", ref("WaitlistEntry"), {**ENTRY_EXAMPLE,
                                                              "status": "offered"}),
        "404": _NOT_FOUND}, parameters=[PROOF])},
    "/api/waitlist/offers/{offer_id}/accept": {"post": _op(
        "Take the offer: an order is placed on the held seats (its id is the offer's)", {
            "202": ok("The order (as GET /api/orders/{order_id}), with its order_token",
                      {"type": "object", "required": ["order_id", "order_token"]},
                      {"order_id": "0190f1e2-7a3b-7c4d-8e5f-0a1b2c3d4e5f",
                                           "order_token": "..."}),
            "404": _NOT_FOUND,
            "409": error("The offer has ended or is no longer open", "offer_expired",
                         "This offer has ended; the seats went to the next in line.")},
        parameters=[PROOF])},
    "/api/waitlist/offers/{offer_id}/decline": {"post": _op(
        "Decline the offer: the seats go to the next in line", {
            "200": ok("The entry, declined", ref("WaitlistEntry"), {**ENTRY_EXAMPLE,
                                                                    "status": "declined"}),
            "404": _NOT_FOUND,
            "409": error("The offer is no longer open", "offer_closed",
                         "This offer is no longer open.")}, parameters=[PROOF])},
    "/api/conferences/{slug}/waitlists": {"get": _op("The conference's wait-lists", {
        "200": ok("Every seat type's list, its entries in line",
                  {"type": "array", "items": ref("Waitlist")}, [LIST_EXAMPLE])},
        owner=True, parameters=[SLUG])},
    "/api/conferences/{slug}/waitlists/{seat_type_id}/entries/{entry_id}": {"delete": _op(
        "Remove someone from the list (an offer they hold ends)", {
            "200": _LIST, "404": _NOT_FOUND,
            "409": error("The entry is no longer open", "entry_not_open",
                         "This entry is accepted already.")},
        owner=True, parameters=[SLUG, SEAT_TYPE])},
    "/api/conferences/{slug}/waitlists/{seat_type_id}/close": {"post": _op(
        "Close the list: nobody joins, nobody more is offered", {"200": _LIST},
        owner=True, parameters=[SLUG, SEAT_TYPE])},
    "/api/conferences/{slug}/waitlists/{seat_type_id}/reopen": {"post": _op(
        "Reopen the list", {"200": _LIST}, owner=True, parameters=[SLUG, SEAT_TYPE])},
    "/api/conferences/{slug}/waitlists/{seat_type_id}/offer-window": {"put": _op(
        "How long an offer holds its seats", {
            "200": _LIST,
            "400": error("Minutes out of bounds", "invalid_offer_window",
                         "An offer lasts 15 minutes to 14 days.")},
        owner=True, body=(ref("OfferWindow"),), parameters=[SLUG, SEAT_TYPE])},
}
