"""The node's replica of its conference's log, its projections, and its own facts."""
from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import os
from contextlib import nullcontext
from typing import Callable

from onsite_node import name_search, projector
from onsite_node.door_log import append_own
from onsite_node.models import node_models
from onsite_node.own_facts import require_door_facts
from onsite_node.door_codes import DoorCodes
from onsite_node.projections import NodeViews
from onsite_node.sales_projection import SalesViews
from shared_domain import edge_facts
from shared_domain.catalog import ALL_MESSAGES
from sync_protocol import origin_signatures
from event_store.database import add_missing_columns, close_for_good, open_database
from event_store.registry import EventRegistry
from event_store.store import EventStore, StoredEvent, utc_now
from sync_protocol.validation import InvalidField, ed25519_public_key

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=4)
def _signer_of(private_key: str):
    return origin_signatures.signer(private_key)


def readable_keys(keys: dict):
    """(key id, raw bytes) of each well-formed Ed25519 key."""
    for key_id, text in keys.items():
        try:
            yield key_id, ed25519_public_key(text)
        except InvalidField as bad:
            log.warning("ticket key %r skipped: %s", key_id, bad)


def _key(text: str | None) -> bytes | None:
    if not text:
        return None
    try:
        return ed25519_public_key(text)
    except InvalidField:
        return None


# Event types whose projection changes what the replica keeps in memory (the keys tickets
# and peers' facts are checked with).
KEY_EVENTS = frozenset({"NodeKeyRegistered"})
# Sync state read on every fact recorded, kept in memory (written through).
REMEMBERED_STATE = frozenset({"stale_epoch"})


class ProjectionFailed(Exception):
    """Projecting just-recorded facts inline failed; the caller's transaction must roll back
    (and may record again with `savepoints=True`, which sets the failing event aside)."""


class StaleEpoch(Exception):
    """The node's data was restored from an older copy: no new facts until it has a new epoch."""


def fill_search_column(db, models) -> None:
    """Give a replica projected by an older release (or older folding rules) its attendees'
    search column, without replaying the log."""
    add_missing_columns(db, models.AttendeeView, ["search_text"])
    S = models.SyncState
    held = S.get_or_none(S.key == "attendee_search_folding")
    if held is not None and json.loads(held.value) == name_search.FOLDING:
        return
    A = models.AttendeeView
    with db.atomic():
        for row in A.select(A.id, A.first_name, A.last_name, A.email, A.company):
            A.update(search_text=name_search.search_text(
                row.first_name, row.last_name, row.email, row.company)).where(
                A.id == row.id).execute()
        (S.insert(key="attendee_search_folding", value=json.dumps(name_search.FOLDING))
         .on_conflict(conflict_target=[S.key], update={S.value: json.dumps(name_search.FOLDING)})
         .execute())


def message_registry() -> EventRegistry:
    return EventRegistry.of(ALL_MESSAGES)


