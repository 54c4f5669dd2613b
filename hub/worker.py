"""Runs the hub's pump in the background on apscheduler: often, and at once when woken."""
from __future__ import annotations

import datetime as dt
import logging

from apscheduler.schedulers.background import BackgroundScheduler

log = logging.getLogger(__name__)

PUMP_INTERVAL_SECONDS = 1


class Worker:
    """One per hub process (never one per web worker): handles commands, feeds readers,
    and fires delayed commands such as reservation expiry when they fall due."""

    def __init__(self, hub):
        self.hub = hub
        # In-memory job store: the SQLite one would write on every run.
        self.scheduler = BackgroundScheduler(job_defaults={"coalesce": True, "max_instances": 1,
                                                           "misfire_grace_time": 30})
        self.job = None

    def start(self) -> None:
        self.job = self.scheduler.add_job(self._pump, "interval", seconds=PUMP_INTERVAL_SECONDS,
                                          id="pump", next_run_time=dt.datetime.now(dt.timezone.utc))
        self.scheduler.start()

    def wake(self) -> None:
        """Run the pump now rather than at the next tick."""
        if self.job is not None:
            try:
                self.job.modify(next_run_time=dt.datetime.now(dt.timezone.utc))
            except Exception:  # the scheduler is shutting down
                log.debug("pump not woken: scheduler stopped")

    def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)

    def _pump(self) -> None:
        try:
            self.hub.run_until_idle()
        except Exception:
            log.exception("hub pump failed; it retries at the next tick")
