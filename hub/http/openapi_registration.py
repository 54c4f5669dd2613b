"""OpenAPI description of the registrant's API (merged into /api/openapi.json).

Every operation on /api/orders/{order_id}... needs proof of the order (docs/api.md,
"Authentication of order endpoints"): the security schemes below, 401 without any, 404 for
an unknown id and for a proof of another order alike."""
from __future__ import annotations


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, example: dict | None = None) -> dict:
    content = {"schema": schema}
    if example is not None:
        content["example"] = example
    return {"content": {"application/json": content}}


PATH_TYPES = {"position": {"type": "integer", "minimum": 0}}
ORDER_SECURITY = [{"orderToken": []}, {"registrantBasic": []}, {"registrantSession": []}]
# What any order operation may answer besides its own outcomes.
OWNED = {401: "order_auth_required: no proof of the order was shown",
         404: "order_not_found: unknown order, or the proof opens another order",
         429: "too_many_attempts: too many wrong access codes (Retry-After)"}
BODY = {400: "invalid_fields, malformed_json: every bad field named in error.fields",
        413: "The body is too large"}


def _op(summary: str, responses: dict, body: dict | None = None, example: dict | None = None,
        params: tuple = (), owned: bool = False) -> dict:
    if owned:
        responses = {**responses, **OWNED}
    if body is not None:
        responses = {**BODY, **responses}
    op = {"summary": summary, "tags": ["registration"],
          "responses": {str(code): {"description": text,
                                    **(_json(_ref("Error")) if code >= 400 else {})}
                        for code, text in sorted(responses.items())}}
    if body is not None:
        op["requestBody"] = {"required": True, **_json(body, example)}
    if params:
        op["parameters"] = [{"name": p, "in": "path", "required": True,
                             "schema": PATH_TYPES.get(p, {"type": "string"})} for p in params]
    if owned:
        op["security"] = ORDER_SECURITY
    return op


def _optional(op: dict) -> dict:
    """The operation, its body optional (an empty body is as {})."""
    op["requestBody"]["required"] = False
    return op


def _answering(status: int, schema: dict, op: dict) -> dict:
    """The operation, its answer of that status described by schema."""
    op["responses"][str(status)].update(_json(schema))
    return op


WAIT_PARAMETERS = [
    {"name": "wait", "in": "query", "required": False,
     "description": "Seconds to wait for the order to differ from `since` (0 to 25; the hub "
                    "may be configured to wait less). Requires `since`.",
     "schema": {"type": "integer", "minimum": 0, "maximum": 25}},
    {"name": "since", "in": "query", "required": False,
     "description": "What the client has: a status, or the `version` last answered "
                    "(compare versions for equality only).",
     "schema": {"type": "string", "maxLength": 80,
                "pattern": r"^(pending_reservation|partially_reserved|reserved|expired|"
                           r"confirmed|cancelled|[0-9]{1,12}-[a-z_]{1,30}-[a-z_]{1,20})$"}}]


def _long_poll(op: dict) -> dict:
    """The order's GET, with the query parameters of its long-poll."""
    op["parameters"] = [*op.get("parameters", []), *WAIT_PARAMETERS]
    return op


def _seats_long_poll(op: dict) -> dict:
    """The seats' GET, with the long-poll's parameters (since: a version of the seats)."""
    since = {**WAIT_PARAMETERS[1], "description": "The `version` last answered.",
             "schema": {"type": "string", "pattern": "^[0-9a-f]{16}$"}}
    op["parameters"] = [*op.get("parameters", []), WAIT_PARAMETERS[0], since]
    return op


def _ticket_file(summary: str, mimetype: str) -> dict:
    """A ticket file: its own content type, never cached, inline unless ?download=1."""
    op = _op(f"{summary}. ?download=1: Content-Disposition attachment (else inline), with a "
             "plain ASCII file name; Cache-Control: no-store",
             {404: "ticket_not_found (no live ticket), order_not_found"}, params=SEAT,
             owned=True)
    op["parameters"].append({"name": "download", "in": "query", "required": False,
                             "description": "Present: save the file instead of showing it.",
                             "schema": {"type": "string"}})
    op["responses"]["200"] = {"description": mimetype, "content": {mimetype: {
        "schema": {"type": "string", "format": "binary"}}}}
    return op


