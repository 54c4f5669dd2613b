"""A business customer's lists: orders and attendees, filtered, and attendees as CSV."""
from __future__ import annotations

from flask import Response, g, render_template

from hub.conferences import management_queries as queries
from hub.http.context import current_hub
from hub.http.bodies import query_text
from hub.http.pages import conference_orders
from hub.http.pages.csrf import page_blueprint
from hub.http.pages.filters import ORDER_STATUS_LABELS
from hub.http.pages.owner_session import owner_pages

bp = owner_pages(page_blueprint("conference_lists", __name__, url_prefix="/manage/<slug>"))


@bp.get("/orders")
def orders():
    filters = {"q": query_text("q", 100), "status": query_text("status", 30),
               "email": query_text("email", 254)}
    rows = queries.orders(current_hub(), g.conference, **filters)
    return render_template("orders/list.html", side=conference_orders.OWNER,
                           conference=g.conference, orders=rows, filters=filters,
                           statuses=ORDER_STATUS_LABELS)


@bp.get("/attendees")
def attendees():
    filters = _attendee_filters()
    hub = current_hub()
    return render_template("business/attendees.html", conference=g.conference,
                           attendees=queries.attendees(hub, g.conference, **filters),
                           filters=filters, csv_filters={k: v for k, v in filters.items() if v},
                           seat_types=[(t["id"], t["name"]) for t in
                                       queries.managed_seat_types(hub, g.conference)])


@bp.get("/attendees.csv")
def attendees_csv():
    rows = queries.attendees(current_hub(), g.conference, **_attendee_filters())
    return Response(queries.attendees_csv(rows), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{g.conference.slug}-attendees.csv"'})


def _attendee_filters() -> dict:
    return {"seat_type": query_text("seat_type", 36), "q": query_text("q")}
