"""The hub's pump loop: handle due commands and feed readers, at once when woken, else on a timer.

It runs in the worker process (`contoso hub worker`, see hub/platform/worker_process.py), never in
a web process; tests also run it on a thread beside the app (`create_app(start_worker=True)`).
"""
from __future__ import annotations

import logging
import threading

from hub.mail.sender import mail_sender_for
from hub.platform.wake import Alarm

log = logging.getLogger(__name__)

PUMP_INTERVAL_SECONDS = 1.0


class Worker:
    """Handles commands, feeds readers, and fires delayed commands such as reservation expiry
    when they fall due (within one interval)."""

    def __init__(self, hub, interval: float = PUMP_INTERVAL_SECONDS, alarm: Alarm | None = None,
                 mail=None):
        self.hub = hub
        # The mail sender's thread beside the pump (none without an SMTP server set):
        # sending never holds up a round (hub/mail/sender.py).
        self.mail = mail if mail is not None else mail_sender_for(hub)
        self.interval = interval
        self.alarm = alarm or Alarm()
        self._owns_alarm = alarm is None
        self.rounds = 0                    # pump runs so far (reported in the worker's log)
        self.waiting = threading.Event()   # set while it sleeps between rounds
        if self.mail is not None:
            self.mail.pump_idle = self.waiting
        # A plain flag, not a threading.Event: stop() runs in signal handlers, and a second
        # SIGTERM arriving inside Event.set() deadlocked on the Event's own lock.
        self._stopping = False
        self._thread: threading.Thread | None = None

    def run(self) -> None:
        """Pump until stop(): once at start, then whenever woken or the interval passes."""
        if self.mail is not None:
            self.mail.start()
        try:
            while not self._stopping:
                self.pump()
                if self._stopping:
                    break
                self.waiting.set()
                self.alarm.wait(self.interval)
                self.waiting.clear()
        finally:
            if self.mail is not None:
                self.mail.stop()

    def pump(self) -> int:
        self.rounds += 1
        try:
            work = self.hub.run_until_idle()
        except Exception:
            log.exception("hub pump failed; it retries at the next tick")
            return 0
        if work and self.mail is not None:
            self.mail.wake()     # the round may have queued mails
        return work

    def start(self) -> "Worker":
        """Run on a background thread of this process (tests, and the in-process app)."""
        self._thread = threading.Thread(target=self.run, name="hub-pump", daemon=True)
        self._thread.start()
        return self

    def wake(self) -> None:
        """Run the pump now rather than at the next tick."""
        self.alarm.ring()

    def stop(self) -> None:
        """Finish the round under way and stop; safe to call from a signal handler."""
        self._stopping = True
        self.alarm.ring()       # os.write: safe in a signal handler
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()
            self._thread = None
            if self._owns_alarm:
                self.alarm.close()
