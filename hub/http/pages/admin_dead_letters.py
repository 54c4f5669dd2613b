"""The events set aside by the hub's readers: see why, retry one, or dismiss it."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from hub.platform import dead_letters
from hub.http.context import current_hub, wake_worker
from hub.http.pages.admin_session import admin_blueprint

bp = admin_blueprint("admin_dead_letters", __name__, url_prefix="/admin/dead-letters")


@bp.get("/")
def index():
    hub = current_hub()
    status = request.args.get("status", dead_letters.OPEN)[:20]
    rows = dead_letters.find(hub, status)
    return render_template("admin/dead_letters.html", letters=dead_letters.summaries(hub, rows),
                           status=status, statuses=dead_letters.STATUSES)


@bp.post("/<int:letter_id>/retry")
def retry(letter_id: int):
    letter = dead_letters.retry(current_hub(), letter_id, g.admin.email)
    wake_worker()   # what the reader queued on success is handled now
    if letter.status == dead_letters.RESOLVED:
        flash(f"The {letter.type} event was applied by {letter.reader}.", "success")
    else:
        flash(f"Retry failed again ({letter.attempts} attempts): {letter.error}", "error")
    return redirect(url_for(".index"))


@bp.post("/<int:letter_id>/dismiss")
def dismiss(letter_id: int):
    letter = dead_letters.dismiss(current_hub(), letter_id, g.admin.email)
    flash(f"The {letter.type} event is dismissed: {letter.reader} will not apply it.", "info")
    return redirect(url_for(".index"))