SEATS = {"type": "object", "required": ["seats"], "properties": {"seats": {
    "type": "array", "items": {"type": "object", "required": ["seat_type", "quantity"],
                               "properties": {"seat_type": {"type": "string"},
                                              "quantity": {"type": "integer", "minimum": 0,
                                                           "maximum": 20}}}}}}
TEXT_MAX = {"first_name": 60, "last_name": 60, "email": 254, "company": 100}  # shared_domain.limits
PERSON = {"type": "object", "properties": {k: {"type": "string", "maxLength": n}
                                           for k, n in TEXT_MAX.items()}}
TOKEN = {"order_token": {"type": "string",
                         "description": "Send as 'Authorization: Bearer <order_token>'; "
                                        "shown once, keep it"}}
PLACED = {"type": "object", "properties": {"order_id": {"type": "string"},
                                           "status": {"type": "string"},
                                           "order_url": {"type": "string"}, **TOKEN}}
ORDER = ("order_id",)
SEAT = ("order_id", "position")
NULLABLE_TEXT = {"type": ["string", "null"]}
SEAT_LIST = {"type": "object", "required": ["seats", "tickets_issuing", "version"], "properties": {
    "seats": {"type": "array", "items": {"type": "object", "properties": {
        "position": {"type": "integer"}, "seat_type": {"type": "string"},
        "seat_type_name": {"type": "string"},
        "attendee": {"oneOf": [PERSON, {"type": "null"}]},
        "ticket_code": NULLABLE_TEXT, "ticket_pdf_url": NULLABLE_TEXT,
        "ticket_png_url": NULLABLE_TEXT}}},
    "tickets_issuing": {"type": "boolean", "description": "The hub is still confirming the "
                        "order or issuing its tickets: follow with ?wait=25&since=<version>"},
    "version": {"type": "string", "description": "Moves whenever the seats or their tickets "
                "may have changed; compare for equality only"}}}

OPENAPI_COMPONENTS = {"securitySchemes": {
    "orderToken": {"type": "http", "scheme": "bearer",
                   "description": "The order_token answered when the order was placed or "
                                  "found (POST /api/orders/find)."},
    "registrantBasic": {"type": "http", "scheme": "basic",
                        "description": "Username: the registrant's email. Password: the "
                                       "order's access code. Wrong codes count as guesses."},
    "registrantSession": {"type": "apiKey", "in": "cookie", "name": "session",
                          "description": "The hub pages' session that placed or found the "
                                         "order; GET only (the API has no CSRF token)."},
}}

