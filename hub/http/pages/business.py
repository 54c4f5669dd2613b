"""The business customers' entrance: create a conference, or find yours again with the
owner email and access code."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for

from hub.conferences import management
from hub.http.admin_auth import client_address
from hub.http.context import current_hub
from hub.http.errors import retry_headers, status_of
from hub.http.pages import owner_session
from hub.http.pages.csrf import page_blueprint
from hub.http.pages.forms import FORM_ERROR, form_fields, refusal_errors
from shared_domain.errors import DomainError

bp = page_blueprint("business", __name__, url_prefix="/manage")

LOCATE_FIELDS = ("owner_email", "access_code")


@bp.get("/")
def index():
    return _index_page(form={}, errors={})


@bp.post("/locate")
def locate():
    form = form_fields(LOCATE_FIELDS)
    errors = {name: "This field is required." for name in LOCATE_FIELDS if not form.get(name)}
    if not errors:
        try:
            conference = management.locate(current_hub(), form["owner_email"],
                                           form["access_code"], client=client_address())
        except DomainError as refusal:     # too many wrong codes: wait
            return (_index_page(form=form, errors={FORM_ERROR: refusal.message}),
                    status_of(refusal), retry_headers(refusal))
        if conference is not None:
            owner_session.remember(conference)
            return redirect(url_for("conference_admin.dashboard", slug=conference.slug))
        errors = {FORM_ERROR: "No conference has this owner email and access code.",
                  "access_code": "Check the code: six letters and digits, as given at creation."}
    return _index_page(form=form, errors=errors), 400


@bp.get("/new")
def new():
    return render_template("business/conference_form.html", form={}, errors={}, creating=True)


@bp.post("/new")
def create():
    form = form_fields(management.CONFERENCE_FIELDS)
    try:
        conference, _ = management.create_conference(current_hub(), form)
    except DomainError as refusal:
        return render_template("business/conference_form.html", form=form,
                               errors=refusal_errors(refusal), creating=True), 400
    owner_session.remember(conference)
    # The code is shown on the page, never put in the flash: the session cookie is only signed.
    flash("Your conference is created. Keep its access code, shown under Access: with your "
          "email it opens the conference from any browser.", "success")
    return redirect(url_for("conference_admin.dashboard", slug=conference.slug))


@bp.post("/sign-out")
def sign_out():
    owner_session.forget_all()
    flash("You are signed out of your conferences on this browser.", "info")
    return redirect(url_for(".index"))


def _index_page(form: dict, errors: dict):
    return render_template("business/index.html", form=form, errors=errors,
                           conferences=owner_session.managed_conferences())
