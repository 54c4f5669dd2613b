"""Command handlers: load the aggregate, let the domain decide, append its events."""
from __future__ import annotations

import os

from shared_domain import orders, payments, registration_process, seat_assignments
from shared_domain import seats_availability
from shared_domain.conferences import access_code_from, cancellation_deadline_from
from shared_domain.errors import DomainError
from shared_domain.pricing import SeatTypePrice
from event_store.statements import prepared

# Save a SeatsAvailability snapshot every this many events: one conference's
# stream takes an event per reservation.
SNAPSHOT_EVERY = 100


class Handlers:
    """The hub's command handlers, bound to one hub."""

    def __init__(self, hub):
        self.hub = hub
        # The last availability this process decided on, per stream: (version, id of the
        # event at that version, state). The log stays the truth: see _availability.
        self._availability: dict[str, tuple[int, str, object]] = {}

    def table(self) -> dict:
        """Every command the hub handles, and its handler (tests/unit checks none is missing)."""
        o, sa, asg, p = orders, seats_availability, seat_assignments, payments
        return {
            o.RegisterToConference: self.order,
            o.MarkSeatsAsReserved: self.order,
            o.RejectOrder: self.order,
            o.AssignRegistrantDetails: self.order,
            o.ConfirmOrder: self.order,
            # o.ReinstateOrder: hub/promotions/handlers.py (the order's codes come back too)
            o.CancelOrder: self.order,
            o.ResendOrderMails: self.order,
            sa.SetSeatQuantity: self.seats_availability,
            sa.AddSeats: self.seats_availability,
            sa.RemoveSeats: self.seats_availability,
            sa.MakeSeatReservation: self.seats_availability,
            sa.CancelSeatReservation: self.seats_availability,
            sa.CommitSeatReservation: self.seats_availability,
            sa.AllocateSeatsToNode: self.seats_availability,
            sa.TakeBackNodeSeats: self.seats_availability,
            sa.ReleaseOrderSeats: self.seats_availability,
            sa.HoldSeatsForOffer: self.seats_availability,
            sa.SetWaitingDemand: self.seats_availability,
            asg.CreateSeatAssignments: self.seat_assignments,
            asg.AssignSeat: self.seat_assignments,
            asg.UnassignSeat: self.seat_assignments,
            p.InitiateThirdPartyProcessorPayment: self.payment,
            p.CompleteThirdPartyProcessorPayment: self.payment,
            p.CancelThirdPartyProcessorPayment: self.payment,
            p.PayByInvoice: self.payment,
            p.RefundPayment: self.payment,
            registration_process.ExpireRegistrationProcess: self.expire_process,
        }

    # --- aggregates --------------------------------------------------------

    def order(self, command, command_id, correlation):
        context = {"reservation_window": self.hub.config.reservation_window}
        if isinstance(command, orders.RegisterToConference):
            context["access_code"] = access_code_from(os.urandom(16))
        stream = orders.stream_id(command.order_id)
        priced = isinstance(command, orders.PRICED_COMMANDS)
        cancelling = isinstance(command, orders.CancelOrder)
        self._decide_and_append(orders, stream, command, command_id, correlation,
                                context_for=lambda conference: {
                                    **context, **({"prices": self.prices(conference)}
                                                  if priced else {}),
                                    **({"cancellation_deadline": self.cancellation_deadline(
                                        conference)} if cancelling else {})},
                                missing=("order_not_found", "There is no such order."))

    def seats_availability(self, command, command_id, correlation):
        stream = seats_availability.stream_id(command.conference_id)
        version, state = self._availability_of(stream)
        events = seats_availability.decide(state, command, now=self.hub.clock())
        stored = self.hub.publish(stream, events, conference=command.conference_id,
                                  expected_version=version, causation=command_id,
                                  correlation=correlation)
        if stored:
            state = seats_availability.fold(events, state)
            self._availability[stream] = (stored[-1].version, stored[-1].id, state)
            if stored[-1].version // SNAPSHOT_EVERY > version // SNAPSHOT_EVERY:
                self.hub.store.save_snapshot(stream, stored[-1].version,
                                             seats_availability.snapshot(state))

    def _availability_of(self, stream: str):
        """(version, state) of a conference's availability: from the state this process last
        decided on when the log still holds the event it ended at (another process's events
        since are folded on top; a rolled-back append is noticed and forgotten), else from
        the snapshot and the events after it."""
        cached = self._availability.get(stream)
        if cached is not None:
            version, event_id, state = cached
            history = self.hub.store.load(stream, after_version=version - 1)
            if history and history[0].id == event_id:
                later = history[1:]
                return (later[-1].version if later else version,
                        seats_availability.fold([e.message for e in later], state))
            del self._availability[stream]
        snapshot = self.hub.store.load_snapshot(stream)
        version, state = 0, None
        if snapshot is not None:
            version, state = snapshot[0], seats_availability.from_snapshot(snapshot[1])
        history = self.hub.store.load(stream, after_version=version)
        state = seats_availability.fold([e.message for e in history], state)
        return (history[-1].version if history else version), state

    def seat_assignments(self, command, command_id, correlation):
        stream = seat_assignments.stream_id(command.order_id)
        order_stream = self.hub.store.load(orders.stream_id(command.order_id))
        if not order_stream:
            raise DomainError("order_not_found", "There is no such order.")
        cancelled = any(isinstance(e.message, orders.OrderCancelled) for e in order_stream)
        self._decide_and_append(seat_assignments, stream, command, command_id, correlation,
                                conference=order_stream[0].conference,
                                context_for=lambda conference: {"order_cancelled": cancelled})

    def payment(self, command, command_id, correlation):
        stream = payments.stream_id(command.payment_id)
        self._decide_and_append(payments, stream, command, command_id, correlation,
                                missing=("payment_not_found", "There is no such payment."))

    def expire_process(self, command, command_id, correlation):
        self.hub.processes.handle(command, causation_id=command_id)

    # --- shared --------------------------------------------------------------

    def _decide_and_append(self, module, stream, command, command_id, correlation,
                           context_for=lambda conference: {}, conference=None,
                           missing=None):
        """Fold the stream, let the domain decide, append; a stream that does not exist is
        refused with `missing` (code, message), so callers need not load it first."""
        history = self.hub.store.load(stream)
        if history:
            conference = history[0].conference
        elif conference is None:
            conference = getattr(command, "conference_id", None)
        if conference is None:
            raise DomainError(*(missing or ("not_found", f"Nothing is known of {stream}.")))
        state = module.fold([e.message for e in history])
        events = module.decide(state, command, now=self.hub.clock(), **context_for(conference))
        self.hub.publish(stream, events, conference=conference, expected_version=len(history),
                         causation=command_id, correlation=correlation or command_id)

    def cancellation_deadline(self, conference_id: str):
        """Until when the conference lets registrants cancel (None: they may not)."""
        C = self.hub.models.Conference
        row = C.select(C.cancellation_deadline).where(C.id == conference_id).first()
        return cancellation_deadline_from(row.cancellation_deadline if row else "")

    def prices(self, conference_id: str) -> dict[str, SeatTypePrice]:
        table = self.hub.models.SeatType._meta.table_name
        sql = prepared(self.hub.db, "handlers.prices", lambda sql: (
            f"SELECT {sql.q('id')}, {sql.q('name')}, {sql.q('price_cents')} FROM "
            f"{sql.q(table)} WHERE {sql.q('conference_id')} = {sql.p}"))
        return {id_: SeatTypePrice(id_, name, cents)
                for id_, name, cents in self.hub.db.execute_sql(sql, (conference_id,))}
