"""A business customer's orders, one at a time: the order's page and the actions on it, each
recorded with the owner as who did it (hub/http/pages/order_views.py)."""
from __future__ import annotations

from flask import g

from hub.http.pages import order_views
from hub.http.pages.csrf import page_blueprint
from hub.http.pages.owner_session import owner_pages
from hub.orders import order_management

bp = owner_pages(page_blueprint("conference_orders", __name__,
                                url_prefix="/manage/<slug>/orders"))

OWNER = order_views.Side("conference_orders", "base.html", "business/_conference_nav.html",
                         lambda: order_management.owner(g.conference))


@bp.get("/<order_id>")
def detail(order_id: str):
    return order_views.detail(OWNER, g.conference, order_id)


@bp.get("/<order_id>/cancel")
def cancel_form(order_id: str):
    return order_views.cancel_form(OWNER, g.conference, order_id)


@bp.post("/<order_id>/cancel")
def cancel(order_id: str):
    return order_views.cancel(OWNER, g.conference, order_id)


@bp.post("/<order_id>/invoice-payment")
def mark_paid(order_id: str):
    return order_views.mark_paid(OWNER, g.conference, order_id)


@bp.post("/<order_id>/seats/<int:position>")
def change_attendee(order_id: str, position: int):
    return order_views.change_attendee(OWNER, g.conference, order_id, position)


@bp.post("/<order_id>/seats/<int:position>/unassign")
def unassign(order_id: str, position: int):
    return order_views.unassign(OWNER, g.conference, order_id, position)


@bp.post("/<order_id>/resend-mails")
def resend_mails(order_id: str):
    return order_views.resend_mails(OWNER, g.conference, order_id)
