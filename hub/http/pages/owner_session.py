"""Which conferences this browser session may manage: the ones it created or located with
the owner email and access code. Pages under /manage/<slug> require one of them, and an
open owner session on the server (signing out ends it for every copy of the cookie)."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, g, redirect, session, url_for

from hub.accounts import browser_sessions
from hub.conferences import management_queries as queries
from hub.http.context import current_hub

SESSION_KEY = "managed_conferences"
TOKEN_KEY = "owner_session"
MAX_REMEMBERED = 10
# An owner's pages stay open through a working day; the server ends the session after that.
IDLE_TIMEOUT = dt.timedelta(hours=12)


def remember(conference) -> None:
    """Add the conference to this browser's owner session (started here if there is none)."""
    hub = current_hub()
    if browser_sessions.live(hub, session.get(TOKEN_KEY), "owner", IDLE_TIMEOUT) is None:
        session[TOKEN_KEY] = browser_sessions.start(hub, "owner")
        session.pop(SESSION_KEY, None)
    ids = [i for i in session.get(SESSION_KEY, []) if i != conference.id]
    session[SESSION_KEY] = [*ids, conference.id][-MAX_REMEMBERED:]
    g.pop("managed", None)


def forget_all() -> None:
    """Sign out on the server too: a copy of this cookie opens nothing afterwards."""
    browser_sessions.end(current_hub(), session.pop(TOKEN_KEY, None))
    session.pop(SESSION_KEY, None)
    g.pop("managed", None)


def managed_ids() -> list[str]:
    """The conferences of this browser's open owner session (none once it ended)."""
    if "managed" not in g:
        held = browser_sessions.live(current_hub(), session.get(TOKEN_KEY), "owner",
                                     IDLE_TIMEOUT)
        ids = session.get(SESSION_KEY, []) if held is not None else []
        g.managed = [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []
    return g.managed


def managed_conferences() -> list:
    C = current_hub().models.Conference
    ids = managed_ids()
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
        if conference is None or conference.id not in managed_ids():
            flash("Sign in with the owner email and the access code to manage that "
                  "conference.", "info")
            return redirect(url_for("business.index"))
        g.conference = conference
        return None

    return bp
