"""Simulated payment specs: accept, reject, invoice, refund, each idempotent."""
import pytest

from domain_givens import NOW
from shared_domain.errors import DomainError
from shared_domain.payments import (
    CancelThirdPartyProcessorPayment, CompleteThirdPartyProcessorPayment,
    InitiateThirdPartyProcessorPayment, PayByInvoice, PaymentCompleted, PaymentInitiated,
    PaymentRefunded, PaymentRejected, RefundPayment, UnusedPaymentRefunded, decide, fold,
    stream_id,
)

PAY, ORDER, CONF = "p1", "o1", "c1"
INITIATE = InitiateThirdPartyProcessorPayment(PAY, ORDER, CONF, "Order o1", 24900)
INITIATED = PaymentInitiated(PAY, ORDER, CONF, "Order o1", 24900)
COMPLETED = PaymentCompleted(PAY, ORDER, CONF, 24900, "card")


def when(given, command):
    return decide(fold(given), command, now=NOW)


def refusal(given, command) -> str:
    with pytest.raises(DomainError) as refused:
        when(given, command)
    return refused.value.code


def test_payment_streams_are_named_after_the_payment():
    assert stream_id("p1") == "payment-p1"


def test_initiating_a_payment():
    assert when([], INITIATE) == [INITIATED]


def test_initiating_the_same_payment_again_changes_nothing():
    assert when([INITIATED], INITIATE) == []


def test_reusing_a_payment_id_for_something_else_is_refused():
    other = InitiateThirdPartyProcessorPayment(PAY, "o2", CONF, "Order o2", 100)
    assert refusal([INITIATED], other) == "payment_exists"


def test_a_negative_amount_is_refused():
    negative = InitiateThirdPartyProcessorPayment(PAY, ORDER, CONF, "x", -1)
    assert refusal([], negative) == "invalid_amount"


def test_the_processor_accepting_completes_the_payment_once():
    assert when([INITIATED], CompleteThirdPartyProcessorPayment(PAY)) == [COMPLETED]
    assert when([INITIATED, COMPLETED], CompleteThirdPartyProcessorPayment(PAY)) == []


def test_the_processor_refusing_rejects_the_payment_once():
    rejected = PaymentRejected(PAY, ORDER, CONF)
    assert when([INITIATED], CancelThirdPartyProcessorPayment(PAY)) == [rejected]
    assert when([INITIATED, rejected], CancelThirdPartyProcessorPayment(PAY)) == []


def test_a_rejected_payment_cannot_be_completed():
    given = [INITIATED, PaymentRejected(PAY, ORDER, CONF)]
    assert refusal(given, CompleteThirdPartyProcessorPayment(PAY)) == "payment_rejected"


def test_a_completed_payment_cannot_be_rejected():
    assert refusal([INITIATED, COMPLETED], CancelThirdPartyProcessorPayment(PAY)) == "payment_completed"


def test_completing_an_unknown_payment_is_refused():
    assert refusal([], CompleteThirdPartyProcessorPayment(PAY)) == "unknown_payment"


def test_paying_by_invoice_completes_at_once_and_keeps_the_reference():
    command = PayByInvoice(PAY, ORDER, CONF, 24900, "INV-42")
    assert when([], command) == [PaymentInitiated(PAY, ORDER, CONF, "Invoice INV-42", 24900),
                                 PaymentCompleted(PAY, ORDER, CONF, 24900, "invoice")]
    assert when(when([], command), command) == []


def test_an_invoice_needs_a_reference():
    assert refusal([], PayByInvoice(PAY, ORDER, CONF, 24900, " ")) == "invalid_invoice_reference"


def test_a_completed_payment_is_refunded_once():
    refund = RefundPayment(PAY, "duplicate_payment")
    refunded = PaymentRefunded(PAY, ORDER, 24900, "duplicate_payment")
    assert when([INITIATED, COMPLETED], refund) == [refunded]
    assert when([INITIATED, COMPLETED, refunded], refund) == []


def test_an_unused_payment_is_refunded_as_unused_once():
    refund = RefundPayment(PAY, "duplicate_payment", unused=True)
    returned = UnusedPaymentRefunded(PAY, ORDER, 24900, "duplicate_payment")
    assert when([INITIATED, COMPLETED], refund) == [returned]
    assert when([INITIATED, COMPLETED, returned], refund) == []
    assert when([INITIATED, COMPLETED, returned], RefundPayment(PAY, "again")) == []


def test_only_a_completed_payment_is_refunded():
    assert refusal([INITIATED], RefundPayment(PAY, "x")) == "payment_not_completed"
