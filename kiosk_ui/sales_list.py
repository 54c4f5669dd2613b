"""This door's sales: the list, one sale with its tickets, receipt and badge, and cancelling.

Behind the staff PIN; a cancellation and a receipt printed again are recorded under the
staff member's name.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, g, redirect, request, url_for

from kiosk_ui import ui
from kiosk_ui.csrf import require_csrf_token
from kiosk_ui.staff_access import require_staff, staff_page
from kiosk_ui.texts import CURRENCY, PAYMENT_LABELS
from kiosk_ui.ticket_qr import qr_svg
from printers.receipt import money
from shared_domain.errors import DomainError
from shared_domain.sales import PAYMENT_METHODS

bp = Blueprint("sales_list", __name__, template_folder="templates")
bp.before_request(require_csrf_token)
bp.before_request(require_staff)


@bp.get("/staff/sales")
def sales():
    return staff_page("kiosk_ui/sales.html", sales=ui().service.sales())


@bp.get("/staff/sales/<sale_id>")
def sale(sale_id):
    found = ui().service.sale(sale_id)
    if found is None:
        abort(404)
    return staff_page("kiosk_ui/sale.html", sale=found, qr_svg=qr_svg,
                      payment_methods=PAYMENT_METHODS)


@bp.post("/staff/sales/<sale_id>/cancel")
def cancel(sale_id):
    """Cancel with the refund as given back (its method); the seats return to this door."""
    refund_method = request.form.get("refund_method", "")
    if refund_method not in PAYMENT_METHODS:
        raise DomainError("invalid_refund_method", "Choose how the money was given back.")
    found = ui().service.sale(sale_id)
    if found is None:
        abort(404)
    ui().service.cancel_sale(sale_id, refund_method=refund_method, by=g.staff)
    seats = sum(line["quantity"] for line in found["lines"])
    flash(f"Sale cancelled: refund {money(found['total_cents'], CURRENCY)} "
          f"({PAYMENT_LABELS[refund_method].lower()}). {seats} seat{'s' if seats != 1 else ''} "
          "went back to this door's allocation; the tickets no longer admit.", "ok")
    return redirect(url_for("sales_list.sale", sale_id=sale_id))


@bp.post("/staff/sales/<sale_id>/receipt")
def print_receipt(sale_id):
    ui().service.print_receipt(sale_id, by=g.staff)
    flash("The receipt is printing again.", "ok")
    return redirect(url_for("sales_list.sale", sale_id=sale_id))


@bp.get("/staff/print-jobs/<job_id>.png")
def print_preview(job_id):
    """What a print job prints (a receipt or a badge), for the staff to see."""
    png = ui().service.badge_of_job(job_id[:64])
    if png is None:
        abort(404)
    response = Response(png, mimetype="image/png")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(DomainError)
def refused(error: DomainError):
    flash(error.message, "error")
    sale_id = (request.view_args or {}).get("sale_id")
    return redirect(url_for("sales_list.sale", sale_id=sale_id) if sale_id
                    else url_for("sales_list.sales"))
