"""The node's replica of its conference's log, its projections, and its own facts."""
from __future__ import annotations

import datetime as dt
import functools
import json
import os
from typing import Callable

from onsite_node.models import node_models
from onsite_node.own_facts import require_door_facts
from onsite_node.projections import NodeViews
from onsite_node.sales_projection import SalesViews
from shared_domain.catalog import ALL_MESSAGES
from sync_protocol import origin_signatures
from sync_protocol.database import open_database
from sync_protocol.readers import catch_up
from sync_protocol.registry import EventRegistry
from sync_protocol.store import EventStore, StoredEvent, utc_now
from sync_protocol.validation import InvalidField, ed25519_public_key


@functools.lru_cache(maxsize=4)
def _signer_of(private_key: str):
    return origin_signatures.signer(private_key)


def _key(text: str | None) -> bytes | None:
    if not text:
        return None
    try:
        return ed25519_public_key(text)
    except InvalidField:
        return None


class StaleEpoch(Exception):
    """The node's data was restored from an older copy: no new facts until it has a new epoch."""


def message_registry() -> EventRegistry:
    return EventRegistry.of(ALL_MESSAGES)


class Replica:
    """One node's SQLite log (the same store as the hub's) and what it projects."""

    def __init__(self, data_dir: str, credentials: dict,
                 clock: Callable[[], dt.datetime] = utc_now):
        self.data_dir = data_dir
        self.credentials = credentials
        self.clock = clock
        self.db = open_database(os.path.join(data_dir, "node.sqlite3"))
        self.store = EventStore(self.db, message_registry(), clock)
        self.models = node_models(self.db)
        self.views = NodeViews(self.models)
        self.readers = [self.views, SalesViews(self.models)]
        self.store.create_tables()
        self.db.create_tables(self.models.all, safe=True)
        # Until the hub or a peer confirms our log is not behind theirs for our origin, we may
        # be a restored copy: selling then could sell seats already sold (see SalesDesk).
        self.epoch_confirmed = False
        self.known_own_seq = self.store.version_vector().get(self.origin, 0)

    @property
    def conference_id(self) -> str:
        return self.credentials["conference"]["id"]

    @property
    def origin(self) -> str:
        return self.credentials["origin"]

    def record(self, messages: list) -> list[StoredEvent]:
        """Append facts observed here under this node's origin, in one transaction."""
        if self.get_state("stale_epoch"):
            raise StaleEpoch("This node's data was restored from an older copy; it waits for a "
                             "new epoch from the hub before recording anything.")
        require_door_facts(self.store.registry, self.origin, self.conference_id, messages)
        stored = self.store.append(f"edge-{self.origin}", None, messages, origin=self.origin,
                                   conference=self.conference_id, sign=self._signer())
        if stored:
            self.known_own_seq = stored[-1].seq
        self.project()
        return stored

    def _signer(self):
        """Sign own facts with the node's key (a node enrolled without one signs nothing)."""
        private = self.credentials.get("node_private_key")
        return _signer_of(private) if private else None

    def origin_keys(self) -> Callable[[str], bytes | None]:
        """origin -> its public key as this replica knows it, to check what peers relay:
        the hub's event key, this node's own key, and each door epoch's registered key."""
        creds, conference = self.credentials, self.conference_id
        fixed = {f"hub/{conference}": creds.get("event_public_key")}
        O, K = self.models.OriginKeyView, self.models.NodeKeyView
        found: dict[str, bytes | None] = {}

        def key_of(origin: str) -> bytes | None:
            if origin not in found:
                found[origin] = _key(fixed.get(origin) or self._door_key(O, K, origin))
            return found[origin]

        return key_of

    def _door_key(self, O, K, origin: str) -> str | None:
        node_id, _, epoch = origin.rpartition(":")
        if node_id == self.credentials["node_id"]:
            return self.credentials.get("node_public_key")
        row = O.get_or_none(O.origin == origin)
        if row is not None:
            return row.public_key
        if not epoch.isdigit():
            return None
        # a replica projected before keys were kept per epoch: the node's latest key
        row = K.get_or_none((K.node_id == node_id) & (K.epoch == int(epoch)))
        return row.public_key if row is not None else None

    def project(self) -> int:
        return sum(catch_up(self.store, reader) for reader in self.readers)

    # --- sync state -------------------------------------------------------------

    def get_state(self, key: str, default=None):
        S = self.models.SyncState
        row = S.get_or_none(S.key == key)
        return default if row is None else json.loads(row.value)

    def set_state(self, key: str, value) -> None:
        S = self.models.SyncState
        (S.insert(key=key, value=json.dumps(value))
         .on_conflict(conflict_target=[S.key], update={S.value: json.dumps(value)}).execute())

    def close(self) -> None:
        self.db.close()
