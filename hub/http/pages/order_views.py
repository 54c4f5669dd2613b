"""The organiser's order pages, for both sides that manage a conference: its owner (/manage/)
and a hub admin (/admin/). The views parse the form, call hub/orders/order_management.py (the
same functions as the API) with who did it, and show a refusal's own message beside what it
concerns. Each side's blueprint gives its layout, its endpoints and its `by`."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import flash, redirect, render_template, url_for

from hub.http.context import current_hub, wake_worker
from hub.http.errors import status_of
from hub.http.pages.forms import FORM_ERROR, form_fields, refusal_errors
from hub.orders import order_details, order_management, registrant_fields
from shared_domain.errors import DomainError

ATTENDEE_FIELDS = ("first_name", "last_name", "email", "company")


@dataclass(frozen=True)
class Side:
    """Who manages here: the owner or an admin; their page layout and blueprint."""
    endpoint: str              # the blueprint's name: url_for(endpoint + ".detail", ...)
    layout: str                # the template a page extends
    nav: str                   # the conference's tabs
    by: Callable[[], str]      # who the request's person is, in the events


def detail(side: Side, conference, order_id: str, *, errors: dict | None = None,
           failed: dict | None = None, status: int = 200):
    """The order page; `errors` by form ("invoice", "seat-<n>", "resend"), `failed` the
    input of the form that failed, kept."""
    order = order_details.order_detail(current_hub(), conference, order_id)
    return render_template("orders/order.html", side=side, conference=conference, order=order,
                           errors=errors or {}, failed=failed or {}), status


def cancel_form(side: Side, conference, order_id: str, *, form: dict | None = None,
                errors: dict | None = None, status: int = 200):
    order = order_details.order_detail(current_hub(), conference, order_id)
    return render_template("orders/cancel.html", side=side, conference=conference, order=order,
                           form=form or {}, errors=errors or {}), status


def cancel(side: Side, conference, order_id: str):
    form = form_fields(("reason",))
    try:
        order_management.cancel(current_hub(), conference, order_id, form.get("reason", ""),
                                by=side.by())
    except DomainError as refusal:
        _not_found_raised(refusal)
        return cancel_form(side, conference, order_id, form=form,
                           errors=refusal_errors(refusal), status=status_of(refusal))
    wake_worker()
    flash("The order is cancelled: its seats go back on sale, its tickets are revoked (each "
          "door refuses them once it syncs) and what was paid is refunded.", "success")
    return _back(side, conference, order_id)


def mark_paid(side: Side, conference, order_id: str):
    form = form_fields(("invoice_reference",))
    try:
        order_management.mark_paid_by_invoice(current_hub(), conference, order_id,
                                              form.get("invoice_reference", ""), by=side.by())
    except DomainError as refusal:
        _not_found_raised(refusal)
        return detail(side, conference, order_id, errors={"invoice": refusal_errors(refusal)},
                      failed={"invoice": form}, status=status_of(refusal))
    wake_worker()
    flash(f"Payment by invoice {form['invoice_reference']} recorded.", "success")
    return _back(side, conference, order_id)


def change_attendee(side: Side, conference, order_id: str, position: int):
    form = form_fields(ATTENDEE_FIELDS)
    key = f"seat-{position}"
    errors = registrant_fields.attendee_field_errors(form)
    if not errors:
        try:
            order_management.change_attendee(current_hub(), conference, order_id, position,
                                             form, by=side.by())
        except DomainError as refusal:
            _not_found_raised(refusal)
            return detail(side, conference, order_id,
                          errors={key: refusal_errors(refusal, {"invalid_email": "email"})},
                          failed={key: form}, status=status_of(refusal))
        wake_worker()
        flash(f"Seat {position + 1} is assigned to {form['email']}; its ticket is new.",
              "success")
        return _back(side, conference, order_id)
    errors.setdefault(FORM_ERROR, "Please correct the fields marked below.")
    return detail(side, conference, order_id, errors={key: errors}, failed={key: form},
                  status=400)


def unassign(side: Side, conference, order_id: str, position: int):
    try:
        order_management.unassign_attendee(current_hub(), conference, order_id, position,
                                           by=side.by())
    except DomainError as refusal:
        _not_found_raised(refusal)
        return detail(side, conference, order_id,
                      errors={f"seat-{position}": refusal_errors(refusal)},
                      status=status_of(refusal))
    wake_worker()
    flash(f"Seat {position + 1} is unassigned; its ticket is revoked.", "success")
    return _back(side, conference, order_id)


def resend_mails(side: Side, conference, order_id: str):
    try:
        order_management.resend_mails(current_hub(), conference, order_id, by=side.by())
    except DomainError as refusal:
        _not_found_raised(refusal)
        return detail(side, conference, order_id, errors={"resend": refusal_errors(refusal)},
                      status=status_of(refusal))
    wake_worker()      # the pump reads the request and queues the mails now
    flash("The order's mails are queued again: its confirmation (or cancellation) and each "
          "seat's ticket go out in a moment (the request is in its history).", "success")
    return _back(side, conference, order_id)


# The order's routes, the same for every side: (rule, endpoint, view, methods).
ROUTES = (
    ("/<order_id>", "detail", detail, ["GET"]),
    ("/<order_id>/cancel", "cancel_form", cancel_form, ["GET"]),
    ("/<order_id>/cancel", "cancel", cancel, ["POST"]),
    ("/<order_id>/invoice-payment", "mark_paid", mark_paid, ["POST"]),
    ("/<order_id>/seats/<int:position>", "change_attendee", change_attendee, ["POST"]),
    ("/<order_id>/seats/<int:position>/unassign", "unassign", unassign, ["POST"]),
    ("/<order_id>/resend-mails", "resend_mails", resend_mails, ["POST"]),
)


def add_order_routes(bp, side: Side, conference: Callable[[], object]) -> None:
    """Give a blueprint the order's page and actions for one side (its conference from
    `conference()`, loaded by the blueprint's own URL preprocessor)."""
    add_side_routes(bp, side, conference, ROUTES)


def add_side_routes(bp, side: Side, conference: Callable[[], object], routes) -> None:
    """Give a blueprint `routes` ((rule, endpoint, view(side, conference, ...), methods))."""
    for rule, endpoint, view, methods in routes:
        def route(view=view, **values):
            return view(side, conference(), **values)
        bp.add_url_rule(rule, endpoint, route, methods=methods)


def _back(side: Side, conference, order_id: str):
    return redirect(url_for(f"{side.endpoint}.detail", slug=conference.slug, order_id=order_id))


def _not_found_raised(refusal: DomainError) -> None:
    """An unknown order (or another conference's) is the error page, not a form message."""
    if status_of(refusal) == 404:
        raise refusal

