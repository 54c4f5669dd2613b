"""The node's sync loop on apscheduler: every few seconds when connected, backing off when not."""
from __future__ import annotations

import datetime as dt
import logging
import random

from apscheduler.schedulers.background import BackgroundScheduler

from sync_protocol.client import Unreachable
from sync_protocol.wire import ProtocolError

log = logging.getLogger(__name__)


def next_delay(failures: int, interval: float, max_backoff: float,
               rand: random.Random = random.Random()) -> float:
    """Seconds to the next attempt: the interval when all is well; exponential with jitter after
    failures, so a venue full of nodes does not hammer a hub that just came back."""
    if failures == 0:
        return interval
    ceiling = min(max_backoff, interval * 2 ** failures)
    return rand.uniform(ceiling / 2, ceiling)


class SyncLoop:
    """Runs hub and peer sync cycles; one job at a time (push, then pull)."""

    def __init__(self, service):
        self.service = service
        self.failures = 0
        # In-memory job store: the SQLite one writes on every run (SD-card wear).
        self.scheduler = BackgroundScheduler(job_defaults={"coalesce": True, "max_instances": 1,
                                                           "misfire_grace_time": 60})

    def start(self) -> None:
        self.scheduler.start()
        self._schedule(0)

    def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)

    def run_once(self) -> float:
        """One round: the hub, then the peers; return the delay before the next round."""
        config = self.service.config
        try:
            self.service.sync_hub()
            self.failures = 0
        except Unreachable as e:
            self.failures += 1
            log.info("hub unreachable (%s); retrying with backoff", e)
        except ProtocolError as e:
            self.failures += 1
            log.warning("hub refused the sync: %s %s", e.code, e.message)
        if self.service.credentials.get("revoked"):
            return -1
        self.service.sync_peers()
        delay = next_delay(self.failures, config.sync_interval, config.max_backoff)
        # Peers matter most when the hub is away: keep gossiping at the normal pace.
        return min(delay, config.sync_interval) if self.service.peers else delay

    def _run(self) -> None:
        try:
            delay = self.run_once()
        except Exception:
            log.exception("sync round failed")
            delay = self.service.config.sync_interval
        if delay >= 0 and self.scheduler.running:
            self._schedule(delay)

    def _schedule(self, delay: float) -> None:
        when = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=delay)
        self.scheduler.add_job(self._run, "date", run_date=when, id="sync", replace_existing=True)
