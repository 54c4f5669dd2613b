"""A simulated third-party payment: accepted, rejected, paid by invoice, refunded.

It never sees card data: the processor page is simulated and only says yes or no.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from shared_domain.errors import DomainError

STREAM_PREFIX = "payment-"
CARD, INVOICE = "card", "invoice"
INITIATED, COMPLETED, REJECTED, REFUNDED = "initiated", "completed", "rejected", "refunded"


def stream_id(payment_id: str) -> str:
    """A payment's events live in the stream payment-<payment_id>."""
    return STREAM_PREFIX + payment_id


# --- commands ---------------------------------------------------------------

@dataclass(frozen=True)
class InitiateThirdPartyProcessorPayment:
    payment_id: str
    order_id: str
    conference_id: str
    description: str
    total_cents: int


@dataclass(frozen=True)
class CompleteThirdPartyProcessorPayment:
    payment_id: str


@dataclass(frozen=True)
class CancelThirdPartyProcessorPayment:
    payment_id: str


@dataclass(frozen=True)
class PayByInvoice:
    payment_id: str
    order_id: str
    conference_id: str
    total_cents: int
    invoice_reference: str
    by: str = ""   # who recorded it: "" for the registrant at checkout, else the organiser's side


@dataclass(frozen=True)
class RefundPayment:
    payment_id: str
    reason: str
    # True for a payment the order never took (a duplicate, or one it could not use):
    # its refund gives the money back and leaves the order, and its tickets, as they are.
    unused: bool = False


# --- events -----------------------------------------------------------------

@dataclass(frozen=True)
class PaymentInitiated:
    payment_id: str
    order_id: str
    conference_id: str
    description: str
    total_cents: int


@dataclass(frozen=True)
class PaymentCompleted:
    payment_id: str
    order_id: str
    conference_id: str
    total_cents: int
    method: str  # "card" | "invoice"
    by: str = ""  # who recorded an invoice paid: "owner:<email>" or "admin:<email>"; else ""


@dataclass(frozen=True)
class PaymentRejected:
    payment_id: str
    order_id: str
    conference_id: str


@dataclass(frozen=True)
class PaymentRefunded:
    payment_id: str
    order_id: str
    total_cents: int
    reason: str


@dataclass(frozen=True)
class UnusedPaymentRefunded:
    """A payment the order did not take went back: nothing the order paid for changes."""
    payment_id: str
    order_id: str
    total_cents: int
    reason: str


PAYMENT_EVENTS = (PaymentInitiated, PaymentCompleted, PaymentRejected, PaymentRefunded,
                  UnusedPaymentRefunded)
PAYMENT_COMMANDS = (
    InitiateThirdPartyProcessorPayment, CompleteThirdPartyProcessorPayment,
    CancelThirdPartyProcessorPayment, PayByInvoice, RefundPayment,
)


# --- state ------------------------------------------------------------------

@dataclass(frozen=True)
class PaymentState:
    payment_id: str
    order_id: str
    conference_id: str
    description: str
    total_cents: int
    status: str  # initiated | completed | rejected | refunded
    method: str = CARD


def evolve(state: PaymentState | None, event: object) -> PaymentState:
    """Apply one payment event to the state."""
    if isinstance(event, PaymentInitiated):
        return PaymentState(event.payment_id, event.order_id, event.conference_id,
                            event.description, event.total_cents, INITIATED)
    assert state is not None, f"{type(event).__name__} before PaymentInitiated"
    match event:
        case PaymentCompleted(method=method):
            return replace(state, status=COMPLETED, method=method)
        case PaymentRejected():
            return replace(state, status=REJECTED)
        case PaymentRefunded() | UnusedPaymentRefunded():
            return replace(state, status=REFUNDED)
    raise TypeError(f"not a payment event: {event!r}")


def fold(events: Iterable[object], state: PaymentState | None = None) -> PaymentState | None:
    """Rebuild a payment from its events."""
    for event in events:
        state = evolve(state, event)
    return state


