"""The hub's tables for on-site nodes: nodes, enrollment codes, conference keys."""
from __future__ import annotations

import peewee


def node_models(Base) -> dict:
    """Model classes for nodes, on the hub's base model."""

    class Node(Base):
        id = peewee.CharField(max_length=36, primary_key=True)
        conference_id = peewee.CharField(max_length=36, index=True)
        name = peewee.CharField(max_length=100)
        secret = peewee.CharField(max_length=100, default="")
        epoch = peewee.IntegerField(default=0)          # 0: not yet enrolled
        public_key = peewee.CharField(max_length=100, default="")  # the node's own Ed25519 key
        created_at = peewee.CharField(max_length=40)
        enrolled_at = peewee.CharField(max_length=40, null=True)
        revoked_at = peewee.CharField(max_length=40, null=True)
        last_contact = peewee.CharField(max_length=40, null=True)
        software_version = peewee.CharField(max_length=40, default="")
        protocol_version = peewee.IntegerField(default=0)
        clock_offset = peewee.FloatField(null=True)     # hub time minus node time, seconds
        events_waiting = peewee.IntegerField(default=0)  # as last reported by the node
        oldest_unsynced = peewee.CharField(max_length=40, null=True)

        class Meta:
            table_name = "node"

    class EnrollmentCode(Base):
        """A one-time code a hub admin hands to an operator; only its hash is kept."""
        code_hash = peewee.CharField(max_length=64, primary_key=True)
        node_id = peewee.CharField(max_length=36, index=True)
        expires_at = peewee.CharField(max_length=40)
        used_at = peewee.CharField(max_length=40, null=True)

        class Meta:
            table_name = "enrollment_code"

    class ConferenceKey(Base):
        """Ed25519 keys that sign a conference's tickets; several at once for rotation."""
        key_id = peewee.CharField(max_length=40, primary_key=True)
        conference_id = peewee.CharField(max_length=36, index=True)
        private_key = peewee.CharField(max_length=100)
        public_key = peewee.CharField(max_length=100)
        created_at = peewee.CharField(max_length=40)
        retired_at = peewee.CharField(max_length=40, null=True)

        class Meta:
            table_name = "conference_key"

    class VenueKey(Base):
        """The shared secret nodes of one conference sign peer requests with."""
        conference_id = peewee.CharField(max_length=36, primary_key=True)
        secret = peewee.CharField(max_length=100)

        class Meta:
            table_name = "venue_key"

    class EventKey(Base):
        """The key the hub signs a conference's events with as it sends them to doors, so a
        door can check the hub's events a peer relays (sync_protocol/origin_signatures.py)."""
        conference_id = peewee.CharField(max_length=36, primary_key=True)
        private_key = peewee.CharField(max_length=100)
        public_key = peewee.CharField(max_length=100)

        class Meta:
            table_name = "event_key"

    class OriginKey(Base):
        """Each node epoch's public key, for the signatures of its events that peers relay."""
        origin = peewee.CharField(max_length=120, primary_key=True)
        node_id = peewee.CharField(max_length=36, index=True)
        public_key = peewee.CharField(max_length=100)

        class Meta:
            table_name = "origin_key"

    return {"Node": Node, "EnrollmentCode": EnrollmentCode, "ConferenceKey": ConferenceKey,
            "VenueKey": VenueKey, "EventKey": EventKey, "OriginKey": OriginKey}
