"""The registrant's promotional codes at checkout: apply one, remove one, back to checkout."""
from __future__ import annotations

from flask import flash, redirect, request, url_for

from hub.http.admin_auth import client_address
from hub.http.context import current_hub, wake_worker
from hub.http.pages.csrf import page_blueprint
from hub.http.pages.order_session import order_pages
from hub.promotions import order_codes
from shared_domain.errors import DomainError

bp = order_pages(page_blueprint("checkout_codes", __name__))


@bp.post("/orders/<order_id>/promotional-codes")
def apply(order_id: str):
    code = request.form.get("code", "").strip()[:100]
    try:
        order_codes.apply_code(current_hub(), order_id, code, client=client_address())
    except DomainError as refusal:
        flash(f"{code.upper() or 'That code'}: {refusal.message}", "error")
    else:
        wake_worker()
        flash(f"Code {code.upper()} applied.", "success")
    return redirect(url_for("registrant.checkout", order_id=order_id))


@bp.post("/orders/<order_id>/promotional-codes/<code>/remove")
def remove(order_id: str, code: str):
    try:
        order_codes.remove_code(current_hub(), order_id, code[:40])
    except DomainError as refusal:
        flash(refusal.message, "error")
    else:
        wake_worker()
        flash(f"Code {code.upper()} removed.", "success")
    return redirect(url_for("registrant.checkout", order_id=order_id))
