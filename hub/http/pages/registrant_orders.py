"""The registrant's order after checkout: find it again, see it and its tickets, name the
attendees of every seat in one form."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from hub.orders import attendee_form, registration, ticket_documents, tickets_progress
from hub.http.admin_auth import client_address
from hub.http.context import current_hub, wake_worker
from hub.http.pages.csrf import page_blueprint
from hub.http.pages.forms import form_fields, refusal_errors
from hub.http.pages.order_context import form_limits, order_context
from hub.http.pages.order_session import order_pages, remember
from hub.http.pages.order_waiting import wait_for_order
from shared_domain.errors import DomainError

bp = order_pages(page_blueprint("my_order", __name__))
bp.context_processor(form_limits)

ATTENDEE_FIELDS = attendee_form.FIELDS


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
    """The order, and every seat's ticket as soon as it exists; while tickets are being
    issued the page says so and follows them (order.js; a refresh without JavaScript)."""
    context = order_context(order_id)
    hub = current_hub()
    seats = registration.seats_json(hub, order_id)
    for seat in seats:
        seat["qr_svg"] = ticket_documents.qr_svg(seat["ticket_code"]) if seat["ticket_code"] \
            else None
    return render_template("order.html", **context, seats=seats,
                           tickets=tickets_progress.read_tickets_progress(hub, order_id),
                           reference=ticket_documents.order_reference(order_id))


@bp.get("/orders/<order_id>/seats")
def seats(order_id: str):
    return _seats_page(order_id, typed={}, errors={})


@bp.post("/orders/<order_id>/seats")
def save_seats(order_id: str):
    """One form for every seat: all checked, the changed ones saved, nothing typed lost."""
    hub = current_hub()
    positions = [seat["position"] for seat in registration.seats_json(hub, order_id)]
    entries = attendee_form.parse(request.form, positions)
    refused = attendee_form.save_attendees(hub, order_id, entries)
    hub.refresh_read_models()
    if refused:
        errors = {p: refusal_errors(r, attendee_form.FIELD_OF_CODE) for p, r in refused.items()}
        return _seats_page(order_id, typed={e.position: e for e in entries}, errors=errors), 400
    wake_worker()
    # The tickets usually follow in a moment: wait here, so the order page already has them.
    wait_for_order(order_id, lambda progress: not progress.issuing,
                   read=tickets_progress.read_tickets_progress)
    flash("Your attendees are saved.", "success")
    return redirect(url_for(".order", order_id=order_id) + "#tickets")


def _seats_page(order_id: str, typed: dict, errors: dict):
    """Every seat's fields in one form: as typed when the form comes back, else as saved."""
    context = order_context(order_id)
    seats = registration.seats_json(current_hub(), order_id)
    for seat in seats:
        saved = seat["attendee"] or {}
        entry = typed.get(seat["position"])
        seat["form"] = entry.typed if entry else {f: saved.get(f) or "" for f in ATTENDEE_FIELDS}
        seat["shown"] = entry.shown if entry else attendee_form.shown_digest(seat["form"])
    return render_template("seats.html", **context, seats=seats, errors=errors,
                           input_name=attendee_form.input_name)