OPENAPI_PATHS = {
    "/api/conferences/{slug}/orders": {"post": _answering(202, PLACED, _op(
        "Place an order; seats are reserved in the request when the hub can, else in the "
        "background. The answer is the order (as GET shows it) and carries its token, once",
        {202: "Order placed: reserved, partially_reserved, or pending_reservation (then follow "
              "order_url with the token, ?wait=25&since=pending_reservation)",
         404: "No such published conference",
         400: "unknown_seat_type, invalid_quantity, invalid_fields, empty_order"},
        SEATS, {"seats": [{"seat_type": "<seat type id>", "quantity": 2}]}, ("slug",)))},
    "/api/orders/{order_id}": {"get": _long_poll(_op(
        "The order: status (pending_reservation, reserved, partially_reserved, expired, "
        "confirmed, cancelled), items requested and reserved, priced lines, seconds left, "
        "version. With wait and since, a long-poll: the answer comes once the order "
        "differs from since, or when the wait is up (then unchanged)",
        {200: "The order (after a wait: changed, or unchanged when the wait ran out)",
         400: "invalid_fields: wait or since not as described"}, params=ORDER, owned=True))},
    "/api/orders/{order_id}/seats": {
        "put": _op("Change the seats wanted (re-reserved in the background)",
                   {202: "Updated", 409: "Order confirmed or expired"}, SEATS, params=ORDER,
                   owned=True),
        "get": _answering(200, SEAT_LIST, _seats_long_poll(_op(
            "Seats of a confirmed order with their attendees, ticket codes and ticket links, "
            "and whether tickets are still being issued. With wait and since (a version), a "
            "long-poll: the answer comes once the seats or their tickets differ from since, "
            "or when the wait is up (then unchanged)",
            {200: "Seats", 400: "invalid_fields: wait or since not as described"},
            params=ORDER, owned=True)))},
    "/api/orders/{order_id}/registrant": {"post": _op(
        "Name the registrant", {200: "The order", 409: "Order expired or confirmed"}, PERSON,
        {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.org"}, ORDER,
        owned=True)},
    "/api/orders/{order_id}/payment": {"post": _op(
        "Pay for the reserved seats (card through the simulated processor, or invoice); "
        "a free order is confirmed at once",
        {200: "Free order confirmed", 201: "Payment started",
         409: "reservation_pending, nothing_reserved, registrant_missing, order_expired, "
              "order_confirmed"},
        {"type": "object", "properties": {"method": {"enum": ["card", "invoice"]}}},
        {"method": "card"}, ORDER, owned=True)},
    "/api/payments/{payment_id}": {"get": _op(
        "A payment's status (the simulated processor's page; the random payment id is "
        "given only to the order's owner)", {200: "Payment", 404: "Unknown payment"},
        params=("payment_id",))},
    "/api/payments/{payment_id}/accept": {"post": _op(
        "Simulated processor: accept", {200: "Payment completed", 404: "Unknown payment",
                                        400: "Payment already rejected"},
        params=("payment_id",))},
    "/api/payments/{payment_id}/reject": {"post": _op(
        "Simulated processor: reject (the reservation stays while it lasts)",
        {200: "Payment rejected", 400: "Payment already completed", 404: "Unknown payment"},
        params=("payment_id",))},
    "/api/orders/find": {"post": _answering(200, PLACED, _op(
        "Find an order by the registrant's email and the order's access code; the answer "
        "carries a new order token",
        {200: "Found", 404: "No match",
         429: "too_many_attempts: five wrong codes for the email or from the address"},
        {"type": "object", "properties": {"email": {"type": "string", "maxLength": 254},
                                          "access_code": {"type": "string"}}},
        {"email": "ada@example.org", "access_code": "K7QX2M"}))},
    "/api/orders/{order_id}/seats/{position}/ticket.pdf": {"get": _ticket_file(
        "The seat's ticket as a one-page A5 PDF to print: attendee, conference, dates, "
        "venue, seat type, order reference, QR code, what to do at the door",
        "application/pdf")},
    "/api/orders/{order_id}/seats/{position}/ticket.png": {"get": _ticket_file(
        "The same ticket as a PNG for a phone (1036 x 1470 pixels)", "image/png")},
    "/api/orders/{order_id}/cancel": {"post": _optional(_op(
        "Cancel the order, until the organiser's deadline (the conference's "
        "cancellation_deadline): its seats go back on sale, its tickets are revoked, what was "
        "paid is refunded. Cancelling a cancelled order changes nothing",
        {200: "The order, now cancelled",
         400: "invalid_fields: reason longer than 500 characters",
         409: "cancellation_closed (past the deadline), cancellation_not_offered (the "
              "organiser set none), order_expired"},
        {"type": "object", "properties": {"reason": {"type": "string", "maxLength": 500}}},
        {"reason": "I cannot come after all"}, ORDER, owned=True))},
    "/api/orders/{order_id}/seats/{position}": {
        "put": _op("Assign an attendee to a seat (another email reassigns it: the old ticket "
                   "is revoked and the answer carries the new ticket code)",
                   {200: "Seats", 400: "invalid_fields, unknown_seat_position, unknown_order "
                                       "(no seats before the order is confirmed)"}, PERSON,
                   {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.org",
                    "company": "Analytical Engines"}, SEAT, owned=True),
        "delete": _op("Unassign a seat (its ticket is revoked)",
                      {200: "Seats", 400: "unknown_seat_position, unknown_order"},
                      params=SEAT, owned=True)},
}
