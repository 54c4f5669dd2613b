"""The wait-lists of a conference, one per seat type, for both sides that manage it: its
owner (/manage/) and a hub admin (/admin/, hub/http/pages/admin_waitlists.py). Who waits for
how many since when, who was offered until when and who ordered; remove someone, close or
reopen, the offer window. Each side gives its layout, tabs, blueprint and `by`."""
from __future__ import annotations

from typing import Callable

from flask import flash, g, redirect, render_template, request, url_for

from hub.http.context import current_hub, wake_worker
from hub.http.pages.csrf import page_blueprint
from hub.http.pages import order_views
from hub.http.pages.order_views import Side
from hub.http.pages.owner_session import owner_pages
from hub.orders.order_management import owner
from hub.waitlists import service
from shared_domain.errors import DomainError

bp = owner_pages(page_blueprint("waitlist_admin", __name__, url_prefix="/manage/<slug>"))
OWNER = Side("waitlist_admin", "base.html", "business/_conference_nav.html",
             lambda: owner(g.conference))


def lists(side: Side, conference):
    return render_template("business/waitlists.html", side=side, conference=conference,
                           lists=service.lists(current_hub(), conference))


def remove(side: Side, conference, seat_type: str, entry_id: str):
    return _act(side, lambda hub: service.remove(hub, conference, seat_type, entry_id,
                                                 side.by()), "Removed from the wait-list.")


def close(side: Side, conference, seat_type: str):
    return _act(side, lambda hub: service.set_closed(hub, conference, seat_type, True,
                                                     side.by()), "The wait-list is closed.")


def reopen(side: Side, conference, seat_type: str):
    return _act(side, lambda hub: service.set_closed(hub, conference, seat_type, False,
                                                     side.by()), "The wait-list is open.")


def offer_window(side: Side, conference, seat_type: str):
    text = request.form.get("hours", "").strip()
    minutes = int(float(text) * 60) if text.replace(".", "", 1).isdigit() and len(text) < 8 \
        else None
    return _act(side, lambda hub: service.set_offer_window(hub, conference, seat_type, minutes,
                                                           side.by()),
                "The offer window is saved.")


def _act(side: Side, action, done: str):
    hub = current_hub()
    try:
        action(hub)
        flash(done, "info")
    except DomainError as refusal:
        flash(refusal.message, "error")
    wake_worker()
    return redirect(url_for(f"{side.endpoint}.lists"))


# The lists' routes, the same for every side: (rule, endpoint, view, methods).
ROUTES = (
    ("/waitlists", "lists", lists, ["GET"]),
    ("/waitlists/<seat_type>/entries/<entry_id>/remove", "remove", remove, ["POST"]),
    ("/waitlists/<seat_type>/close", "close", close, ["POST"]),
    ("/waitlists/<seat_type>/reopen", "reopen", reopen, ["POST"]),
    ("/waitlists/<seat_type>/offer-window", "offer_window", offer_window, ["POST"]),
)


def add_waitlist_routes(blueprint, side: Side, conference: Callable[[], object],
                        prefix: str = "/waitlists") -> None:
    """Give a blueprint the lists' page and actions for one side (its conference from
    `conference()`); `prefix` replaces the rules' "/waitlists" under the blueprint's own."""
    order_views.add_side_routes(blueprint, side, conference, [
        (prefix + rule.removeprefix("/waitlists") or "/", *rest) for rule, *rest in ROUTES])


add_waitlist_routes(bp, OWNER, lambda: g.conference)
