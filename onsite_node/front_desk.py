"""The node as its kiosk UI sees it (kiosk_ui.ports.NodeForKiosk): check-in, badges, the
planner's sales (onsite_node.sales_counter), status."""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import asdict

from kiosk_ui.ports import Attendee, Buyer, Decision, Door, History, Quote, Sale, SeatOffer
from onsite_node import settings
from onsite_node.badges import BadgeMaker, png_bytes
from onsite_node.checkin import CheckInDesk, ScanOutcome
from onsite_node.printing import PrintQueue
from onsite_node.sales_counter import SalesCounter
from shared_domain.errors import DomainError

log = logging.getLogger(__name__)
CAMERA_DECISION_SHOWN_S = 15.0   # a kiosk that polls later than this does not show it


class FrontDesk:
    """Check-in with badges for the kiosk and the staff desk, and the camera's last decision."""

    def __init__(self, desk: CheckInDesk, prints: PrintQueue, badges: BadgeMaker, *,
                 status: Callable[[], dict], counter: SalesCounter,
                 staff_pin_hash: str | None = None, tick: Callable[[], float] = time.monotonic):
        self.desk = desk
        self.counter = counter
        self.replica = desk.replica
        self.prints = prints
        self.badges = badges
        self._status = status
        self.staff_pin_hash = staff_pin_hash
        self.tick = tick
        self._camera = (0, None, 0.0)       # (number, decision, when)
        self._camera_lock = threading.Lock()

    def conference_name(self) -> str:
        return self.badges.conference_name()

    # --- the door ---------------------------------------------------------------------

    def scan(self, code: str, *, by: str = "kiosk") -> Decision:
        """Decide and record a scan; an admitted one queues its badge in the same transaction."""
        outcome, job_id = self.scan_outcome(code, by=by)
        return self._decision(outcome, job_id)

    def scan_outcome(self, code: str, *, by: str) -> tuple[ScanOutcome, str]:
        with self.replica.db.atomic():
            outcome = self.desk.scan(code, by=by)
            job_id = (self.prints.add_badge(outcome.seat_id, code.strip().upper(), by=by)
                      if outcome.admitted and not self.badge_elsewhere(outcome.seat_id) else "")
        self._prepare(job_id)
        return outcome, job_id

    def badge_elsewhere(self, seat_id: str) -> bool:
        """Whether this seat's holder has a badge from another of their seats (one person,
        one badge: it lists every seat type they hold; staff may reprint it)."""
        others = [seat for seat in self.badges.seats_of_person(seat_id) if seat != seat_id]
        return self.prints.badge_exists(others)

    def camera_scan(self, code: str) -> None:
        """The camera worker's receiver: decide, and keep the decision for the kiosk to show."""
        decision = self.scan(code, by="camera")
        with self._camera_lock:
            self._camera = (self._camera[0] + 1, decision, self.tick())

    def camera_decision(self, after: int) -> tuple[int, Decision | None]:
        number, decision, when = self._camera
        fresh = number > after and self.tick() - when <= CAMERA_DECISION_SHOWN_S
        return number, decision if fresh else None

    def badge_of_job(self, job_id: str) -> bytes | None:
        return self.prints.image(job_id)

    def _decision(self, outcome: ScanOutcome, job_id: str) -> Decision:
        printer = self.prints.state()
        return Decision(admitted=outcome.admitted, reason=outcome.reason,
                        attendee_name=outcome.attendee_name, earlier_at=outcome.earlier_at,
                        earlier_door=outcome.earlier_door, badge_job=job_id,
                        printer_ready=printer.ready, printer_reason=printer.reason,
                        badge_held=outcome.admitted and not job_id
                        and self.badge_elsewhere(outcome.seat_id))

    def _prepare(self, job_id: str) -> None:
        """Render the badge now (the preview) and wake the printer; both after the commit."""
        if not job_id:
            return
        try:
            self.prints.image(job_id)
        except Exception:    # the worker renders it again; the check-in stands
            log.exception("badge of job %s could not be rendered", job_id)
        self.prints.nudge()

    # --- the staff desk ---------------------------------------------------------------

    def search(self, text: str) -> list[Attendee]:
        return [self._attendee(found) for found in self.desk.search(text)] if text.strip() else []

    def attendee(self, seat_id: str) -> Attendee | None:
        A = self.replica.models.AttendeeView
        order_id, _, position = seat_id.rpartition(":")
        if not position.isdigit():
            return None
        row = A.get_or_none((A.order_id == order_id) & (A.position == int(position)))
        return self._attendee(self.desk.attendee(row)) if row and row.email else None

    def _attendee(self, found: dict) -> Attendee:
        m = self.replica.models
        seat_type = m.SeatTypeView.get_or_none(m.SeatTypeView.seat_type_id == found["seat_type"])
        # Never the order's access code: with the e-mail beside it, it opens the order.
        return Attendee(**{**found, "seat_type": seat_type.name if seat_type else found["seat_type"],
                           "badge_held": self.badge_elsewhere(found["seat_id"])})

    def history(self, seat_id: str) -> History:
        P = self.replica.models.PrintView
        prints = P.select().where(P.seat_id == seat_id).order_by(P.printed_at)
        return History(**self.desk.history(seat_id),
                       prints=[{"at": p.printed_at, "door": self.desk.door_name(p.node_id),
                                "reprint": p.reprint, "by": p.by} for p in prints],
                       waiting=self.prints.history(seat_id))

    def check_in(self, seat_id: str, *, by: str) -> str:
        with self.replica.db.atomic():
            self.desk.check_in_manually(seat_id, by=by)
            code = "" if self.badge_elsewhere(seat_id) else self._known_code(seat_id)
            job_id = self.prints.add_badge(seat_id, code, by=by) if code else ""
        self._prepare(job_id)
        return job_id

    def _known_code(self, seat_id: str) -> str:
        try:
            return self.badges.code_for(seat_id)
        except DomainError:
            return ""

    def undo(self, seat_id: str, *, by: str) -> None:
        self.desk.undo(seat_id, by=by)

    def reprint(self, seat_id: str, *, by: str) -> str:
        job_id = self.prints.add_badge(seat_id, self.badges.code_for(seat_id), by=by, reprint=True)
        self._prepare(job_id)
        return job_id

    def badge_preview(self, seat_id: str) -> bytes:
        return png_bytes(self.badges.seat_badge(self.badges.code_for(seat_id)))

    # --- the planner's sales ------------------------------------------------------------

    def sale_offer(self) -> list[SeatOffer]:
        return self.counter.offer()

    def quote(self, wanted: dict[str, int], codes: tuple[str, ...] = (), *,
              by: str = "") -> Quote:
        return self.counter.quote(wanted, codes, by=by)

    def buyer_of_code(self, code: str) -> Buyer:
        return self.counter.buyer_of_code(code)

    def buyer_of_seat(self, seat_id: str) -> Buyer | None:
        return self.counter.buyer_of_seat(seat_id)

    def sell(self, buyer: Buyer, wanted: dict[str, int], *, payment_method: str,
             payment_reference: str, by: str, codes: tuple[str, ...] = ()) -> str:
        return self.counter.sell(buyer, wanted, payment_method=payment_method,
                                 payment_reference=payment_reference, by=by, codes=codes)

    def sale(self, sale_id: str) -> Sale | None:
        return self.counter.sale(sale_id)

    def sales(self) -> list[Sale]:
        return self.counter.sales()

    def cancel_sale(self, sale_id: str, *, refund_method: str, by: str) -> None:
        self.counter.cancel_sale(sale_id, refund_method=refund_method, by=by)

    def print_receipt(self, sale_id: str, *, by: str) -> str:
        return self.counter.print_receipt(sale_id, by=by)

    def doors(self) -> list[Door]:
        return self.counter.doors()

    def hand_over(self, to_node_id: str, seat_type: str, quantity: int, *, by: str) -> None:
        self.counter.hand_over(to_node_id, seat_type, quantity, by=by)

    def give_back(self, seat_type: str, quantity: int, *, by: str) -> None:
        self.counter.give_back(seat_type, quantity, by=by)

    # --- the node ---------------------------------------------------------------------

    def print_test_badge(self, *, by: str) -> str:
        job_id = self.prints.add_test(by=by)
        self._prepare(job_id)
        return job_id

    def retry_printing(self) -> None:
        self.prints.retry_now()

    def kiosk_sound(self) -> bool:
        return self.replica.get_state("kiosk_sound", {"on": True})["on"]

    def set_kiosk_sound(self, on: bool, *, by: str) -> None:
        """Kept in this node's own state (not a fact of the conference: no other door cares)."""
        self.replica.set_state("kiosk_sound", {"on": bool(on), "by": by,
                                               "at": self.replica.clock().isoformat()})
        log.info("kiosk sound turned %s by %s", "on" if on else "off", by)

    def status(self) -> dict:
        """The node's status, the printer asked directly when the queue is idle."""
        status = self._status()
        if not status.get("revoked"):
            status["printer"] = asdict(self.prints.check_printer())
        return status

    def _pin_hash(self) -> str | None:
        """The node's own PIN if one was set here, else the conference's, set by the hub admin."""
        return self.staff_pin_hash or self.desk.replica.get_state("hub_staff_pin_hash")

    def staff_pin_is_set(self) -> bool:
        return bool(self._pin_hash())

    def check_staff_pin(self, pin: str) -> bool:
        return settings.pin_matches(self._pin_hash(), pin)
