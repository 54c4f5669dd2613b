"""Strict checks of what another replica sends: event bodies against their dataclass (by type
hints), JSON text, hybrid clock stamps and public keys. Knows nothing of conferences: the
field limits and formats are given by the caller (shared_domain/edge_facts.py)."""
from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import functools
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from event_store.ids import format_hlc, parse_hlc

INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1
MAX_JSON_DEPTH = 16       # an event body is a few levels deep; a bomb of nesting is refused
ED25519_KEY_BYTES = 32


class InvalidField(ValueError):
    """A value that does not fit its schema: `field` is its dotted path in the body."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


@dataclass(frozen=True)
class FieldRules:
    """Limits of an event body's fields by name, wherever in the body the name appears."""
    text_max: int                                        # any string without its own limit
    text_limits: Mapping[str, int] = dataclasses.field(default_factory=dict)
    int_ranges: Mapping[str, tuple[int, int]] = dataclasses.field(default_factory=dict)
    timestamps: frozenset[str] = frozenset()              # strings that are ISO 8601 times


def check_body(cls: type, data, rules: FieldRules, path: str = "data") -> None:
    """Refuse a body that is not exactly an instance of the dataclass `cls` as JSON: every
    required field present, no unknown field, every value of its hinted type and in bounds."""
    if not isinstance(data, dict):
        raise InvalidField(path, "must be an object")
    fields = {f.name: f for f in dataclasses.fields(cls)}
    for name in data:
        if name not in fields:
            raise InvalidField(f"{path}.{name}", "is not a field of this event")
    hints = _hints(cls)
    for name, f in fields.items():
        if name in data:
            _check_value(hints[name], data[name], name, f"{path}.{name}", rules)
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise InvalidField(f"{path}.{name}", "is required")


def _check_value(hint, value, name: str, path: str, rules: FieldRules) -> None:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return
        options = [a for a in args if a is not type(None)]
        if len(options) != 1:
            raise InvalidField(path, "has a type ingest cannot check")
        return _check_value(options[0], value, name, path, rules)
    if origin is tuple:
        return _check_tuple(args, value, name, path, rules)
    if dataclasses.is_dataclass(hint):
        return check_body(hint, value, rules, path)
    if hint is str:
        return _check_text(value, name, path, rules)
    if hint is bool:
        if type(value) is not bool:
            raise InvalidField(path, "must be true or false")
        return
    if hint is int:
        return _check_int(value, name, path, rules)
    if hint is dt.datetime:
        _check_text(value, name, path, rules)
        if not is_timestamp(value):
            raise InvalidField(path, "must be an ISO 8601 timestamp")
        return
    raise InvalidField(path, "has a type ingest cannot check")


def _check_tuple(args, value, name, path, rules) -> None:
    if not isinstance(value, list):
        raise InvalidField(path, "must be a list")
    if len(args) == 2 and args[1] is Ellipsis:
        kinds = [args[0]] * len(value)
    elif len(args) == len(value):
        kinds = list(args)
    else:
        raise InvalidField(path, f"must hold {len(args)} items")
    for i, (kind, item) in enumerate(zip(kinds, value)):
        _check_value(kind, item, name, f"{path}[{i}]", rules)


def _check_text(value, name: str, path: str, rules: FieldRules) -> None:
    if not isinstance(value, str):
        raise InvalidField(path, "must be a string")
    limit = rules.text_limits.get(name, rules.text_max)
    if len(value) > limit:
        raise InvalidField(path, f"is longer than {limit} characters")
    text_problem = _text_problem(value)
    if text_problem:
        raise InvalidField(path, text_problem)
    if name in rules.timestamps and not is_timestamp(value):
        raise InvalidField(path, "must be an ISO 8601 timestamp")


def _check_int(value, name: str, path: str, rules: FieldRules) -> None:
    if type(value) is not int:
        raise InvalidField(path, "must be an integer")
    low, high = rules.int_ranges.get(name, (INT64_MIN, INT64_MAX))
    if not low <= value <= high:
        raise InvalidField(path, f"must be {low}..{high}")


def _text_problem(value: str) -> str:
    if "\x00" in value:
        return "must not contain NUL characters"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "must not contain lone surrogates"
    return ""


def check_json_text(value, path: str = "data", depth: int = 0) -> None:
    """Refuse JSON that no database column takes as text: NUL, lone surrogates, deep nesting.

    Checked first without building a path per value (most of a page's check); only JSON
    that fails is walked again to name where."""
    if not json_text_fine(value, depth):
        _check_json_text(value, path, depth)


