"""Turn frozen dataclasses into JSON-able dicts and back, guided by type hints."""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing


def to_jsonable(value):
    """Encode dataclasses, tuples, datetimes and dates into plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


def from_jsonable(cls, data):
    """Build an instance of the dataclass `cls` from what to_jsonable produced."""
    hints = _hints(cls)
    kwargs = {}
    for field in dataclasses.fields(cls):
        if field.name in data:
            kwargs[field.name] = _decode(hints[field.name], data[field.name])
    return cls(**kwargs)


@functools.lru_cache(maxsize=None)
def _hints(cls):
    return typing.get_type_hints(cls)


def _decode(hint, value):
    if value is None:
        return None
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        return _decode(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        item = args[0] if args else typing.Any
        if len(args) == 2 and args[1] is Ellipsis or len(args) <= 1:
            return tuple(_decode(item, v) for v in value)
        return tuple(_decode(a, v) for a, v in zip(args, value))
    if origin in (list, typing.List):
        return [_decode(args[0] if args else typing.Any, v) for v in value]
    if origin in (dict, typing.Dict):
        vt = args[1] if len(args) == 2 else typing.Any
        return {k: _decode(vt, v) for k, v in value.items()}
    if hint is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if hint is dt.date:
        return dt.date.fromisoformat(value)
    if dataclasses.is_dataclass(hint):
        return from_jsonable(hint, value)
    return value
