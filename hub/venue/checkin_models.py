"""The hub's tables for tickets, check-ins seen from the venue, and sync conflicts."""
from __future__ import annotations

import peewee


def checkin_models(Base) -> dict:
    class TicketView(Base):
        """The current ticket of each assigned seat (what the registrant shows at the door)."""
        seat_id = peewee.CharField(max_length=60, primary_key=True)
        order_id = peewee.CharField(max_length=36, index=True)
        position = peewee.IntegerField()
        code = peewee.TextField()
        code_digest = peewee.CharField(max_length=32, index=True)
        attendee_name = peewee.CharField(max_length=200)

        class Meta:
            table_name = "rm_ticket"

    class CheckInRecord(Base):
        """Every check-in that reached the hub, with what the conflict rules need."""
        scan_nonce = peewee.CharField(max_length=64, primary_key=True)
        event_id = peewee.CharField(max_length=36)
        conference_id = peewee.CharField(max_length=36, index=True)
        seat_id = peewee.CharField(max_length=60, index=True)
        node_id = peewee.CharField(max_length=36)
        origin = peewee.CharField(max_length=120)
        scanned_at = peewee.CharField(max_length=40)
        hlc = peewee.CharField(max_length=40)
        previous = peewee.CharField(max_length=64, default="")
        code_digest = peewee.CharField(max_length=32, default="")
        attendee_name = peewee.CharField(max_length=200, default="")
        undone = peewee.BooleanField(default=False)
        received_at = peewee.CharField(max_length=40)

        class Meta:
            table_name = "checkin_record"

    class Conflict(Base):
        """Two facts that cannot both stand; its id is a hash of the events involved."""
        id = peewee.CharField(max_length=64, primary_key=True)
        kind = peewee.CharField(max_length=40, index=True)
        severity = peewee.CharField(max_length=10)          # "info" | "review"
        conference_id = peewee.CharField(max_length=36, index=True)
        subject = peewee.CharField(max_length=100)          # the seat, sale or payment concerned
        nodes = peewee.CharField(max_length=200, default="")
        sides = peewee.TextField()                          # JSON: both sides, as recorded
        automatic_outcome = peewee.TextField()
        status = peewee.CharField(max_length=20, default="open", index=True)
        detected_at = peewee.CharField(max_length=40)
        resolved_at = peewee.CharField(max_length=40, null=True)
        resolution = peewee.TextField(default="")

        class Meta:
            table_name = "conflict"

    class RevokedTicket(Base):
        code_digest = peewee.CharField(max_length=32, primary_key=True)
        seat_id = peewee.CharField(max_length=60)
        reason = peewee.CharField(max_length=30)
        event_id = peewee.CharField(max_length=36)

        class Meta:
            table_name = "revoked_ticket"

    return {"TicketView": TicketView, "CheckInRecord": CheckInRecord, "Conflict": Conflict,
            "RevokedTicket": RevokedTicket}
