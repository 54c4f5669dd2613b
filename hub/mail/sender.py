"""The worker's mail sender: claims due outbox rows, sends them over SMTP, marks them sent.

It runs on a thread of its own beside the pump in the worker process (`contoso hub worker`,
and the in-process worker of tests), never in a request or in the pump's transaction: its
database work is the short transactions of hub/mail/delivery.py, and the SMTP conversation
holds no transaction and no lock. The state is in the database, so a restart loses nothing.
docs/mail.md says how retries and "never twice" work."""
from __future__ import annotations

import logging
import random
import smtplib
import ssl
import threading
import time
from dataclasses import dataclass
from typing import Callable

from hub.mail import delivery
from hub.mail.attachments import Superseded, attachments_of
from hub.mail.message import email_message
from hub.mail.settings import MailSettings
from hub.platform.wake import Alarm
from event_store.database import is_postgres

log = logging.getLogger(__name__)

POLL_SECONDS = 2.0          # how often it looks for due mails when nobody wakes it
# Making a mail (a ticket's QR code) is Python work that holds the GIL: beside the pump, the
# sender waits for the pump to be between rounds, at most this long, before each mail.
YIELD_SECONDS = 0.5
BATCH = 20                  # rows claimed at once, sent over one connection
PAUSE_FIRST, PAUSE_MAX = 30.0, 300.0    # after the server could not be used: doubling


@dataclass
class Outcome:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    trouble: str = ""       # why the server could not be used, if it could not


class ServerTrouble(Exception):
    """The connection could not be opened or broke: every row waits, nothing is lost."""


def mail_sender_for(hub) -> "MailSender | None":
    """The hub's sender when an SMTP server is set; else None (mails wait queued)."""
    settings = hub.config.mail
    return MailSender(hub, settings) if settings.sending else None


