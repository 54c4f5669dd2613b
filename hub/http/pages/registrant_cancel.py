"""The registrant cancels their own order, until the organiser's deadline: a confirmation
page, then the same service as the API (hub/orders/order_management.py). The order page shows
the way here through `registrant_cancellation` (a block of its own in order.html)."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for

from hub.http.context import current_hub, wake_worker
from hub.http.errors import status_of
from hub.http.pages.csrf import page_blueprint
from hub.http.pages.forms import form_fields, refusal_errors
from hub.http.pages.order_context import order_context
from hub.http.pages.order_session import order_pages
from hub.orders import order_management
from shared_domain.conferences import cancellation_deadline_from
from shared_domain.errors import DomainError

bp = order_pages(page_blueprint("order_cancel", __name__))

# Orders a registrant may still cancel: not already over, and not a door's sale.
CANCELLABLE = ("pending_reservation", "reserved", "partially_reserved", "confirmed")


@bp.app_context_processor
def cancellation_helper():
    return {"registrant_cancellation": registrant_cancellation}


def registrant_cancellation(order: dict, conference) -> dict:
    """What the order page says about cancelling: `open` (until `deadline`), or why not."""
    deadline = cancellation_deadline_from(getattr(conference, "cancellation_deadline", ""))
    status = order.get("status")
    cancellable = status == "confirmed" or (status in CANCELLABLE
                                            and order.get("seconds_left", 1) > 0)
    now = current_hub().clock()
    return {"open": bool(cancellable and deadline and now <= deadline),
            "closed": bool(cancellable and deadline and now > deadline),
            "deadline": deadline,
            "url": url_for("order_cancel.confirm", order_id=order["order_id"])}


@bp.get("/orders/<order_id>/cancel")
def confirm(order_id: str):
    return _confirm_page(order_id, form={}, errors={})


@bp.post("/orders/<order_id>/cancel")
def cancel(order_id: str):
    form = form_fields(("reason",))
    try:
        order_management.cancel_by_registrant(current_hub(), order_id, form.get("reason", ""))
    except DomainError as refusal:
        if status_of(refusal) == 404:
            raise
        return _confirm_page(order_id, form, refusal_errors(refusal)), status_of(refusal)
    wake_worker()
    flash("Your order is cancelled: its seats are released, its tickets no longer admit "
          "anyone, and what you paid is refunded.", "success")
    return redirect(url_for("my_order.order", order_id=order_id))


def _confirm_page(order_id: str, form: dict, errors: dict):
    context = order_context(order_id)
    return render_template("order_cancel.html", **context, form=form, errors=errors,
                           cancelling=registrant_cancellation(context["order"],
                                                              context["conference"]))
