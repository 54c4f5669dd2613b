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


order_views.add_order_routes(bp, OWNER, lambda: g.conference)
