"""The hub's own tables (besides the log): conference management (CRUD), the
durable command queue, process manager state, and the read models."""
from __future__ import annotations

from types import SimpleNamespace

import peewee

from hub.accounts.admin_models import admin_models
from hub.mail.models import mail_models
from hub.venue.checkin_models import checkin_models
from hub.venue.node_models import node_models
from hub.orders.order_access_models import order_access_models
from hub.venue.sales_models import sales_models


def hub_models(db: peewee.Database) -> SimpleNamespace:
    """Return the hub's model classes bound to `db`."""

    class Base(peewee.Model):
        class Meta:
            database = db

    # --- conference management (CRUD; publishes integration events) --------
    class Conference(Base):
        id = peewee.CharField(max_length=36, primary_key=True)
        slug = peewee.CharField(max_length=100, unique=True)
        name = peewee.CharField(max_length=200)
        description = peewee.TextField(default="")
        location = peewee.CharField(max_length=200, default="")
        tagline = peewee.CharField(max_length=200, default="")
        twitter_search = peewee.CharField(max_length=200, default="")
        start_date = peewee.CharField(max_length=10)
        end_date = peewee.CharField(max_length=10)
        owner_name = peewee.CharField(max_length=200)
        owner_email = peewee.CharField(max_length=254, index=True)
        access_code = peewee.CharField(max_length=6)
        is_published = peewee.BooleanField(default=False)
        was_ever_published = peewee.BooleanField(default=False)
        # Until when registrants may cancel their own orders, ISO 8601 in UTC; "": never.
        cancellation_deadline = peewee.CharField(max_length=40, default="")

        class Meta:
            table_name = "conference"

    class SeatType(Base):
        id = peewee.CharField(max_length=36, primary_key=True)
        conference = peewee.ForeignKeyField(Conference, backref="seat_types", on_delete="CASCADE")
        name = peewee.CharField(max_length=70)
        description = peewee.CharField(max_length=250, default="")
        quantity = peewee.IntegerField()
        price_cents = peewee.IntegerField()

        class Meta:
            table_name = "seat_type"

    # --- messaging -----------------------------------------------------------
    class QueuedCommand(Base):
        """The outbox and command queue: a command is stored before it is handled,
        in the same transaction as whatever decided to send it."""
        id = peewee.CharField(max_length=36, primary_key=True)
        type = peewee.CharField(max_length=120)
        body = peewee.TextField()
        deliver_at = peewee.CharField(max_length=40, index=True)
        status = peewee.CharField(max_length=10, default="pending", index=True)
        attempts = peewee.IntegerField(default=0)
        error = peewee.TextField(default="")   # a refusal's message, or what broke
        refusal_code = peewee.CharField(max_length=80, default="")
        correlation = peewee.CharField(max_length=120, null=True, index=True)
        created_at = peewee.CharField(max_length=40)
        handled_at = peewee.CharField(max_length=40, null=True)

        class Meta:
            table_name = "queued_command"

    class ProcessState(Base):
        """RegistrationProcess state, saved with the commands it sends."""
        id = peewee.CharField(max_length=36, primary_key=True)
        state = peewee.CharField(max_length=40)
        data = peewee.TextField()
        version = peewee.IntegerField(default=1)

        class Meta:
            table_name = "registration_process"

    # --- read models (projections of the log; rebuildable) ------------------
    class SeatTypeView(Base):
        """Published seat types with what is left to buy."""
        seat_type_id = peewee.CharField(max_length=36, primary_key=True)
        conference_id = peewee.CharField(max_length=36, index=True)
        name = peewee.CharField(max_length=70)
        description = peewee.CharField(max_length=250, default="")
        price_cents = peewee.IntegerField(default=0)
        quantity = peewee.IntegerField(default=0)
        available = peewee.IntegerField(default=0)

        class Meta:
            table_name = "rm_seat_type"

    class OrderView(Base):
        """The draft and priced order, as the registrant sees it."""
        order_id = peewee.CharField(max_length=36, primary_key=True)
        conference_id = peewee.CharField(max_length=36, index=True)
        status = peewee.CharField(max_length=30)
        access_code = peewee.CharField(max_length=6, default="")
        reservation_expiration = peewee.CharField(max_length=40, null=True)
        registrant_first_name = peewee.CharField(max_length=100, default="")
        registrant_last_name = peewee.CharField(max_length=100, default="")
        registrant_email = peewee.CharField(max_length=200, default="", index=True)
        total_cents = peewee.IntegerField(default=0)
        is_free_of_charge = peewee.BooleanField(default=False)
        placed_at = peewee.CharField(max_length=40, default="")
        payment_status = peewee.CharField(max_length=20, default="")
        sold_on_site_by = peewee.CharField(max_length=100, default="")   # the node's name
        version = peewee.IntegerField(default=0)
        # Set when the order is cancelled: by whom ("owner:<email>", "admin:<email>",
        # "registrant:<email>"), which side ("organiser" | "registrant"), why, and when.
        cancelled_by = peewee.CharField(max_length=300, default="")
        cancelled_role = peewee.CharField(max_length=20, default="")
        cancellation_reason = peewee.TextField(default="")
        cancelled_at = peewee.CharField(max_length=40, default="")

        class Meta:
            table_name = "rm_order"

    class OrderItemView(Base):
        order_id = peewee.CharField(max_length=36, index=True)
        seat_type = peewee.CharField(max_length=36)
        requested = peewee.IntegerField(default=0)
        reserved = peewee.IntegerField(default=0)

        class Meta:
            table_name = "rm_order_item"
            indexes = ((("order_id", "seat_type"), True),)

    class OrderLineView(Base):
        order_id = peewee.CharField(max_length=36, index=True)
        seat_type = peewee.CharField(max_length=36)
        name = peewee.CharField(max_length=70)
        quantity = peewee.IntegerField()
        unit_price_cents = peewee.IntegerField()
        line_total_cents = peewee.IntegerField()

        class Meta:
            table_name = "rm_order_line"

    class SeatAssignmentView(Base):
        """One row per seat of a confirmed order: the attendee list."""
        order_id = peewee.CharField(max_length=36)
        position = peewee.IntegerField()
        conference_id = peewee.CharField(max_length=36, index=True)
        seat_type = peewee.CharField(max_length=36)
        first_name = peewee.CharField(max_length=100, default="")
        last_name = peewee.CharField(max_length=100, default="")
        email = peewee.CharField(max_length=200, default="")
        company = peewee.CharField(max_length=200, default="")

        class Meta:
            table_name = "rm_seat_assignment"
            indexes = ((("order_id", "position"), True),)

    read_models = [SeatTypeView, OrderView, OrderItemView, OrderLineView, SeatAssignmentView]
    nodes = node_models(Base)
    checkins = checkin_models(Base)
    admins = admin_models(Base)
    sales = sales_models(Base)
    order_access = order_access_models(Base)
    mail = mail_models(Base)
    read_models.append(checkins["TicketView"])
    return SimpleNamespace(
        **nodes, **checkins, **sales, **admins, **order_access, **mail,
        Conference=Conference, SeatType=SeatType, QueuedCommand=QueuedCommand,
        ProcessState=ProcessState, SeatTypeView=SeatTypeView, OrderView=OrderView,
        OrderItemView=OrderItemView, OrderLineView=OrderLineView,
        SeatAssignmentView=SeatAssignmentView, read_models=read_models,
        all=[Conference, SeatType, QueuedCommand, ProcessState, *read_models, *nodes.values(),
             checkins["CheckInRecord"], checkins["Conflict"], checkins["RevokedTicket"],
             *sales.values(), *admins.values(), *order_access.values(), *mail.values()])
