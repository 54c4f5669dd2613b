"""A hub admin's view of a conference's orders: the list, an order's page and the same
actions as its owner has, recorded with the admin as who did it."""
from __future__ import annotations

from flask import g, render_template

from hub.accounts.admin_lookups import conference_or_404
from hub.conferences import management_queries as queries
from hub.http.bodies import query_text
from hub.http.context import current_hub
from hub.http.pages import order_views
from hub.http.pages.admin_session import admin_blueprint
from hub.http.pages.filters import ORDER_STATUS_LABELS
from hub.orders import order_management

bp = admin_blueprint("admin_orders", __name__, url_prefix="/admin/conferences/<slug>/orders")

ADMIN = order_views.Side("admin_orders", "admin/_layout.html", "admin/_conference_nav.html",
                         lambda: order_management.admin(g.admin))


@bp.url_value_preprocessor
def load_conference(endpoint, values):
    g.conference = conference_or_404(current_hub(), (values or {}).pop("slug", ""))


@bp.url_defaults
def give_slug(endpoint, values):
    if "slug" not in values and "conference" in g:
        values["slug"] = g.conference.slug


@bp.get("/")
def index():
    filters = {"status": query_text("status", 30), "q": query_text("q", 100)}
    rows = queries.orders(current_hub(), g.conference, **filters)
    return render_template("orders/list.html", side=ADMIN, conference=g.conference,
                           orders=rows, filters=filters, statuses=ORDER_STATUS_LABELS)


@bp.get("/<order_id>")
def detail(order_id: str):
    return order_views.detail(ADMIN, g.conference, order_id)


@bp.get("/<order_id>/cancel")
def cancel_form(order_id: str):
    return order_views.cancel_form(ADMIN, g.conference, order_id)


@bp.post("/<order_id>/cancel")
def cancel(order_id: str):
    return order_views.cancel(ADMIN, g.conference, order_id)


@bp.post("/<order_id>/invoice-payment")
def mark_paid(order_id: str):
    return order_views.mark_paid(ADMIN, g.conference, order_id)


@bp.post("/<order_id>/seats/<int:position>")
def change_attendee(order_id: str, position: int):
    return order_views.change_attendee(ADMIN, g.conference, order_id, position)


@bp.post("/<order_id>/seats/<int:position>/unassign")
def unassign(order_id: str, position: int):
    return order_views.unassign(ADMIN, g.conference, order_id, position)


@bp.post("/<order_id>/resend-mails")
def resend_mails(order_id: str):
    return order_views.resend_mails(ADMIN, g.conference, order_id)
