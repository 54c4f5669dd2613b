"""The node's projections of its replica: the conference, seat types, orders, attendees."""
from __future__ import annotations

import json

from shared_domain import checkin, conferences, orders, seat_assignments, staff
from sync_protocol.store import StoredEvent


class NodeViews:
    """One projection for what the kiosk shows; rebuildable from position 0."""

    name = "node_views"

    def __init__(self, models):
        self.m = models
        self.handlers = {
            conferences.ConferenceCreated: self._conference,
            conferences.ConferenceUpdated: self._conference,
            conferences.SeatCreated: self._seat_type,
            conferences.SeatUpdated: self._seat_type,
            conferences.SeatDeleted: self._seat_type_deleted,
            orders.OrderPlaced: self._order_placed,
            orders.OrderConfirmed: self._order_status("confirmed"),
            orders.OrderExpired: self._order_status("expired"),
            seat_assignments.SeatAssignmentsCreated: self._seats_created,
            seat_assignments.SeatAssigned: self._seat_assigned,
            seat_assignments.SeatAssignmentUpdated: self._seat_assigned,
            seat_assignments.SeatUnassigned: self._seat_unassigned,
            staff.StaffPinSet: self._staff_pin_set,
        }
        self.envelope_handlers = {
            checkin.AttendeeCheckedIn: self._checked_in,
            checkin.CheckInUndone: self._check_in_undone,
            checkin.TicketScanned: self._scanned,
            checkin.TicketRevoked: self._revoked,
            checkin.TicketIssued: self._ticket_issued,
            checkin.BadgePrinted: self._badge_printed,
        }

    def apply(self, event: StoredEvent) -> None:
        handler = self.handlers.get(type(event.message))
        if handler is not None:
            handler(event.message)
        handler = self.envelope_handlers.get(type(event.message))
        if handler is not None:
            handler(event.message, event)

    def reset(self) -> None:
        for model in self.m.read_models:
            model.delete().execute()

    def _conference(self, e):
        C = self.m.ConferenceView
        fields = dict(slug=e.slug, name=e.name, location=e.location, start_date=e.start_date,
                      end_date=e.end_date)
        (C.insert(conference_id=e.conference_id, **fields)
         .on_conflict(conflict_target=[C.conference_id], update=fields).execute())

    def _seat_type(self, e):
        S = self.m.SeatTypeView
        fields = dict(name=e.name, price_cents=e.price_cents)
        (S.insert(seat_type_id=e.seat_type_id, **fields)
         .on_conflict(conflict_target=[S.seat_type_id], update=fields).execute())

    def _seat_type_deleted(self, e):
        self.m.SeatTypeView.delete().where(self.m.SeatTypeView.seat_type_id == e.seat_type_id).execute()

    def _order_placed(self, e):
        # Not the access code, nor the registrant: with an e-mail the code opens the order, and
        # a door needs neither to admit, find or sell (a Pi at the venue may be stolen).
        self.m.OrderView.insert(order_id=e.order_id).on_conflict_ignore().execute()

    def _order_status(self, status):
        def handle(e):
            O = self.m.OrderView
            O.update(status=status).where(O.order_id == e.order_id).execute()
        return handle

    def _seats_created(self, e):
        for slot in e.slots:
            self.m.AttendeeView.insert(order_id=e.order_id, position=slot.position,
                                       seat_type=slot.seat_type).on_conflict_ignore().execute()

    def _seat_assigned(self, e):
        A, a = self.m.AttendeeView, e.attendee
        A.update(first_name=a.first_name, last_name=a.last_name, email=a.email.lower(),
                 company=a.company).where((A.order_id == e.order_id)
                                          & (A.position == e.position)).execute()

    def _seat_unassigned(self, e):
        A = self.m.AttendeeView
        A.update(first_name="", last_name="", email="", company="").where(
            (A.order_id == e.order_id) & (A.position == e.position)).execute()

    # --- check-ins ------------------------------------------------------------------

    def _checked_in(self, e, event):
        self.m.CheckInView.insert(
            scan_nonce=e.scan_nonce, position=event.position, seat_id=e.seat_id,
            node_id=e.node_id, scanned_at=e.scanned_at, attendee_name=e.attendee_name,
            code_digest=e.code_digest, previous=e.previous, method=e.method,
            by=e.by).on_conflict_ignore().execute()

    def _check_in_undone(self, e, _):
        C = self.m.CheckInView
        C.update(undone=True).where(C.scan_nonce == e.scan_nonce).execute()

    def _scanned(self, e, _):
        self.m.ScanView.insert(scan_nonce=e.scan_nonce, seat_id=e.seat_id, node_id=e.node_id,
                               scanned_at=e.scanned_at, result=e.result, reason=e.reason,
                               by=e.by).on_conflict_ignore().execute()

    def _revoked(self, e, _):
        self.m.RevokedCode.insert(code_digest=e.code_digest, seat_id=e.seat_id,
                                  reason=e.reason).on_conflict_ignore().execute()
        T = self.m.TicketCodeView
        T.delete().where((T.seat_id == e.seat_id) & (T.code_digest == e.code_digest)).execute()

    def _ticket_issued(self, e, _):
        T = self.m.TicketCodeView
        fields = dict(code=e.code, code_digest=e.code_digest)
        T.insert(seat_id=e.seat_id, **fields).on_conflict(conflict_target=[T.seat_id],
                                                          update=fields).execute()

    def _badge_printed(self, e, _):
        self.m.PrintView.insert(job_id=e.job_id, seat_id=e.seat_id, node_id=e.node_id,
                                printed_at=e.printed_at, reprint=e.reprint,
                                by=e.by).on_conflict_ignore().execute()

    # --- the staff PIN set by the hub admin --------------------------------------------

    def _staff_pin_set(self, e):
        S = self.m.SyncState
        value = json.dumps(e.pin_hash)
        S.insert(key="hub_staff_pin_hash", value=value).on_conflict(
            conflict_target=[S.key], update={S.value: value}).execute()
