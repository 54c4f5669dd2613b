"""Refusals as HTTP responses: one table from a refusal's code to its status, and the
handlers that answer with JSON (machines) or an error page (people)."""
from __future__ import annotations

import json
from typing import Callable

from flask import Flask, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from shared_domain.errors import DomainError

# The one place a refusal's code becomes an HTTP status. Services (everything under hub/ but
# hub/http) and the domain raise DomainError (hub/platform/errors.py's Refused when it names
# fields or a wait) and never a status; each code they raise is listed here on purpose
# (tests/unit/test_import_rules.py checks it).
STATUS_BY_CODE = {
    # 400: the request itself is wrong, or asks what the rules never allow.
    **dict.fromkeys((
        "invalid_fields", "invalid_quantity", "invalid_price", "invalid_email", "invalid_name",
        "invalid_company", "invalid_payment_method", "invalid_invoice_reference",
        "invalid_amount", "invalid_direction", "invalid_handoff", "invalid_pin",
        "unknown_seat_type", "unknown_seat_position", "unknown_order", "unknown_payment",
        "empty_order", "empty_sale", "comment_required", "comment_too_long",
        "resolution_not_allowed", "not_info_kind", "conference_mismatch",
        "not_enough_free_seats", "more_than_held", "allocation_exhausted",
        "order_not_expired", "order_not_reserved", "payment_exists", "payment_rejected",
        "payment_completed", "payment_not_completed", "payment_reference_required",
        "sale_cancelled", "staff_only", "unpaid", "already_checked_in", "not_checked_in",
        "malformed", "altered", "forged", "unknown_key", "bad_ticket_key", "bad_ticket_nonce",
        "ticket_too_large", "invalid_reason",
        "busy", "refused",  # a command that kept clashing; a stored refusal without its code
    ), 400),
    **dict.fromkeys(("unauthorized", "order_auth_required"), 401),
    **dict.fromkeys((
        "not_found", "order_not_found", "conference_not_found", "seat_type_not_found",
        "payment_not_found", "ticket_not_found", "conflict_not_found", "node_not_found",
        "dead_letter_not_found",
    ), 404),
    **dict.fromkeys((
        "order_expired", "order_confirmed", "reservation_pending", "nothing_reserved",
        "registrant_missing", "slug_taken", "slug_locked", "seat_type_in_use", "no_seat_types",
        "quantity_below_sold", "quantity_below_held", "already_resolved", "admin_exists",
        "node_not_active", "node_revoked", "reader_unknown",
        # order management (docs/orders.md)
        "order_cancelled", "sold_on_site", "cancellation_not_offered", "cancellation_closed",
        "nothing_to_pay", "already_paid",
    ), 409),
    # wait-lists (docs/waitlists.md)
    "invalid_offer_window": 400, "entry_not_found": 404, "offer_not_found": 404,
    "waitlist_not_found": 404, "invalid_proof": 404,
    **dict.fromkeys(("waitlist_closed", "already_on_waitlist", "waitlist_full",
                     "entry_not_open", "offer_expired", "offer_closed", "offer_not_held",
                     "seat_type_available"), 409),
    "too_many_attempts": 429,
    "mail_not_found": 404, "mail_not_retryable": 409,       # the admin's mail outbox
    # promotional codes (docs/promotions.md)
    **dict.fromkeys(("invalid_promotional_code", "invalid_promotional_code_terms",
                     "quota_exceeds_seats", "promotional_code_not_applicable"), 400),
    **dict.fromkeys(("promotional_code_not_found", "promotional_code_not_applied"), 404),
    **dict.fromkeys(("promotional_code_exists", "quota_below_uses", "promotional_code_expired",
                     "promotional_code_not_yet_valid", "promotional_code_exhausted",
                     "promotional_code_already_applied", "promotional_code_not_combinable"),
                    409),
    # promotional codes at the doors (the node's API answers 409; these for the table's sake)
    "too_many_promotional_codes": 400, "promotional_code_limited": 409,
}


class ApiError(Exception):
    """A refusal of the HTTP layer itself (a body that is not JSON, a missing CSRF header):
    status, code, message and per-field errors. Services raise DomainError instead."""

    def __init__(self, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


def status_of(refusal: ApiError | DomainError) -> int:
    """The HTTP status of a refusal: its own for an ApiError, else its code's."""
    if isinstance(refusal, ApiError):
        return refusal.status
    return STATUS_BY_CODE.get(refusal.code, 400)


def retry_headers(refusal: Exception) -> dict:
    """Retry-After for a refusal that says how long to wait (too many guesses); else none."""
    wait = getattr(refusal, "retry_after", None)
    return {"Retry-After": str(wait)} if wait else {}


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    body = {"error": {"code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    return body


# Renders an error as an HTML page: (status, code, message) -> response.
PageError = Callable[[int, str, str], object]


# Paths that machines call: their errors are always JSON.
MACHINE_PATHS = ("/api/", "/sync/")


def is_machine_request() -> bool:
    return (request.path + "/").startswith(MACHINE_PATHS)


def register_error_handlers(app: Flask, page_error: PageError | None = None) -> None:
    """JSON errors under /api/ and /sync/; with page_error, other paths get an HTML page."""
    def as_page() -> bool:
        return page_error is not None and not is_machine_request()

    @app.errorhandler(ApiError)
    def api_error(e: ApiError):
        if as_page():
            return page_error(e.status, e.code, e.message)
        return jsonify(error_body(e.code, e.message, e.fields)), e.status

    @app.errorhandler(DomainError)
    def domain_error(e: DomainError):
        status, headers = status_of(e), retry_headers(e)
        if as_page():
            response = current_app.make_response(page_error(status, e.code, e.message))
        else:
            body = error_body(e.code, e.message, getattr(e, "fields", None))
            if headers:
                body["error"]["retry_after"] = e.retry_after
            response = current_app.make_response((jsonify(body), status))
        response.headers.update(headers)
        return response

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        code = (e.name or "error").lower().replace(" ", "_")
        if as_page():
            return _with_headers_of(e, page_error(e.code or 500, code, e.description or e.name))
        # Keep the exception's own headers (Allow on a 405, WWW-Authenticate on a 401).
        response = e.get_response()
        response.data = json.dumps(error_body(code, e.description or e.name))
        response.content_type = "application/json"
        return response


def _with_headers_of(e: HTTPException, page):
    """An error page with the exception's own headers (Allow on a 405), not its body's."""
    response = current_app.make_response(page)
    for name, value in e.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response
