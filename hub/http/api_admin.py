"""The hub admin's JSON API under /api/admin/: nodes, conflicts, the dashboard's figures,
events set aside by the readers.

Every call needs an admin: the admin session (changes also send the X-CSRF-Token header)
or HTTP Basic with an admin's email and password. A business customer's access code never
opens it.
"""
from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from hub.platform import dead_letters
from hub.venue import conflict_queries as queries
from hub.venue import conflict_resolutions, dashboard, node_admin, nodes
from hub.http.admin_auth import api_admin
from hub.accounts.admin_lookups import conference_or_404, conflict_or_404, node_or_404
from hub.http.context import current_hub, wake_worker
from hub.http.bodies import basic_auth_challenge, json_body, query_text, require_object_fields
from hub.http.openapi_admin import OPENAPI_COMPONENTS, OPENAPI_PATHS  # noqa: F401  (hub.openapi)

bp = Blueprint("api_admin", __name__, url_prefix="/api/admin")
bp.after_request(basic_auth_challenge("Contoso hub admin"))


@bp.before_request
def require_admin():
    g.admin = api_admin()


# --- conferences and nodes -----------------------------------------------------------

@bp.get("/conferences")
def list_conferences():
    hub = current_hub()
    C = hub.models.Conference
    return jsonify([{"id": c.id, "slug": c.slug, "name": c.name, "start_date": c.start_date,
                     "end_date": c.end_date, "is_published": c.is_published,
                     "open_conflicts": sum(queries.open_by_kind(hub, c.id).values())}
                    for c in C.select().order_by(C.start_date, C.slug)])


@bp.get("/conferences/<slug>/nodes")
def list_nodes(slug: str):
    hub = current_hub()
    return jsonify(node_admin.node_rows(hub, conference_or_404(hub, slug).id))


@bp.post("/conferences/<slug>/nodes")
def create_node(slug: str):
    hub = current_hub()
    conference = conference_or_404(hub, slug)
    fields = require_object_fields(json_body(), {"name": str})
    node, code = nodes.create_node(hub, conference, fields.get("name", ""))
    return jsonify(_enrollment(hub, node, code)), 201


@bp.post("/conferences/<slug>/nodes/<node_id>/revoke")
def revoke_node(slug: str, node_id: str):
    hub = current_hub()
    node = node_or_404(hub, conference_or_404(hub, slug), node_id)
    return jsonify(node_admin.node_row(hub, node_admin.revoke_node(hub, node), hub.clock()))


@bp.post("/conferences/<slug>/nodes/<node_id>/rotate")
def rotate_secret(slug: str, node_id: str):
    hub = current_hub()
    node = node_or_404(hub, conference_or_404(hub, slug), node_id)
    fields = require_object_fields(json_body() if request.get_data() else {},
                                   {"retire_current_secret": bool})
    code = nodes.rotate_secret(hub, node, retire_now=fields.get("retire_current_secret", False))
    return jsonify(_enrollment(hub, hub.models.Node.get_by_id(node.id), code))


@bp.post("/conferences/<slug>/nodes/<node_id>/allocation")
def change_allocation(slug: str, node_id: str):
    """Give a node seats of a seat type (quantity > 0) or ask unsold ones back (< 0)."""
    from hub.venue import allocation_requests
    from hub.venue import allocations
    hub = current_hub()
    node = node_or_404(hub, conference_or_404(hub, slug), node_id)
    fields = require_object_fields(json_body(), {"seat_type": str, "quantity": int})
    message = allocation_requests.change_by_sign(hub, node, fields.get("seat_type", ""),
                                                 fields.get("quantity", 0))
    wake_worker()
    return jsonify(message=message, allocation=allocations.allocation_summary(hub, node))


@bp.put("/conferences/<slug>/staff-pin")
def set_staff_pin(slug: str):
    """Set the PIN that opens the staff pages at every door of the conference (synced hashed)."""
    from hub.venue import staff_pin
    hub = current_hub()
    fields = require_object_fields(json_body(), {"pin": str})
    staff_pin.set_staff_pin(hub, conference_or_404(hub, slug).id, fields.get("pin", ""),
                            by=getattr(g.admin, "email", "admin"))
    return jsonify(staff_pin_set=True)


def _enrollment(hub, node, code: str) -> dict:
    return {"node": node_admin.node_row(hub, node, hub.clock()), "enrollment_code": code,
            "valid_hours": int(nodes.ENROLLMENT_VALIDITY.total_seconds() // 3600),
            "enroll_command": node_admin.enroll_hint(request.host_url, code)}


# --- conflicts ---------------------------------------------------------------------

@bp.get("/conflicts")
def list_conflicts():
    hub = current_hub()
    slug = query_text("conference", 100)
    rows = queries.find_conflicts(
        hub, conference_id=conference_or_404(hub, slug).id if slug else "",
        kind=query_text("kind", 40), node_id=query_text("node", 36),
        status=query_text("status", 20))
    slugs = queries.conference_slugs(hub)
    return jsonify([queries.conflict_summary(c, slugs) for c in rows])


@bp.get("/conflicts/<conflict_id>")
def show_conflict(conflict_id: str):
    hub = current_hub()
    return jsonify(queries.conflict_detail(hub, conflict_or_404(hub, conflict_id),
                                           queries.conference_slugs(hub)))


@bp.post("/conflicts/<conflict_id>/resolve")
def resolve_conflict(conflict_id: str):
    fields = require_object_fields(json_body(), {"resolution": str, "comment": str})
    hub = current_hub()
    resolved = conflict_resolutions.resolve(hub, conflict_id, fields.get("resolution", ""),
                                            fields.get("comment", ""), g.admin.email)
    wake_worker()
    return jsonify(resolved)


@bp.post("/conflicts/bulk-resolve")
def bulk_resolve():
    fields = require_object_fields(json_body(), {"conference": str, "kind": str, "comment": str})
    hub = current_hub()
    conference = conference_or_404(hub, fields.get("conference", ""))
    count = conflict_resolutions.bulk_resolve(hub, conference.id, fields.get("kind", ""),
                                              fields.get("comment", ""), g.admin.email)
    wake_worker()
    return jsonify({"resolved": count})


# --- the dashboard -----------------------------------------------------------------

@bp.get("/conferences/<slug>/dashboard")
def dashboard_figures(slug: str):
    hub = current_hub()
    return jsonify(dashboard.dashboard_figures(hub, conference_or_404(hub, slug)))


# --- events set aside ------------------------------------------------------------------

@bp.get("/dead-letters")
def list_dead_letters():
    hub = current_hub()
    status = query_text("status", 20) if "status" in request.args else dead_letters.OPEN
    return jsonify(dead_letters.summaries(hub, dead_letters.find(hub, status)))


@bp.post("/dead-letters/<int:letter_id>/retry")
def retry_dead_letter(letter_id: int):
    hub = current_hub()
    letter = dead_letters.retry(hub, letter_id, g.admin.email)
    wake_worker()
    return jsonify(dead_letters.summaries(hub, [letter])[0])


@bp.post("/dead-letters/<int:letter_id>/dismiss")
def dismiss_dead_letter(letter_id: int):
    hub = current_hub()
    letter = dead_letters.dismiss(hub, letter_id, g.admin.email)
    return jsonify(dead_letters.summaries(hub, [letter])[0])
