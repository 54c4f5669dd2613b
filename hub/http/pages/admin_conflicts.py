"""The conflict inbox: filter, see both sides, resolve one, or accept info-level ones in bulk."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from hub.venue import conflict_queries as queries
from hub.venue import conflict_resolutions
from hub.venue import node_admin
from hub.accounts.admin_lookups import conference_or_404, conflict_or_404
from hub.http.context import current_hub, wake_worker
from hub.http.bodies import query_text
from hub.http.errors import status_of
from hub.http.pages.admin_session import admin_blueprint
from shared_domain import conflicts
from shared_domain.errors import DomainError

bp = admin_blueprint("admin_conflicts", __name__, url_prefix="/admin/conflicts")

# What each resolution does, per kind, in the admin's words.
RESOLUTION_HELP = {
    ("double_check_in", "accept"): "The first scan (by hub time) is the entry; the other is a "
                                   "duplicate scan.",
    ("double_check_in", "other_side"): "The other scan counts as the entry instead.",
    ("checkin_reassigned_seat", "accept"): "The entry stands under the old name. The seat's new "
                                           "holder is refused as already checked in.",
    ("checkin_reassigned_seat", "other_side"): "The new holder is the one to admit: the check-in "
                                               "under the old name is taken back, so their "
                                               "ticket works at the doors.",
    ("checkin_reassigned_seat", "refund"): "Void the seat's current ticket (refused at every "
                                           "door); settle the money with the registrant.",
    ("checkin_cancelled_order", "accept"): "The entry stands: the attendee keeps their place.",
    ("checkin_cancelled_order", "refund"): "The refund stands and the seat's ticket, if one is "
                                           "still live, is voided at every door.",
}
GENERIC_HELP = {"accept": "Keep the automatic outcome.",
                "reviewed": "Record what you found in a comment; nothing else changes."}


@bp.get("/")
def inbox():
    hub = current_hub()
    filters = {"conference": query_text("conference", 100), "kind": query_text("kind", 40),
               "node": query_text("node", 36), "status": query_text("status", 20)}
    if "status" not in request.args:
        filters["status"] = conflicts.OPEN
    conference = conference_or_404(hub, filters["conference"]) if filters["conference"] else None
    rows = queries.find_conflicts(hub, conference_id=conference.id if conference else "",
                                  kind=filters["kind"], node_id=filters["node"],
                                  status=filters["status"])
    slugs = queries.conference_slugs(hub)
    return render_template(
        "admin/conflicts.html", filters=filters, conference=conference,
        conflicts=[{**queries.conflict_summary(c, slugs), "about": queries.about(hub, c)}
                   for c in rows],
        conferences=list(hub.models.Conference.select().order_by(hub.models.Conference.name)),
        kinds={k: queries.kind_label(k) for k in queries.kinds_seen(hub)},
        nodes=node_admin.conference_nodes(hub, conference.id) if conference else [],
        node_names=_node_names(hub), bulk=_bulk_offers(hub, conference))


@bp.get("/<conflict_id>")
def show(conflict_id: str):
    return _conflict_page(conflict_id, errors={}, form={})


@bp.get("/<conflict_id>/orders/<order_id>")
def order(conflict_id: str, order_id: str):
    """An order the conflict concerns: who holds its seats, what was paid, what checked in."""
    hub = current_hub()
    conflict = conflict_or_404(hub, conflict_id)
    found = queries.order_page(hub, order_id) if order_id in queries.order_ids_of(hub, conflict) \
        else None
    if found is None:
        abort(404)
    return render_template("admin/conflict_order.html", order=found,
                           conflict=queries.conflict_summary(conflict, queries.conference_slugs(hub)))


@bp.post("/<conflict_id>/resolve")
def resolve(conflict_id: str):
    hub = current_hub()
    form = {"resolution": request.form.get("resolution", ""),
            "comment": request.form.get("comment", "")}
    try:
        conflict_resolutions.resolve(hub, conflict_id, form["resolution"], form["comment"],
                                     g.admin.email)
    except DomainError as refusal:
        if status_of(refusal) == 404:    # no such conflict: the 404 page
            raise
        return _conflict_page(conflict_id, errors={refusal.code: refusal.message}, form=form), 400
    wake_worker()
    flash("The conflict is resolved. The resolution reaches the nodes at their next sync.",
          "success")
    return redirect(url_for(".show", conflict_id=conflict_id))


@bp.post("/bulk-resolve")
def bulk_resolve():
    hub = current_hub()
    conference = conference_or_404(hub, request.form.get("conference", ""))
    kind = request.form.get("kind", "")
    count = conflict_resolutions.bulk_resolve(hub, conference.id, kind,
                                              request.form.get("comment", ""), g.admin.email)
    wake_worker()
    flash(f"{count} {queries.kind_label(kind).lower()} conflict{'' if count == 1 else 's'} "
          "accepted as detected.", "success")
    return redirect(url_for(".inbox", conference=conference.slug))


def _conflict_page(conflict_id: str, errors: dict, form: dict):
    hub = current_hub()
    conflict = conflict_or_404(hub, conflict_id)
    detail = queries.conflict_detail(hub, conflict, queries.conference_slugs(hub))
    return render_template("admin/conflict.html", conflict=detail, errors=errors, form=form,
                           labels=conflicts.RESOLUTION_LABELS, node_names=_node_names(hub),
                           help={r: RESOLUTION_HELP.get((conflict.kind, r), GENERIC_HELP.get(r, ""))
                                 for r in detail["resolutions"]},
                           conference=hub.models.Conference.get_or_none(
                               hub.models.Conference.id == conflict.conference_id))


def _bulk_offers(hub, conference) -> list[dict]:
    """Open info-level conflicts of the conference per kind: what 'accept all' would settle."""
    if conference is None:
        return []
    return [{"kind": kind, "label": queries.kind_label(kind), "count": count}
            for kind, count in sorted(queries.open_by_kind(hub, conference.id,
                                                           severity=conflicts.INFO).items())]


def _node_names(hub) -> dict[str, str]:
    N = hub.models.Node
    return {n.id: n.name for n in N.select(N.id, N.name)}
