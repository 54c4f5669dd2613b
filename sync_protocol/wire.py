"""The event envelope on the wire: JSON objects, checked field by field before anything is stored."""
from __future__ import annotations

import json
import re

from event_store.statements import EVENT_COLUMNS
from event_store.store import StoredEvent
from sync_protocol.validation import InvalidField, check_json_text, json_text_fine

PROTOCOL_VERSION = 1
MAX_BATCH = 1000          # events in one push or one page
DEFAULT_BATCH = 500

_HLC = re.compile(r"[0-9]{13}-[0-9]{5}")
_FIELDS = {
    "id": str, "origin": str, "seq": int, "stream": str, "version": int, "type": str,
    "schema": int, "conference": str, "data": dict, "occurred_at": str, "hlc": str,
}
_OPTIONAL = {"causation": str, "correlation": str, "position": int, "sig": str}
_LIMITS = {"id": 36, "origin": 120, "stream": 200, "type": 120, "conference": 120,
           "occurred_at": 40, "causation": 120, "correlation": 120, "sig": 100}
# The log's columns: seq and position are 64-bit, version and schema 32-bit.
_INT_MAX = {"seq": 2 ** 63 - 1, "version": 2 ** 31 - 1, "schema": 2 ** 31 - 1,
            "position": 2 ** 63 - 1}


class ProtocolError(Exception):
    """A request the protocol refuses: a stable code, a message, and the HTTP status."""

    def __init__(self, status: int, code: str, message: str, **extra):
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra

    def body(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, **self.extra}}


def to_wire(event: StoredEvent) -> dict:
    """The envelope of a stored event, as sent."""
    body = {"id": event.id, "origin": event.origin, "seq": event.seq, "stream": event.stream,
            "version": event.version, "type": event.type, "schema": event.schema,
            "conference": event.conference, "data": event.data,
            "occurred_at": event.occurred_at, "hlc": event.hlc,
            "causation": event.causation, "correlation": event.correlation}
    if event.position is not None:
        body["position"] = event.position
    if event.signature:
        body["sig"] = event.signature
    return body


# Where a stored row (EventStore.feed_rows, EVENT_COLUMNS order) holds what a server looks at.
ROW_POSITION, ROW_ORIGIN, ROW_TYPE, ROW_DATA, ROW_SIG = (
    EVENT_COLUMNS.index(name) for name in ("position", "origin", "type", "data", "signature"))


def row_envelope(row: tuple) -> dict:
    """The envelope of a stored row, its body parsed, as `to_wire` sends it."""
    (position, id_, origin, seq, stream, version, type_, schema, conference, data,
     occurred_at, hlc, causation, correlation, signature) = row
    body = {"id": id_, "origin": origin, "seq": seq, "stream": stream, "version": version,
            "type": type_, "schema": schema, "conference": conference, "data": json.loads(data),
            "occurred_at": occurred_at, "hlc": hlc, "causation": causation,
            "correlation": correlation, "position": position}
    if signature:
        body["sig"] = signature
    return body


def row_text(row: tuple, *, data: str | None = None, sig: str | None = None) -> str:
    """A stored row's envelope as JSON text, the same object as `row_envelope`'s, with the
    body spliced in as the log holds it (canonical JSON) or as `data`: parsing every body of
    a feed page only to write it out again was a good part of serving it."""
    (position, id_, origin, seq, stream, version, type_, schema, conference, stored,
     occurred_at, hlc, causation, correlation, signature) = row
    head = {"id": id_, "origin": origin, "seq": seq, "stream": stream, "version": version,
            "type": type_, "schema": schema, "conference": conference,
            "occurred_at": occurred_at, "hlc": hlc, "causation": causation,
            "correlation": correlation, "position": position}
    if sig or signature:
        head["sig"] = sig or signature
    return f'{json.dumps(head, separators=(",", ":"))[:-1]},"data":{data or stored}}}'


def page_text(envelope_texts: list[str], **fields) -> str:
    """A page's JSON text: its envelopes (JSON texts) under "events", and `fields`."""
    rest = json.dumps(fields, separators=(",", ":"))
    return '{"events":[' + ",".join(envelope_texts) + "]" + ("," + rest[1:] if fields else "}")


