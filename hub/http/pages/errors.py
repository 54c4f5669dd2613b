"""Error pages in the site's own style, for every path outside /api/."""
from __future__ import annotations

from flask import render_template

TITLES = {400: "That request could not be accepted", 401: "Please sign in",
          403: "Not allowed", 404: "Page not found", 405: "Not allowed here",
          409: "That cannot be done now", 413: "Too much data", 429: "Too many tries",
          500: "Something went wrong on our side"}
MESSAGES = {
    404: "There is nothing at this address. It may have moved, or the link may be mistyped.",
    500: "The page could not be shown because of an error on the server. "
         "It has been logged; please try again in a moment.",
}


def error_page(status: int, code: str, message: str):
    """Render (status, code, message) as the site's error page."""
    title = TITLES.get(status, "Something went wrong")
    # Werkzeug's stock texts speak to developers; ours to people.
    text = MESSAGES.get(status) if code in ("not_found", "internal_server_error") else message
    return render_template("error.html", status=status, title=title,
                           message=text or message), status
