"""The hub's ledger of node allocations and on-site sales, kept by the OnSiteSales reader."""
from __future__ import annotations

import peewee


def sales_models(Base) -> dict:
    class NodeLedger(Base):
        """Per node, epoch and seat type: granted, moved, returned and sold, as the hub knows."""
        node_id = peewee.CharField(max_length=36)
        epoch = peewee.IntegerField()
        conference_id = peewee.CharField(max_length=36, index=True)
        seat_type = peewee.CharField(max_length=36)
        granted = peewee.IntegerField(default=0)
        handed_in = peewee.IntegerField(default=0)
        handed_out = peewee.IntegerField(default=0)
        returned = peewee.IntegerField(default=0)
        sold = peewee.IntegerField(default=0)

        class Meta:
            table_name = "node_ledger"
            indexes = ((("node_id", "epoch", "seat_type"), True),)

    class SaleRecord(Base):
        sale_id = peewee.CharField(max_length=36, primary_key=True)
        event_id = peewee.CharField(max_length=36)
        conference_id = peewee.CharField(max_length=36, index=True)
        node_id = peewee.CharField(max_length=36)
        epoch = peewee.IntegerField()
        payment_method = peewee.CharField(max_length=20)
        payment_reference = peewee.CharField(max_length=100, index=True)
        total_cents = peewee.IntegerField()
        sold_at = peewee.CharField(max_length=40)
        cancelled = peewee.BooleanField(default=False)

        class Meta:
            table_name = "sale_record"

    class PendingSaleCheck(Base):
        """A sale whose seller relied on facts the hub has not received yet: judged on arrival."""
        sale_id = peewee.CharField(max_length=36, primary_key=True)
        event_id = peewee.CharField(max_length=36)

        class Meta:
            table_name = "pending_sale_check"

    return {"NodeLedger": NodeLedger, "SaleRecord": SaleRecord,
            "PendingSaleCheck": PendingSaleCheck}
