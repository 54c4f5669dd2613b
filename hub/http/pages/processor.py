"""The simulated third-party payment processor's own page: accept or reject a payment.
No card data is ever asked for."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for

from hub.orders import registration
from hub.http.context import current_hub, wake_worker
from hub.http.errors import status_of
from hub.http.pages.csrf import page_blueprint
from hub.http.pages.order_waiting import confirmed_or_refunded, wait_for_order
from shared_domain.errors import DomainError

bp = page_blueprint("processor", __name__, url_prefix="/processor")


@bp.get("/payments/<payment_id>")
def payment(payment_id: str):
    return render_template("processor.html",
                           payment=registration.payment_json(current_hub(), payment_id))


@bp.post("/payments/<payment_id>/accept")
def accept(payment_id: str):
    order_id = _answered(payment_id, accepted=True)
    if order_id is None:
        return redirect(url_for(".payment", payment_id=payment_id))
    # The order is confirmed a moment later by the pump: wait for it here, so the thank-you
    # page already says so.
    wait_for_order(order_id, confirmed_or_refunded)
    return redirect(url_for("registrant.thank_you", order_id=order_id))


@bp.post("/payments/<payment_id>/reject")
def reject(payment_id: str):
    """Back to checkout: the reservation stays while it lasts."""
    order_id = _answered(payment_id, accepted=False)
    if order_id is None:
        return redirect(url_for(".payment", payment_id=payment_id))
    flash("The payment was rejected. Your seats are still reserved; you can try again.", "error")
    return redirect(url_for("registrant.checkout", order_id=order_id))


def _answered(payment_id: str, *, accepted: bool) -> str | None:
    """Give the hub the processor's answer; the payment's order id, or None when the hub
    refused it (the refusal is flashed)."""
    hub = current_hub()
    try:
        registration.complete_payment(hub, payment_id, accepted=accepted)
    except DomainError as refusal:
        if status_of(refusal) == 404:    # no such payment: the 404 page
            raise
        flash(refusal.message, "error")
        return None
    wake_worker()
    hub.refresh_read_models()
    return registration.payment_json(hub, payment_id)["order_id"]
