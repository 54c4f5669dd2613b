"""Errors the API turns into 4xx responses with a stable code."""
from __future__ import annotations

import json
from typing import Callable

from flask import Flask, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from shared_domain.errors import DomainError

# The HTTP status for each domain refusal code that is not a plain 400.
STATUS_BY_CODE = {
    "not_found": 404, "order_not_found": 404, "conference_not_found": 404,
    "seat_type_not_found": 404, "payment_not_found": 404,
    "unauthorized": 401, "order_expired": 409, "order_confirmed": 409,
    "conflict": 409, "slug_taken": 409, "seat_type_in_use": 409,
    "already_resolved": 409, "conflict_not_found": 404,
    "quantity_below_sold": 409, "quantity_below_held": 409, "no_seat_types": 409,
}


class ApiError(Exception):
    """A refusal the API reports as it is: status, code, message and per-field errors."""

    def __init__(self, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


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
        status = STATUS_BY_CODE.get(e.code, 400)
        if as_page():
            return page_error(status, e.code, e.message)
        return jsonify(error_body(e.code, e.message)), status

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
