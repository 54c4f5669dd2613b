"""The demo's mailbox page: what the demo's SMTP server received (hub/mail/dev_server.py),
read-only. Every part is shown escaped; an HTML part only inside a sandboxed frame with no
scripts, no network and no forms; attachments are downloads, never shown in the page."""
from __future__ import annotations

import datetime as dt
import os
import re

from flask import Flask, Response, abort, jsonify, render_template

from hub.mail.dev_server import DevMailbox

HUB_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEY_MAX = 200
SHOWN_TYPES = {"application/pdf", "image/png", "image/jpeg", "text/plain", "text/calendar"}
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'; "
       "form-action 'none'; base-uri 'none'; frame-ancestors 'self'")


def create_mailbox_app(mailbox: DevMailbox) -> Flask:
    app = Flask(__name__, root_path=HUB_ROOT)

    @app.after_request
    def guarded(response):
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.get("/")
    def index():
        return render_template("dev_mailbox/index.html", messages=mailbox.messages(),
                               folder=mailbox.folder, received=_received)

    @app.get("/messages.json")
    def listing():
        return jsonify([{"key": m.key, "received_at": m.received_at, "subject": m.subject,
                         "from": m.sender, "to": m.to, "envelope_to": list(m.envelope_to),
                         "message_id": m.message_id} for m in mailbox.messages()])

    @app.get("/messages/<key>")
    def message(key: str):
        found = _message(mailbox, key)
        text = found.get_body(("plain",))
        html = found.get_body(("html",))
        attachments = [{"n": n, "filename": part.get_filename() or f"attachment-{n}",
                        "type": part.get_content_type(), "size": len(part.get_content())}
                       for n, part in enumerate(found.iter_attachments())]
        headers = [(name, str(found.get(name, ""))) for name in
                   ("From", "To", "Subject", "Date", "Message-ID", "X-Envelope-To")]
        return render_template("dev_mailbox/message.html", key=key, headers=headers,
                               text=text.get_content() if text else "",
                               html=html.get_content() if html else "",
                               attachments=attachments)

    @app.get("/messages/<key>/attachments/<int:n>")
    def attachment(key: str, n: int):
        parts = list(_message(mailbox, key).iter_attachments())
        if not 0 <= n < len(parts):
            abort(404)
        part = parts[n]
        kind = part.get_content_type()
        data = part.get_content()
        body = data.encode() if isinstance(data, str) else data
        return Response(body, mimetype=kind if kind in SHOWN_TYPES else "application/octet-stream",
                        headers={"Content-Disposition": "attachment; filename="
                                 f'"{_safe_name(part.get_filename() or f"attachment-{n}")}"'})

    @app.get("/messages/<key>/source")
    def source(key: str):
        raw = mailbox.raw(key[:KEY_MAX])
        if raw is None:
            abort(404)
        return Response(raw, mimetype="text/plain")

    return app


def _message(mailbox: DevMailbox, key: str):
    found = mailbox.message(key[:KEY_MAX])
    if found is None:
        abort(404)
    return found


def _safe_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._")[:100]
    return cleaned or "attachment"


def _received(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
