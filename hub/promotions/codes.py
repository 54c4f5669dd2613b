"""The organiser's side of promotional codes: parse what was sent, hand it to the bus, list."""
from __future__ import annotations

import datetime as dt
import json

from event_store.readers import catch_up
from hub.platform.errors import Refused
from hub.venue.origins import OriginGuard
from shared_domain import promotions
from shared_domain.errors import DomainError

# Which field a refusal of the code's terms is about, for the form and the API's `fields`.
FIELD_OF_CODE = {"invalid_promotional_code": "code", "promotional_code_exists": "code",
                 "quota_exceeds_seats": "quota", "quota_below_uses": "quota",
                 "unknown_seat_type": "seat_types"}
DATE_MAX = 40


def parse_terms(body: dict) -> promotions.CodeTerms:
    """A code's terms from a JSON body or a form: kind, value, seat_types, quota_kind, quota,
    single_use, valid_from, valid_until, combination; every wrong field named at once."""
    errors: dict[str, str] = {}

    def whole(name, default=None):
        value = body.get(name, default)
        if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 9:
            value = int(value.strip())
        if value is None or isinstance(value, bool) or not isinstance(value, int):
            errors[name] = "a whole number"
            return 0
        return value

    def choice(name, options, default):
        value = body.get(name, default)
        if value not in options:
            errors[name] = f"one of {', '.join(options)}"
            return default
        return value

    kind = choice("kind", promotions.KINDS, promotions.PERCENTAGE)
    value = whole("value")
    quota_kind = choice("quota_kind", promotions.QUOTA_KINDS, promotions.UNLIMITED)
    quota = whole("quota", 0) if quota_kind != promotions.UNLIMITED else 0
    if body.get("single_use") in (True, "on", "true", "1"):
        quota_kind, quota = promotions.USES, 1
    seat_types = body.get("seat_types", [])
    if not isinstance(seat_types, list) or len(seat_types) > 100 or not all(
            isinstance(s, str) and 0 < len(s) <= 36 for s in seat_types):
        errors["seat_types"] = "a list of seat type ids ([]: every seat type)"
        seat_types = []
    combination = choice("combination", promotions.COMBINATIONS, promotions.CUMULATIVE)
    valid_from, valid_until = (_moment(body, name, errors) for name in ("valid_from",
                                                                        "valid_until"))
    if errors:
        raise Refused("invalid_fields", "Some fields of the code are wrong.", errors)
    return promotions.CodeTerms(kind, value, tuple(seat_types), quota_kind, quota, valid_from,
                                valid_until, combination)


def _moment(body: dict, name: str, errors: dict) -> dt.datetime | None:
    raw = body.get(name)
    if raw in (None, ""):
        return None
    try:
        if not isinstance(raw, str) or len(raw) > DATE_MAX:
            raise ValueError(raw)
        moment = dt.datetime.fromisoformat(raw.strip())
    except ValueError:
        errors[name] = "a date and time in ISO 8601, e.g. 2025-06-01T00:00:00+00:00"
        return None
    # A form's datetime-local has no zone: the hub reads it as UTC (said on the form).
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def define_code(hub, conference, body: dict, *, by: str = "") -> str:
    """Create a code for the conference; return it as stored (upper case)."""
    terms = parse_terms(body)
    code = _code_field(body.get("code"))
    _handled(hub, promotions.DefinePromotionalCode(conference.id, code, terms, by))
    return code


def update_code(hub, conference, code: str, body: dict, *, by: str = "") -> str:
    code = _code_field(code)
    current = find_code(hub, conference, code)
    terms = parse_terms({**current, **body})
    _handled(hub, promotions.UpdatePromotionalCode(conference.id, code, terms, by))
    return code


def _code_field(raw) -> str:
    try:
        return promotions.normalise_code(raw)
    except DomainError as refused:
        raise Refused(refused.code, refused.message, {"code": refused.message})


def _handled(hub, command) -> None:
    try:
        hub.bus.handle(command, correlation=f"promotion-{command.code}")
    except Refused:
        raise
    except DomainError as refused:
        field = FIELD_OF_CODE.get(refused.code)
        if field is None and refused.code == "invalid_promotional_code_terms":
            field = refused.message.partition(" ")[0]
        raise Refused(refused.code, refused.message, {field: refused.message} if field else {})
    catch_up_views(hub)


def catch_up_views(hub) -> None:
    """Bring the codes' read model up to the log, so the organiser reads their own writes."""
    catch_up(hub.store, OriginGuard(views(hub)))


def views(hub):
    return next(r for r in hub.readers if r.name == "promotions")


def code_row_json(row) -> dict:
    return {"code": row.code, "kind": row.kind, "value": row.value,
            "seat_types": json.loads(row.seat_types), "quota_kind": row.quota_kind,
            "quota": row.quota, "uses": row.uses, "seats_used": row.seats,
            "valid_from": row.valid_from or None, "valid_until": row.valid_until or None,
            "combination": row.combination}


def list_codes(hub, conference) -> list[dict]:
    V = views(hub).m.PromotionalCodeView
    return [code_row_json(row) for row in
            V.select().where(V.conference_id == conference.id).order_by(V.code)]


def find_code(hub, conference, code: str) -> dict:
    V = views(hub).m.PromotionalCodeView
    row = V.get_or_none((V.conference_id == conference.id) & (V.code == code))
    if row is None:
        raise DomainError("promotional_code_not_found", "There is no such promotional code.")
    return code_row_json(row)


def code_uses(hub, conference, code: str) -> list[dict]:
    U = views(hub).m.PromotionalCodeUseView
    return [{"order_id": u.order_id, "seats": u.seats, "status": u.status, "reason": u.reason,
             "at": u.at} for u in U.select().where((U.conference_id == conference.id)
                                                   & (U.code == code)).order_by(U.at)]