class MailSender:
    def __init__(self, hub, settings: MailSettings, *, poll: float = POLL_SECONDS,
                 batch: int = BATCH, chance: Callable[[], float] = random.random,
                 after_accepted: Callable[[object], None] | None = None):
        self.hub = hub
        self.settings = settings
        self.poll = poll
        self.batch = batch
        self.chance = chance
        # A test's hook between the server's acceptance and "sent" (the crash window).
        self.after_accepted = after_accepted
        # Set while the pump beside it sleeps (Worker.waiting): the pump goes first.
        self.pump_idle: threading.Event | None = None
        self.alarm = Alarm()
        self.passes = 0
        self._stopping = False
        self._thread: threading.Thread | None = None

    # --- the loop ---------------------------------------------------------------------

    def start(self) -> "MailSender":
        self._thread = threading.Thread(target=self.run, name="hub-mail", daemon=True)
        self._thread.start()
        return self

    def wake(self) -> None:
        """Look for due mails now (the pump queued some)."""
        self.alarm.ring()

    def stop(self) -> None:
        """Finish the mail under way and stop (the rest of a batch is given back)."""
        self._stopping = True
        self.alarm.ring()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()
            self._thread = None
        self.alarm.close()

    def resume_interrupted(self) -> int:
        """At start on SQLite (one worker per hub, so no other sender holds a claim): mails
        left "sending" by a crash are due now. On PostgreSQL their claim runs out instead."""
        if is_postgres(self.hub.db):
            return 0
        resumed = delivery.resume_interrupted(self.hub, self.hub.clock())
        if resumed:
            log.warning("mail: %d mail(s) were being sent when the hub stopped; they are sent "
                        "again with the same Message-ID", resumed)
        return resumed

    def run(self) -> None:
        self.resume_interrupted()
        troubles = 0
        try:
            while not self._stopping:
                self.passes += 1
                try:
                    outcome = self.send_due()
                except Exception:
                    log.exception("mail: a sending pass failed; tried again shortly")
                    outcome = Outcome()
                troubles = troubles + 1 if outcome.trouble else 0
                self._pause(min(PAUSE_FIRST * 2 ** (troubles - 1), PAUSE_MAX) if troubles
                            else self.poll, hard=bool(troubles))
        finally:
            self.hub.db.close()     # this thread's connection only

    def _pause(self, seconds: float, *, hard: bool) -> None:
        """Sleep until rung (or, after server trouble, for the whole pause: a wake would only
        knock at a server that is down)."""
        until = time.monotonic() + seconds
        while not self._stopping:
            left = until - time.monotonic()
            if left <= 0 or (self.alarm.wait(left) and not hard):
                return

    # --- one pass -----------------------------------------------------------------------

    def send_due(self) -> Outcome:
        """Send every mail due now, a batch at a time; stop at the first server trouble."""
        outcome = Outcome()
        while not self._stopping:
            rows = delivery.claim_due(self.hub, self.hub.clock(), self.batch)
            if not rows:
                break
            try:
                self._deliver(rows, outcome)
            except ServerTrouble as trouble:
                outcome.trouble = str(trouble)
                break
        if outcome.sent or outcome.retried or outcome.failed or outcome.skipped:
            log.info("mail: %d sent, %d to retry, %d failed, %d skipped%s", outcome.sent,
                     outcome.retried, outcome.failed, outcome.skipped,
                     f" (server: {outcome.trouble})" if outcome.trouble else "")
        return outcome

    def _deliver(self, rows: list, outcome: Outcome) -> None:
        claimed_at = time.monotonic()
        try:
            smtp = open_connection(self.settings)
        except (OSError, smtplib.SMTPException) as broken:
            for row in rows:
                self._retry(row, _said(broken), outcome)
            raise ServerTrouble(_said(broken)) from None
        with smtp:
            for index, row in enumerate(rows):
                late = time.monotonic() - claimed_at > delivery.CLAIM.total_seconds() / 2
                if self._stopping or late:
                    delivery.release(self.hub, rows[index:], self.hub.clock())
                    return
                try:
                    self._send_one(smtp, row, outcome)
                except ServerTrouble:
                    delivery.release(self.hub, rows[index + 1:], self.hub.clock())
                    raise

    def _send_one(self, smtp: smtplib.SMTP, row, outcome: Outcome) -> None:
        if self.pump_idle is not None:
            self.pump_idle.wait(YIELD_SECONDS)
        try:
            message = email_message(row, self.settings, attachments_of(self.hub, row))
        except Superseded as why:
            delivery.mark_skipped(self.hub, row, str(why))
            outcome.skipped += 1
            return
        except Exception as broken:     # a bug making the mail: the row waits, with why
            log.exception("mail: could not make mail %s", row.id)
            self._retry(row, f"The mail could not be made: {broken!r}", outcome)
            return
        try:
            smtp.send_message(message, from_addr=self.settings.sender_address,
                              to_addrs=[row.recipient])
        except smtplib.SMTPRecipientsRefused as refused:
            codes = [code for code, _ in refused.recipients.values()]
            self._retry(row, _said(refused), outcome, permanent=all(c >= 500 for c in codes))
            return
        except smtplib.SMTPDataError as refused:
            self._retry(row, _said(refused), outcome, permanent=refused.smtp_code >= 500)
            return
        except smtplib.SMTPNotSupportedError as refused:    # e.g. no SMTPUTF8 for the address
            self._retry(row, _said(refused), outcome, permanent=True)
            return
        except (OSError, smtplib.SMTPException) as broken:  # the connection is not usable
            self._retry(row, _said(broken), outcome)
            raise ServerTrouble(_said(broken)) from None
        if self.after_accepted is not None:
            self.after_accepted(row)
        delivery.mark_sent(self.hub, row, self.hub.clock())
        outcome.sent += 1

    def _retry(self, row, error: str, outcome: Outcome, *, permanent: bool = False) -> None:
        status = delivery.mark_retry(self.hub, row, self.hub.clock(), error, permanent=permanent,
                                     chance=self.chance)
        if status == delivery.FAILED:
            outcome.failed += 1
            log.warning("mail: %s to %s failed for good: %s", row.kind, row.recipient, error)
        else:
            outcome.retried += 1


def open_connection(settings: MailSettings) -> smtplib.SMTP:
    """A connection per the settings: implicit TLS, STARTTLS or plain; logged in if a user is
    set. Certificates are checked (against smtp_ca_file when set)."""
    host, port, timeout = settings.smtp_host, settings.port, settings.smtp_timeout
    context = None
    if settings.smtp_security != "none":
        context = ssl.create_default_context(cafile=settings.smtp_ca_file or None)
    if settings.smtp_security == "tls":
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    try:
        smtp.ehlo()
        if settings.smtp_security == "starttls":
            smtp.starttls(context=context)
            smtp.ehlo()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
    except BaseException:
        smtp.close()
        raise
    return smtp


def _said(error: Exception) -> str:
    """What went wrong, as the admin page shows it (the server's own words when it spoke)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{address}: {code} {_text(said)}"
                         for address, (code, said) in error.recipients.items())
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}"
    return f"{type(error).__name__}: {error}"


def _text(said) -> str:
    return said.decode("utf-8", "replace") if isinstance(said, bytes) else str(said)
