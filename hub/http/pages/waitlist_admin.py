"""The organiser's wait-lists, one per seat type: who waits for how many since when, who
was offered until when and who ordered; remove someone, close or reopen, the offer window."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from hub.http.context import current_hub, wake_worker
from hub.http.pages.csrf import page_blueprint
from hub.http.pages.owner_session import owner_pages
from hub.orders.order_management import owner
from hub.waitlists import service
from shared_domain.errors import DomainError

bp = owner_pages(page_blueprint("waitlist_admin", __name__, url_prefix="/manage/<slug>"))


@bp.get("/waitlists")
def lists():
    return render_template("business/waitlists.html", conference=g.conference,
                           lists=service.lists(current_hub(), g.conference))


@bp.post("/waitlists/<seat_type>/entries/<entry_id>/remove")
def remove(seat_type: str, entry_id: str):
    return _act(lambda hub: service.remove(hub, g.conference, seat_type, entry_id,
                                           owner(g.conference)), "Removed from the wait-list.")


@bp.post("/waitlists/<seat_type>/close")
def close(seat_type: str):
    return _act(lambda hub: service.set_closed(hub, g.conference, seat_type, True,
                                               owner(g.conference)), "The wait-list is closed.")


@bp.post("/waitlists/<seat_type>/reopen")
def reopen(seat_type: str):
    return _act(lambda hub: service.set_closed(hub, g.conference, seat_type, False,
                                               owner(g.conference)), "The wait-list is open.")


@bp.post("/waitlists/<seat_type>/offer-window")
def offer_window(seat_type: str):
    text = request.form.get("hours", "").strip()
    minutes = int(float(text) * 60) if text.replace(".", "", 1).isdigit() and len(text) < 8 \
        else None
    return _act(lambda hub: service.set_offer_window(hub, g.conference, seat_type, minutes,
                                                     owner(g.conference)),
                "The offer window is saved.")


def _act(action, done: str):
    hub = current_hub()
    try:
        action(hub)
        flash(done, "info")
    except DomainError as refusal:
        flash(refusal.message, "error")
    wake_worker()
    return redirect(url_for(".lists"))
