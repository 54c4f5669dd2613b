"""What the screens say: a decided scan in words for the attendee, and times for people."""
from __future__ import annotations

import datetime as dt

from flask import Flask, url_for

from kiosk_ui.ports import Decision, History
from printers.receipt import money
from shared_domain.checkin import MESSAGES, NEXT_STEP, first_name

CURRENCY = "USD"   # the hub prices seats in dollars
PAYMENT_LABELS = {"cash": "Cash", "card_terminal": "Card terminal", "invoice": "Invoice"}

TRY_AGAIN = "Please try again, or see the staff desk."
TRY_AGAIN_REASONS = {"malformed", "altered"}


def decision_screen(decision: Decision) -> dict:
    """The one decision a kiosk screen shows: a tone, a title, what to do next, the badge."""
    if decision["admitted"]:
        return welcome_screen(decision)
    reason = decision["reason"]
    lines = []
    if reason == "already_checked_in" and decision["earlier_at"]:
        lines.append(f"It was used at {clock_time(decision['earlier_at'])} "
                     f"at {decision['earlier_door']}.")
    lines.append(TRY_AGAIN if reason in TRY_AGAIN_REASONS else NEXT_STEP)
    return {"tone": "refused", "title": MESSAGES.get(reason, "This ticket cannot be used."),
            "lines": lines, "badge_url": "", "reason": reason}


def welcome_screen(decision: Decision) -> dict:
    title = f"Welcome, {first_name(decision['attendee_name'])}!"
    if decision.get("badge_held"):
        lines = ["Your badge lists this seat too.", "Please keep using the badge you have."]
    elif not decision["badge_job"]:
        lines = ["Please see the staff desk for your badge."]
    elif decision["printer_ready"]:
        lines = ["Your badge is printing.", "Please take it from the printer."]
    else:
        lines = ["Your badge is waiting for the printer.",
                 "Please see the staff desk: they will hand it to you."]
    badge_url = (url_for("kiosk.badge", job_id=decision["badge_job"])
                 if decision["badge_job"] else "")
    return {"tone": "welcome", "title": title, "lines": lines, "badge_url": badge_url,
            "reason": "admitted"}


def timeline(history: History) -> list[dict]:
    """An attendee's check-ins, refused scans and prints, newest first, in words."""
    rows = [{"at": c["at"], "door": c["door"], "by": c["by"], "undone": c["undone"],
             "what": "Checked in by hand" if c["method"] == "manual" else "Checked in by scan"}
            for c in history["check_ins"]]
    rows += [{"at": s["at"], "door": s["door"], "by": s["by"],
              "what": f"Scan refused: {MESSAGES.get(s['reason'], s['reason'])}"}
             for s in history["scans"] if s["result"] != "admitted"]
    rows += [{"at": p["at"], "door": p["door"], "by": p["by"],
              "what": "Badge reprinted" if p["reprint"] else "Badge printed"}
             for p in history["prints"]]
    rows += [{"at": w["queued_at"], "door": "this door", "by": w["by"], "problem": w["problem"],
              "what": ("Reprint" if w["reprint"] else "Badge") + (
                  " waiting for the printer" if w["state"] == "waiting" else " could not print")}
             for w in history["waiting"]]
    return sorted(rows, key=lambda row: row["at"], reverse=True)


def parse(iso: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def clock_time(iso: str) -> str:
    """'09:14' in the node's own time zone."""
    moment = parse(iso)
    return moment.astimezone().strftime("%H:%M") if moment else ""


def day_and_time(iso: str) -> str:
    """'Mon 4 May, 09:14' in the node's own time zone."""
    moment = parse(iso)
    if moment is None:
        return "never"
    local = moment.astimezone()
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M:%S}"


def paid_by(method: str, reference: str = "") -> str:
    """'Cash', 'Card terminal T-1001', 'Invoice INV-7'."""
    return " ".join(filter(None, [PAYMENT_LABELS.get(method, method), reference]))


def register_filters(app: Flask) -> None:
    app.jinja_env.filters["clock_time"] = clock_time
    app.jinja_env.filters["day_and_time"] = day_and_time
    app.jinja_env.filters["money"] = lambda cents: money(cents, CURRENCY)
    app.jinja_env.filters["paid_by"] = paid_by
