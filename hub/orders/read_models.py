"""Read models: tables shaped for the pages and the API, projected from the log."""
from __future__ import annotations

from hub.orders import order_progress
from hub.venue.onsite_sales import cancelled_by_seller
from hub.orders.payment_views import order_payment_view, order_status_from
from shared_domain import (checkin, conferences, orders, payments, sales, seat_assignments,
                           seats_availability)
from shared_domain.seats import SeatQuantity
from event_store.store import StoredEvent


class ReadModels:
    """One projection for the registration read side; rebuildable from position 0."""

    name = "read_models"

    def __init__(self, hub):
        self.m = hub.models
        # The payments of each order: a table of this read model, created with it.
        self.payments = order_payment_view(hub.db)
        hub.db.create_tables([self.payments], safe=True)
        self.handlers = {
            conferences.SeatCreated: self._seat_type_saved,
            conferences.SeatUpdated: self._seat_type_saved,
            conferences.SeatDeleted: self._seat_type_deleted,
            seats_availability.AvailableSeatsChanged: self._availability_changed,
            seats_availability.SeatsReserved: self._availability_changed,
            seats_availability.SeatsReservationCancelled: self._availability_changed,
            orders.OrderPlaced: self._order_placed,
            orders.OrderUpdated: self._order_updated,
            orders.OrderTotalsCalculated: self._order_priced,
            orders.OrderPartiallyReserved: self._order_reserved,
            orders.OrderReservationCompleted: self._order_reserved,
            orders.OrderReinstated: self._order_reserved,
            orders.OrderExpired: self._order_status("expired"),
            orders.OrderConfirmed: self._order_status("confirmed"),
            orders.OrderRegistrantAssigned: self._registrant_assigned,
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
        V = self.m.SeatTypeView
        changes = getattr(e, "available_seats_changed", None) or getattr(e, "seats", ())
        for change in changes:
            V.update(available=V.available + change.quantity).where(
                V.seat_type_id == change.seat_type).execute()

    # --- orders ----------------------------------------------------------------

    def _order_placed(self, e, event):
        self.m.OrderView.insert(
            order_id=e.order_id, conference_id=e.conference_id, status="pending_reservation",
            access_code=e.access_code, placed_at=event.occurred_at,
            reservation_expiration=e.reservation_auto_expiration.isoformat(),
            version=event.version).on_conflict_ignore().execute()
        self._set_items(e.order_id, e.seats, "requested")

    def _order_updated(self, e, event):
        self._update_order(e.order_id, event, status="pending_reservation")
        self._set_items(e.order_id, e.seats, "requested")

    def _order_priced(self, e, event):
        L = self.m.OrderLineView
        L.delete().where(L.order_id == e.order_id).execute()
        for line in e.lines:
            L.create(order_id=e.order_id, seat_type=line.seat_type, name=line.name,
                     quantity=line.quantity, unit_price_cents=line.unit_price_cents,
                     line_total_cents=line.line_total_cents)
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

    def _payment(self, status):
        """Record what this payment did, then read the order's status from all its payments:
        a payment affects only what it paid for (a refunded duplicate leaves the order paid)."""
        def handle(e, _):
            P, O = self.payments, self.m.OrderView
            (P.insert(payment_id=e.payment_id, order_id=e.order_id, status=status)
             .on_conflict(conflict_target=[P.payment_id], update={P.status: status}).execute())
            statuses = [row.status for row in P.select(P.status).where(P.order_id == e.order_id)]
            O.update(payment_status=order_status_from(statuses)).where(
                O.order_id == e.order_id).execute()
        return handle

    def _update_order(self, order_id, event, **fields):
        O = self.m.OrderView
        O.update(version=event.version, **fields).where(O.order_id == order_id).execute()

    def _set_items(self, order_id, seats, column):
        I = self.m.OrderItemView
        I.update({column: 0}).where(I.order_id == order_id).execute()
        for seat in seats:
            (I.insert(order_id=order_id, seat_type=seat.seat_type, **{column: seat.quantity})
             .on_conflict(conflict_target=[I.order_id, I.seat_type],
                          update={column: seat.quantity}).execute())

    # --- seat assignments -------------------------------------------------------

    def _assignments_created(self, e, event):
        for slot in e.slots:
            self.m.SeatAssignmentView.insert(
                order_id=e.order_id, position=slot.position, seat_type=slot.seat_type,
                conference_id=event.conference).on_conflict_ignore().execute()

    def _seat_assigned(self, e, _):
        S = self.m.SeatAssignmentView
        a = e.attendee
        S.update(first_name=a.first_name, last_name=a.last_name, email=a.email.lower(),
                 company=a.company).where(
            (S.order_id == e.order_id) & (S.position == e.position)).execute()

    def _seat_unassigned(self, e, _):
        S = self.m.SeatAssignmentView
        S.update(first_name="", last_name="", email="", company="").where(
            (S.order_id == e.order_id) & (S.position == e.position)).execute()

    # --- tickets --------------------------------------------------------------------

    def _ticket_issued(self, e, _):
        T = self.m.TicketView
        fields = dict(order_id=e.order_id, position=e.position, code=e.code,
                      code_digest=e.code_digest, attendee_name=e.attendee_name)
        T.insert(seat_id=e.seat_id, **fields).on_conflict(
            conflict_target=[T.seat_id], update=fields).execute()

    def _ticket_revoked(self, e, _):
        T = self.m.TicketView
        T.delete().where((T.seat_id == e.seat_id) & (T.code_digest == e.code_digest)).execute()
