"""The print queue: badges (and sale receipts) wait in SQLite until the printer takes them;
every badge print is a fact.

A job is queued in the transaction of the check-in that asks for it, so a check-in never
loses its badge to a crash. The worker prints waiting jobs in queue order; when the
printer is off, unplugged or out of paper (`PrinterUnavailable`), the job keeps its place,
the reason is kept for the UI, and the worker tries again after 1, 2, 4 ... 30 seconds
(or at once when staff press "retry"). A printed job and its `BadgePrinted` event commit
together, so a print is logged once; a crash between the paper and the commit prints the
badge again on restart (at least once on paper, exactly once in the log).
"""
from __future__ import annotations

import io
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image

from onsite_node.badges import BadgeMaker, png_bytes
from onsite_node.replica import Replica
from printers.output import BadgePrinter, PrinterUnavailable
from shared_domain import checkin
from event_store.ids import uuid7

log = logging.getLogger(__name__)
WAITING, PRINTED, FAILED = "waiting", "printed", "failed"
IDLE_WAIT_S = 30.0


def retry_delay(failures: int, longest: float = 30.0) -> float:
    """Seconds before trying a failing printer again: 1, 2, 4 ... never more than `longest`."""
    return min(longest, 2.0 ** max(0, failures - 1))


@dataclass(frozen=True)
class PrinterState:
    ready: bool
    reason: str          # "Ready", or why not in words for the staff
    waiting: int         # jobs not printed yet