def json_text_fine(value, depth: int = 0) -> bool:
    """check_json_text's rules, answered yes or no, without recursion or paths: the texts
    (keys and values) are gathered and checked as one string (NUL and lone surrogates are
    found in a join of texts exactly when in one of them)."""
    texts: list = []
    stack = [(value, depth)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return False
        if isinstance(value, dict):
            items = value.values()
            texts.extend(value)        # the keys: a key that is no text fails the join
        elif isinstance(value, list):
            items = value
        else:
            items = (value,)
            depth -= 1                 # a lone value is checked at its own depth
        if items and depth + 1 > MAX_JSON_DEPTH:
            return False
        for item in items:
            if isinstance(item, str):
                texts.append(item)
            elif isinstance(item, (dict, list)):
                stack.append((item, depth + 1))
            elif type(item) is int and not INT64_MIN <= item <= INT64_MAX:
                return False
    try:
        joined = "".join(texts)
    except TypeError:
        return False
    return "\x00" not in joined and (joined.isascii() or not _text_problem(joined))


def _check_json_text(value, path: str = "data", depth: int = 0) -> None:
    """check_json_text, naming the path of the first value it refuses."""
    if depth > MAX_JSON_DEPTH:
        raise InvalidField(path, f"is nested deeper than {MAX_JSON_DEPTH} levels")
    if isinstance(value, str):
        problem = _text_problem(value)
        if problem:
            raise InvalidField(path, problem)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_json_text(key, f"{path} key", depth + 1)
            _check_json_text(item, f"{path}.{key}", depth + 1)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_json_text(item, f"{path}[{i}]", depth + 1)
    elif type(value) is int and not INT64_MIN <= value <= INT64_MAX:
        raise InvalidField(path, "must fit in 64 bits")


def is_timestamp(value: str) -> bool:
    """An ISO 8601 date and time, as every replica writes them (datetime.isoformat())."""
    try:
        dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


@dataclass(frozen=True)
class HlcWindow:
    """How far a stamp may be from the receiver's time (milliseconds); None: no bound."""
    ahead_ms: int
    behind_ms: int | None


def check_hlc(stamp: str, now_ms: int, window: HlcWindow) -> None:
    """Refuse a stamp too far ahead of (or behind) the receiver's clock."""
    ms, _ = parse_hlc(stamp)
    if ms > now_ms + window.ahead_ms:
        raise InvalidField("hlc", f"is more than {window.ahead_ms // 86_400_000} days ahead "
                                  "of this side's clock")
    if window.behind_ms is not None and ms < now_ms - window.behind_ms:
        raise InvalidField("hlc", f"is more than {window.behind_ms // 86_400_000} days behind "
                                  "this side's clock")


def bounded_stamp(stamp: str, ceiling_ms: int, max_counter: int) -> str:
    """The stamp a receiver's clock may observe: never past `ceiling_ms`, and with a counter
    far from its five digits, so a hostile stamp cannot push the clock forward or overflow it."""
    ms, counter = parse_hlc(stamp)
    if ms > ceiling_ms:
        return format_hlc(ceiling_ms, 0)
    return format_hlc(ms, min(counter, max_counter))


def ed25519_public_key(text) -> bytes:
    """The 32 raw bytes of an Ed25519 public key written base64url (padded or not)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    if not isinstance(text, str) or not 40 <= len(text) <= 44:
        raise InvalidField("public_key", "must be base64url of 32 bytes")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise InvalidField("public_key", "is not base64url") from None
    if len(raw) != ED25519_KEY_BYTES or padded_base64(raw).rstrip("=") != text.rstrip("="):
        raise InvalidField("public_key", "must be base64url of 32 bytes")
    try:
        Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise InvalidField("public_key", "is not an Ed25519 public key") from None
    return raw


def padded_base64(raw: bytes) -> str:
    """The one spelling every replica decodes: base64url with its padding."""
    return base64.urlsafe_b64encode(raw).decode()


@functools.lru_cache(maxsize=None)
def _hints(cls):
    return typing.get_type_hints(cls)


class EventSchemas:
    """The body schema of every event type a replica knows, checked strictly."""

    def __init__(self, classes: Mapping[str, type], rules: FieldRules):
        self.classes, self.rules = dict(classes), rules
        self._bodies: dict[type, Callable] = {}   # each class's check under `rules`, built once

    def knows(self, event_type: str) -> bool:
        return event_type in self.classes

    def check(self, event_type: str, schema: int, data, rules: FieldRules | None = None) -> None:
        """Refuse a known type's body that is not its current schema exactly (within `rules`,
        else this replica's); an unknown type's body is only checked as JSON text (a replica
        forwards types it does not know)."""
        check_json_text(data)
        cls = self.classes.get(event_type)
        if cls is None:
            return
        # No event has a second schema yet; when one does, lift older bodies here with the
        # registry's upcasters before checking them.
        current = getattr(cls, "SCHEMA", 1)
        if schema != current:
            raise InvalidField("schema", f"{event_type} is schema {current} here, not {schema}")
        if rules is None or rules is self.rules:
            self._body(cls)(data, "data")
        else:
            check_body(cls, data, rules)

    def _body(self, cls: type) -> Callable:
        if cls not in self._bodies:
            self._bodies[cls] = compiled_body(cls, self.rules, self._body)
        return self._bodies[cls]


# --- the same checks, decided once per field ---------------------------------------------
# check_body looks at every field's type hint for every body it checks, which was most of
# the time a door took to record a scan. These build, once per class, a function per field
# that does only what its hint asks: the same rules, the same messages and paths.

Check = Callable[[object, str], None]


def compiled_body(cls: type, rules: FieldRules, body_of: Callable[[type], Check]) -> Check:
    """check_body(cls, ..., rules) as one function; `body_of` gives nested dataclasses'."""
    hints = _hints(cls)
    fields = dataclasses.fields(cls)
    checks = {f.name: _compiled(hints[f.name], f.name, rules, body_of) for f in fields}
    required = {f.name for f in fields
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}

    def check(data, path: str) -> None:
        if not isinstance(data, dict):
            raise InvalidField(path, "must be an object")
        for name in data:
            if name not in checks:
                raise InvalidField(f"{path}.{name}", "is not a field of this event")
        for name, field_check in checks.items():
            if name in data:
                field_check(data[name], f"{path}.{name}")
            elif name in required:
                raise InvalidField(f"{path}.{name}", "is required")

    return check


def _compiled(hint, name: str, rules: FieldRules, body_of) -> Check:
    """_check_value(hint, ..., name, ..., rules), with the hint looked at once."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return _compiled_union(args, name, rules, body_of)
    if origin is tuple:
        return _compiled_tuple(args, name, rules, body_of)
    if dataclasses.is_dataclass(hint):
        return lambda value, path: body_of(hint)(value, path)   # looked up when used
    if hint is str:
        return _compiled_text(name, rules)
    if hint is bool:
        def check_bool(value, path):
            if type(value) is not bool:
                raise InvalidField(path, "must be true or false")
        return check_bool
    if hint is int:
        return lambda value, path: _check_int(value, name, path, rules)
    return lambda value, path: _check_value(hint, value, name, path, rules)


def _compiled_union(args, name, rules, body_of) -> Check:
    nullable = type(None) in args
    options = [a for a in args if a is not type(None)]
    inner = _compiled(options[0], name, rules, body_of) if len(options) == 1 else None

    def check_union(value, path):
        if value is None and nullable:
            return
        if inner is None:
            raise InvalidField(path, "has a type ingest cannot check")
        inner(value, path)

    return check_union


def _compiled_tuple(args, name, rules, body_of) -> Check:
    if len(args) == 2 and args[1] is Ellipsis:
        item = _compiled(args[0], name, rules, body_of)
        fixed = None
    else:
        fixed = [_compiled(a, name, rules, body_of) for a in args]

    def check_tuple(value, path):
        if not isinstance(value, list):
            raise InvalidField(path, "must be a list")
        if fixed is not None and len(fixed) != len(value):
            raise InvalidField(path, f"must hold {len(args)} items")
        for i, element in enumerate(value):
            (item if fixed is None else fixed[i])(element, f"{path}[{i}]")

    return check_tuple


def _compiled_text(name: str, rules: FieldRules) -> Check:
    limit = rules.text_limits.get(name, rules.text_max)
    timestamp = name in rules.timestamps

    def check_text(value, path):
        if not isinstance(value, str):
            raise InvalidField(path, "must be a string")
        if len(value) > limit:
            raise InvalidField(path, f"is longer than {limit} characters")
        problem = _text_problem(value)
        if problem:
            raise InvalidField(path, problem)
        if timestamp and not is_timestamp(value):
            raise InvalidField(path, "must be an ISO 8601 timestamp")

    return check_text
