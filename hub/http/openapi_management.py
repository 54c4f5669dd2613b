"""OpenAPI 3.1 description of the conference management API (merged by hub.openapi)."""
from __future__ import annotations

from shared_domain import limits


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def json_content(schema: dict, example=None) -> dict:
    content = {"schema": schema}
    if example is not None:
        content["example"] = example
    return {"application/json": content}


def error(description: str, code: str, message: str, fields: dict | None = None) -> dict:
    body = {"code": code, "message": message, **({"fields": fields} if fields else {})}
    return {"description": description, "content": json_content(ref("Error"), {"error": body})}


def operation(summary: str, responses: dict, *, body: tuple | None = None, owner: bool = False,
              parameters: list | None = None) -> dict:
    op = {"summary": summary, "tags": ["management"], "responses": responses}
    if body is not None:
        op["requestBody"] = {"required": True, "content": json_content(*body)}
        responses.setdefault("400", error("Malformed JSON or invalid fields", "invalid_fields",
                                          "Some fields are not valid.",
                                          {"name": "Name is required."}))
        responses.setdefault("413", error("Body too large", "request_entity_too_large",
                                          "The data value transmitted exceeds the capacity limit."))
    if owner:
        op["security"] = [{"basicAuth": []}]
        responses["401"] = error("Missing or wrong owner email / access code", "unauthorized",
                                 "The owner email or access code is wrong.")
    if parameters:
        op["parameters"] = parameters
    document_filters(responses, parameters)
    return op


def ok(description: str, schema: dict, example) -> dict:
    return {"description": description, "content": json_content(schema, example)}


def query(name: str, description: str, max_length: int | None = None) -> dict:
    """A query-string parameter; bodies.query_text answers 400 past max_length."""
    schema = {"type": "string", **({"maxLength": max_length} if max_length else {})}
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema}


def document_filters(responses: dict, parameters: list | None) -> None:
    """An operation with bounded text filters documents the 400 a too long one gets."""
    if any(p["in"] == "query" and "maxLength" in p["schema"] for p in parameters or ()):
        responses.setdefault("400", error("A filter is too long", "invalid_fields",
                                          "A filter is too long.",
                                          {"q": "At most 100 characters."}))
        # Filters within their bounds can still make a request line longer than the WSGI
        # server reads (gunicorn: 4094 bytes; a character may take 12 once percent-encoded).
        responses.setdefault("414", {"description": "The request line is longer than the "
                                                    "server reads (4 KiB); nothing is done"})


SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string",
                                                                  "pattern": r"^\w+$"}}
SEAT_TYPE_ID = {"name": "seat_type_id", "in": "path", "required": True,
                "schema": {"type": "string", "format": "uuid"}}

SEAT_TYPE_EXAMPLE = {"id": "0190f1e2-7a3b-7c4d-8e5f-0a1b2c3d4e5f", "name": "General admission",
                     "description": "Both days, lunch included", "quantity": 300,
                     "price": 199.5, "price_cents": 19950, "available": 297}
CONFERENCE_INPUT_EXAMPLE = {
    "slug": "pycon_north", "name": "PyCon North", "description": "Two days of Python.",
    "location": "Oulu, Finland", "tagline": "Python by the sea", "twitter_search": "#pycnorth",
    "start_date": "2025-06-12", "end_date": "2025-06-13", "owner_name": "Aino Virtanen",
    "owner_email": "aino@example.org", "cancellation_deadline": "2025-06-01T12:00"}
CONFERENCE_EXAMPLE = {
    "id": "0190f1e2-0000-7c4d-8e5f-0a1b2c3d4e5f",
    **{k: v for k, v in CONFERENCE_INPUT_EXAMPLE.items() if k != "owner_email"},
    "cancellation_deadline": "2025-06-01T12:00:00+00:00",
    "is_published": True, "seat_types": [SEAT_TYPE_EXAMPLE]}
MANAGED_EXAMPLE = {**CONFERENCE_EXAMPLE, "owner_email": "aino@example.org",
                   "was_ever_published": True}
ORDER_EXAMPLE = {
    "order_id": "0190f1e2-1111-7c4d-8e5f-0a1b2c3d4e5f", "status": "confirmed",
    "placed_at": "2025-03-01T10:00:00+00:00",
    "registrant": {"first_name": "Mika", "last_name": "Laine", "email": "mika@example.org"},
    "total": 399, "total_cents": 39900, "is_free_of_charge": False, "payment_status": "paid",
    "lines": [{"seat_type": SEAT_TYPE_EXAMPLE["id"], "name": "General admission", "quantity": 2,
               "unit_price": 199.5, "unit_price_cents": 19950, "line_total": 399,
               "line_total_cents": 39900}]}
ATTENDEE_EXAMPLE = {"order_id": ORDER_EXAMPLE["order_id"], "position": 0,
                    "seat_type": SEAT_TYPE_EXAMPLE["id"], "seat_type_name": "General admission",
                    "first_name": "Mika", "last_name": "Laine", "email": "mika@example.org",
                    "company": "Contoso"}

