"""A hub admin's view of a conference's orders: the list, an order's page and the same
actions as its owner has, recorded with the admin as who did it."""
from __future__ import annotations

from flask import g, render_template

from hub.conferences import management_queries as queries
from hub.http.bodies import query_text
from hub.http.context import current_hub
from hub.http.pages import order_views
from hub.http.pages.admin_session import admin_conference_blueprint
from hub.http.pages.filters import ORDER_STATUS_LABELS
from hub.orders import order_management

bp = admin_conference_blueprint("admin_orders", __name__, "orders")

ADMIN = order_views.Side("admin_orders", "admin/_layout.html", "admin/_conference_nav.html",
                         lambda: order_management.admin(g.admin))


@bp.get("/")
def index():
    filters = {"status": query_text("status", 30), "q": query_text("q", 100)}
    rows = queries.orders(current_hub(), g.conference, **filters)
    return render_template("orders/list.html", side=ADMIN, conference=g.conference,
                           orders=rows, filters=filters, statuses=ORDER_STATUS_LABELS)


order_views.add_order_routes(bp, ADMIN, lambda: g.conference)
