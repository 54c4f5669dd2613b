"""OpenAPI description of the owner's order management (merged by hub.openapi)."""
from __future__ import annotations

from hub.http.openapi_management import ORDER_EXAMPLE, SLUG, error, ok, operation, ref
from shared_domain import limits

ORDER_ID = {"name": "order_id", "in": "path", "required": True,
            "schema": {"type": "string", "maxLength": 36}}
POSITION = {"name": "position", "in": "path", "required": True,
            "schema": {"type": "integer", "minimum": 0}}

_text = {"type": "string"}
_int = {"type": "integer"}
_who = {"type": "string", "description": "Who did it: \"owner:<email>\", \"admin:<email>\", "
                                         "\"registrant:<email>\"; \"\" for the registrant "
                                         "or the door that sold the order"}

DETAIL_EXAMPLE = {
    **ORDER_EXAMPLE, "status": "cancelled", "payment_status": "refunded", "channel": "online",
    "sold_on_site_by": "",
    "items": [{"seat_type": ORDER_EXAMPLE["lines"][0]["seat_type"], "name": "General admission",
               "requested": 2, "reserved": 2}],
    "payments": [{"payment_id": "9b2f6c1e-4d1a-4f0e-9a53-2f7d3c1b0a11", "status": "refunded",
                  "method": "card", "total": 399, "total_cents": 39900,
                  "description": "Registration for PyCon North", "recorded_by": "",
                  "refund_reason": "order_cancelled",
                  "updated_at": "2025-03-02T08:30:00+00:00"}],
    "seats": [{"position": 0, "seat_id": f"{ORDER_EXAMPLE['order_id']}:0",
               "seat_type": ORDER_EXAMPLE["lines"][0]["seat_type"],
               "seat_type_name": "General admission",
               "attendee": {"first_name": "Mika", "last_name": "Laine",
                            "email": "mika@example.org", "company": ""},
               "ticket": {"status": "revoked"}, "revoked_tickets": ["order_cancelled"],
               "check_ins": []}],
    "cancellation": {"by": "owner:aino@example.org", "role": "organiser",
                     "reason": "Asked by phone", "at": "2025-03-02T08:30:00+00:00"},
    "actions": {"cancel": False, "mark_paid": False, "change_attendees": False,
                "resend_mails": True},
    "history": [{"at": "2025-03-01T10:00:00+00:00", "what": "Order placed online", "by": ""},
                {"at": "2025-03-02T08:30:00+00:00",
                 "what": "Order cancelled by the organiser: “Asked by phone”",
                 "by": "owner:aino@example.org"}],
}

OPENAPI_COMPONENTS = {"schemas": {
    "OrderDetail": {"allOf": [ref("Order"), {"type": "object", "properties": {
        "channel": {"enum": ["online", "on_site"]},
        "sold_on_site_by": {"type": "string", "description": "The door's name, or \"\""},
        "items": {"type": "array", "items": {"type": "object"}},
        "payments": {"type": "array", "items": {"type": "object", "properties": {
            "payment_id": _text,
            "status": {"enum": ["initiated", "paid", "rejected", "refunded", "returned"]},
            "method": _text, "total_cents": _int, "description": _text,
            "recorded_by": _who, "refund_reason": _text, "updated_at": _text}}},
        "seats": {"type": "array", "items": {"type": "object", "properties": {
            "position": _int, "seat_id": _text, "seat_type": _text, "seat_type_name": _text,
            "attendee": {"type": ["object", "null"]},
            "ticket": {"type": "object", "properties": {
                "status": {"enum": ["valid", "revoked", "none"]}}},
            "revoked_tickets": {"type": "array", "items": _text,
                                "description": "Why each earlier ticket of the seat was revoked"},
            "check_ins": {"type": "array", "items": {"type": "object", "properties": {
                "at": _text, "door": _text, "attendee_name": _text,
                "undone": {"type": "boolean"}}}}}}},
        "cancellation": {"type": ["object", "null"], "properties": {
            "by": _who, "role": {"enum": ["organiser", "registrant"]}, "reason": _text,
            "at": _text}},
        "actions": {"type": "object", "description": "What may be asked of the order now",
                    "properties": {name: {"type": "boolean"} for name in (
                        "cancel", "mark_paid", "change_attendees", "resend_mails")}},
        "history": {"type": "array", "items": {"type": "object", "properties": {
            "at": _text, "what": _text, "by": _who}}}}}]},
}}

