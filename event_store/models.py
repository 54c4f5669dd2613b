"""The log's tables, made per database so hub and node stores can share a process."""
from __future__ import annotations

from types import SimpleNamespace

import peewee


def log_models(db: peewee.Database) -> SimpleNamespace:
    """Return the log's model classes bound to `db`."""

    class Base(peewee.Model):
        class Meta:
            database = db

    class EventRecord(Base):
        # Position is the feed order: assigned under the write lock, so commit-ordered.
        position = peewee.BigAutoField()
        id = peewee.CharField(max_length=36, unique=True)
        origin = peewee.CharField(max_length=120)
        seq = peewee.BigIntegerField()
        stream = peewee.CharField(max_length=200)
        version = peewee.IntegerField()
        type = peewee.CharField(max_length=120)
        schema = peewee.IntegerField()
        conference = peewee.CharField(max_length=120, index=True)
        data = peewee.TextField()
        occurred_at = peewee.CharField(max_length=40)
        hlc = peewee.CharField(max_length=40)
        causation = peewee.CharField(max_length=120, null=True)
        correlation = peewee.CharField(max_length=120, null=True)
        payload_hash = peewee.CharField(max_length=64)
        # The origin's Ed25519 signature (sync_protocol/origin_signatures.py): a door's of
        # payload_hash; the hub's of the copy doors receive (its kept-back fields blank),
        # made at append. Blank for events stored before; the hub signs its own when it
        # first sends them and keeps the signature.
        signature = peewee.CharField(max_length=100, null=True)
        stored_at = peewee.CharField(max_length=40)

        class Meta:
            table_name = "event"
            indexes = (
                (("origin", "seq"), True),
                (("stream", "version"), True),
                (("conference", "position"), False),
            )

    class OriginSeq(Base):
        """The version vector: highest contiguous seq held per origin."""
        origin = peewee.CharField(max_length=120, primary_key=True)
        conference = peewee.CharField(max_length=120, index=True)
        seq = peewee.BigIntegerField()

        class Meta:
            table_name = "origin_seq"

    class ReaderPosition(Base):
        """How far a projection or subscriber has read the log."""
        name = peewee.CharField(max_length=120, primary_key=True)
        position = peewee.BigIntegerField(default=0)

        class Meta:
            table_name = "reader_position"

    class Snapshot(Base):
        stream = peewee.CharField(max_length=200, primary_key=True)
        version = peewee.IntegerField()
        data = peewee.TextField()

        class Meta:
            table_name = "snapshot"

    class IntegrityConflict(Base):
        """A different payload offered under an (origin, seq) already held: kept, never applied."""
        id = peewee.BigAutoField()
        origin = peewee.CharField(max_length=120)
        seq = peewee.BigIntegerField()
        conference = peewee.CharField(max_length=120, index=True)
        held_hash = peewee.CharField(max_length=64)
        offered_hash = peewee.CharField(max_length=64)
        offered = peewee.TextField()
        source = peewee.CharField(max_length=120)
        received_at = peewee.CharField(max_length=40)

        class Meta:
            table_name = "integrity_conflict"
            indexes = ((("origin", "seq", "offered_hash"), True),)

    class SeenNonce(Base):
        """Nonces of signed requests already accepted, kept while their timestamp is fresh."""
        key_id = peewee.CharField(max_length=120)
        nonce = peewee.CharField(max_length=64)
        seen_at = peewee.BigIntegerField(index=True)

        class Meta:
            table_name = "seen_nonce"
            indexes = ((("key_id", "nonce"), True),)
            primary_key = peewee.CompositeKey("key_id", "nonce")

    class DeadLetter(Base):
        """An event one reader failed on, set aside so the reader went on (one row per pair)."""
        id = peewee.BigAutoField()
        reader = peewee.CharField(max_length=120)
        event_id = peewee.CharField(max_length=36)
        position = peewee.BigIntegerField()
        type = peewee.CharField(max_length=120)
        origin = peewee.CharField(max_length=120)
        conference = peewee.CharField(max_length=120, index=True)
        error = peewee.TextField()
        traceback = peewee.TextField(default="")
        first_failed_at = peewee.CharField(max_length=40)
        last_failed_at = peewee.CharField(max_length=40)
        attempts = peewee.IntegerField(default=1)
        status = peewee.CharField(max_length=20, default="open", index=True)
        resolved_at = peewee.CharField(max_length=40, null=True)
        resolved_by = peewee.CharField(max_length=254, null=True)

        class Meta:
            table_name = "dead_letter"
            indexes = ((("reader", "event_id"), True),)

    return SimpleNamespace(Base=Base, EventRecord=EventRecord, OriginSeq=OriginSeq, SeenNonce=SeenNonce,
                           ReaderPosition=ReaderPosition, Snapshot=Snapshot,
                           IntegrityConflict=IntegrityConflict,
                           DeadLetter=DeadLetter,
                           all=[EventRecord, OriginSeq, ReaderPosition, Snapshot,
                                IntegrityConflict, SeenNonce, DeadLetter])
