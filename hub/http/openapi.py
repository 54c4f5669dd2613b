"""GET /api/openapi.json: the hub API's OpenAPI 3.1 document, merged from the API modules."""
from __future__ import annotations

import copy
import importlib
import re

from flask import Blueprint, jsonify

bp = Blueprint("openapi", __name__, url_prefix="/api")

API_MODULES = ("hub.http.api_management", "hub.http.api_orders", "hub.http.api_registration",
               "hub.http.api_admin", "hub.http.api_promotions", "hub.http.api_waitlists")

SHARED_COMPONENTS = {
    "schemas": {
        "Error": {
            "type": "object", "required": ["error"],
            "properties": {"error": {
                "type": "object", "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string", "description": "Stable snake_case reason"},
                    "message": {"type": "string", "description": "For people, may change"},
                    "fields": {"type": "object", "additionalProperties": {"type": "string"},
                               "description": "Field -> message, for invalid_fields"}}}},
            "example": {"error": {"code": "invalid_fields", "message": "Some fields are not valid.",
                                  "fields": {"slug": "Slug is required."}}},
        },
    },
    "securitySchemes": {
        "basicAuth": {"type": "http", "scheme": "basic",
                      "description": "Username: the owner email. Password: the access code."},
    },
}


def openapi_document() -> dict:
    """The whole document: every module's paths and components beside the shared ones."""
    paths: dict = {}
    components = {kind: dict(entries) for kind, entries in SHARED_COMPONENTS.items()}
    for name in API_MODULES:
        module = _optional_module(name)
        for path, operations in getattr(module, "OPENAPI_PATHS", {}).items():
            # Two modules may serve one path with different methods (GET and POST .../orders).
            paths.setdefault(path, {}).update(operations)
        for kind, entries in getattr(module, "OPENAPI_COMPONENTS", {}).items():
            components.setdefault(kind, {}).update(entries)
    for path, operations in paths.items():
        for operation in operations.values():
            _declare_what_every_operation_can_answer(path, operation)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Contoso conference hub API", "version": "1.0.0",
                 "description": "Conference management and registration. Errors are "
                                "{\"error\": {\"code\", \"message\", \"fields\"?}}."},
        "paths": dict(sorted(paths.items())),
        "components": components,
    }


# Answers any operation of its kind can give, whatever its module wrote (the same body for
# all: {"error": {"code", "message", "fields"?}}).
_ERROR = {"$ref": "#/components/schemas/Error"}
_BODY_STATUSES = {"400": "Malformed JSON, or fields of the wrong type or out of range "
                         "(every bad field in `fields`)",
                  "413": "Body over the hub's limit (max_body_bytes)"}
_SECURED_STATUSES = {"401": "Missing or wrong credentials",
                     "429": "Too many failed attempts: wait, then try again"}
# Public calls that take a secret to guess: failed tries are limited like sign-ins.
GUESSED_PATHS = ("/api/conferences/locate", "/api/orders/find")
_PARAMETER_STATUSES = {"404": "No such resource (or, on the owner's calls, 401 first)"}


def _declare_what_every_operation_can_answer(path: str, operation: dict) -> None:
    """Path parameters and the statuses every body, credential and path id can cause."""
    declared = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "path"}
    for name in re.findall(r"{(\w+)}", path):
        if name not in declared:
            operation.setdefault("parameters", []).append(
                {"name": name, "in": "path", "required": True, "schema": {"type": "string"}})
    statuses = {}
    if "requestBody" in operation:
        statuses.update(_BODY_STATUSES)
    if operation.get("security") or path in GUESSED_PATHS:
        statuses.update(_SECURED_STATUSES)
    if "{" in path:
        statuses.update(_PARAMETER_STATUSES)
    responses = operation.setdefault("responses", {})
    for status, description in statuses.items():
        responses.setdefault(status, {"description": description, "content": {
            "application/json": {"schema": copy.deepcopy(_ERROR)}}})


def _optional_module(name: str):
    try:
        return importlib.import_module(name)
    except ImportError:  # a module still being written leaves its paths out
        return None


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(openapi_document())
