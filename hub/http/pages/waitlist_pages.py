"""The registrant's wait-list pages: join sold-out seat types from the conference page's
form, open one's entry (and leave it) or one's offer (and take it) from a mail's link."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import redirect, render_template, request, url_for

from hub.http.admin_auth import client_address
from hub.http.context import current_hub, wake_worker
from hub.http.errors import status_of
from hub.http.pages.csrf import page_blueprint
from hub.http.pages.forms import form_fields, refusal_errors
from hub.http.pages.order_session import remember
from hub.http.pages.order_waiting import reserved_or_refused, wait_for_order
from hub.orders import registration
from hub.waitlists import service
from shared_domain.errors import DomainError

bp = page_blueprint("waitlist_pages", __name__, url_prefix="/waitlist")


@dataclass
class Joined:
    entries: list = field(default_factory=list)
    error: str = ""


def join_from_order_form(shown: dict) -> Joined:
    """Join the lists of the sold-out seat types the conference form asks to wait for
    (fields wait_<seat type>, wait_name, wait_email); nothing asked, nothing done."""
    waits = {}
    for t in shown["seat_types"]:
        text = request.form.get(f"wait_{t['id']}", "").strip()
        if text.isdigit() and int(text) > 0:
            waits[t["id"]] = int(text)
    joined = Joined()
    body = {"name": request.form.get("wait_name", ""), "email": request.form.get("wait_email", "")}
    for seat_type, quantity in waits.items():
        try:
            joined.entries.append(service.join(current_hub(), shown["slug"], seat_type,
                                               {**body, "quantity": quantity},
                                               client=client_address()))
        except DomainError as refusal:
            fields = getattr(refusal, "fields", None) or {}
            joined.error = " ".join([refusal.message, *fields.values()])
            break
    if joined.entries:
        wake_worker()
    return joined


def joined_page(shown: dict, joined: Joined):
    return render_template("waitlist/joined.html", conference=shown, entries=joined.entries)


@bp.post("/conferences/<slug>/<seat_type>")
def join_seat_type(slug: str, seat_type: str):
    """Wait for one seat type: the form a partly reserved order offers for what is missing."""
    hub = current_hub()
    conference = registration.published_conference(hub, slug)
    values = form_fields(("quantity", "name", "email"))
    text = values.get("quantity", "")
    body = {"name": values.get("name", ""), "email": values.get("email", ""),
            "quantity": int(text) if text.isdigit() and len(text) <= 3 else text}
    try:
        found = service.join(hub, slug, seat_type, body, client=client_address())
    except DomainError as refusal:
        if refusal.code.endswith("_not_found"):
            raise
        return render_template(
            "waitlist/join.html", conference=conference, seat_type=seat_type,
            seat_type_name=service.seat_type_names(hub, conference.id).get(seat_type, "Seats"),
            values=values, errors=refusal_errors(refusal)), status_of(refusal)
    wake_worker()
    return render_template("waitlist/joined.html", conference=conference, entries=[found])


@bp.get("/entries/<entry_id>")
def entry(entry_id: str):
    found = service.proven_entry(current_hub(), entry_id, request.args.get("proof", "")[:100])
    return render_template("waitlist/entry.html", entry=found,
                           proof=request.args.get("proof", ""))


@bp.post("/entries/<entry_id>/leave")
def leave(entry_id: str):
    proof = request.form.get("proof", "")[:100]
    found = service.leave(current_hub(), entry_id, proof)
    wake_worker()
    return render_template("waitlist/entry.html", entry=found, proof=proof)


@bp.get("/offers/<offer_id>")
def offer(offer_id: str):
    proof = request.args.get("proof", "")[:100]
    found = service.proven_offer(current_hub(), offer_id, proof)
    return render_template("waitlist/offer.html", offer=found, proof=proof)


@bp.post("/offers/<offer_id>/accept")
def accept(offer_id: str):
    """Place the order on the held seats and go on to the normal checkout."""
    hub = current_hub()
    order_id = service.accept(hub, offer_id, request.form.get("proof", "")[:100])
    remember(order_id)
    wake_worker()
    hub.refresh_read_models()
    wait_for_order(order_id, reserved_or_refused)
    return redirect(url_for("registrant.details", order_id=order_id))


@bp.post("/offers/<offer_id>/decline")
def decline(offer_id: str):
    proof = request.form.get("proof", "")[:100]
    service.decline(current_hub(), offer_id, proof)
    wake_worker()
    return redirect(url_for(".offer", offer_id=offer_id, proof=proof))
