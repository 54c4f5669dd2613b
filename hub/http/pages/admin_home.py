"""The admin console's front page: every conference with its nodes online and open conflicts,
and how many events the readers set aside."""
from __future__ import annotations

from flask import render_template

from hub.venue import conflict_queries
from hub.platform import dead_letters
from hub.venue import node_admin
from hub.http.context import current_hub
from hub.http.pages.admin_session import admin_blueprint

bp = admin_blueprint("admin_home", __name__, url_prefix="/admin")


@bp.get("/")
def index():
    hub = current_hub()
    C = hub.models.Conference
    now = hub.clock()
    rows = []
    for conference in C.select().order_by(C.start_date, C.slug):
        online, doors = node_admin.doors_online(node_admin.conference_nodes(hub, conference.id), now)
        rows.append({"conference": conference, "nodes": doors, "online": online,
                     "open_conflicts": sum(conflict_queries.open_by_kind(hub, conference.id)
                                           .values())})
    return render_template("admin/index.html", rows=rows,
                           set_aside=dead_letters.open_count(hub))
