"""OpenAPI 3.1 description of the hub admin API (merged by hub.openapi)."""
from __future__ import annotations

from hub.http.openapi_management import document_filters, error, json_content, ok, query, ref

SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
NODE_ID = {"name": "node_id", "in": "path", "required": True, "schema": {"type": "string"}}
LETTER_ID = {"name": "letter_id", "in": "path", "required": True,
             "schema": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}}
CONFLICT_ID = {"name": "conflict_id", "in": "path", "required": True,
               "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}

_text = {"type": "string"}
_int = {"type": "integer"}
_maybe_text = {"type": ["string", "null"]}

NODE_EXAMPLE = {
    "id": "0190f1e2-2222-7c4d-8e5f-0a1b2c3d4e5f", "name": "Door A", "state": "enrolled",
    "online": True, "created_at": "2026-12-07T16:00:00+00:00",
    "enrolled_at": "2026-12-07T16:05:00+00:00", "revoked_at": None,
    "last_contact": "2026-12-08T08:59:40+00:00", "software_version": "0.1.0",
    "protocol_version": 1, "epoch": 1, "clock_offset": -2.4, "events_waiting": 3,
    "oldest_unsynced": "2026-12-08T08:58:02+00:00", "oldest_unsynced_age": 120.4,
    "allocation": None}
ENROLLMENT_EXAMPLE = {"node": {**NODE_EXAMPLE, "state": "waiting_for_enrollment", "epoch": 0,
                               "online": False, "last_contact": None},
                      "enrollment_code": "K7MQ-2XPA-9RTB", "valid_hours": 24,
                      "enroll_command": "contoso node enroll --hub https://hub.example.org "
                                        "--code K7MQ-2XPA-9RTB"}
SIDE_EXAMPLE = {"event_id": "0190f1e2-3333-7c4d-8e5f-0a1b2c3d4e5f", "who": "Ada Lovelace",
                "what": "Checked in", "where": "Door A",
                "node_time": "2026-12-08T08:31:02+00:00",
                "corrected_time": "2026-12-08T08:30:59.600000+00:00",
                "reached_hub": "2026-12-08T08:45:10+00:00"}
CONFLICT_EXAMPLE = {
    "id": "5f1c" + "0" * 60, "kind": "double_check_in",
    "kind_label": "Same ticket checked in at two doors", "severity": "info", "status": "open",
    "conference_id": "0190f1e2-0000-7c4d-8e5f-0a1b2c3d4e5f", "conference": "pycon_north",
    "subject": "0190f1e2-1111-7c4d-8e5f-0a1b2c3d4e5f:0", "nodes": [NODE_EXAMPLE["id"]],
    "detected_at": "2026-12-08T08:45:11+00:00", "resolved_at": None,
    "automatic_outcome": "The entry is Ada Lovelace at Door A (08:30:59 hub time); the scan at "
                         "Door B counts as a duplicate. Possibly a shared ticket."}
RESOLVED_EXAMPLE = {"conflict_id": CONFLICT_EXAMPLE["id"], "resolution": "accept",
                    "comment": "", "by": "admin@contoso.example",
                    "event_id": "0190f1e2-4444-7c4d-8e5f-0a1b2c3d4e5f", "chosen": "",
                    "resolved_at": "2026-12-08T09:00:00+00:00"}
DASHBOARD_EXAMPLE = {
    "conference": {"id": CONFLICT_EXAMPLE["conference_id"], "slug": "pycon_north",
                   "name": "PyCon North"},
    "at": "2026-12-08T09:00:00+00:00", "checked_in": 212, "expected": 297,
    "per_node": [{"node_id": NODE_EXAMPLE["id"], "name": "Door A", "checked_in": 212,
                  "online": True, "revoked": False}],
    "timeline": {"start": "2026-12-08T08:00:00+00:00", "bucket_minutes": 5,
                 "counts": [3, 18, 40, 51, 37, 22, 15, 9, 8, 5, 3, 1, 0]},
    "seat_types": [{"id": "0190f1e2-7a3b-7c4d-8e5f-0a1b2c3d4e5f", "name": "General admission",
                    "quantity": 300, "sold_online": 297, "sold_on_site": 0, "allocated": 0,
                    "remaining": 3}],
    "nodes_online": 1, "nodes_total": 1, "open_conflicts": {"double_check_in": 1}}

DEAD_LETTER_EXAMPLE = {
    "id": 7, "reader": "ticket_issuer", "event_id": "0190f1e2-5555-7c4d-8e5f-0a1b2c3d4e5f",
    "position": 1042, "type": "SeatAssigned", "origin": "hub/0190f1e2-0000-7c4d-8e5f-0a1b2c3d4e5f",
    "conference_id": CONFLICT_EXAMPLE["conference_id"], "conference": "pycon_north",
    "error": "KeyError: 'seat_type'", "traceback": "Traceback (most recent call last): ...",
    "first_failed_at": "2026-12-08T08:45:11+00:00", "last_failed_at": "2026-12-08T08:45:11+00:00",
    "attempts": 1, "status": "open", "resolved_at": None, "resolved_by": None}

OPENAPI_COMPONENTS = {
    "schemas": {
        "DeadLetter": {"type": "object", "description": "An event one reader could not apply, "
                                                        "set aside so the reader went on",
                       "properties": {
            "id": _int, "reader": _text, "event_id": _text, "position": _int, "type": _text,
            "origin": _text, "conference_id": _text,
            "conference": {"type": "string", "description": "Slug; empty if none matches"},
            "error": _text, "traceback": {"type": "string", "description": "The last frames"},
            "first_failed_at": _text, "last_failed_at": _text,
            "attempts": {"type": "integer", "description": "Failures so far, retries included"},
            "status": {"enum": ["open", "resolved", "dismissed"]},
            "resolved_at": _maybe_text,
            "resolved_by": {"type": ["string", "null"],
                            "description": "The admin who retried or dismissed it"}}},
        "Node": {"type": "object", "properties": {
            "id": _text, "name": _text,
            "state": {"enum": ["waiting_for_enrollment", "enrolled", "revoked"]},
            "online": {"type": "boolean", "description": "Last contact within 2 minutes"},
            "last_contact": _maybe_text, "software_version": _text,
            "protocol_version": {"type": ["integer", "null"]}, "epoch": _int,
            "clock_offset": {"type": ["number", "null"],
                             "description": "Hub time minus node time, seconds"},
            "events_waiting": {"type": "integer", "description": "As last reported"},
            "oldest_unsynced": _maybe_text,
            "oldest_unsynced_age": {"type": ["number", "null"], "description": "Seconds"},
            "allocation": {"type": ["array", "null"], "items": {"type": "object"}}}},
        "Enrollment": {"type": "object", "properties": {
            "node": ref("Node"), "enrollment_code": {"type": "string",
                                                     "description": "Shown once; one use"},
            "valid_hours": _int, "enroll_command": _text}},
        "ConflictSide": {"type": "object", "properties": {
            "event_id": _text, "who": _text, "what": _text, "where": _text,
            "node_time": _maybe_text, "corrected_time": _maybe_text, "reached_hub": _maybe_text}},
        "Conflict": {"type": "object", "properties": {
            "id": _text, "kind": _text, "kind_label": _text,
            "severity": {"enum": ["info", "review"]}, "status": {"enum": ["open", "resolved"]},
            "conference": _text, "subject": _text, "nodes": {"type": "array", "items": _text},
            "detected_at": _text, "resolved_at": _maybe_text, "automatic_outcome": _text}},
        "ConflictDetail": {"allOf": [ref("Conflict"), {"type": "object", "properties": {
            "sides": {"type": "array", "items": ref("ConflictSide")},
            "resolutions": {"type": "array", "items": _text},
            "resolution": {"type": ["object", "null"]}}}]},
        "Resolution": {"type": "object", "properties": {
            "conflict_id": _text, "resolution": _text, "comment": _text, "by": _text,
            "event_id": {"type": "string", "description": "The ConflictResolved event"},
            "chosen": _text, "resolved_at": _text}},
    },
    "securitySchemes": {
        "adminBasic": {"type": "http", "scheme": "basic",
                       "description": "A hub admin's email and password (contoso hub "
                                      "create-admin). Failed attempts are rate-limited."},
        "adminSession": {"type": "apiKey", "in": "cookie", "name": "session",
                         "description": "The admin session of /admin/login; changes also "
                                        "send the X-CSRF-Token header."},
    },
}


def admin_operation(summary: str, responses: dict, *, body: tuple | None = None,
                    parameters: list | None = None) -> dict:
    op = {"summary": summary, "tags": ["admin"], "responses": responses,
          "security": [{"adminBasic": []}, {"adminSession": []}]}
    responses["401"] = error("Not a signed-in admin", "unauthorized",
                             "Sign in as a hub admin (session) or send an admin's email and "
                             "password with HTTP Basic.")
    responses["429"] = error("Too many failed sign-ins", "too_many_attempts",
                             "Too many failed sign-ins. Wait 15 minutes, then try again.")
    if body is not None:
        op["requestBody"] = {"required": True, "content": json_content(*body)}
        responses.setdefault("400", error("Malformed JSON or invalid fields", "invalid_fields",
                                          "Some fields have the wrong type."))
    if parameters:
        op["parameters"] = parameters
    document_filters(responses, parameters)
    return op


_no_conference = error("No such conference", "conference_not_found",
                       "There is no conference 'pycon_north'.")
_no_node = error("No such node", "node_not_found", "This conference has no such node.")
_no_conflict = error("No such conflict", "conflict_not_found",
                     "There is no conflict with this id.")
_no_letter = error("No such dead letter", "dead_letter_not_found",
                   "There is no set-aside event with this id.")
_letter_closed = error("Resolved or dismissed already (already_resolved), or this hub has no "
                       "reader of that name any more (reader_unknown)", "already_resolved",
                       "This event was dismissed already.")
_enrollment = ok("The node and its one-time enrollment code", ref("Enrollment"),
                 ENROLLMENT_EXAMPLE)

OPENAPI_PATHS = {
    "/api/admin/conferences": {"get": admin_operation("Every conference, with open conflicts", {
        "200": ok("Conferences", {"type": "array", "items": {"type": "object"}},
                  [{"id": CONFLICT_EXAMPLE["conference_id"], "slug": "pycon_north",
                    "name": "PyCon North", "start_date": "2026-12-08",
                    "end_date": "2026-12-09", "is_published": True, "open_conflicts": 1}])})},
    "/api/admin/conferences/{slug}/nodes": {
        "get": admin_operation("The conference's nodes, as last reported", {
            "200": ok("Nodes", {"type": "array", "items": ref("Node")}, [NODE_EXAMPLE]),
            "404": _no_conference}, parameters=[SLUG]),
        "post": admin_operation("Create a node and its one-time enrollment code (24 h)", {
            "201": _enrollment, "404": _no_conference},
            body=({"type": "object", "required": ["name"], "properties": {"name": _text}},
                  {"name": "Door A"}), parameters=[SLUG])},
    "/api/admin/conferences/{slug}/nodes/{node_id}/revoke": {
        "post": admin_operation("Revoke a node: refused from now on, wipes its data at next "
                                "contact (idempotent)", {
            "200": ok("The revoked node", ref("Node"), {**NODE_EXAMPLE, "state": "revoked"}),
            "404": _no_node}, parameters=[SLUG, NODE_ID])},
    "/api/admin/conferences/{slug}/nodes/{node_id}/allocation": {
        "post": admin_operation("Give a node seats of a seat type to sell on site (quantity > 0: "
                                "at most what is free), or ask unsold seats back (< 0: the node "
                                "returns them at its next sync)", {
            "200": {"description": "What happens, and the node's allocation as the hub knows it"},
            "400": error("More than is free online, more than the node holds unsold, or not a "
                         "whole number (also `more_than_held`, `invalid_quantity`)",
                         "not_enough_free_seats", "Only 100 General admission are free online."),
            "404": _no_node,
            "409": error("The node is not enrolled or was revoked", "node_not_active",
                         "This node cannot hold seats now.")},
            body=({"type": "object", "required": ["seat_type", "quantity"],
                   "properties": {"seat_type": {"type": "string"},
                                  "quantity": {"type": "integer"}}},
                  {"seat_type": "<seat type id>", "quantity": 20})),
    },
    "/api/admin/conferences/{slug}/staff-pin": {
        "put": admin_operation("Set the staff PIN of every door of the conference (4 to 12 "
                               "digits; the doors learn only its salted hash, by sync)", {
            "200": {"description": "Set"},
            "400": {"description": "invalid_pin", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Error"}}}}},
            body=({"type": "object", "required": ["pin"],
                   "properties": {"pin": {"type": "string", "pattern": "^[0-9]{4,12}$"}}},
                  {"pin": "2468"})),
    },
    "/api/admin/conferences/{slug}/nodes/{node_id}/rotate": {
        "post": admin_operation("Rotate the node's secret: a new enrollment code (older unused "
                                "ones stop working); enrolling gives a new secret and epoch", {
            "200": _enrollment, "404": _no_node,
            "409": error("Revoked node", "node_revoked",
                         "A revoked node cannot be given a new secret.")},
            body=({"type": "object", "properties": {"retire_current_secret": {
                "type": "boolean", "description": "Stop the current secret now (default: it "
                                                  "works until the node enrolls again)"}}},
                  {"retire_current_secret": False}), parameters=[SLUG, NODE_ID])},
    "/api/admin/conflicts": {"get": admin_operation("The conflict inbox, newest first", {
        "200": ok("Conflicts", {"type": "array", "items": ref("Conflict")}, [CONFLICT_EXAMPLE]),
        "404": error("No conference with the slug given as `conference`", "conference_not_found",
                     "There is no conference 'pycon_south'.")},
        parameters=[query("conference", "conference slug", 100),
                    query("kind", "e.g. double_check_in", 40), query("node", "node id", 36),
                    query("status", "open or resolved", 20)])},
    "/api/admin/conflicts/{conflict_id}": {"get": admin_operation(
        "One conflict with both sides and the resolutions it allows", {
            "200": ok("The conflict", ref("ConflictDetail"),
                      {**CONFLICT_EXAMPLE, "sides": [SIDE_EXAMPLE, SIDE_EXAMPLE],
                       "resolutions": ["accept", "other_side", "reviewed"], "resolution": None}),
            "404": _no_conflict}, parameters=[CONFLICT_ID])},
    "/api/admin/conflicts/{conflict_id}/resolve": {"post": admin_operation(
        "Resolve: a ConflictResolved hub event (synced to the nodes) and its effect", {
            "200": ok("The resolution", ref("Resolution"), RESOLVED_EXAMPLE),
            "404": _no_conflict,
            "409": error("Resolved already", "already_resolved",
                         "This conflict has already been resolved.")},
        body=({"type": "object", "required": ["resolution"], "properties": {
            "resolution": {"enum": ["accept", "other_side", "refund", "reviewed"]},
            "comment": {"type": "string", "maxLength": 2000,
                        "description": "Required for reviewed"}}},
              {"resolution": "reviewed", "comment": "Spoke to both at the desk."}),
        parameters=[CONFLICT_ID])},
    "/api/admin/conflicts/bulk-resolve": {"post": admin_operation(
        "Accept the automatic outcome of every open conflict of one info-level kind", {
            "200": ok("How many were resolved", {"type": "object", "properties": {
                "resolved": _int}}, {"resolved": 12}), "404": _no_conference},
        body=({"type": "object", "required": ["conference", "kind"], "properties": {
            "conference": _text, "kind": _text, "comment": _text}},
              {"conference": "pycon_north", "kind": "double_check_in"}))},
    "/api/admin/conferences/{slug}/dashboard": {"get": admin_operation(
        "The live dashboard's figures", {
            "200": ok("Figures", {"type": "object"}, DASHBOARD_EXAMPLE), "404": _no_conference},
        parameters=[SLUG])},
    "/api/admin/dead-letters": {"get": admin_operation(
        "Events the readers set aside, last failure first (at most 500)", {
            "200": ok("Dead letters", {"type": "array", "items": ref("DeadLetter")},
                      [DEAD_LETTER_EXAMPLE]),
            "400": error("Unknown status", "invalid_fields", "Unknown status.",
                         {"status": "One of open, resolved, dismissed."})},
        parameters=[{"name": "status", "in": "query", "required": False,
                     "description": "open (default), resolved, dismissed, or empty for all",
                     "schema": {"enum": ["open", "resolved", "dismissed", ""]}}])},
    "/api/admin/dead-letters/{letter_id}/retry": {"post": admin_operation(
        "Feed the event to its reader again: resolved on success, else open with one more "
        "attempt and the new error", {
            "200": ok("The dead letter after the retry", ref("DeadLetter"),
                      {**DEAD_LETTER_EXAMPLE, "status": "resolved", "resolved_by":
                       "admin@contoso.example", "resolved_at": "2026-12-08T09:00:00+00:00"}),
            "403": error("Session without the CSRF header", "csrf_refused",
                         "A session-authenticated change must send the X-CSRF-Token header."),
            "404": _no_letter, "409": _letter_closed}, parameters=[LETTER_ID])},
    "/api/admin/dead-letters/{letter_id}/dismiss": {"post": admin_operation(
        "Close the dead letter without applying the event (who and when are kept)", {
            "200": ok("The dismissed dead letter", ref("DeadLetter"),
                      {**DEAD_LETTER_EXAMPLE, "status": "dismissed", "resolved_by":
                       "admin@contoso.example", "resolved_at": "2026-12-08T09:00:00+00:00"}),
            "403": error("Session without the CSRF header", "csrf_refused",
                         "A session-authenticated change must send the X-CSRF-Token header."),
            "404": _no_letter, "409": _letter_closed}, parameters=[LETTER_ID])},
}
