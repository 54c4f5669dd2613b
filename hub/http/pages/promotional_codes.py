"""A business customer's promotional codes: the list with their uses, create, edit."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import flash, g, redirect, render_template, request, url_for

from hub.conferences import management_queries as queries
from hub.http.context import current_hub
from hub.http.pages.csrf import page_blueprint
from hub.http.pages.forms import refusal_errors
from hub.http.pages.owner_session import owner_pages
from hub.promotions import codes
from shared_domain import promotions
from shared_domain.errors import DomainError

bp = owner_pages(page_blueprint("promotional_codes", __name__,
                                url_prefix="/manage/<slug>/promotional-codes"))
FIELDS = ("code", "kind", "value", "quota_kind", "quota", "valid_from", "valid_until",
          "combination")


@bp.get("/")
def index():
    hub = current_hub()
    return render_template("business/promotional_codes.html", conference=g.conference,
                           codes=codes.list_codes(hub, g.conference),
                           seat_names=_seat_names())


@bp.get("/new")
def new():
    return _form_page(None, {"kind": promotions.PERCENTAGE, "quota_kind": promotions.UNLIMITED,
                             "combination": promotions.CUMULATIVE, "seat_types": []}, {})


@bp.post("/new")
def create():
    form = _form()
    try:
        code = codes.define_code(current_hub(), g.conference, _body(form),
                                 by=f"owner:{g.conference.owner_email}")
    except DomainError as refusal:
        return _form_page(None, form, refusal_errors(refusal)), 400
    flash(f"Promotional code {code} created.", "success")
    return redirect(url_for("promotional_codes.index"))


@bp.get("/<code>/edit")
def edit(code: str):
    found = codes.find_code(current_hub(), g.conference, code[:40])
    form = {**{k: ("" if v is None else v) for k, v in found.items()}}
    if found["kind"] == promotions.AMOUNT:
        form["value"] = f"{found['value'] // 100}.{found['value'] % 100:02d}"
    for name in ("valid_from", "valid_until"):
        form[name] = (found[name] or "")[:16]
    return _form_page(found, form, {})


@bp.post("/<code>/edit")
def update(code: str):
    hub = current_hub()
    found = codes.find_code(hub, g.conference, code[:40])
    form = _form()
    try:
        codes.update_code(hub, g.conference, found["code"], _body(form),
                          by=f"owner:{g.conference.owner_email}")
    except DomainError as refusal:
        return _form_page(found, form, refusal_errors(refusal)), 400
    flash(f"Promotional code {found['code']} saved.", "success")
    return redirect(url_for("promotional_codes.index"))


def _form() -> dict:
    form = {name: request.form[name].strip()[:100] for name in FIELDS if name in request.form}
    form["seat_types"] = request.form.getlist("seat_types")[:100]
    form["single_use"] = request.form.get("single_use") == "on"
    return form


def _body(form: dict) -> dict:
    """The form as the API's body: an amount is typed in dollars, kept in cents."""
    body = dict(form)
    if form.get("kind") == promotions.AMOUNT and form.get("value"):
        try:
            body["value"] = int(Decimal(form["value"]) * 100)
        except (InvalidOperation, ValueError):
            body["value"] = form["value"]
    return body


def _seat_names() -> dict[str, str]:
    managed = queries.managed_conference(current_hub(), g.conference)
    return {t["id"]: t["name"] for t in managed["seat_types"]}


def _form_page(code, form: dict, errors: dict):
    return render_template("business/promotional_code_form.html", code=code, form=form,
                           errors=errors, conference=g.conference, seat_names=_seat_names(),
                           kinds=promotions.KINDS, quota_kinds=promotions.QUOTA_KINDS,
                           combinations=promotions.COMBINATIONS)
