"""The live venue dashboard of one conference: rendered here, refreshed by a small poll."""
from __future__ import annotations

from flask import g, jsonify, render_template

from hub.venue import conflict_queries
from hub.venue import dashboard
from hub.http.context import current_hub
from hub.http.pages.dashboard_chart import check_in_chart
from hub.http.pages.admin_session import admin_conference_blueprint

bp = admin_conference_blueprint("admin_dashboard", __name__, "dashboard")
POLL_SECONDS = 5


@bp.get("/")
def show():
    figures = dashboard.dashboard_figures(current_hub(), g.conference)
    return render_template("admin/dashboard.html", conference=g.conference,
                           poll_seconds=POLL_SECONDS, **_body_context(figures))


@bp.get("/live")
def live():
    """The figures and the dashboard's body, for the page's poll (not counted as activity)."""
    figures = dashboard.dashboard_figures(current_hub(), g.conference)
    html = render_template("admin/_dashboard_body.html", conference=g.conference,
                           **_body_context(figures))
    return jsonify(figures=figures, html=html)


def _body_context(figures: dict) -> dict:
    return {"figures": figures, "chart": check_in_chart(figures["timeline"]),
            "kind_label": conflict_queries.kind_label}
