"""Every event and command class, for the hub to register for serialisation by name."""
from __future__ import annotations

from shared_domain.allocations import ALLOCATION_EVENTS
from shared_domain.checkin import CHECKIN_EVENTS
from shared_domain.conferences import CONFERENCE_EVENTS
from shared_domain.conflicts import CONFLICT_EVENTS
from shared_domain.orders import ORDER_COMMANDS, ORDER_EVENTS
from shared_domain.payments import PAYMENT_COMMANDS, PAYMENT_EVENTS
from shared_domain.promotions import PROMOTION_COMMANDS, PROMOTION_EVENTS
from shared_domain.registration_process import PROCESS_COMMANDS
from shared_domain.sales import SALE_EVENTS
from shared_domain.staff import STAFF_EVENTS
from shared_domain.seat_assignments import ASSIGNMENT_COMMANDS, ASSIGNMENT_EVENTS
from shared_domain.seats_availability import AVAILABILITY_COMMANDS, AVAILABILITY_EVENTS
from shared_domain.waitlists import WAITLIST_COMMANDS, WAITLIST_EVENTS

ALL_EVENTS: tuple[type, ...] = (
    ORDER_EVENTS + AVAILABILITY_EVENTS + ASSIGNMENT_EVENTS + PAYMENT_EVENTS + CONFERENCE_EVENTS
    + CHECKIN_EVENTS + ALLOCATION_EVENTS + SALE_EVENTS + STAFF_EVENTS + CONFLICT_EVENTS
    + PROMOTION_EVENTS + WAITLIST_EVENTS
)
ALL_COMMANDS: tuple[type, ...] = (
    ORDER_COMMANDS + AVAILABILITY_COMMANDS + ASSIGNMENT_COMMANDS + PAYMENT_COMMANDS
    + PROCESS_COMMANDS + PROMOTION_COMMANDS + WAITLIST_COMMANDS
)

# What the hub and every node register, in this order: one registry of messages for both.
ALL_MESSAGES: tuple[type, ...] = ALL_EVENTS + ALL_COMMANDS


def by_name(classes: tuple[type, ...]) -> dict[str, type]:
    """Message classes keyed by class name, the `type` written in the log."""
    return {cls.__name__: cls for cls in classes}
