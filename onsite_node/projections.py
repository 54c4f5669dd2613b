"""The node's projections of its replica: the conference, seat types, orders, attendees."""
from __future__ import annotations

import json

from onsite_node.name_search import search_text
from onsite_node.projector import Immediate
from shared_domain import allocations, checkin, conferences, orders, seat_assignments, staff
from event_store.store import StoredEvent

# The statements, written once: sqlite3 prepares each once per connection. peewee's defaults
# are applied in Python, not by the table, so every column is given.
UPSERT_CONFERENCE = (
    "INSERT INTO rm_conference (conference_id, slug, name, location, start_date, end_date) "
    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (conference_id) DO UPDATE SET slug = excluded.slug, "
    "name = excluded.name, location = excluded.location, start_date = excluded.start_date, "
    "end_date = excluded.end_date")
UPSERT_SEAT_TYPE = (
    "INSERT INTO rm_seat_type (seat_type_id, name, price_cents) VALUES (?, ?, ?) "
    "ON CONFLICT (seat_type_id) DO UPDATE SET name = excluded.name, "
    "price_cents = excluded.price_cents")
DELETE_SEAT_TYPE = "DELETE FROM rm_seat_type WHERE seat_type_id = ?"
INSERT_ORDER = ("INSERT OR IGNORE INTO rm_order (order_id, status, access_code, registrant_name, "
                "registrant_email) VALUES (?, 'placed', '', '', '')")
UPDATE_ORDER_STATUS = "UPDATE rm_order SET status = ? WHERE order_id = ?"
INSERT_SEAT = ("INSERT OR IGNORE INTO rm_attendee (order_id, position, seat_type, first_name, "
               "last_name, email, company, search_text) VALUES (?, ?, ?, '', '', '', '', '')")
UPDATE_ATTENDEE = ("UPDATE rm_attendee SET first_name = ?, last_name = ?, email = ?, company = ?, "
                   "search_text = ? WHERE order_id = ? AND position = ?")
INSERT_CHECK_IN = (
    'INSERT OR IGNORE INTO rm_check_in (scan_nonce, position, seat_id, node_id, scanned_at, '
    'attendee_name, code_digest, previous, method, "by", undone) '
    'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)')
UNDO_CHECK_IN = "UPDATE rm_check_in SET undone = 1 WHERE scan_nonce = ?"
INSERT_SCAN = ('INSERT OR IGNORE INTO rm_scan (scan_nonce, seat_id, node_id, scanned_at, result, '
               'reason, "by") VALUES (?, ?, ?, ?, ?, ?, ?)')
INSERT_REVOKED = ("INSERT OR IGNORE INTO rm_revoked_code (code_digest, seat_id, reason) "
                  "VALUES (?, ?, ?)")
DELETE_TICKET_CODE = "DELETE FROM rm_ticket_code WHERE seat_id = ? AND code_digest = ?"
UPSERT_TICKET_CODE = (
    "INSERT INTO rm_ticket_code (seat_id, code, code_digest) VALUES (?, ?, ?) "
    "ON CONFLICT (seat_id) DO UPDATE SET code = excluded.code, "
    "code_digest = excluded.code_digest")
INSERT_PRINT = ('INSERT OR IGNORE INTO rm_print (job_id, seat_id, node_id, printed_at, reprint, '
                '"by") VALUES (?, ?, ?, ?, ?, ?)')
UPSERT_DOOR = ("INSERT INTO rm_door (node_id, name) VALUES (?, ?) "
               "ON CONFLICT (node_id) DO UPDATE SET name = excluded.name")
