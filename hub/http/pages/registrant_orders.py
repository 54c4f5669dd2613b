"""The registrant's order after checkout: find it again, see it, name the attendees."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from hub.orders import registrant_fields
from hub.orders import registration
from hub.http.admin_auth import client_address
from hub.http.context import current_hub
from hub.http.pages.csrf import page_blueprint
from hub.http.pages.forms import form_fields, refusal_errors
from hub.http.pages.order_context import form_limits, order_context
from hub.http.pages.order_session import order_pages, remember
from shared_domain.errors import DomainError

bp = order_pages(page_blueprint("my_order", __name__))
bp.context_processor(form_limits)

ATTENDEE_FIELDS = ("first_name", "last_name", "email", "company")


@bp.get("/orders/find")
def find():
    # The confirmation mail's link fills in the registrant's address (never the code).
    email = request.args.get("email", "").strip()[:254]
    return render_template("find_order.html", form={"email": email} if email else {}, errors={})


@bp.post("/orders/find")
def locate():
    form = form_fields(("email", "access_code"))
    errors = {name: "This field is required." for name in ("email", "access_code")
              if not form.get(name)}
    if not errors:
        try:
            order_id = registration.find_order(current_hub(), form["email"], form["access_code"],
                                               client=client_address())
            remember(order_id)
            return redirect(url_for(".order", order_id=order_id))
        except DomainError as refusal:
            errors = refusal_errors(refusal)
    return render_template("find_order.html", form=form, errors=errors), 400


@bp.get("/orders/<order_id>")
def order(order_id: str):
    context = order_context(order_id)
    seats = registration.seats_json(current_hub(), order_id)
    return render_template("order.html", **context, seats=seats)


@bp.get("/orders/<order_id>/seats")
def seats(order_id: str):
    return _seats_page(order_id, position=None, form={}, errors={})


@bp.post("/orders/<order_id>/seats/<int:position>")
def assign_seat(order_id: str, position: int):
    form = form_fields(ATTENDEE_FIELDS)
    errors = registrant_fields.attendee_field_errors(form)
    if not errors:
        try:
            registration.assign_seat(current_hub(), order_id, position, form)
            flash(f"Seat {position + 1} is assigned to {form['email']}.", "success")
            return redirect(url_for(".seats", order_id=order_id) + f"#seat-{position}")
        except DomainError as refusal:
            errors = refusal_errors(refusal, {"invalid_email": "email"})
    return _seats_page(order_id, position, form, errors), 400


def _seats_page(order_id: str, position: int | None, form: dict, errors: dict):
    """Every seat with its attendee form; the one just sent keeps its input and errors."""
    context = order_context(order_id)
    seats = registration.seats_json(current_hub(), order_id)
    return render_template("seats.html", **context, seats=seats, failed_position=position,
                           failed_form=form, errors=errors)
