"""The conference management API: public listings and the owner's calls (HTTP Basic auth:
owner email and access code)."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, request, url_for

from hub.conferences import management
from hub.conferences import management_queries as queries
from hub.http.admin_auth import client_address
from hub.http.context import current_hub, wake_worker
from hub.http.bodies import basic_auth, basic_auth_challenge, json_body, query_text, \
    require_object_fields, typed_fields, unauthorized
from hub.http.openapi_management import OPENAPI_COMPONENTS, OPENAPI_PATHS  # noqa: F401  (hub.openapi)
from shared_domain.errors import DomainError

bp = Blueprint("api_management", __name__, url_prefix="/api")
bp.after_request(basic_auth_challenge("Contoso conference management"))

CONFERENCE_TYPES = {name: str for name in management.CONFERENCE_FIELDS}
SEAT_TYPE_TYPES = {"name": str, "description": str, "quantity": int, "price": (float, str)}
LOCATE_TYPES = {"owner_email": str, "access_code": str}


def owned_conference(slug: str):
    """The conference named by the slug, if the Basic credentials are its owner's; else 401."""
    credentials = basic_auth()
    if credentials is None:
        raise unauthorized("Sign in with the owner email and the access code.")
    conference = queries.conference_by_slug(current_hub(), slug)
    if not management.opens_guarded(current_hub(), conference, *credentials,
                                    client=client_address()):
        raise unauthorized("The owner email or access code is wrong.")
    return conference


def not_found() -> DomainError:
    return DomainError("conference_not_found", "There is no published conference here.")


# --- public -----------------------------------------------------------------------

@bp.post("/conferences")
def create_conference():
    hub = current_hub()
    conference, access_code = management.create_conference(
        hub, *typed_fields(json_body(), CONFERENCE_TYPES))
    body = {**queries.managed_conference(hub, conference), "access_code": access_code}
    location = url_for("api_management.manage_conference", slug=conference.slug)
    return jsonify(body), 201, {"Location": location}


@bp.get("/conferences")
def list_conferences():
    return jsonify(queries.published_conferences(current_hub()))


@bp.get("/conferences/<slug>")
def show_conference(slug: str):
    conference = queries.published_conference(current_hub(), slug)
    if conference is None:
        raise not_found()
    return jsonify(conference)


@bp.post("/conferences/locate")
def locate_conference():
    fields = require_object_fields(json_body(), LOCATE_TYPES)
    hub = current_hub()
    conference = management.locate(hub, fields.get("owner_email", ""),
                                   fields.get("access_code", ""), client=client_address())
    if conference is None:
        raise unauthorized("No conference has this owner email and access code.")
    return jsonify(queries.managed_conference(hub, conference))


# --- the owner's ------------------------------------------------------------------

@bp.get("/conferences/<slug>/manage")
def manage_conference(slug: str):
    return jsonify(queries.managed_conference(current_hub(), owned_conference(slug)))


@bp.put("/conferences/<slug>")
def update_conference(slug: str):
    conference = owned_conference(slug)
    hub = current_hub()
    conference = management.update_conference(hub, conference,
                                              *typed_fields(json_body(), CONFERENCE_TYPES))
    return jsonify(queries.managed_conference(hub, conference))


@bp.post("/conferences/<slug>/publish")
def publish_conference(slug: str):
    hub = current_hub()
    conference = management.publish(hub, owned_conference(slug))
    return jsonify(queries.managed_conference(hub, conference))


@bp.post("/conferences/<slug>/unpublish")
def unpublish_conference(slug: str):
    hub = current_hub()
    conference = management.unpublish(hub, owned_conference(slug))
    return jsonify(queries.managed_conference(hub, conference))


@bp.get("/conferences/<slug>/seat-types")
def list_seat_types(slug: str):
    return jsonify(queries.managed_seat_types(current_hub(), owned_conference(slug)))


@bp.post("/conferences/<slug>/seat-types")
def create_seat_type(slug: str):
    conference = owned_conference(slug)
    seat_type = management.create_seat_type(current_hub(), conference,
                                            *typed_fields(json_body(), SEAT_TYPE_TYPES))
    wake_worker()
    return jsonify(queries.managed_seat_type(seat_type)), 201


@bp.put("/conferences/<slug>/seat-types/<seat_type_id>")
def update_seat_type(slug: str, seat_type_id: str):
    conference = owned_conference(slug)
    hub = current_hub()
    seat_type = management.update_seat_type(hub, conference, seat_type_id,
                                            *typed_fields(json_body(), SEAT_TYPE_TYPES))
    wake_worker()
    available = {s["id"]: s["available"] for s in queries.managed_seat_types(hub, conference)}
    return jsonify(queries.managed_seat_type(seat_type, available.get(seat_type.id, 0)))


@bp.delete("/conferences/<slug>/seat-types/<seat_type_id>")
def delete_seat_type(slug: str, seat_type_id: str):
    management.delete_seat_type(current_hub(), owned_conference(slug), seat_type_id)
    wake_worker()
    return "", 204


@bp.get("/conferences/<slug>/orders")
def list_orders(slug: str):
    conference = owned_conference(slug)
    return jsonify(queries.orders(current_hub(), conference, status=query_text("status", 30),
                                  email=query_text("email", 254), q=query_text("q", 100)))


@bp.get("/conferences/<slug>/attendees")
def list_attendees(slug: str):
    conference = owned_conference(slug)
    rows = queries.attendees(current_hub(), conference, seat_type=query_text("seat_type", 36),
                             q=query_text("q"))
    if request.args.get("format") == "csv":
        return Response(queries.attendees_csv(rows), mimetype="text/csv", headers={
            "Content-Disposition": f'attachment; filename="{conference.slug}-attendees.csv"'})
    return jsonify(rows)
