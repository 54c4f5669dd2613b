"""A hub admin's view of a conference's wait-lists: the organiser's page and actions
(hub/http/pages/waitlist_admin.py), recorded with the admin as who did it."""
from __future__ import annotations

from flask import g

from hub.http.pages import waitlist_admin
from hub.http.pages.admin_session import admin_conference_blueprint
from hub.http.pages.order_views import Side
from hub.orders import order_management

bp = admin_conference_blueprint("admin_waitlists", __name__, "waitlists")
ADMIN = Side("admin_waitlists", "admin/_layout.html", "admin/_conference_nav.html",
             lambda: order_management.admin(g.admin))
waitlist_admin.add_waitlist_routes(bp, ADMIN, lambda: g.conference, prefix="")
