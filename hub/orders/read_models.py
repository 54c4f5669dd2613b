"""Read models: tables shaped for the pages and the API, projected from the log."""
from __future__ import annotations

from hub.orders import order_progress
from hub.venue.onsite_sales import cancelled_by_seller
from hub.orders.payment_views import DETAIL_COLUMNS, order_payment_view, order_status_from
from shared_domain import (checkin, conferences, orders, payments, sales, seat_assignments,
                           seats_availability)
from shared_domain.seats import SeatQuantity
from event_store.database import add_missing_columns
from event_store.statements import Sql
from event_store.store import StoredEvent


class ReadModels:
    """One projection for the registration read side; rebuildable from position 0."""

    name = "read_models"

    def __init__(self, hub):
        self.m = hub.models
        # The payments of each order: a table of this read model, created with it.
        self.payments = order_payment_view(hub.db)
        hub.db.create_tables([self.payments], safe=True)
        add_missing_columns(hub.db, self.payments, list(DETAIL_COLUMNS))   # issue 14's columns
        # The order path's statements, written once (peewee building each one anew was a
        # fifth of the hub's CPU per order); _update_order's by the columns it sets.
        self._sql = sql = Sql(hub.db)
        table = {name: model._meta.table_name for name, model in (
            ("order", self.m.OrderView), ("item", self.m.OrderItemView),
            ("line", self.m.OrderLineView), ("seat", self.m.SeatAssignmentView),
            ("seat_type", self.m.SeatTypeView), ("ticket", self.m.TicketView),
            ("payment", self.payments))}
        q, p = sql.q, sql.p
        self._order_updates: dict[tuple[str, ...], str] = {}
        self._table = table
        self._statements = {
            # Every column: peewee's defaults are its own, not the table's.
            "place": sql.insert(table["order"], (
                "order_id", "conference_id", "status", "access_code", "placed_at",
                "reservation_expiration", "version", "registrant_first_name",
                "registrant_last_name", "registrant_email", "total_cents", "is_free_of_charge",
                "payment_status", "sold_on_site_by", "cancelled_by", "cancelled_role",
                "cancellation_reason", "cancelled_at"), ignore_taken=True),
            "available": (f"UPDATE {q(table['seat_type'])} SET {q('available')} = "
                          f"{q('available')} + {p} WHERE {q('seat_type_id')} = {p}"),
            "clear_lines": f"DELETE FROM {q(table['line'])} WHERE {q('order_id')} = {p}",
            "line": sql.insert(table["line"], ("order_id", "seat_type", "name", "quantity",
                                               "unit_price_cents", "line_total_cents")),
            **{f"payment_{kind}": sql.upsert(
                table["payment"], ("payment_id", "order_id", "status", *DETAIL_COLUMNS),
                ("payment_id",), update) for kind, update in (
                    ("initiated", ("total_cents", "description")),
                    ("paid", ("status", "total_cents", "method", "recorded_by", "updated_at")),
                    ("rejected", ("status", "updated_at")),
                    ("refunded", ("status", "refund_reason", "updated_at")))},
            "payments_of": (f"SELECT {q('status')} FROM {q(table['payment'])} "
                            f"WHERE {q('order_id')} = {p}"),
            "assignment": sql.insert(table["seat"], (
                "order_id", "position", "seat_type", "conference_id", "first_name",
                "last_name", "email", "company"), ignore_taken=True),
            "attendee": sql.update(table["seat"], ("first_name", "last_name", "email",
                                                   "company"), ("order_id", "position")),
            "ticket": sql.upsert(table["ticket"], (
                "seat_id", "order_id", "position", "code", "code_digest", "attendee_name"),
                ("seat_id",), ("order_id", "position", "code", "code_digest", "attendee_name")),
            "revoke": (f"DELETE FROM {q(table['ticket'])} WHERE {q('seat_id')} = {p} "
                       f"AND {q('code_digest')} = {p}"),
        }
        for column in ("requested", "reserved"):
            self._statements[f"clear_{column}"] = sql.update(table["item"], (column,),
                                                             ("order_id",))
            self._statements[f"item_{column}"] = sql.upsert(
                table["item"], ("order_id", "seat_type", "requested", "reserved"),
                ("order_id", "seat_type"), (column,))
        self.handlers = {
            conferences.SeatCreated: self._seat_type_saved,
            conferences.SeatUpdated: self._seat_type_saved,
            conferences.SeatDeleted: self._seat_type_deleted,
            seats_availability.AvailableSeatsChanged: self._availability_changed,
            seats_availability.SeatsReserved: self._availability_changed,
            seats_availability.SeatsReservationCancelled: self._availability_changed,
            seats_availability.OrderSeatsReleased: self._availability_changed,
            # the seats a wait-list waits for are not on sale to the public (issue 15)
            seats_availability.WaitingDemandChanged: self._availability_changed,
            orders.OrderPlaced: self._order_placed,
            orders.OrderUpdated: self._order_updated,
            orders.OrderTotalsCalculated: self._order_priced,
            orders.OrderPartiallyReserved: self._order_reserved,
            orders.OrderReservationCompleted: self._order_reserved,
            orders.OrderReinstated: self._order_reserved,
            orders.OrderExpired: self._order_status("expired"),
            orders.OrderConfirmed: self._order_status("confirmed"),
            orders.OrderRegistrantAssigned: self._registrant_assigned,
            orders.OrderCancelled: self._order_cancelled,
            payments.PaymentInitiated: self._payment_initiated,
            payments.PaymentCompleted: self._payment("paid"),
            payments.PaymentRejected: self._payment("rejected"),
            payments.PaymentRefunded: self._payment("refunded"),
            payments.UnusedPaymentRefunded: self._payment("returned"),
            seat_assignments.SeatAssignmentsCreated: self._assignments_created,
            seat_assignments.SeatAssigned: self._seat_assigned,
            seat_assignments.SeatAssignmentUpdated: self._seat_assigned,
            seat_assignments.SeatUnassigned: self._seat_unassigned,
            seats_availability.SeatsAllocatedToNode: self._allocation_moved(-1),
            seats_availability.NodeSeatsReturned: self._allocation_moved(+1),
            sales.OnSiteOrderRecorded: self._onsite_order,
            sales.OnSiteSaleCancelled: self._onsite_sale_cancelled,
            checkin.TicketIssued: self._ticket_issued,
            checkin.TicketRevoked: self._ticket_revoked,
        }
        self.handles = tuple(self.handlers)

    def apply(self, event: StoredEvent) -> None:
        handler = self.handlers.get(type(event.message))
        if handler is not None:
            handler(event.message, event)
            order_id = getattr(event.message, "order_id", None)
            if order_id:   # a registrant may be waiting on it (GET /api/orders/<id>?wait=)
                order_progress.BELLS.ring(order_id)

    def reset(self) -> None:
        for model in [*self.m.read_models, self.payments]:
            model.delete().execute()

    # --- seat types ----------------------------------------------------------

    def _seat_type_saved(self, e, _):
        V = self.m.SeatTypeView
        fields = dict(conference_id=e.conference_id, name=e.name, description=e.description,
                      price_cents=e.price_cents, quantity=e.quantity)
        (V.insert(seat_type_id=e.seat_type_id, available=0, **fields)
         .on_conflict(conflict_target=[V.seat_type_id], update=fields).execute())

    def _seat_type_deleted(self, e, _):
        self.m.SeatTypeView.delete().where(self.m.SeatTypeView.seat_type_id == e.seat_type_id).execute()

    def _availability_changed(self, e, _):
        changes = getattr(e, "available_seats_changed", None) or getattr(e, "seats", ())
        self._sql.run_many(self._statements["available"],
                           [(change.quantity, change.seat_type) for change in changes])

    # --- orders ----------------------------------------------------------------

    def _order_placed(self, e, event):
        self._sql.run(self._statements["place"], (
            e.order_id, e.conference_id, "pending_reservation", e.access_code,
            event.occurred_at, e.reservation_auto_expiration.isoformat(), event.version,
            "", "", "", 0, False, "", "", "", "", "", ""))
        self._set_items(e.order_id, e.seats, "requested")

    def _order_updated(self, e, event):
        self._update_order(e.order_id, event, status="pending_reservation")
        self._set_items(e.order_id, e.seats, "requested")

    def _order_priced(self, e, event):
        self._sql.run(self._statements["clear_lines"], (e.order_id,))
        self._sql.run_many(self._statements["line"], [
            (e.order_id, line.seat_type, line.name, line.quantity, line.unit_price_cents,
             line.line_total_cents) for line in e.lines])
        self._update_order(e.order_id, event, total_cents=e.total_cents,
                           is_free_of_charge=e.total_cents == 0)

    def _order_reserved(self, e, event):
        status = ("partially_reserved" if isinstance(e, orders.OrderPartiallyReserved)
                  else "reserved")
        self._update_order(e.order_id, event, status=status,
                           reservation_expiration=e.reservation_expiration.isoformat())
        self._set_items(e.order_id, e.seats, "reserved")

    def _order_status(self, status):
        def handle(e, event):
            self._update_order(e.order_id, event, status=status)
        return handle

    def _registrant_assigned(self, e, event):
        self._update_order(e.order_id, event, registrant_first_name=e.first_name,
                           registrant_last_name=e.last_name, registrant_email=e.email.lower())

    def _order_cancelled(self, e, event):
        self._update_order(e.order_id, event, status="cancelled", cancelled_by=e.by,
                           cancelled_role=e.role, cancellation_reason=e.reason,
                           cancelled_at=event.occurred_at)

    def _allocation_moved(self, sign):
        def handle(e, _):
            V = self.m.SeatTypeView
            V.update(available=V.available + sign * e.quantity).where(
                V.seat_type_id == e.seat_type).execute()
        return handle

    def _onsite_order(self, e, event):
        N = self.m.Node
        node = N.get_or_none(N.id == e.node_id)
        self.m.OrderView.insert(
            order_id=e.order_id, conference_id=e.conference_id, status="confirmed",
            placed_at=e.sold_at, total_cents=e.total_cents,
            is_free_of_charge=e.total_cents == 0, registrant_first_name=e.buyer.first_name,
            registrant_last_name=e.buyer.last_name, registrant_email=e.buyer.email.lower(),
            sold_on_site_by=node.name if node else e.node_id,
            version=event.version).on_conflict_ignore().execute()
        seats = [SeatQuantity(line.seat_type, line.quantity) for line in e.lines]
        self._set_items(e.order_id, seats, "requested")
        self._set_items(e.order_id, seats, "reserved")
        self._order_priced(e, event)

    def _onsite_sale_cancelled(self, e, event):
        if not cancelled_by_seller(self.m, e, event):
            return
        O = self.m.OrderView
        O.update(status="cancelled").where(O.order_id == e.sale_id).execute()

    def _payment_initiated(self, e, event):
        self._sql.run(self._statements["payment_initiated"], (
            e.payment_id, e.order_id, "initiated", e.total_cents, "", e.description[:300], "",
            "", event.occurred_at))

    def _payment(self, status):
        """Record what this payment did, then read the order's status from all its payments:
        a payment affects only what it paid for (a refunded duplicate leaves the order paid)."""
        kind = "refunded" if status == "returned" else status

        def handle(e, event):
            self._sql.run(self._statements[f"payment_{kind}"], (
                e.payment_id, e.order_id, status, getattr(e, "total_cents", 0),
                getattr(e, "method", ""), "", getattr(e, "by", ""),
                getattr(e, "reason", "")[:60], event.occurred_at))
            statuses = [s for s, in self._sql.run(self._statements["payments_of"],
                                                  (e.order_id,)).fetchall()]
            self._update_order(e.order_id, None, payment_status=order_status_from(statuses))
        return handle

    def _update_order(self, order_id, event, **fields):
        """Set these columns of the order's row (and its version, after an order event)."""
        if event is not None:
            fields["version"] = event.version
        columns = tuple(fields)
        sql = self._order_updates.get(columns)
        if sql is None:
            sql = self._order_updates[columns] = self._sql.update(
                self._table["order"], columns, ("order_id",))
        self._sql.run(sql, (*fields.values(), order_id))

    def _set_items(self, order_id, seats, column):
        self._sql.run(self._statements[f"clear_{column}"], (0, order_id))
        self._sql.run_many(self._statements[f"item_{column}"], [
            (order_id, seat.seat_type, *((seat.quantity, 0) if column == "requested"
                                         else (0, seat.quantity))) for seat in seats])

    # --- seat assignments -------------------------------------------------------

    def _assignments_created(self, e, event):
        self._sql.run_many(self._statements["assignment"], [
            (e.order_id, slot.position, slot.seat_type, event.conference, "", "", "", "")
            for slot in e.slots])

    def _seat_assigned(self, e, _):
        a = e.attendee
        self._sql.run(self._statements["attendee"], (a.first_name, a.last_name, a.email.lower(),
                                                     a.company, e.order_id, e.position))

    def _seat_unassigned(self, e, _):
        self._sql.run(self._statements["attendee"], ("", "", "", "", e.order_id, e.position))

    # --- tickets --------------------------------------------------------------------

    def _ticket_issued(self, e, _):
        self._sql.run(self._statements["ticket"], (e.seat_id, e.order_id, e.position, e.code,
                                                   e.code_digest, e.attendee_name))

    def _ticket_revoked(self, e, _):
        self._sql.run(self._statements["revoke"], (e.seat_id, e.code_digest))
