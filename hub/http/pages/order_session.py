"""Which orders this browser session may see: the ones it placed, or opened with "Find my
order" (email and access code). Every page with an order id in its address requires one."""
from __future__ import annotations

from flask import Blueprint, request, session

from shared_domain.errors import DomainError

SESSION_KEY = "registrant_orders"
MAX_REMEMBERED = 20
NOT_OPENED = ("This order cannot be shown in this browser. If it is yours, open it with "
              "“Find my order”: your email and the order's access code.")


def remember(order_id: str) -> None:
    ids = [i for i in held() if i != order_id]
    session[SESSION_KEY] = [*ids, order_id][-MAX_REMEMBERED:]


def held() -> tuple[str, ...]:
    ids = session.get(SESSION_KEY, [])
    return tuple(i for i in ids if isinstance(i, str)) if isinstance(ids, list) else ()


def order_pages(bp: Blueprint) -> Blueprint:
    """Make every page of bp with an <order_id> answer 404 unless this session holds it."""
    @bp.before_request
    def require_order_of_session():
        order_id = (request.view_args or {}).get("order_id")
        # The same page for an unknown id and for someone else's order: ids cannot be probed.
        if order_id is not None and order_id not in held():
            raise DomainError("order_not_found", NOT_OPENED)

    return bp