class Replica:
    """One node's SQLite log (the same store as the hub's) and what it projects."""

    def __init__(self, data_dir: str, credentials: dict,
                 clock: Callable[[], dt.datetime] = utc_now):
        self._state: dict = {}          # REMEMBERED_STATE, as last read or written
        self._generation = 0            # moves whenever what `_keys` holds may be stale
        self._keys: tuple[int, dict] | None = None
        self.data_dir = data_dir
        self.credentials = credentials
        self.clock = clock
        self.db = open_database(os.path.join(data_dir, "node.sqlite3"))
        self.store = EventStore(self.db, message_registry(), clock)
        self.models = node_models(self.db)
        self.views = NodeViews(self.models)
        self.readers = [self.views, SalesViews(self.models), DoorCodes(self.models)]
        self.store.create_tables()
        self.db.create_tables(self.models.all, safe=True)
        fill_search_column(self.db, self.models)
        # Until the hub or a peer confirms our log is not behind theirs for our origin, we may
        # be a restored copy: selling then could sell seats already sold (see SalesDesk).
        self.epoch_confirmed = False
        self.known_own_seq = self.store.version_vector().get(self.origin, 0)

    @property
    def credentials(self) -> dict:
        return self._credentials

    @credentials.setter
    def credentials(self, value: dict) -> None:
        self._credentials = value
        self.forget()

    @property
    def conference_id(self) -> str:
        return self.credentials["conference"]["id"]

    @property
    def origin(self) -> str:
        return self.credentials["origin"]

    def record(self, messages: list, *, savepoints: bool = True) -> list[StoredEvent]:
        """Append facts observed here under this node's origin and project them, in one
        transaction (the caller's, if one is open).

        `savepoints=False` (a scan): the facts are projected at once, without a savepoint,
        when the projections stood at the end of the log; a failure then raises
        ProjectionFailed and the caller's transaction must roll back. Otherwise they are
        projected like anything else (a page per savepoint, a failing event set aside).
        """
        if self.get_state("stale_epoch"):
            raise StaleEpoch("This node's data was restored from an older copy; it waits for a "
                             "new epoch from the hub before recording anything.")
        encoded = require_door_facts(self.store.registry, self.origin, self.conference_id,
                                     messages)
        if not messages:
            return []
        with nullcontext() if self.db.in_transaction() else self.db.atomic():
            conn = self.db.connection()
            before = projector.last_position(conn)
            stored = append_own(self.store, conn, encoded, messages,
                                stream=edge_facts.edge_stream(self.origin), origin=self.origin,
                                conference=self.conference_id, sign=self._signer())
            self.known_own_seq = stored[-1].seq
            if not savepoints and self._readers_at(conn, before):
                try:
                    self.forget(projector.apply_inline(self.store, self.readers, stored))
                except Exception as error:
                    raise ProjectionFailed(f"projecting {stored[0].type}: {error}") from error
            else:
                self.project()
        return stored

    def _readers_at(self, conn, position: int) -> bool:
        held = projector.positions(conn, [r.name for r in self.readers])
        return len(held) == len(self.readers) and all(p == position for p in held.values())

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
        """Bring the projections up to the log's end, a page per savepoint (projector.py)."""
        return projector.project(self.store, self.readers, on_types=self.forget)

    # --- what is kept in memory -------------------------------------------------

    def forget(self, types=None) -> None:
        """Drop what is kept in memory of these event types (None: of everything). Called as
        they are projected, and again once a page of events from elsewhere is committed, so
        no thread keeps what it read before that commit."""
        if types is None or not KEY_EVENTS.isdisjoint(types):
            self._generation += 1

    def ticket_keys(self) -> dict[str, bytes]:
        """Every key a ticket may be signed with, as raw bytes (a malformed one is skipped and
        logged, so one bad key never fails a scan of a code signed with another)."""
        generation, kept = self._generation, self._keys
        if kept is not None and kept[0] == generation:
            return kept[1]
        creds = self.credentials
        texts = dict(creds.get("ticket_public_keys", {}))
        K = self.models.NodeKeyView
        texts.update({k.key_id: k.public_key for k in K.select()})   # provisional codes of doors
        if creds.get("node_public_key"):
            texts[f"node:{creds['node_id']}"] = creds["node_public_key"]
        keys = dict(readable_keys(texts))
        if generation == self._generation:   # nothing changed while reading
            self._keys = (generation, keys)
        return keys

    def door_name(self, node_id: str) -> str:
        """A door by the name the admin gave it, or "door" and the end of its id until this
        replica has learned its name."""
        if node_id == self.credentials["node_id"] and self.credentials.get("name"):
            return self.credentials["name"]
        D = self.models.DoorView
        row = D.get_or_none(D.node_id == node_id)
        return row.name if row is not None else f"door {node_id[-6:]}"

    # --- sync state -------------------------------------------------------------

    def get_state(self, key: str, default=None):
        if key in self._state:
            return default if self._state[key] is None else self._state[key]
        S = self.models.SyncState
        row = S.get_or_none(S.key == key)
        value = None if row is None else json.loads(row.value)
        if key in REMEMBERED_STATE:
            self._state[key] = value
        return default if value is None else value

    def set_state(self, key: str, value) -> None:
        S = self.models.SyncState
        (S.insert(key=key, value=json.dumps(value))
         .on_conflict(conflict_target=[S.key], update={S.value: json.dumps(value)}).execute())
        if key in REMEMBERED_STATE:
            self._state[key] = value

    def close(self) -> None:
        close_for_good(self.db)