def check_envelope(raw, index: int) -> dict:
    """Refuse an envelope with a missing, mistyped or oversized field (400 malformed_event)."""
    if _envelope_fine(raw):
        return raw
    if not isinstance(raw, dict):
        raise _malformed(index, "an event must be a JSON object")
    for name, kind in _FIELDS.items():
        if not _is(raw.get(name), kind):
            raise _malformed(index, f"field '{name}' must be {kind.__name__}", field=name)
    for name, kind in _OPTIONAL.items():
        if raw.get(name) is not None and not _is(raw[name], kind):
            raise _malformed(index, f"field '{name}' must be {kind.__name__}", field=name)
    for name, limit in _LIMITS.items():
        if isinstance(raw.get(name), str) and len(raw[name]) > limit:
            raise _malformed(index, f"field '{name}' is longer than {limit}", field=name)
    if raw["seq"] < 1 or raw["version"] < 1 or raw["schema"] < 1:
        raise _malformed(index, "seq, version and schema start at 1")
    for name, high in _INT_MAX.items():
        if type(raw.get(name)) is int and raw[name] > high:
            raise _malformed(index, f"field '{name}' is larger than {high}", field=name)
    if not _HLC.fullmatch(raw["hlc"]):
        raise _malformed(index, "hlc must look like 0001700000000-00000", field="hlc")
    try:
        check_json_text([raw.get(name) for name in _LIMITS])
        check_json_text(raw["data"])
    except InvalidField as bad:
        raise _malformed(index, f"{bad.field}: {bad.message}", field=bad.field) from None
    return raw


def _envelope_fine(raw) -> bool:
    """Every rule of check_envelope, answered yes or no in one pass (a page is 500 of them);
    an envelope it doubts is checked again field by field to say what is wrong."""
    if type(raw) is not dict:
        return False
    try:
        texts = [raw["id"], raw["origin"], raw["stream"], raw["type"], raw["conference"],
                 raw["occurred_at"]]
        numbers = raw["seq"], raw["version"], raw["schema"]
        data, hlc = raw["data"], raw["hlc"]
    except KeyError:
        return False
    for name in ("causation", "correlation", "sig"):
        value = raw.get(name)
        if value is not None:
            texts.append(value)
    position = raw.get("position")
    if any(type(text) is not str for text in texts) or type(hlc) is not str \
            or type(data) is not dict or any(type(n) is not int for n in numbers) \
            or not (position is None or type(position) is int and 0 <= position <= _INT_MAX["position"]):
        return False
    if any(len(raw[name]) > limit for name, limit in _LIMITS.items() if name in raw
           and raw[name] is not None):
        return False
    seq, version, schema = numbers
    if not (1 <= seq <= _INT_MAX["seq"] and 1 <= version <= _INT_MAX["version"]
            and 1 <= schema <= _INT_MAX["schema"]) or not _HLC.fullmatch(hlc):
        return False
    return json_text_fine(texts) and json_text_fine(data)


def check_batch(body, key: str = "events") -> list[dict]:
    """The list of envelopes of a push or page, each checked; too many is 413 batch_too_large."""
    if not isinstance(body, dict) or not isinstance(body.get(key), list):
        raise ProtocolError(400, "malformed_request", f"The body must be an object with '{key}'.")
    events = body[key]
    if len(events) > MAX_BATCH:
        raise ProtocolError(413, "batch_too_large",
                            f"At most {MAX_BATCH} events per request; send smaller batches.")
    return [check_envelope(raw, i) for i, raw in enumerate(events)]


def check_version(body) -> None:
    version = body.get("protocol") if isinstance(body, dict) else None
    if version != PROTOCOL_VERSION:
        raise ProtocolError(400, "unsupported_protocol",
                            f"This side speaks sync protocol {PROTOCOL_VERSION}, not {version!r}.",
                            supported=[PROTOCOL_VERSION])


def _is(value, kind) -> bool:
    if kind is int:
        return type(value) is int
    return isinstance(value, kind)


def _malformed(index: int, message: str, **extra) -> ProtocolError:
    return ProtocolError(400, "malformed_event", f"Event {index}: {message}.", index=index,
                         **extra)
