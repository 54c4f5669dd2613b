"""A business customer's seat types: add, change, and delete before the first publish."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for

from hub.conferences import management
from hub.conferences import management_queries as queries
from hub.http.context import current_hub, wake_worker
from hub.http.errors import status_of
from hub.http.pages.csrf import page_blueprint
from hub.http.pages.filters import dollars
from hub.http.pages.forms import form_fields, refusal_errors
from hub.http.pages.owner_session import owner_pages
from shared_domain.errors import DomainError

bp = owner_pages(page_blueprint("seat_types", __name__, url_prefix="/manage/<slug>/seat-types"))


@bp.get("/new")
def new():
    return _form_page(seat_type=None, form={}, errors={})


@bp.post("/new")
def create():
    form = form_fields(management.SEAT_TYPE_FIELDS)
    try:
        seat_type = management.create_seat_type(current_hub(), g.conference, form)
    except DomainError as refusal:
        return _form_page(None, form, refusal_errors(refusal)), 400
    wake_worker()
    flash(f"Seat type “{seat_type.name}” added: its seats go on sale in a moment.", "success")
    return redirect(url_for("conference_admin.dashboard"))


@bp.get("/<seat_type_id>/edit")
def edit(seat_type_id: str):
    seat_type = management.find_seat_type(current_hub(), g.conference, seat_type_id)
    form = {"name": seat_type.name, "description": seat_type.description,
            "quantity": seat_type.quantity, "price": dollars(seat_type.price_cents)}
    return _form_page(seat_type, form, errors={})


@bp.post("/<seat_type_id>/edit")
def update(seat_type_id: str):
    hub = current_hub()
    seat_type = management.find_seat_type(hub, g.conference, seat_type_id)
    form = form_fields(management.SEAT_TYPE_FIELDS)
    try:
        management.update_seat_type(hub, g.conference, seat_type_id, form)
    except DomainError as refusal:
        return _form_page(seat_type, form, refusal_errors(refusal)), 400
    wake_worker()
    flash(f"Seat type “{form.get('name') or seat_type.name}” saved.", "success")
    return redirect(url_for("conference_admin.dashboard"))


@bp.post("/<seat_type_id>/delete")
def delete(seat_type_id: str):
    try:
        management.delete_seat_type(current_hub(), g.conference, seat_type_id)
    except DomainError as refusal:
        if status_of(refusal) == 404:
            raise
        flash(refusal.message, "error")
    else:
        wake_worker()
        flash("The seat type is deleted.", "success")
    return redirect(url_for("conference_admin.dashboard"))


def _form_page(seat_type, form: dict, errors: dict):
    managed = queries.managed_conference(current_hub(), g.conference)
    return render_template("business/seat_type_form.html", seat_type=seat_type, form=form,
                           errors=errors, conference=g.conference, managed=managed)
