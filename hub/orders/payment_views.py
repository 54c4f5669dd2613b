"""The payments of each order, so an order's payment status says what its own payments did."""
from __future__ import annotations

import peewee

# What an order reads, strongest first: a refund of the payment it took closes it; a
# payment it did not take and that went back ("returned") counts for nothing.
ORDER_PAYMENT_STATUS = ("refunded", "paid", "rejected")


def order_payment_view(db: peewee.Database):
    """The read table of payments per order, bound to `db`."""
    class OrderPaymentView(peewee.Model):
        payment_id = peewee.CharField(max_length=36, primary_key=True)
        order_id = peewee.CharField(max_length=36, index=True)
        status = peewee.CharField(max_length=20)   # paid | rejected | refunded | returned

        class Meta:
            database = db
            table_name = "rm_order_payment"

    return OrderPaymentView


def order_status_from(statuses) -> str:
    """The order's payment status from the statuses of its payments ("" when none counts)."""
    present = set(statuses)
    return next((s for s in ORDER_PAYMENT_STATUS if s in present), "")
