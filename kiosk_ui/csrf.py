"""Cross-site request forgery protection: one secret token per session, sent back by every
form (a hidden field) or script (the X-CSRF-Token header), compared in constant time."""
from __future__ import annotations

import secrets

from flask import request, session
from markupsafe import Markup
from werkzeug.exceptions import BadRequest

SESSION_KEY = "kiosk_csrf"
FIELD_NAME = "csrf_token"
HEADER_NAME = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CsrfRefused(BadRequest):
    description = "This form has expired or did not come from this node. Reload the page."


def csrf_token() -> str:
    """This session's token, made on first use."""
    token = session.get(SESSION_KEY)
    if not token:
        token = session[SESSION_KEY] = secrets.token_urlsafe(32)
    return token


def csrf_field() -> Markup:
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD_NAME, csrf_token())


def require_csrf_token() -> None:
    """A before_request hook: unsafe methods must send back this session's token."""
    if request.method in SAFE_METHODS:
        return
    expected = session.get(SESSION_KEY, "")
    sent = request.form.get(FIELD_NAME) or request.headers.get(HEADER_NAME, "")
    if not expected or not secrets.compare_digest(sent.encode(), expected.encode()):
        raise CsrfRefused()
