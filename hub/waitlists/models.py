"""The wait-lists' read model tables: one row per entry, one per list."""
from __future__ import annotations

from types import SimpleNamespace

import peewee


def waitlist_models(db: peewee.Database) -> SimpleNamespace:
    class Base(peewee.Model):
        class Meta:
            database = db

    class WaitlistEntryView(Base):
        entry_id = peewee.CharField(max_length=36, primary_key=True)
        conference_id = peewee.CharField(max_length=36, index=True)
        seat_type = peewee.CharField(max_length=36)
        email = peewee.CharField(max_length=254)
        name = peewee.CharField(max_length=120)
        quantity = peewee.IntegerField()
        joined_at = peewee.CharField(max_length=40)
        position = peewee.IntegerField()          # order of joining within the list
        status = peewee.CharField(max_length=20)  # waiting, offered, accepted, declined, ...
        offer_id = peewee.CharField(max_length=36, default="", index=True)
        offer_expires_at = peewee.CharField(max_length=40, default="")
        converted = peewee.BooleanField(default=False)   # the offer's order was confirmed

        class Meta:
            table_name = "waitlist_entry_view"

    class WaitlistView(Base):
        conference_id = peewee.CharField(max_length=36)
        seat_type = peewee.CharField(max_length=36)
        closed = peewee.BooleanField(default=False)
        offer_window_minutes = peewee.IntegerField()

        class Meta:
            table_name = "waitlist_view"
            primary_key = peewee.CompositeKey("conference_id", "seat_type")

    return SimpleNamespace(WaitlistEntryView=WaitlistEntryView, WaitlistView=WaitlistView,
                           all=[WaitlistEntryView, WaitlistView])
