"""Which conferences this browser session may manage: the ones it created or located with
the owner email and access code. Pages under /manage/<slug> require one of them."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, session, url_for

from hub import management_queries as queries
from hub.app import current_hub

SESSION_KEY = "managed_conferences"
MAX_REMEMBERED = 10


def remember(conference) -> None:
    ids = [i for i in session.get(SESSION_KEY, []) if i != conference.id]
    session[SESSION_KEY] = [*ids, conference.id][-MAX_REMEMBERED:]


def forget_all() -> None:
    session.pop(SESSION_KEY, None)


def managed_conferences() -> list:
    C = current_hub().models.Conference
    ids = session.get(SESSION_KEY, [])
    return list(C.select().where(C.id.in_(ids)).order_by(C.name)) if ids else []


def owner_pages(bp: Blueprint) -> Blueprint:
    """Make a /manage/<slug> blueprint load g.conference, or send a stranger to sign in."""
    @bp.url_value_preprocessor
    def take_slug(endpoint, values):
        g.slug = (values or {}).pop("slug", "")

    @bp.url_defaults
    def give_slug(endpoint, values):
        if "slug" not in values and "conference" in g:
            values["slug"] = g.conference.slug

    @bp.before_request
    def require_owner():
        conference = queries.conference_by_slug(current_hub(), g.slug)
        # The same answer whether or not the slug exists: unpublished names stay private.
        if conference is None or conference.id not in session.get(SESSION_KEY, []):
            flash("Sign in with the owner email and the access code to manage that "
                  "conference.", "info")
            return redirect(url_for("business.index"))
        g.conference = conference
        return None

    return bp
