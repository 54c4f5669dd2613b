"""The longest text a person may type into each field: one table the API, the forms, the
sync ingest and the badges agree on (docs/api.md, "Input limits")."""
from __future__ import annotations

PERSON_NAME_MAX = 60        # first name, last name: fits a badge line at the smallest type
COMPANY_MAX = 100
EMAIL_MAX = 254             # RFC 5321's longest forward path less its angle brackets
CONFERENCE_NAME_MAX = 200
CONFERENCE_NAME_MIN = 2
SLUG_MAX = 60               # part of every registration address: letters, digits, underscore
CONFERENCE_DESCRIPTION_MAX = 5000
LOCATION_MAX = 200
TAGLINE_MAX = 200
TWITTER_SEARCH_MAX = 200
ORGANISER_NAME_MAX = 200    # the conference owner: a person or an organisation
SEAT_TYPE_NAME_MIN = 2
SEAT_TYPE_NAME_MAX = 70
SEAT_TYPE_DESCRIPTION_MAX = 250
NODE_NAME_MAX = 100         # a door's name on the admin console
STAFF_NAME_MAX = 60         # who did it, on every staff action at a door
REFERENCE_MAX = 100         # a card terminal's or invoice's number
CANCELLATION_REASON_MAX = 500  # why an order is cancelled, in the canceller's words
COMMENT_MAX = 2000          # an admin's comment when resolving a conflict
TEXT_MAX = 2000             # any other text field of an event from outside


def as_dict() -> dict[str, int]:
    """Every limit by name, for the forms' maxlength attributes."""
    return {name: value for name, value in globals().items()
            if name.isupper() and isinstance(value, int)}
