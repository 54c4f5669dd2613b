"""Request parsing shared by the hub's API blueprints: JSON bodies, Basic auth, query text."""
from __future__ import annotations

import json
import math

from flask import request

from hub.http.errors import ApiError

NOT_AN_OBJECT = "The request body must be a JSON object."


def json_body() -> dict:
    """Return the request body as a JSON object; anything else is a 400 malformed_json.

    An oversize body is refused earlier by Flask (413, MAX_CONTENT_LENGTH).
    """
    raw = request.get_data(cache=True)
    try:
        body = json.loads(raw, parse_constant=_refuse_constant,
                                 parse_float=_finite_float) if raw else None
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ApiError(400, "malformed_json", "The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise ApiError(400, "malformed_json", NOT_AN_OBJECT)
    unstorable = dict(_unstorable_texts(body))
    if unstorable:
        raise ApiError(400, "invalid_fields", "Some fields hold text that cannot be stored.",
                       fields=unstorable)
    return body


def _unstorable_texts(body: dict):
    """(field path, message) for each text holding NUL or half a surrogate pair.

    JSON lets "\\ud800" through; no database column or badge can hold it, so it stops here
    for every field of every body, nested ones too.
    """
    stack = [("", body)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((f"{path}.{k}" if path else str(k), v) for k, v in value.items())
            texts = [(path or "body", k) for k in value]
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", v) for i, v in enumerate(value))
            texts = []
        else:
            texts = [(path, value)] if isinstance(value, str) else []
        for where, text in texts:
            if not is_storable_text(text):
                yield where, "Text may not hold NUL or unpaired surrogate characters."


def is_storable_text(text: str) -> bool:
    """Text a database column can hold: valid Unicode scalar values, no NUL."""
    return "\x00" not in text and not any("\ud800" <= c <= "\udfff" for c in text)


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999 parses to infinity
        raise ValueError(f"{text} is too large")
    return value


def basic_auth() -> tuple[str, str] | None:
    """The (username, password) of an HTTP Basic Authorization header, or None."""
    auth = request.authorization
    if auth is None or auth.type != "basic" or auth.username is None:
        return None
    return auth.username, auth.password or ""


def unauthorized(message: str = "Valid credentials are required.") -> ApiError:
    """The 401 to raise; `basic_auth_challenge` adds the WWW-Authenticate header."""
    return ApiError(401, "unauthorized", message)


def basic_auth_challenge(realm: str):
    """An after_request hook giving every 401 of a blueprint a Basic challenge."""
    def challenge(response):
        if response.status_code == 401 and "WWW-Authenticate" not in response.headers:
            response.headers["WWW-Authenticate"] = f'Basic realm="{realm}", charset="UTF-8"'
        return response
    return challenge


def query_text(name: str, max_length: int = 200) -> str:
    """A query-string filter, stripped; longer than max_length is a 400 invalid_fields."""
    value = request.args.get(name, "").strip()
    if len(value) > max_length:
        raise ApiError(400, "invalid_fields", "A filter is too long.",
                       fields={name: f"At most {max_length} characters."})
    return value


def require_object_fields(body: dict, types: dict[str, type | tuple]) -> dict:
    """Keep the known fields of a body; a field of the wrong JSON type is a 400 invalid_fields."""
    kept, errors = typed_fields(body, types)
    if errors:
        raise ApiError(400, "invalid_fields", "Some fields have the wrong type.", fields=errors)
    return kept


def typed_fields(body: dict, types: dict[str, type | tuple]) -> tuple[dict, dict]:
    """(the known fields of the right JSON type, field -> message for the others).

    For callers that validate further and report every bad field at once. Unknown fields
    are ignored. JSON null counts as absent. `int` refuses booleans and `float` accepts
    whole numbers too, as JSON does not tell them apart.
    """
    kept, errors = {}, {}
    for name, expected in types.items():
        if body.get(name) is None:
            continue
        value = body[name]
        if _is_type(value, expected):
            kept[name] = value
        else:
            errors[name] = f"Must be {_type_word(expected)}."
    return kept, errors


def _is_type(value, expected) -> bool:
    options = expected if isinstance(expected, tuple) else (expected,)
    if isinstance(value, bool):
        return bool in options
    if float in options and isinstance(value, int):
        return True
    return isinstance(value, options)


_WORDS = {str: "a string", int: "a whole number", float: "a number", bool: "true or false",
          list: "a list", dict: "an object"}


def _type_word(expected) -> str:
    options = expected if isinstance(expected, tuple) else (expected,)
    return " or ".join(_WORDS.get(t, t.__name__) for t in options)