# --- decisions --------------------------------------------------------------

def decide(state: PaymentState | None, command: object, *, now: datetime) -> list[object]:
    """Return the events a payment command causes, or raise DomainError."""
    match command:
        case InitiateThirdPartyProcessorPayment():
            return _initiate(state, command)
        case PayByInvoice():
            return _pay_by_invoice(state, command)
    payment = _existing(state)
    match command:
        case CompleteThirdPartyProcessorPayment():
            return _complete(payment)
        case CancelThirdPartyProcessorPayment():
            return _reject(payment)
        case RefundPayment():
            return _refund(payment, command)
    raise TypeError(f"not a payment command: {command!r}")


def _initiate(state, cmd: InitiateThirdPartyProcessorPayment) -> list[object]:
    """Start a payment once; the same request again changes nothing."""
    _require_amount(cmd.total_cents)
    initiated = PaymentInitiated(cmd.payment_id, cmd.order_id, cmd.conference_id,
                                 cmd.description, cmd.total_cents)
    return _unless_exists(state, initiated, [initiated])


def _pay_by_invoice(state, cmd: PayByInvoice) -> list[object]:
    """An invoice settles the order at once; its reference is kept in the description."""
    _require_amount(cmd.total_cents)
    if not cmd.invoice_reference or not cmd.invoice_reference.strip():
        raise DomainError("invalid_invoice_reference", "An invoice payment needs a reference.")
    initiated = PaymentInitiated(cmd.payment_id, cmd.order_id, cmd.conference_id,
                                 f"Invoice {cmd.invoice_reference.strip()}", cmd.total_cents)
    completed = PaymentCompleted(cmd.payment_id, cmd.order_id, cmd.conference_id,
                                 cmd.total_cents, INVOICE, cmd.by.strip())
    return _unless_exists(state, initiated, [initiated, completed])


def _unless_exists(state, initiated: PaymentInitiated, events: list[object]) -> list[object]:
    if state is None:
        return events
    if _as_initiated(state) == initiated:
        return []  # a redelivered request
    raise DomainError("payment_exists", "Another payment already uses this id.")


def _complete(payment: PaymentState) -> list[object]:
    """The processor accepted: complete once; a rejected payment stays rejected."""
    if payment.status in (COMPLETED, REFUNDED):
        return []
    if payment.status == REJECTED:
        raise DomainError("payment_rejected", "This payment was rejected.")
    return [PaymentCompleted(payment.payment_id, payment.order_id, payment.conference_id,
                             payment.total_cents, CARD)]


def _reject(payment: PaymentState) -> list[object]:
    """The processor refused: reject once; a completed payment can only be refunded."""
    if payment.status == REJECTED:
        return []
    if payment.status != INITIATED:
        raise DomainError("payment_completed", "A completed payment cannot be rejected.")
    return [PaymentRejected(payment.payment_id, payment.order_id, payment.conference_id)]


def _refund(payment: PaymentState, cmd: RefundPayment) -> list[object]:
    """Refund a completed payment, once; an unused one's refund says so."""
    if payment.status == REFUNDED:
        return []
    if payment.status != COMPLETED:
        raise DomainError("payment_not_completed", "Only a completed payment can be refunded.")
    refunded = UnusedPaymentRefunded if cmd.unused else PaymentRefunded
    return [refunded(payment.payment_id, payment.order_id, payment.total_cents, cmd.reason)]


def _as_initiated(state: PaymentState) -> PaymentInitiated:
    return PaymentInitiated(state.payment_id, state.order_id, state.conference_id,
                            state.description, state.total_cents)


def _existing(state: PaymentState | None) -> PaymentState:
    if state is None:
        raise DomainError("unknown_payment", "There is no such payment.")
    return state


def _require_amount(total_cents: int) -> None:
    if isinstance(total_cents, bool) or not isinstance(total_cents, int) or total_cents < 0:
        raise DomainError("invalid_amount", "A payment is a whole, non-negative number of cents.")
