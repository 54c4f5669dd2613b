"""Turn frozen dataclasses into JSON-able dicts and back, guided by type hints."""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing


_SCALARS = frozenset({str, int, float, bool, type(None)})


def to_jsonable(value):
    """Encode dataclasses, tuples, datetimes and dates into plain JSON values."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    names = _field_names(kind)
    if names is not None:
        return {name: to_jsonable(getattr(value, name)) for name in names}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


@functools.lru_cache(maxsize=None)
def _field_names(kind: type) -> tuple[str, ...] | None:
    """A dataclass's field names, looked up once per class; None for any other type."""
    if not dataclasses.is_dataclass(kind):
        return None
    return tuple(f.name for f in dataclasses.fields(kind))


def from_jsonable(cls, data):
    """Build an instance of the dataclass `cls` from what to_jsonable produced."""
    kwargs = {}
    for name, convert in _plan(cls):
        if name in data:
            value = data[name]
            kwargs[name] = value if convert is None or value is None else convert(value)
    return cls(**kwargs)


@functools.lru_cache(maxsize=None)
def _plan(cls) -> tuple:
    """Each field's name and how its JSON value becomes the field's (None: as it is),
    decided once per class: reading the type hints for every event decoded was most of
    decoding them."""
    hints = _hints(cls)
    return tuple((f.name, _converter(hints[f.name])) for f in dataclasses.fields(cls))


def _converter(hint):
    """What `_decode(hint, value)` does to a value that is not None, as a function; None
    when it returns the value itself."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        return _converter(options[0]) if len(options) == 1 else None
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis or len(args) <= 1:
            item = _nullable(_converter(args[0] if args else typing.Any))
            return tuple if item is None else (lambda value: tuple(item(v) for v in value))
        items = [_nullable(_converter(a)) for a in args]
        return lambda value: tuple(v if c is None else c(v) for c, v in zip(items, value))
    if origin in (list, typing.List):
        item = _nullable(_converter(args[0] if args else typing.Any))
        return list if item is None else (lambda value: [item(v) for v in value])
    if origin in (dict, typing.Dict):
        item = _nullable(_converter(args[1] if len(args) == 2 else typing.Any))
        return (lambda value: dict(value.items())) if item is None else (
            lambda value: {k: item(v) for k, v in value.items()})
    if hint is dt.datetime:
        return dt.datetime.fromisoformat
    if hint is dt.date:
        return dt.date.fromisoformat
    if dataclasses.is_dataclass(hint):
        return lambda value: from_jsonable(hint, value)
    return None


def _nullable(convert):
    """A converter that leaves None as None (as `_decode` does at every level)."""
    if convert is None:
        return None
    return lambda value: None if value is None else convert(value)


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
