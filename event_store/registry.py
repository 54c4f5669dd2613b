"""Serialisation registry: event types by name, schema versions and upcasters."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from event_store.codec import from_jsonable, to_jsonable


@dataclass(frozen=True)
class UnknownEvent:
    """An event this version does not know; kept and forwarded untouched."""
    type: str
    schema: int
    data: dict


Upcaster = Callable[[dict], dict]


class EventRegistry:
    """Names and versions of the message classes a program knows."""

    def __init__(self):
        self._by_name: dict[str, type] = {}
        self._schema: dict[str, int] = {}
        self._upcasters: dict[tuple[str, int], Upcaster] = {}

    def register(self, cls: type, *, schema: int = 1, name: str | None = None) -> type:
        name = name or cls.__name__
        if self._by_name.get(name, cls) is not cls:
            raise ValueError(f"two message classes named {name}")
        self._by_name[name] = cls
        self._schema[name] = schema
        return cls

    @classmethod
    def of(cls, classes) -> "EventRegistry":
        """A registry of these message classes (the hub's and the nodes' is
        shared_domain.catalog.ALL_MESSAGES)."""
        registry = cls()
        registry.register_all(classes)
        return registry

    def register_all(self, classes) -> None:
        for cls in classes:
            self.register(cls, schema=getattr(cls, "SCHEMA", 1))

    def add_upcaster(self, name: str, from_schema: int, upcast: Upcaster) -> None:
        """Lift a body of `name` from `from_schema` to `from_schema + 1`."""
        self._upcasters[(name, from_schema)] = upcast

    def knows(self, name: str) -> bool:
        return name in self._by_name

    def name_of(self, message) -> str:
        if isinstance(message, UnknownEvent):
            return message.type
        return type(message).__name__

    def encode(self, message) -> tuple[str, int, dict]:
        """Return (type, schema, body) for storing a message."""
        if isinstance(message, UnknownEvent):
            return message.type, message.schema, message.data
        name = self.name_of(message)
        if name not in self._by_name:
            raise KeyError(f"message type {name} is not registered")
        return name, self._schema[name], to_jsonable(message)

    def decode(self, name: str, schema: int, body: dict):
        """Build the current class from a stored body, upcasting older schemas."""
        cls = self._by_name.get(name)
        if cls is None or schema > self._schema[name]:
            return UnknownEvent(name, schema, body)
        while schema < self._schema[name]:
            body = self._upcasters[(name, schema)](body)
            schema += 1
        return from_jsonable(cls, body)
