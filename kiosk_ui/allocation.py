"""This door's allocation: per seat type allocated, sold and left; seats handed to another
door or given back to the hub. Behind the staff PIN, recorded under the staff's name."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, request, url_for

from kiosk_ui import ui
from kiosk_ui.csrf import require_csrf_token
from kiosk_ui.staff_access import require_staff, staff_page
from shared_domain.errors import DomainError

bp = Blueprint("allocation", __name__, template_folder="templates")
bp.before_request(require_csrf_token)
bp.before_request(require_staff)


@bp.get("/staff/allocation")
def allocation():
    return staff_page("kiosk_ui/allocation.html", offer=ui().service.sale_offer(),
                      doors=ui().service.doors())


@bp.post("/staff/allocation/hand-over")
def hand_over():
    """Lower this door's limit and give the seats to the door chosen."""
    seat_type, quantity = chosen_seats()
    doors = {door["node_id"]: door["name"] for door in ui().service.doors()}
    to_door = request.form.get("door", "")
    if to_door not in doors:
        raise DomainError("unknown_peer", "Choose the door to hand the seats to.")
    ui().service.hand_over(to_door, seat_type, quantity, by=g.staff)
    flash(f"{seats_of(seat_type, quantity)} handed to {doors[to_door]}. That door can sell "
          "them as soon as the two doors (or the hub) have synced.", "ok")
    return redirect(url_for("allocation.allocation"))


@bp.post("/staff/allocation/give-back")
def give_back():
    """Lower this door's limit; the hub frees the seats when it hears of it."""
    seat_type, quantity = chosen_seats()
    ui().service.give_back(seat_type, quantity, by=g.staff)
    flash(f"{seats_of(seat_type, quantity)} given back to the hub. This door can no longer "
          "sell them.", "ok")
    return redirect(url_for("allocation.allocation"))


def chosen_seats() -> tuple[str, int]:
    """The seat type (one this door holds) and a whole number of seats from 1."""
    seat_type = request.form.get("seat_type", "")
    if seat_type not in {seat["seat_type"] for seat in ui().service.sale_offer()}:
        raise DomainError("unknown_seat_type", "Choose a seat type this door holds.")
    raw = request.form.get("quantity", "").strip()
    if not raw.isdigit() or len(raw) > 6 or int(raw) < 1:
        raise DomainError("invalid_quantity", "Type a whole number of seats, from 1.")
    return seat_type, int(raw)


def seats_of(seat_type: str, quantity: int) -> str:
    names = {seat["seat_type"]: seat["name"] for seat in ui().service.sale_offer()}
    return f"{quantity} seat{'s' if quantity != 1 else ''} of {names.get(seat_type, seat_type)}"


@bp.errorhandler(DomainError)
def refused(error: DomainError):
    flash(error.message, "error")
    return redirect(url_for("allocation.allocation"))
