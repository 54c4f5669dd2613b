"""The kiosk's CSRF token (web_forms/csrf.py): one per kiosk browser session."""
from __future__ import annotations

from web_forms.csrf import FIELD_NAME, HEADER_NAME, SAFE_METHODS, Csrf, CsrfRefused  # noqa: F401

KIOSK = Csrf("kiosk_csrf", "This form has expired or did not come from this node. "
                           "Reload the page.")
SESSION_KEY = KIOSK.session_key
csrf_token, csrf_field, require_csrf_token = KIOSK.token, KIOSK.field, KIOSK.require
