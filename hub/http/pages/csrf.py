"""The hub pages' CSRF token (web_forms/csrf.py): one per browser session."""
from __future__ import annotations

from web_forms.csrf import FIELD_NAME, SAFE_METHODS, Csrf, CsrfRefused  # noqa: F401

HUB = Csrf("csrf_token", "This form could not be accepted: it has expired or did not come "
                         "from this site. Nothing was changed. Go back, reload the page and "
                         "try again.")
SESSION_KEY = HUB.session_key
csrf_token, csrf_field, require_csrf_token, page_blueprint = (HUB.token, HUB.field,
                                                               HUB.require, HUB.blueprint)
