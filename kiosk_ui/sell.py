"""The planner's sale: who buys (scan, search or walk-in), then seats and payment.

Behind the staff PIN; the sale is recorded under the name given at login (`g.staff`).
The buyer travels between the two screens as a seat id (an attendee the door knows, looked
up again on every request) or, for a walk-in, as the typed fields.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, make_response, redirect, request, url_for

from kiosk_ui import sale_form, ui
from kiosk_ui.csrf import require_csrf_token
from kiosk_ui.ports import Buyer
from kiosk_ui.staff_access import require_staff, staff_page
from kiosk_ui.texts import CURRENCY, paid_by
from printers.receipt import money
from shared_domain.errors import DomainError
from shared_domain.sales import PAYMENT_METHODS

bp = Blueprint("sell", __name__, template_folder="templates")
bp.before_request(require_csrf_token)
bp.before_request(require_staff)
QUERY_LENGTH = 100


# --- who buys ------------------------------------------------------------------------------

@bp.get("/staff/sell")
def buyer():
    query = request.args.get("q", "").strip()[:QUERY_LENGTH]
    return buyer_page(query=query)


@bp.post("/staff/sell/scan")
def scan():
    """A badge or ticket scanned (or typed): its holder is the buyer."""
    found = ui().service.buyer_of_code(request.form.get("code", "")[:1000])
    return redirect(url_for("sell.seats", seat=found["seat_id"]))


@bp.post("/staff/sell/walk-in")
def walk_in():
    walk_in, errors = sale_form.walk_in_from(request.form)
    if errors:
        return buyer_page(walk_in=walk_in, errors=errors), 400
    return seats_page(walk_in)


def buyer_page(query: str = "", walk_in: Buyer | None = None, errors: dict | None = None):
    found = ui().service.search(query) if query else []
    return staff_page("kiosk_ui/sell_buyer.html", query=query, found=found,
                      walk_in=walk_in or {}, errors=errors or {})


# --- what they buy, how they pay -------------------------------------------------------

@bp.get("/staff/sell/seats")
def seats():
    return seats_page(known_buyer(request.args.get("seat", "")))


@bp.post("/staff/sell/seats")
def sell():
    """Sell when the form is whole and the total is the one the planner saw; else show why."""
    buyer = buyer_in_form()
    offer = ui().service.sale_offer()
    quantities, errors = sale_form.quantities_from(request.form, offer)
    if errors:
        return seats_page(buyer, offer, quantities, errors=errors), 400
    wanted = sale_form.wanted(quantities)
    codes = sale_form.codes_from(request.form)
    quote = ui().service.quote(wanted, codes, by=g.staff)
    if request.form.get("action") == "quote":
        return seats_page(buyer, offer, quantities, quote=quote)
    if sale_form.shown_total(request.form) != quote["total_cents"]:
        return seats_page(buyer, offer, quantities, quote=quote, refusal=(
            f"The total is {money(quote['total_cents'], CURRENCY)}. Check it with the buyer, "
            "then press Sell again.")), 409
    method, reference = sale_form.payment_from(request.form)
    sale_id = ui().service.sell(buyer, wanted, payment_method=method,
                                payment_reference=reference, by=g.staff, codes=codes)
    flash(f"Sold for {money(quote['total_cents'], CURRENCY)} ({paid_by(method, reference)}).", "ok")
    return redirect(url_for("sales_list.sale", sale_id=sale_id))


def seats_page(buyer: Buyer, offer=None, quantities=None, *, quote=None, errors=None,
               refusal: str = ""):
    offer = ui().service.sale_offer() if offer is None else offer
    quantities = quantities or {}
    method, reference = sale_form.payment_from(request.form)
    total = quote["total_cents"] if quote else sum(
        seat["price_cents"] * quantities.get(seat["seat_type"], 0) for seat in offer)
    return staff_page("kiosk_ui/sell_seats.html", buyer=buyer, offer=offer,
                      quantities=quantities, total=total, errors=errors or {},
                      refusal=refusal, payment_method=method or "cash",
                      payment_reference=reference, payment_methods=PAYMENT_METHODS,
                      seat_range=sale_form.seat_range, quote=quote,
                      code=" ".join(sale_form.codes_from(request.form)))


def known_buyer(seat_id: str) -> Buyer:
    found = ui().service.buyer_of_seat(seat_id[:60]) if seat_id else None
    if found is None:
        abort(404)
    return found


def buyer_in_form() -> Buyer:
    """The buyer the seats form carries: a known seat, or a walk-in's fields (checked again)."""
    if request.form.get("seat"):
        return known_buyer(request.form["seat"])
    walk_in, errors = sale_form.walk_in_from(request.form)
    if errors:
        abort(make_response(buyer_page(walk_in=walk_in, errors=errors), 400))
    return walk_in


@bp.errorhandler(DomainError)
def refused(error: DomainError):
    """On the seats form, show the refusal there (next to its field if it has one); else
    above the buyer screen."""
    if request.endpoint == "sell.sell":
        field = sale_form.FIELD_OF_REFUSAL.get(error.code)
        quantities, _ = sale_form.quantities_from(request.form, ui().service.sale_offer())
        return seats_page(buyer_in_form(), quantities=quantities,
                          errors={field: error.message} if field else None,
                          refusal="" if field else error.message), 409
    flash(error.message, "error")
    return redirect(url_for("sell.buyer"))
