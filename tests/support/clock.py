import datetime as dt
import threading


class FakeClock:
    """A wall clock the test moves by hand."""

    def __init__(self, start=dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.timezone.utc)):
        self.now = start
        self._lock = threading.Lock()

    def __call__(self) -> dt.datetime:
        with self._lock:
            return self.now

    def advance(self, **delta) -> None:
        with self._lock:
            self.now += dt.timedelta(**delta)
