"""Cross-site request forgery protection for the page forms: one secret token per session,
sent back in a hidden field of every form and compared in constant time."""
from __future__ import annotations

import secrets

from flask import Blueprint, request, session
from markupsafe import Markup
from werkzeug.exceptions import BadRequest

SESSION_KEY = "csrf_token"
FIELD_NAME = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class CsrfRefused(BadRequest):
    description = ("This form could not be accepted: it has expired or did not come from "
                   "this site. Nothing was changed. Go back, reload the page and try again.")


def csrf_token() -> str:
    """This session's token, made on first use."""
    token = session.get(SESSION_KEY)
    if not token:
        token = session[SESSION_KEY] = secrets.token_urlsafe(32)
    return token


def csrf_field() -> Markup:
    """The hidden input every page form carries."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD_NAME, csrf_token())


def require_csrf_token() -> None:
    """A before_request hook: unsafe methods must send back this session's token."""
    if request.method in SAFE_METHODS:
        return
    expected = session.get(SESSION_KEY, "")
    sent = request.form.get(FIELD_NAME, "")
    if not expected or not secrets.compare_digest(sent.encode(), expected.encode()):
        raise CsrfRefused()


def page_blueprint(name: str, import_name: str, **options) -> Blueprint:
    """A blueprint of pages whose unsafe requests must carry the CSRF token."""
    bp = Blueprint(name, import_name, **options)
    bp.before_request(require_csrf_token)
    return bp
