"""The payments of each order, so an order's payment status says what its own payments did."""
from __future__ import annotations

import peewee

# What an order reads, strongest first: a refund of the payment it took closes it; a
# payment it did not take and that went back ("returned") counts for nothing.
ORDER_PAYMENT_STATUS = ("refunded", "paid", "rejected")
DETAIL_COLUMNS = ("total_cents", "method", "description", "recorded_by", "refund_reason",
                  "updated_at")


def order_payment_view(db: peewee.Database):
    """The read table of payments per order, bound to `db`."""
    class OrderPaymentView(peewee.Model):
        payment_id = peewee.CharField(max_length=36, primary_key=True)
        order_id = peewee.CharField(max_length=36, index=True)
        status = peewee.CharField(max_length=20)   # initiated | paid | rejected | refunded | returned
        # What the organiser's order page shows of it (issue 14).
        total_cents = peewee.IntegerField(default=0)
        method = peewee.CharField(max_length=20, default="")   # card | invoice | cash | ...
        description = peewee.CharField(max_length=300, default="")   # "Invoice INV-..."
        recorded_by = peewee.CharField(max_length=300, default="")   # who marked it paid
        refund_reason = peewee.CharField(max_length=60, default="")
        updated_at = peewee.CharField(max_length=40, default="")

        class Meta:
            database = db
            table_name = "rm_order_payment"

    return OrderPaymentView


def order_status_from(statuses) -> str:
    """The order's payment status from the statuses of its payments ("" when none counts)."""
    present = set(statuses)
    return next((s for s in ORDER_PAYMENT_STATUS if s in present), "")