class PrintQueue:
    """Durable badge jobs for one node's printer."""

    def __init__(self, replica: Replica, printer: BadgePrinter, badges: BadgeMaker, *,
                 receipts: Callable[[str], Image.Image] | None = None,
                 tick: Callable[[], float] = time.monotonic, longest_wait: float = 30.0):
        self.replica = replica
        self.printer = printer
        self.badges = badges
        self.receipts = receipts         # a sale id -> its receipt (onsite_node.receipts)
        self.tick = tick                 # a monotonic clock: the wall clock of a Pi jumps
        self.longest_wait = longest_wait
        self.failures = 0
        self.retry_at = 0.0
        self.problem = ""                # why the last attempt failed; "" once a job prints
        self.wake = threading.Event()
        self._round = threading.Lock()

    @property
    def jobs(self):
        return self.replica.models.PrintJob

    def add_badge(self, seat_id: str, code: str, *, by: str, reprint: bool = False) -> str:
        """Queue a seat's badge (within the caller's transaction, if any); return the job id."""
        if reprint:
            checkin.check_reprint(by)
        return self._add(kind="badge", seat_id=seat_id, code=code, by=by, reprint=reprint)

    def add_receipt(self, sale_id: str, *, by: str) -> str:
        """Queue a sale's receipt (paper only: a receipt is not a badge in the print log)."""
        return self._add(kind="receipt", code=sale_id, by=by)

    def add_test(self, *, by: str) -> str:
        """Queue a test badge (no attendee, nothing recorded in the log)."""
        return self._add(kind="test", by=by)

    def _add(self, **fields) -> str:
        job_id = uuid7()
        self.jobs.create(job_id=job_id, queued_at=self.replica.clock().isoformat(), **fields)
        return job_id

    def nudge(self) -> None:
        """Tell the worker there is work (call it after the queuing transaction commits)."""
        self.wake.set()

    def retry_now(self) -> None:
        """Staff fixed the printer: try the waiting jobs without waiting for the backoff."""
        self.retry_at = 0.0
        self.wake.set()

    def image(self, job_id: str) -> bytes | None:
        """The job's badge as PNG, rendered on first use and kept: once per job."""
        J = self.jobs
        job = J.get_or_none(J.job_id == job_id)
        if job is None:
            return None
        if job.image is not None:
            return bytes(job.image)
        png = png_bytes(self._render(job))
        J.update(image=png).where((J.job_id == job_id) & J.image.is_null()).execute()
        return png

    def badge_exists(self, seat_ids: list[str]) -> bool:
        """Whether a badge of one of these seats was printed at any door this replica knows
        of, or waits in this door's queue (one that could not print does not count)."""
        if not seat_ids:
            return False
        J, P = self.jobs, self.replica.models.PrintView
        return (P.select().where(P.seat_id.in_(seat_ids)).exists()
                or J.select().where((J.kind == "badge") & J.seat_id.in_(seat_ids)
                                    & (J.state != FAILED)).exists())

    def job(self, job_id: str):
        return self.jobs.get_or_none(self.jobs.job_id == job_id)

    def _render(self, job) -> Image.Image:
        if job.kind == "test":
            return self.badges.test_badge(self.replica.credentials.get("name", ""))
        if job.kind == "receipt":
            return self.receipts(job.code)
        return self.badges.seat_badge(job.code)

    def waiting(self) -> list:
        J = self.jobs
        return list(J.select().where(J.state == WAITING).order_by(J.job_id))

    def run_due(self) -> int:
        """Print waiting jobs in order until the printer refuses one; return how many printed."""
        with self._round:
            if self.tick() < self.retry_at:
                return 0
            printed = 0
            for job in self.waiting():
                try:
                    image = Image.open(io.BytesIO(self.image(job.job_id)))
                    self.printer.print_image(image, job_id=job.job_id)
                except PrinterUnavailable as unavailable:
                    self._refused(job, unavailable.reason)
                    break
                except Exception as error:   # a job that can never print must not block the rest
                    log.exception("print job %s cannot be printed", job.job_id)
                    self._set(job, state=FAILED, last_problem=f"This badge cannot be printed: {error}")
                    continue
                self._printed(job)
                printed += 1
            return printed

    def _printed(self, job) -> None:
        J, now = self.jobs, self.replica.clock().isoformat()
        with self.replica.db.atomic():
            done = (J.update(state=PRINTED, printed_at=now, attempts=J.attempts + 1, last_problem="")
                    .where((J.job_id == job.job_id) & (J.state == WAITING)).execute())
            if done and job.kind == "badge":
                self.replica.record([checkin.BadgePrinted(
                    job.seat_id, self.replica.credentials["node_id"], now, job.job_id,
                    job.reprint, job.by)])
        self.failures, self.problem = 0, ""

    def _refused(self, job, reason: str) -> None:
        self.failures += 1
        self.problem = reason
        self.retry_at = self.tick() + retry_delay(self.failures, self.longest_wait)
        self._set(job, attempts=self.jobs.attempts + 1, last_problem=reason)
        log.info("printer unavailable (%s); job %s waits", reason, job.job_id)

    def _set(self, job, **fields) -> None:
        self.jobs.update(**fields).where(self.jobs.job_id == job.job_id).execute()

    def seconds_to_next(self) -> float:
        """How long the worker may sleep: until the retry when jobs wait, else until woken."""
        if self.problem and self.jobs.select().where(self.jobs.state == WAITING).exists():
            return max(0.05, self.retry_at - self.tick())
        return IDLE_WAIT_S

    def state(self) -> PrinterState:
        """Ready, or why not, and how many jobs wait (from what the queue saw, no device I/O)."""
        waiting = self.jobs.select().where(self.jobs.state == WAITING).count()
        if self.problem:
            return PrinterState(False, self.problem, waiting)
        return PrinterState(True, "Ready", waiting)

    def check_printer(self) -> PrinterState:
        """Ask the printer itself when the queue has nothing to say (the status page)."""
        with self._round:     # never ask the device while a job is being sent to it
            state = self.state()
            if not state.ready or state.waiting:
                return state
            device = self.printer.status()
        return PrinterState(device.ready, device.reason, 0)

    def history(self, seat_id: str) -> list[dict]:
        """This door's jobs for a seat that have not printed (yet), for the staff desk."""
        J = self.jobs
        rows = J.select().where((J.seat_id == seat_id) & (J.state != PRINTED)).order_by(J.job_id)
        return [{"job_id": j.job_id, "queued_at": j.queued_at, "state": j.state,
                 "reprint": j.reprint, "by": j.by, "problem": j.last_problem} for j in rows]


class PrintWorker:
    """A daemon thread that runs the queue when a job arrives or a retry falls due."""

    def __init__(self, queue: PrintQueue):
        self.queue = queue
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> PrintWorker:
        self._thread = threading.Thread(target=self._run, name="print-worker", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self.queue.wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        while not self._stopping.is_set():
            self.queue.wake.clear()
            try:
                self.queue.run_due()
                pause = self.queue.seconds_to_next()
            except Exception:    # the database was busy or closing: try again shortly
                log.exception("print round failed")
                pause = 1.0
            self.queue.wake.wait(pause)
