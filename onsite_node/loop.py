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
               rand: random.Random = random.Random(), *, unreached: bool = False) -> float:
    """Seconds to the next attempt: the interval when all is well; exponential with jitter after
    failures of a hub that answered, so a venue full of nodes does not hammer a hub that is
    struggling. A hub that could not be reached at all (the link is down) is tried again
    within the interval, with jitter: a try costs one refused connection and reaches nobody,
    and the first that gets through tells the link came back."""
    if unreached:
        return rand.uniform(interval / 2, interval)
    if failures == 0:
        return interval
    ceiling = min(max_backoff, interval * 2 ** failures)
    return rand.uniform(ceiling / 2, ceiling)


class SyncLoop:
    """Runs hub and peer sync cycles; one job at a time (push, then pull)."""

    def __init__(self, service):
        self.service = service
        self.failures = 0          # of a hub that answered (errors, refusals), in a row
        self.unreached = False     # the last try reached no hub at all
        self.followed_up = False   # the last round came at once after one that moved events
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
        moved = False
        try:
            report = self.service.sync_hub()
            self.failures, self.unreached = 0, False
            moved = bool(report.pushed or report.pulled)
        except Unreachable as e:
            if e.reached:
                self.failures += 1
                log.info("hub failed (%s); retrying with backoff", e)
            else:
                # Said once per outage: a try follows every interval until one gets through.
                (log.debug if self.unreached else log.info)(
                    "hub unreachable (%s); trying again every %.3g s", e, config.sync_interval)
            self.unreached = not e.reached
        except ProtocolError as e:
            self.failures, self.unreached = self.failures + 1, False
            log.warning("hub refused the sync: %s %s", e.code, e.message)
        if self.service.credentials.get("revoked"):
            return -1
        self.service.sync_peers()
        delay = next_delay(self.failures, config.sync_interval, config.max_backoff,
                           unreached=self.unreached)
        # A round that moved events is followed by another at once (not twice in a row, so at
        # most two rounds per interval): what other doors delivered meanwhile, after an outage
        # when all of them push their backlog, comes down without an interval's wait.
        self.followed_up = moved and not self.followed_up
        if self.followed_up:
            return 0.0
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
