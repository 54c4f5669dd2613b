"""A conference's on-site nodes: list, create (one-time code and QR), revoke, rotate the secret."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from hub.venue import allocation_requests
from hub.venue import node_admin
from hub.venue import nodes
from hub.accounts.admin_lookups import node_or_404
from hub.http.context import current_hub
from shared_domain.errors import DomainError
from hub.http.pages.admin_session import admin_conference_blueprint

bp = admin_conference_blueprint("admin_nodes", __name__, "nodes")


@bp.get("/")
def index():
    return _list_page(name="", error="")


@bp.post("/")
def create():
    name = request.form.get("name", "").strip()
    try:
        node, code = nodes.create_node(current_hub(), g.conference, name)
    except DomainError as refusal:
        return _list_page(name=name, error=refusal.message), 400
    return _enrollment_page(node, code, created=True)


@bp.get("/<node_id>/revoke")
def confirm_revoke(node_id: str):
    return render_template("admin/confirm_node.html", conference=g.conference, action="revoke",
                           node=node_or_404(current_hub(), g.conference, node_id))


@bp.post("/<node_id>/revoke")
def revoke(node_id: str):
    hub = current_hub()
    node = node_admin.revoke_node(hub, node_or_404(hub, g.conference, node_id))
    flash(f"{node.name} is revoked: it is refused from now on and wipes its personal data "
          "at its next contact.", "success")
    return redirect(url_for(".index"))


@bp.get("/<node_id>/rotate")
def confirm_rotate(node_id: str):
    return render_template("admin/confirm_node.html", conference=g.conference, action="rotate",
                           node=node_or_404(current_hub(), g.conference, node_id))


@bp.post("/<node_id>/rotate")
def rotate(node_id: str):
    hub = current_hub()
    node = node_or_404(hub, g.conference, node_id)
    code = nodes.rotate_secret(hub, node, retire_now=request.form.get("retire_now") == "yes")
    return _enrollment_page(hub.models.Node.get_by_id(node.id), code, created=False)


@bp.post("/allocation")
def change_allocation():
    """Give a node seats to sell on site, or ask unsold ones back (it returns them at its next sync)."""
    hub = current_hub()
    form = request.form
    node = node_or_404(hub, g.conference, form.get("node_id", ""))
    try:
        message = allocation_requests.change(
            hub, node, form.get("seat_type", ""), form.get("direction", ""),
            allocation_requests.parse_amount(form.get("quantity", "")))
    except DomainError as refusal:
        return _list_page(name="", error="", allocation_error=refusal.message,
                          allocation_form=form), 400
    flash(message, "success")
    return redirect(url_for(".index"))


def _list_page(name: str, error: str, allocation_error: str = "", allocation_form=None):
    hub = current_hub()
    T = hub.models.SeatType
    return render_template("admin/nodes.html", conference=g.conference,
                           nodes=node_admin.node_rows(hub, g.conference.id), name=name,
                           error=error, allocation_error=allocation_error,
                           allocation_form=allocation_form or {},
                           free_online=allocation_requests.free_online_by_type(hub, g.conference.id),
                           seat_types=T.select().where(T.conference == g.conference.id))


def _enrollment_page(node, code: str, created: bool):
    """Shown once, in the reply to the POST: only the code's hash is kept."""
    hint = node_admin.enroll_hint(request.host_url, code)
    return render_template("admin/enrollment.html", conference=g.conference, node=node,
                           code=code, hint=hint, qr=node_admin.qr_data_uri(hint),
                           created=created,
                           valid_hours=int(nodes.ENROLLMENT_VALIDITY.total_seconds() // 3600))
