"""OpenAPI description of the registrant's API (merged into /api/openapi.json)."""
from __future__ import annotations


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, example: dict | None = None) -> dict:
    content = {"schema": schema}
    if example is not None:
        content["example"] = example
    return {"content": {"application/json": content}}


def _op(summary: str, responses: dict, body: dict | None = None, example: dict | None = None,
        params: tuple = ()) -> dict:
    op = {"summary": summary, "tags": ["registration"],
          "responses": {str(code): {"description": text, **(_json(_ref("Error")) if code >= 400 else {})}
                        for code, text in responses.items()}}
    if body is not None:
        op["requestBody"] = {"required": True, **_json(body, example)}
    if params:
        op["parameters"] = [{"name": p, "in": "path", "required": True,
                             "schema": {"type": "integer" if p == "position" else "string"}}
                            for p in params]
    return op


SEATS = {"type": "object", "required": ["seats"], "properties": {"seats": {
    "type": "array", "items": {"type": "object", "required": ["seat_type", "quantity"],
                               "properties": {"seat_type": {"type": "string"},
                                              "quantity": {"type": "integer", "minimum": 0,
                                                           "maximum": 20}}}}}}
PERSON = {"type": "object", "properties": {k: {"type": "string"} for k in
                                           ("first_name", "last_name", "email", "company")}}
BAD = {400: "Bad input (stable error code)", 404: "Unknown order"}

OPENAPI_PATHS = {
    "/api/conferences/{slug}/orders": {"post": _op(
        "Place an order; seats are reserved in the background",
        {202: "Order placed; poll order_url", 400: "Unknown seat type, bad quantity, empty order",
         404: "No such published conference"},
        SEATS, {"seats": [{"seat_type": "<seat type id>", "quantity": 2}]}, ("slug",))},
    "/api/orders/{order_id}": {"get": _op(
        "The order: status (pending_reservation, reserved, partially_reserved, expired, "
        "confirmed), items requested and reserved, priced lines, seconds left", {200: "The order", 404: "Unknown order"},
        params=("order_id",))},
    "/api/orders/{order_id}/seats": {
        "put": _op("Change the seats wanted (re-reserved in the background)",
                   {202: "Updated", **BAD, 409: "Order confirmed or expired"}, SEATS,
                   params=("order_id",)),
        "get": _op("Seats of a confirmed order with their attendees", {200: "Seats"},
                   params=("order_id",))},
    "/api/orders/{order_id}/registrant": {"post": _op(
        "Name the registrant", {200: "The order", **BAD, 409: "Order expired"}, PERSON,
        {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.org"},
        ("order_id",))},
    "/api/orders/{order_id}/payment": {"post": _op(
        "Pay for the reserved seats (card through the simulated processor, or invoice); "
        "a free order is confirmed at once",
        {200: "Free order confirmed", 201: "Payment started", **BAD,
         409: "reservation_pending, nothing_reserved, registrant_missing, order_expired, order_confirmed"},
        {"type": "object", "properties": {"method": {"enum": ["card", "invoice"]}}},
        {"method": "card"}, ("order_id",))},
    "/api/payments/{payment_id}": {"get": _op("A payment's status", {200: "Payment", 404: "Unknown payment"},
                                              params=("payment_id",))},
    "/api/payments/{payment_id}/accept": {"post": _op(
        "Simulated processor: accept", {200: "Payment completed", 404: "Unknown payment",
                                        400: "Payment already rejected"}, params=("payment_id",))},
    "/api/payments/{payment_id}/reject": {"post": _op(
        "Simulated processor: reject (the reservation stays while it lasts)",
        {200: "Payment rejected", 404: "Unknown payment"}, params=("payment_id",))},
    "/api/orders/find": {"post": _op(
        "Find an order by the registrant's email and the order's access code",
        {200: "Found", 400: "Missing fields", 404: "No match"},
        {"type": "object", "properties": {"email": {"type": "string"},
                                          "access_code": {"type": "string"}}},
        {"email": "ada@example.org", "access_code": "K7QX2M"})},
    "/api/orders/{order_id}/seats/{position}/ticket.png": {"get": {
        "summary": "The seat's ticket as a QR code image (?download=1 to save it)",
        "tags": ["registration"],
        "parameters": [{"name": "order_id", "in": "path", "required": True, "schema": {"type": "string"}},
                       {"name": "position", "in": "path", "required": True, "schema": {"type": "integer"}}],
        "responses": {"200": {"description": "PNG", "content": {"image/png": {}}},
                      "404": {"description": "No ticket yet", **_json(_ref("Error"))}}}},
    "/api/orders/{order_id}/seats/{position}": {
        "put": _op("Assign an attendee to a seat (changing the email reassigns it)",
                   {200: "Seats", **BAD}, PERSON,
                   {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.org",
                    "company": "Analytical Engines"}, ("order_id", "position")),
        "delete": _op("Unassign a seat", {200: "Seats", **BAD}, params=("order_id", "position"))},
}
