"""The node's error pages (404, 405, 500 ...) in the kiosk's own layout, in plain words.

A browser at a door that lands on a wrong address or a failure sees a page like the others
with a way back, not a bare server page. Programs (/api/, /sync/) get JSON from the node.
"""
from __future__ import annotations

from flask import render_template
from werkzeug.exceptions import BadRequest, HTTPException

WORDS = {
    400: ("That did not work", "The page got something it could not read. Go back and try again."),
    403: ("Not allowed here", "This page is for staff. Unlock the staff desk first."),
    404: ("No such page", "There is nothing at this address on this node."),
    405: ("Not like that", "This address does not take that kind of request. "
                           "Use the buttons on the pages."),
    413: ("Too large", "What was sent is larger than this node takes."),
    429: ("Too many tries", "Wait a minute, then try again."),
    500: ("Something went wrong", "This node could not finish that. Try again; if it keeps "
                                  "happening, tell the staff at the desk."),
}


def error_page(error: HTTPException):
    """The error as a kiosk-styled page, with the error's own headers (Allow on a 405)."""
    status = error.code or 500
    title, message = WORDS.get(status, (error.name, error.description or ""))
    if status not in WORDS or (status == 400 and error.description != BadRequest.description):
        message = error.description or message   # a refusal that says why in its own words
    response = error.get_response()
    response.set_data(render_template("kiosk_ui/error.html", status=status, title=title,
                                      message=message))
    response.content_type = "text/html; charset=utf-8"
    return response
