"""A business customer's conference: its page, its details, publishing."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for

from hub.conferences import management
from hub.conferences import management_queries as queries
from hub.http.context import current_hub
from hub.http.errors import status_of
from hub.http.pages.csrf import page_blueprint
from hub.http.pages.forms import form_fields, refusal_errors
from hub.http.pages.owner_session import owner_pages
from shared_domain import limits
from shared_domain.errors import DomainError

bp = owner_pages(page_blueprint("conference_admin", __name__, url_prefix="/manage/<slug>"))


@bp.app_context_processor
def input_limits():
    """`limits` in every template: the forms' maxlength come from the numbers the API checks."""
    return {"limits": limits.as_dict()}


@bp.get("/")
def dashboard():
    return render_template("business/dashboard.html", conference=g.conference,
                           managed=queries.managed_conference(current_hub(), g.conference))


@bp.get("/edit")
def edit():
    form = {name: getattr(g.conference, name) for name in management.CONFERENCE_FIELDS}
    # As the form's date-and-time field shows it: UTC, to the minute, without the offset.
    form["cancellation_deadline"] = form["cancellation_deadline"][:16]
    return _form_page(form, errors={})


@bp.post("/edit")
def update():
    form = form_fields(management.CONFERENCE_FIELDS)
    try:
        conference = management.update_conference(current_hub(), g.conference, form)
    except DomainError as refusal:
        return _form_page(form, refusal_errors(refusal, {"slug_locked": "slug"})), 400
    flash("The conference details are saved.", "success")
    return redirect(url_for(".dashboard", slug=conference.slug))


@bp.post("/publish")
def publish():
    try:
        management.publish(current_hub(), g.conference)
    except DomainError as refusal:
        if status_of(refusal) == 404:
            raise
        flash(refusal.message, "error")
    else:
        flash("The conference is published: registrants can now buy seats.", "success")
    return redirect(url_for(".dashboard"))


@bp.post("/unpublish")
def unpublish():
    management.unpublish(current_hub(), g.conference)
    flash("The conference is unpublished: registration is closed.", "info")
    return redirect(url_for(".dashboard"))


def _form_page(form: dict, errors: dict):
    return render_template("business/conference_form.html", form=form, errors=errors,
                           creating=False, conference=g.conference)