_not_found = error("No such order in this conference (another conference's order alike)",
                   "order_not_found", "This conference has no such order.")
_detail = ok("The order as its organiser sees it", ref("OrderDetail"), DETAIL_EXAMPLE)
_person = {"type": "object", "properties": {
    "first_name": {"type": "string", "maxLength": limits.PERSON_NAME_MAX},
    "last_name": {"type": "string", "maxLength": limits.PERSON_NAME_MAX},
    "email": {"type": "string", "maxLength": limits.EMAIL_MAX},
    "company": {"type": "string", "maxLength": limits.COMPANY_MAX}}, "required": ["email"]}
_path = [SLUG, ORDER_ID]
_seat_path = [SLUG, ORDER_ID, POSITION]


def _optional_body(op: dict) -> dict:
    op["requestBody"]["required"] = False
    return op


OPENAPI_PATHS = {
    "/api/conferences/{slug}/orders/{order_id}": {
        "get": operation("An order: lines, payments, seats, attendees, tickets, check-ins, "
                         "where it was sold, its cancellation, what may be done, who did what",
                         {"200": _detail, "404": _not_found}, owner=True, parameters=_path),
    },
    "/api/conferences/{slug}/orders/{order_id}/cancel": {
        "post": _optional_body(operation(
            "Cancel the order (idempotent): seats back on sale, tickets revoked at every door "
            "once it syncs, a simulated refund of what was paid", {
                "200": _detail, "404": _not_found,
                "409": error("Expired, or sold at a door (cancel it at that door)",
                             "sold_on_site", "This order was sold at a door: cancel it at "
                             "that door's sales desk, where the money was taken, ...")},
            body=({"type": "object", "properties": {"reason": {
                "type": "string", "maxLength": limits.CANCELLATION_REASON_MAX}}},
                {"reason": "Asked by phone"}), owner=True, parameters=_path)),
    },
    "/api/conferences/{slug}/orders/{order_id}/invoice-payment": {
        "post": operation(
            "Record that the order was paid by invoice: a reserved order is confirmed; an "
            "expired one only if its seats are still free (else refunded at once)", {
                "201": ok("Recorded", {"allOf": [ref("OrderDetail"), {
                    "type": "object", "properties": {"payment_id": _text}}]},
                    {**DETAIL_EXAMPLE, "payment_id": "5d3f..."}),
                "404": _not_found,
                "409": error("Paid already, free, cancelled, still reserving, or no "
                             "registrant", "already_paid",
                             "This order is paid (or free and confirmed) already.")},
            body=({"type": "object", "required": ["invoice_reference"], "properties": {
                "invoice_reference": {"type": "string", "minLength": 1,
                                      "maxLength": limits.REFERENCE_MAX}}},
                {"invoice_reference": "INV-2025-0042"}), owner=True, parameters=_path),
    },
    "/api/conferences/{slug}/orders/{order_id}/seats/{position}": {
        "put": operation("Assign a seat to an attendee (another email moves the seat: its "
                         "old ticket is revoked, a new one issued)", {
                             "200": _detail, "404": _not_found,
                             "409": error("Order cancelled", "order_cancelled",
                                          "This order was cancelled: its seats can no longer "
                                          "be assigned.")},
                         body=(_person, {"first_name": "Mika", "last_name": "Laine",
                                         "email": "mika@example.org"}),
                         owner=True, parameters=_seat_path),
        "delete": operation("Unassign a seat (its ticket is revoked)",
                            {"200": _detail, "404": _not_found}, owner=True,
                            parameters=_seat_path),
    },
    "/api/conferences/{slug}/orders/{order_id}/resend-mails": {
        "post": operation("Ask for the order's mails again (recorded with who asked)", {
            "202": _detail, "404": _not_found,
            "409": error("Nobody to mail", "registrant_missing",
                         "Nobody is named on this order yet: there is no one to mail.")},
            owner=True, parameters=_path),
    },
}
