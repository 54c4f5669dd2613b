"""Cross-site request forgery protection for page forms: one secret token per session, sent
back by every form (a hidden field) or page script (the X-CSRF-Token header) and compared in
constant time. The hub's pages and the kiosk each make one `Csrf` with their own session key
and the words their users see when a form is refused."""
from __future__ import annotations

import secrets

from flask import Blueprint, request, session
from markupsafe import Markup
from werkzeug.exceptions import BadRequest

FIELD_NAME = "csrf_token"
HEADER_NAME = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class CsrfRefused(BadRequest):
    """A 400: the form's token is missing or is not this session's."""


class Csrf:
    """The token of one kind of session (`session_key`) and the hook that checks it."""

    def __init__(self, session_key: str, refusal: str):
        self.session_key = session_key
        self.refused = type("CsrfRefused", (CsrfRefused,), {"description": refusal})

    def token(self) -> str:
        """This session's token, made on first use."""
        token = session.get(self.session_key)
        if not token:
            token = session[self.session_key] = secrets.token_urlsafe(32)
        return token

    def field(self) -> Markup:
        """The hidden input every page form carries."""
        return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD_NAME,
                                                                          self.token())

    def require(self) -> None:
        """A before_request hook: unsafe methods must send back this session's token."""
        if request.method in SAFE_METHODS:
            return
        expected = session.get(self.session_key, "")
        sent = request.form.get(FIELD_NAME) or request.headers.get(HEADER_NAME, "")
        if not expected or not secrets.compare_digest(sent.encode(), expected.encode()):
            raise self.refused()

    def blueprint(self, name: str, import_name: str, **options) -> Blueprint:
        """A blueprint of pages whose unsafe requests must carry the token."""
        bp = Blueprint(name, import_name, **options)
        bp.before_request(self.require)
        return bp