_text = {"type": "string"}
_int = {"type": "integer"}
_money = {"type": "number", "description": "Dollars, e.g. 199 or 199.5"}
_date = {"type": "string", "format": "date"}


def _within(maximum: int, minimum: int = 0) -> dict:
    return {"type": "string", "maxLength": maximum, **({"minLength": minimum} if minimum else {})}

OPENAPI_COMPONENTS = {"schemas": {
    "ConferenceInput": {
        "type": "object", "description": "On PUT every field is optional; missing ones keep "
                                         "their value. Unknown fields are ignored.",
        "required": ["slug", "name", "description", "location", "start_date", "end_date",
                     "owner_name", "owner_email"],
        "properties": {"slug": {"type": "string", "pattern": "^[A-Za-z0-9_]+$",
                                "maxLength": limits.SLUG_MAX},
                       "name": _within(limits.CONFERENCE_NAME_MAX, limits.CONFERENCE_NAME_MIN),
                       "description": _within(limits.CONFERENCE_DESCRIPTION_MAX),
                       "location": _within(limits.LOCATION_MAX),
                       "tagline": _within(limits.TAGLINE_MAX),
                       "twitter_search": _within(limits.TWITTER_SEARCH_MAX),
                       "start_date": _date, "end_date": _date,
                       "owner_name": _within(limits.ORGANISER_NAME_MAX),
                       "owner_email": {"type": "string", "format": "email",
                                       "maxLength": limits.EMAIL_MAX},
                       "cancellation_deadline": {
                           "type": "string", "maxLength": 40,
                           "description": "Until when registrants may cancel their own "
                                          "orders: YYYY-MM-DDTHH:MM (UTC unless an offset is "
                                          "given), not after the conference ends; \"\" (the "
                                          "default): registrants may not cancel, the "
                                          "organiser still can"}}},
    "SeatTypeInput": {
        "type": "object", "required": ["name", "quantity", "price"],
        "properties": {"name": _within(limits.SEAT_TYPE_NAME_MAX, limits.SEAT_TYPE_NAME_MIN),
                       "description": _within(limits.SEAT_TYPE_DESCRIPTION_MAX),
                       "quantity": {"type": "integer", "minimum": 0, "maximum": 100000},
                       "price": {"oneOf": [
                           {"type": "number", "minimum": 0, "maximum": 50000},
                           {"type": "string", "pattern": r"^\s*\d{1,5}(\.\d{1,2})?\s*$"}],
                           "description": "Dollars, at most two decimals, as a number "
                                          "(199.5) or a string (\"199.50\")"}}},
    "SeatType": {"type": "object", "properties": {
        "id": _text, "name": _text, "description": _text, "quantity": _int, "price": _money,
        "price_cents": _int, "available": _int}},
    "Conference": {"type": "object", "properties": {
        "id": _text, "slug": _text, "name": _text, "description": _text, "location": _text,
        "tagline": _text, "twitter_search": _text, "start_date": _date, "end_date": _date,
        "owner_name": _text, "is_published": {"type": "boolean"},
        "cancellation_deadline": {"type": "string", "description": "ISO 8601 in UTC, or \"\""},
        "seat_types": {"type": "array", "items": ref("SeatType")}}},
    "ManagedConference": {"allOf": [ref("Conference"), {"type": "object", "properties": {
        "owner_email": _text, "was_ever_published": {"type": "boolean"},
        "access_code": {"type": "string", "description": "Only in the creation response"}}}]},
    "Order": {"type": "object", "properties": {
        "order_id": _text, "placed_at": _text,
        "status": {"enum": ["pending_reservation", "reserved", "partially_reserved", "expired",
                            "confirmed", "cancelled"]},
        "sold_on_site_by": {"type": "string", "description": "The door's name, or \"\""},
        "registrant": {"type": "object", "properties": {
            "first_name": _text, "last_name": _text, "email": _text}},
        "total": _money, "total_cents": _int, "is_free_of_charge": {"type": "boolean"},
        "payment_status": _text, "lines": {"type": "array", "items": {"type": "object"}}}},
    "Attendee": {"type": "object", "properties": {
        name: (_int if name == "position" else _text)
        for name in ("order_id", "position", "seat_type", "seat_type_name", "first_name",
                     "last_name", "email", "company")}},
}}

_not_found = error("No such published conference", "conference_not_found",
                   "There is no published conference here.")
_seat_not_found = error("No such seat type", "seat_type_not_found",
                        "This conference has no such seat type.")
_managed = ok("The conference as its owner sees it", ref("ManagedConference"), MANAGED_EXAMPLE)

