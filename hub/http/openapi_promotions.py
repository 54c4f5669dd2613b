"""OpenAPI description of the promotional-code calls (merged into /api/openapi.json):
the owner's codes and a registrant's codes on an order (docs/promotions.md)."""
from __future__ import annotations

from hub.http.openapi_management import error, ok, operation, ref
from hub.http.openapi_registration import ORDER_SECURITY

CODE_EXAMPLE = {
    "code": "SPEAKER123", "kind": "percentage", "value": 100, "seat_types": [],
    "quota_kind": "unlimited", "quota": 0, "uses": 3, "seats_used": 4, "valid_from": None,
    "valid_until": "2026-05-31T23:59:59+00:00", "combination": "cumulative"}
INPUT_EXAMPLE = {"code": "VOLUNTEER", "kind": "percentage", "value": 100,
                 "seat_types": ["0190f0a4-..."], "quota_kind": "uses", "quota": 20,
                 "combination": "cumulative"}
_nullable_time = {"type": ["string", "null"], "format": "date-time", "maxLength": 40}
_terms = {
    "kind": {"enum": ["percentage", "amount"]},
    "value": {"type": "integer", "minimum": 1, "maximum": 10_000_000,
              "description": "1..100 for a percentage; cents for an amount"},
    "seat_types": {"type": "array", "maxItems": 100,
                   "items": {"type": "string", "maxLength": 36},
                   "description": "Seat type ids the code applies to; [] = every seat type"},
    "quota_kind": {"enum": ["unlimited", "uses", "seats"]},
    "quota": {"type": "integer", "minimum": 0,
              "description": "Uses (orders) or seats; never above the seats in scope"},
    "single_use": {"type": "boolean", "description": "Shorthand for quota_kind uses, quota 1"},
    "valid_from": _nullable_time, "valid_until": _nullable_time,
    "combination": {"enum": ["cumulative", "exclusive", "combine_only"]},
}
SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
CODE = {"name": "code", "in": "path", "required": True,
        "schema": {"type": "string", "maxLength": 40}}
ORDER_ID = {"name": "order_id", "in": "path", "required": True, "schema": {"type": "string"}}

_terms_refused = {
    "400": error("Invalid fields or terms (invalid_fields, invalid_promotional_code, "
                 "invalid_promotional_code_terms, unknown_seat_type), or a quota above the "
                 "seats of the seat types in scope (quota_exceeds_seats)",
                 "quota_exceeds_seats", "The quota (1000) exceeds the 500 seats of the seat "
                 "types the code applies to.", {"quota": "The quota (1000) exceeds ..."}),
}
_not_found = error("No such code", "promotional_code_not_found",
                   "There is no such promotional code.")


def _order_op(summary: str, responses: dict, *, body: bool = False) -> dict:
    op = {"summary": summary, "tags": ["registration"], "security": ORDER_SECURITY,
          "parameters": [ORDER_ID], "responses": {
              "200": ok("The order, with its codes and their discounts", ref("OrderWithCodes"),
                        None),
              "401": error("No proof of the order", "order_auth_required",
                           "Show the order's token or the registrant's email and access code."),
              "429": error("Too many wrong codes for this order or from this address "
                           "(Retry-After)", "too_many_attempts",
                           "Too many failed promotional codes. Wait 15 minutes, then try "
                           "again."),
              **responses}}
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {
            "schema": {"type": "object", "required": ["code"], "properties": {
                "code": {"type": "string", "maxLength": 100}}},
            "example": {"code": "SPEAKER123"}}}}
    return op


OPENAPI_PATHS = {
    "/api/conferences/{slug}/promotional-codes": {
        "get": operation("The conference's promotional codes with their uses", {
            "200": ok("Codes", {"type": "array", "items": ref("PromotionalCode")},
                      [CODE_EXAMPLE])}, owner=True, parameters=[SLUG]),
        "post": operation("Create a promotional code", {
            "201": ok("Created", ref("PromotionalCode"), CODE_EXAMPLE), **_terms_refused,
            "409": error("The code exists already", "promotional_code_exists",
                         "The code VOLUNTEER exists already.")},
            body=(ref("PromotionalCodeInput"), INPUT_EXAMPLE), owner=True, parameters=[SLUG]),
    },
    "/api/conferences/{slug}/promotional-codes/{code}": {
        "get": operation("One code, with the orders holding or having held a use", {
            "200": ok("The code", ref("PromotionalCode"), CODE_EXAMPLE), "404": _not_found},
            owner=True, parameters=[SLUG, CODE]),
        "put": operation("Change a code's terms (fields left out stay as they are)", {
            "200": ok("Changed", ref("PromotionalCode"), CODE_EXAMPLE), **_terms_refused,
            "404": _not_found,
            "409": error("A quota below what orders hold already", "quota_below_uses",
                         "Orders hold 3 of this code's uses already: the quota cannot be "
                         "lower.")},
            body=(ref("PromotionalCodeInput"), {"quota_kind": "uses", "quota": 50}),
            owner=True, parameters=[SLUG, CODE]),
    },
    "/api/orders/{order_id}/promotional-codes": {
        "post": _order_op("Apply a promotional code to the order (before payment)", {
            "400": error("Malformed body, or the code applies to none of the order's seats",
                         "promotional_code_not_applicable", "The code VOLUNTEER applies to "
                         "none of the seats in this order."),
            "404": error("No such order, or no such code (a failed guess)",
                         "promotional_code_not_found", "There is no such promotional code."),
            "409": error("The code is expired, not valid yet, used up, applied already, or "
                         "does not combine with the order's codes; or the order is no longer "
                         "open (order_confirmed, order_expired, order_cancelled)",
                         "promotional_code_not_combinable", "The code COPRESENTER cannot be "
                         "combined with another code such as VOLUNTEER."),
            "413": error("Body too large", "request_entity_too_large", "Too large.")},
            body=True),
    },
    "/api/orders/{order_id}/promotional-codes/{code}": {
        "delete": _order_op("Remove a promotional code from the order", {
            "400": error("A code that is not text", "invalid_promotional_code", "..."),
            "404": error("No such order, or the code is not on it",
                         "promotional_code_not_applied", "That code is not applied to this "
                         "order."),
            "409": error("The order is no longer open", "order_confirmed",
                         "This order is confirmed and can no longer change.")}),
    },
}
for _op in OPENAPI_PATHS["/api/orders/{order_id}/promotional-codes/{code}"].values():
    _op["parameters"] = [ORDER_ID, CODE]

OPENAPI_COMPONENTS = {"schemas": {
    "PromotionalCodeInput": {"type": "object", "properties": {
        "code": {"type": "string", "minLength": 3, "maxLength": 20,
                 "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]*$"}, **_terms}},
    "PromotionalCode": {"type": "object", "properties": {
        "code": {"type": "string"}, **_terms, "uses": {"type": "integer"},
        "seats_used": {"type": "integer"},
        "orders": {"type": "array", "items": {"type": "object"}}}},
    "OrderWithCodes": {"type": "object", "description": "The order as GET /api/orders/{id} "
                       "answers it: `lines` carry `discount_cents`, `promotional_codes` list "
                       "each code with what it takes off each line, `total_cents` is what "
                       "is charged", "properties": {
                           "order_id": {"type": "string"}, "total_cents": {"type": "integer"},
                           "promotional_codes": {"type": "array", "items": {
                               "type": "object", "properties": {
                                   "code": {"type": "string"},
                                   "discount_cents": {"type": "integer"},
                                   "lines": {"type": "array"}}}}}},
}}
