"""The node's tables besides the log: its view of the conference, and its sync state."""
from __future__ import annotations

from types import SimpleNamespace

import peewee


def node_models(db: peewee.Database) -> SimpleNamespace:
    """Return the node's model classes bound to `db`."""

    class Base(peewee.Model):
        class Meta:
            database = db

    class SyncState(Base):
        """Small facts about syncing: the hub feed cursor, what the hub acknowledged, the epoch."""
        key = peewee.CharField(max_length=120, primary_key=True)
        value = peewee.TextField()

        class Meta:
            table_name = "sync_state"

    class ConferenceView(Base):
        conference_id = peewee.CharField(max_length=36, primary_key=True)
        slug = peewee.CharField(max_length=100, default="")
        name = peewee.CharField(max_length=200, default="")
        location = peewee.CharField(max_length=200, default="")
        start_date = peewee.CharField(max_length=10, default="")
        end_date = peewee.CharField(max_length=10, default="")

        class Meta:
            table_name = "rm_conference"

    class SeatTypeView(Base):
        seat_type_id = peewee.CharField(max_length=36, primary_key=True)
        name = peewee.CharField(max_length=70, default="")
        price_cents = peewee.IntegerField(default=0)

        class Meta:
            table_name = "rm_seat_type"

    class OrderView(Base):
        order_id = peewee.CharField(max_length=36, primary_key=True)
        status = peewee.CharField(max_length=30, default="placed")
        access_code = peewee.CharField(max_length=6, default="", index=True)
        registrant_name = peewee.CharField(max_length=200, default="")
        registrant_email = peewee.CharField(max_length=254, default="")

        class Meta:
            table_name = "rm_order"

    class AttendeeView(Base):
        """One row per seat of a confirmed order: who may come in."""
        order_id = peewee.CharField(max_length=36)
        position = peewee.IntegerField()
        seat_type = peewee.CharField(max_length=36)
        first_name = peewee.CharField(max_length=100, default="")
        last_name = peewee.CharField(max_length=100, default="", index=True)
        email = peewee.CharField(max_length=254, default="", index=True)
        company = peewee.CharField(max_length=200, default="")
        # The name, email and company folded (onsite_node/name_search.py): SQLite cannot
        # fold accents, so the projection does it in Python.
        search_text = peewee.TextField(default="")

        class Meta:
            table_name = "rm_attendee"
            indexes = ((("order_id", "position"), True),)

    class CheckInView(Base):
        """Every check-in this replica knows of, from any door; undone ones stay, marked."""
        scan_nonce = peewee.CharField(max_length=64, primary_key=True)
        position = peewee.BigIntegerField(index=True)   # log order: the last one counts
        seat_id = peewee.CharField(max_length=60, index=True)
        node_id = peewee.CharField(max_length=36)
        scanned_at = peewee.CharField(max_length=40)
        attendee_name = peewee.CharField(max_length=200, default="")
        code_digest = peewee.CharField(max_length=32, default="")
        previous = peewee.CharField(max_length=64, default="")
        method = peewee.CharField(max_length=10, default="scan")
        by = peewee.CharField(max_length=100, default="")
        undone = peewee.BooleanField(default=False)

        class Meta:
            table_name = "rm_check_in"

    class ScanView(Base):
        """Every scan, admitted or refused (audit, staff desk history)."""
        scan_nonce = peewee.CharField(max_length=64, primary_key=True)
        seat_id = peewee.CharField(max_length=60, index=True)
        node_id = peewee.CharField(max_length=36)
        scanned_at = peewee.CharField(max_length=40)
        result = peewee.CharField(max_length=10)
        reason = peewee.CharField(max_length=40)
        by = peewee.CharField(max_length=100, default="")

        class Meta:
            table_name = "rm_scan"

    class RevokedCode(Base):
        code_digest = peewee.CharField(max_length=32, primary_key=True)
        seat_id = peewee.CharField(max_length=60)
        reason = peewee.CharField(max_length=30)

        class Meta:
            table_name = "rm_revoked_code"

    class TicketCodeView(Base):
        """The live ticket code of each seat, as the hub issued it (reprints, manual check-ins)."""
        seat_id = peewee.CharField(max_length=60, primary_key=True)
        code = peewee.TextField()
        code_digest = peewee.CharField(max_length=32)

        class Meta:
            table_name = "rm_ticket_code"

    class PrintView(Base):
        """The print log: every badge printed at any door this replica knows of."""
        job_id = peewee.CharField(max_length=64, primary_key=True)
        seat_id = peewee.CharField(max_length=60, index=True)
        node_id = peewee.CharField(max_length=36)
        printed_at = peewee.CharField(max_length=40)
        reprint = peewee.BooleanField(default=False)
        by = peewee.CharField(max_length=100, default="")

        class Meta:
            table_name = "rm_print"

    class DoorView(Base):
        """Each door of the conference by the name the admin gave it (DoorNamed)."""
        node_id = peewee.CharField(max_length=36, primary_key=True)
        name = peewee.CharField(max_length=100)

        class Meta:
            table_name = "rm_door"

    sales = sales_models(Base)
    read_models = [ConferenceView, SeatTypeView, OrderView, AttendeeView, CheckInView, ScanView,
                   RevokedCode, TicketCodeView, PrintView, DoorView, *sales.values()]
    PrintJob = print_job_model(Base)
    return SimpleNamespace(SyncState=SyncState, ConferenceView=ConferenceView,
                           SeatTypeView=SeatTypeView, OrderView=OrderView,
                           AttendeeView=AttendeeView, CheckInView=CheckInView, ScanView=ScanView,
                           RevokedCode=RevokedCode, TicketCodeView=TicketCodeView,
                           PrintView=PrintView, PrintJob=PrintJob, DoorView=DoorView, **sales,
                           read_models=read_models,
                           all=[SyncState, PrintJob, *read_models])


