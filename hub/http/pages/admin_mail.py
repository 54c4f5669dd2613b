"""A conference's mail outbox: what was queued, sent or failed, and why; retry a failed mail."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from hub.http.context import current_hub
from hub.http.pages.admin_session import admin_conference_blueprint
from hub.mail import mail_admin
from hub.mail.models import STATUSES

bp = admin_conference_blueprint("admin_mail", __name__, "mail")


@bp.get("/")
def index():
    hub = current_hub()
    status = request.args.get("status", "")[:20]
    if status not in STATUSES:
        status = ""
    return render_template("admin/mail.html", conference=g.conference, status=status,
                           statuses=STATUSES, mails=mail_admin.mails_of(hub, g.conference.id, status),
                           counts=mail_admin.counts_of(hub, g.conference.id),
                           limit=mail_admin.LIST_LIMIT)


@bp.post("/<mail_id>/retry")
def retry(mail_id: str):
    row = mail_admin.retry(current_hub(), g.conference.id, mail_id, g.admin.email)
    flash(f"The mail to {row.recipient} is queued again; the worker sends it within seconds.",
          "success")
    return redirect(url_for(".index", status=request.args.get("status", "")[:20] or None))
