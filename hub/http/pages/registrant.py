"""The registrant's way through a published conference: choose seats, name yourself while
the seats are reserved in the background, pay, and get the order's access code."""
from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, url_for

from hub.conferences import management_queries as queries
from hub.orders import registrant_fields
from hub.orders import registration
from hub.http.context import current_hub, wake_worker
from hub.http.pages.csrf import page_blueprint
from hub.http.pages.forms import FORM_ERROR, form_fields, refusal_errors
from hub.http.pages.order_context import expired, form_limits, order_context
from hub.http.pages.order_session import order_pages, remember
from hub.http.pages.order_waiting import reserved_or_refused, wait_for_order
from hub.http.pages import waitlist_pages
from shared_domain.errors import DomainError

bp = order_pages(page_blueprint("registrant", __name__))
bp.context_processor(form_limits)

REGISTRANT_FIELDS = ("first_name", "last_name", "email")
_QUANTITY = re.compile(r"\d{1,6}", re.ASCII)


@bp.get("/")
def home():
    return render_template("home.html", conferences=queries.published_conferences(current_hub()))


@bp.get("/conferences/<slug>")
def conference(slug: str):
    return _conference_page(_published(slug), chosen={}, errors={})


@bp.post("/conferences/<slug>/orders")
def place_order(slug: str):
    """Place the order and move on once the seats are reserved, or after a short wait (the
    details page then follows the reservation); the seats are reserved in the background."""
    shown = _published(slug)
    chosen = {t["id"]: request.form.get(f"seat_{t['id']}", "") for t in shown["seat_types"]
              if f"seat_{t['id']}" in request.form}
    wanted = [{"seat_type": seat_type, "quantity": _quantity(text)}
              for seat_type, text in chosen.items()]
    hub = current_hub()
    joined = waitlist_pages.join_from_order_form(shown)    # sold-out seat types (issue 15)
    if joined.error:
        return _conference_page(shown, chosen, {FORM_ERROR: joined.error}), 400
    if joined.entries and not any(w["quantity"] for w in wanted):
        return waitlist_pages.joined_page(shown, joined)
    try:
        order_id = registration.place_order(hub, slug, wanted)
    except DomainError as refusal:
        return _conference_page(shown, chosen, {FORM_ERROR: refusal.message}), 400
    remember(order_id)
    if joined.entries:
        flash("You are on the wait-list for " + ", ".join(
            f"{e['quantity']} × {e['seat_type_name']}" for e in joined.entries) + ".", "info")
    wake_worker()
    hub.refresh_read_models()  # the next page shows the seats asked for
    # Reserving usually takes a moment: wait for it here, so the details page already
    # says what was reserved and need not ask again.
    wait_for_order(order_id, reserved_or_refused)
    return redirect(url_for(".details", order_id=order_id))


@bp.get("/orders/<order_id>/details")
def details(order_id: str):
    context = order_context(order_id)
    settled = _settled(context)
    if settled is not None:
        return settled
    return render_template("details.html", **context, form=context["order"]["registrant"],
                           errors={})


@bp.post("/orders/<order_id>/details")
def save_details(order_id: str):
    context = order_context(order_id)
    settled = _settled(context)
    if settled is not None:
        return settled
    form = form_fields(REGISTRANT_FIELDS)
    errors = registrant_fields.registrant_field_errors(form)
    if not errors:
        try:
            registration.assign_registrant(current_hub(), order_id, form)
            return redirect(url_for(".checkout", order_id=order_id))
        except DomainError as refusal:
            errors = refusal_errors(refusal, {"invalid_email": "email"})
    return render_template("details.html", **context, form=form, errors=errors), 400


@bp.get("/orders/<order_id>/checkout")
def checkout(order_id: str):
    context = order_context(order_id)
    settled = _settled(context)
    if settled is not None:
        return settled
    if not context["order"].get("registrant", {}).get("email"):
        flash("Please tell us who you are first.", "info")
        return redirect(url_for(".details", order_id=order_id))
    return render_template("checkout.html", **context)


@bp.post("/orders/<order_id>/payment")
def pay(order_id: str):
    """Pay through the simulated processor; a free order is confirmed without payment."""
    hub = current_hub()
    try:
        outcome = registration.start_payment(hub, order_id, "card")
    except DomainError as refusal:
        flash(refusal.message, "error")
        return redirect(url_for(".checkout", order_id=order_id))
    wake_worker()
    if "payment_id" not in outcome:
        hub.refresh_read_models()
        return redirect(url_for(".thank_you", order_id=order_id))
    return redirect(url_for("processor.payment", payment_id=outcome["payment_id"]))


@bp.get("/orders/<order_id>/thank-you")
def thank_you(order_id: str):
    context = order_context(order_id)
    order = context["order"]
    if order["status"] == "cancelled":
        return redirect(url_for("my_order.order", order_id=order_id))
    if order["status"] == "confirmed" or order.get("payment_status") in ("paid", "refunded"):
        return render_template("thank_you.html", **context)
    if expired(order):
        return render_template("expired.html", **context)
    return redirect(url_for(".checkout", order_id=order_id))


def _settled(context: dict):
    """The page to show instead when the order can no longer change, else None."""
    order = context["order"]
    if order["status"] == "cancelled":     # cancelled by its registrant or the organiser
        return redirect(url_for("my_order.order", order_id=order["order_id"]))
    if order["status"] == "confirmed" or order.get("payment_status") == "paid":
        return redirect(url_for(".thank_you", order_id=order["order_id"]))
    if expired(order):
        return render_template("expired.html", **context)
    return None


def _published(slug: str) -> dict:
    shown = queries.published_conference(current_hub(), slug)
    if shown is None:
        abort(404)
    return shown


def _conference_page(shown: dict, chosen: dict, errors: dict):
    return render_template("conference.html", conference=shown, chosen=chosen, errors=errors,
                           max_per_type=registration.MAX_SEATS_PER_TYPE)


def _quantity(text: str):
    """A whole number as typed; anything else goes on as it is for the order to refuse."""
    text = text.strip()
    return int(text) if _QUANTITY.fullmatch(text) else text