OPENAPI_PATHS = {
    "/api/conferences": {
        "post": operation("Create a conference (unpublished) and get its access code", {
            "201": ok("Created; keep the access code", ref("ManagedConference"),
                      {**MANAGED_EXAMPLE, "is_published": False, "was_ever_published": False,
                       "seat_types": [], "access_code": "K7MQ2X"}),
            "409": error("Slug taken", "slug_taken", "The slug 'pycon_north' is already taken."),
        }, body=(ref("ConferenceInput"), CONFERENCE_INPUT_EXAMPLE)),
        "get": operation("List published conferences with seats left", {
            "200": ok("Published conferences", {"type": "array", "items": ref("Conference")},
                      [CONFERENCE_EXAMPLE])}),
    },
    "/api/conferences/locate": {
        "post": operation("Find the conference an owner email and access code open", {
            "200": _managed,
            "401": error("No match", "unauthorized",
                         "No conference has this owner email and access code.")},
            body=({"type": "object", "properties": {"owner_email": _text, "access_code": _text}},
                  {"owner_email": "aino@example.org", "access_code": "K7MQ2X"})),
    },
    "/api/conferences/{slug}": {
        "get": operation("A published conference", {
            "200": ok("The conference", ref("Conference"), CONFERENCE_EXAMPLE),
            "404": _not_found}, parameters=[SLUG]),
        "put": operation("Change conference fields (the slug only before the first publish)", {
            "200": _managed,
            "409": error("Slug taken or locked", "slug_locked",
                         "The slug cannot change once the conference has been published.")},
            body=(ref("ConferenceInput"), {"tagline": "Python by the Baltic"}), owner=True,
            parameters=[SLUG]),
    },
    "/api/conferences/{slug}/manage": {
        "get": operation("The conference with owner details and every seat type",
                         {"200": _managed}, owner=True, parameters=[SLUG]),
    },
    "/api/conferences/{slug}/publish": {
        "post": operation("Open registration (idempotent; needs a seat type)", {
            "200": _managed,
            "409": error("No seat types yet", "no_seat_types",
                         "Add at least one seat type before publishing: registrants need "
                         "something to buy.")}, owner=True, parameters=[SLUG]),
    },
    "/api/conferences/{slug}/unpublish": {
        "post": operation("Close registration (idempotent)", {"200": _managed}, owner=True,
                          parameters=[SLUG]),
    },
    "/api/conferences/{slug}/seat-types": {
        "get": operation("Every seat type of the conference", {
            "200": ok("Seat types", {"type": "array", "items": ref("SeatType")},
                      [SEAT_TYPE_EXAMPLE])}, owner=True, parameters=[SLUG]),
        "post": operation("Add a seat type; its seats go on sale", {
            "201": ok("Created", ref("SeatType"), {**SEAT_TYPE_EXAMPLE, "available": 0})},
            body=(ref("SeatTypeInput"), {"name": "General admission", "description":
                                         "Both days, lunch included", "quantity": 300,
                                         "price": 199.5}), owner=True, parameters=[SLUG]),
    },
    "/api/conferences/{slug}/seat-types/{seat_type_id}": {
        "put": operation("Change a seat type; the quantity never below what is sold and held", {
            "200": ok("Changed", ref("SeatType"), SEAT_TYPE_EXAMPLE), "404": _seat_not_found,
            "409": error("Quantity below what is sold (quantity_below_sold) or sold and held "
                         "(quantity_below_held)", "quantity_below_sold",
                         "4 seats of this type already sold: the quantity cannot be less "
                         "than 7 (3 more held in orders being paid).",
                         {"quantity": "4 seats of this type already sold: ..."})},
            body=(ref("SeatTypeInput"), {"quantity": 350}), owner=True,
            parameters=[SLUG, SEAT_TYPE_ID]),
        "delete": operation("Delete a seat type (only before the first publish)", {
            "204": {"description": "Deleted"}, "404": _seat_not_found,
            "409": error("Conference was published", "seat_type_in_use",
                         "Seat types cannot be deleted once the conference has been "
                         "published; set the quantity to 0 instead.")},
            owner=True, parameters=[SLUG, SEAT_TYPE_ID]),
    },
    "/api/conferences/{slug}/orders": {
        "get": operation("The conference's orders, newest first", {
            "200": ok("Orders", {"type": "array", "items": ref("Order")}, [ORDER_EXAMPLE])},
            owner=True, parameters=[SLUG, query("status", "e.g. confirmed, reserved, expired, "
                                                          "cancelled", 30),
                                    query("email", "registrant email, any case", 254),
                                    query("q", "a name or email of the registrant or an "
                                               "attendee, part of the order id (4 characters "
                                               "or more), or the order's access code", 100)]),
    },
    "/api/conferences/{slug}/attendees": {
        "get": operation("One row per seat of a confirmed order", {"200": {
            "description": "Attendees (JSON, or CSV with ?format=csv)",
            "content": {**json_content({"type": "array", "items": ref("Attendee")},
                                       [ATTENDEE_EXAMPLE]),
                        "text/csv": {"schema": {"type": "string"}, "example":
                                     "order_id,position,seat_type,seat_type_name,first_name,"
                                     "last_name,email,company\r\n"}}}},
            owner=True, parameters=[SLUG, query("seat_type", "seat type id", 36),
                                    query("q", "text in name, email or company", 200),
                                    query("format", "csv for a spreadsheet")]),
    },
}