UPSERT_STATE = ("INSERT INTO sync_state (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value")


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
            orders.OrderCancelled: self._order_status("cancelled"),
            seat_assignments.SeatAssignmentsCreated: self._seats_created,
            seat_assignments.SeatAssigned: self._seat_assigned,
            seat_assignments.SeatAssignmentUpdated: self._seat_assigned,
            seat_assignments.SeatUnassigned: self._seat_unassigned,
            staff.StaffPinSet: self._staff_pin_set,
            allocations.DoorNamed: self._door_named,
            checkin.AttendeeCheckedIn: self._checked_in,
            checkin.CheckInUndone: self._check_in_undone,
            checkin.TicketScanned: self._scanned,
            checkin.TicketRevoked: self._revoked,
            checkin.TicketIssued: self._ticket_issued,
            checkin.BadgePrinted: self._badge_printed,
        }
        # The type names it acts on: the projector reads and decodes only these.
        self.handles = frozenset(cls.__name__ for cls in self.handlers)

    def apply(self, event: StoredEvent) -> None:
        self.project(event, Immediate(connection_of(self.m)))

    def project(self, event: StoredEvent, w) -> None:
        """Hand the statements of one decoded event to the writer `w` (projector.py)."""
        handler = self.handlers.get(type(event.message))
        if handler is not None:
            handler(event.message, event, w)

    def reset(self) -> None:
        for model in self.m.read_models:
            model.delete().execute()

    def _conference(self, e, _, w):
        w.run("rm_conference", UPSERT_CONFERENCE, (e.conference_id, e.slug, e.name, e.location,
                                                   str(e.start_date), str(e.end_date)))

    def _seat_type(self, e, _, w):
        w.run("rm_seat_type", UPSERT_SEAT_TYPE, (e.seat_type_id, e.name, e.price_cents))

    def _seat_type_deleted(self, e, _, w):
        w.run("rm_seat_type", DELETE_SEAT_TYPE, (e.seat_type_id,))

    def _order_placed(self, e, _, w):
        # Not the access code, nor the registrant: with an e-mail the code opens the order, and
        # a door needs neither to admit, find or sell (a Pi at the venue may be stolen).
        w.run("rm_order", INSERT_ORDER, (e.order_id,))

    def _order_status(self, status):
        def handle(e, _, w):
            w.run("rm_order", UPDATE_ORDER_STATUS, (status, e.order_id))
        return handle

    def _seats_created(self, e, _, w):
        for slot in e.slots:
            w.run("rm_attendee", INSERT_SEAT, (e.order_id, slot.position, slot.seat_type))

    def _seat_assigned(self, e, _, w):
        a = e.attendee
        w.run("rm_attendee", UPDATE_ATTENDEE, (
            a.first_name, a.last_name, a.email.lower(), a.company,
            search_text(a.first_name, a.last_name, a.email, a.company), e.order_id, e.position))

    def _seat_unassigned(self, e, _, w):
        w.run("rm_attendee", UPDATE_ATTENDEE, ("", "", "", "", "", e.order_id, e.position))

    # --- check-ins ------------------------------------------------------------------

    def _checked_in(self, e, event, w):
        w.run("rm_check_in", INSERT_CHECK_IN, (
            e.scan_nonce, event.position, e.seat_id, e.node_id, e.scanned_at, e.attendee_name,
            e.code_digest, e.previous, e.method, e.by))

    def _check_in_undone(self, e, _, w):
        w.run("rm_check_in", UNDO_CHECK_IN, (e.scan_nonce,))

    def _scanned(self, e, _, w):
        w.run("rm_scan", INSERT_SCAN, (e.scan_nonce, e.seat_id, e.node_id, e.scanned_at,
                                       e.result, e.reason, e.by))

    def _revoked(self, e, _, w):
        w.run("rm_revoked_code", INSERT_REVOKED, (e.code_digest, e.seat_id, e.reason))
        w.run("rm_ticket_code", DELETE_TICKET_CODE, (e.seat_id, e.code_digest))

    def _ticket_issued(self, e, _, w):
        w.run("rm_ticket_code", UPSERT_TICKET_CODE, (e.seat_id, e.code, e.code_digest))

    def _badge_printed(self, e, _, w):
        w.run("rm_print", INSERT_PRINT, (e.job_id, e.seat_id, e.node_id, e.printed_at,
                                         int(bool(e.reprint)), e.by))

    def _door_named(self, e, _, w):
        w.run("rm_door", UPSERT_DOOR, (e.node_id, e.name))

    # --- the staff PIN set by the hub admin --------------------------------------------

    def _staff_pin_set(self, e, _, w):
        w.run("sync_state", UPSERT_STATE, ("hub_staff_pin_hash", json.dumps(e.pin_hash)))


def connection_of(models):
    """The calling thread's sqlite3 connection of the database these models are bound to."""
    return models.SyncState._meta.database.connection()