def print_job_model(Base) -> type:
    """The print queue: this node's own jobs, kept until printed (not a projection)."""

    class PrintJob(Base):
        job_id = peewee.CharField(max_length=64, primary_key=True)   # uuid7: queue order
        kind = peewee.CharField(max_length=10, default="badge")     # "badge" | "receipt" | "test"
        seat_id = peewee.CharField(max_length=60, default="", index=True)
        code = peewee.TextField(default="")          # the badge's ticket code; a receipt's sale id
        reprint = peewee.BooleanField(default=False)
        by = peewee.CharField(max_length=100, default="kiosk")
        queued_at = peewee.CharField(max_length=40)
        state = peewee.CharField(max_length=10, default="waiting", index=True)  # | "printed"
        image = peewee.BlobField(null=True)          # the badge PNG, rendered once per job
        attempts = peewee.IntegerField(default=0)
        last_problem = peewee.TextField(default="")  # PrinterUnavailable.reason, for the UI
        printed_at = peewee.CharField(max_length=40, default="")

        class Meta:
            table_name = "print_job"

    return PrintJob


def sales_models(Base) -> dict:
    """The node's tables for allocations and on-site sales (kept by SalesViews)."""

    class LedgerView(Base):
        """Per node, epoch and seat type: seats granted, moved, returned, sold (as known here)."""
        node_id = peewee.CharField(max_length=36)
        epoch = peewee.IntegerField()
        seat_type = peewee.CharField(max_length=36)
        granted = peewee.IntegerField(default=0)
        handed_in = peewee.IntegerField(default=0)
        handed_out = peewee.IntegerField(default=0)
        returned = peewee.IntegerField(default=0)
        sold = peewee.IntegerField(default=0)

        class Meta:
            table_name = "rm_ledger"
            indexes = ((("node_id", "epoch", "seat_type"), True),)

    class SaleView(Base):
        sale_id = peewee.CharField(max_length=36, primary_key=True)
        node_id = peewee.CharField(max_length=36)
        epoch = peewee.IntegerField()
        buyer_name = peewee.CharField(max_length=200)
        buyer_email = peewee.CharField(max_length=254)
        body = peewee.TextField()            # the sale event's data, for receipts
        total_cents = peewee.IntegerField()
        payment_method = peewee.CharField(max_length=20)
        sold_at = peewee.CharField(max_length=40)
        by = peewee.CharField(max_length=100)
        cancelled = peewee.BooleanField(default=False)

        class Meta:
            table_name = "rm_sale"

    class NodeKeyView(Base):
        key_id = peewee.CharField(max_length=60, primary_key=True)
        node_id = peewee.CharField(max_length=36)
        public_key = peewee.CharField(max_length=100)
        epoch = peewee.IntegerField(default=0)

        class Meta:
            table_name = "rm_node_key"

    class AllocationRequestView(Base):
        """Top-ups asked of the hub and reductions the hub asked of a node, and their answers."""
        request_id = peewee.CharField(max_length=36, primary_key=True)
        kind = peewee.CharField(max_length=10)        # "top_up" | "reduce"
        node_id = peewee.CharField(max_length=36)
        epoch = peewee.IntegerField()
        seat_type = peewee.CharField(max_length=36)
        quantity = peewee.IntegerField()
        answered = peewee.BooleanField(default=False)

        class Meta:
            table_name = "rm_allocation_request"

    class OriginKeyView(Base):
        """Each door epoch's public key: a peer's relayed events are checked with it."""
        origin = peewee.CharField(max_length=120, primary_key=True)
        public_key = peewee.CharField(max_length=100)

        class Meta:
            table_name = "rm_origin_key"

    class DoorCodeView(Base):
        """Each promotional code's terms as replicated (onsite_node/door_codes.py)."""
        code = peewee.CharField(max_length=20, primary_key=True)
        terms = peewee.TextField()           # CodeTerms as JSON

        class Meta:
            table_name = "rm_door_code"

    return {"LedgerView": LedgerView, "SaleView": SaleView, "NodeKeyView": NodeKeyView,
            "AllocationRequestView": AllocationRequestView, "OriginKeyView": OriginKeyView,
            "DoorCodeView": DoorCodeView}
