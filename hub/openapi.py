"""GET /api/openapi.json: the hub API's OpenAPI 3.1 document, merged from the API modules."""
from __future__ import annotations

import importlib

from flask import Blueprint, jsonify

bp = Blueprint("openapi", __name__, url_prefix="/api")

API_MODULES = ("hub.api_management", "hub.api_registration", "hub.api_admin")

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
    return {
        "openapi": "3.1.0",
        "info": {"title": "Contoso conference hub API", "version": "1.0.0",
                 "description": "Conference management and registration. Errors are "
                                "{\"error\": {\"code\", \"message\", \"fields\"?}}."},
        "paths": dict(sorted(paths.items())),
        "components": components,
    }


def _optional_module(name: str):
    try:
        return importlib.import_module(name)
    except ImportError:  # a module still being written leaves its paths out
        return None


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(openapi_document())
