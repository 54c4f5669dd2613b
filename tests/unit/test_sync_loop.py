"""When a node syncs again: at the interval while the hub answers, backing off while it fails,
within the interval while it cannot be reached at all (the first try that gets through
ends the outage), and at once after a round that moved events (not twice in a row)."""
import random
from types import SimpleNamespace

from onsite_node.loop import SyncLoop, next_delay
from onsite_node.sync import SyncReport
from sync_protocol.client import Unreachable
from sync_protocol.wire import ProtocolError

INTERVAL, MAX_BACKOFF = 5.0, 300.0


class FakeService:
    """Answers sync_hub from a script: a report, or an exception to raise."""

    def __init__(self, *outcomes):
        self.outcomes = list(outcomes)
        self.config = SimpleNamespace(sync_interval=INTERVAL, max_backoff=MAX_BACKOFF)
        self.credentials, self.peers = {}, {}

    def sync_hub(self):
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def sync_peers(self):
        return 0


def delays(*outcomes) -> list[float]:
    loop = SyncLoop(FakeService(*outcomes))
    return [loop.run_once() for _ in outcomes]


def idle():
    return SyncReport()


def moved(pushed=0, pulled=0):
    return SyncReport(pushed=pushed, pulled=pulled)


def down():
    return Unreachable("no connection", reached=False)


def failing():
    return Unreachable("HTTP 503", reached=True)


def test_a_hub_that_answers_is_synced_with_at_the_interval():
    assert delays(idle(), idle()) == [INTERVAL, INTERVAL]


def test_a_hub_that_fails_is_backed_off_from_up_to_the_longest_wait():
    waits = delays(*[failing() for _ in range(12)])
    assert waits[0] <= 2 * INTERVAL < waits[3] and max(waits) <= MAX_BACKOFF
    assert waits[-1] >= MAX_BACKOFF / 2
    refusals = delays(*[ProtocolError(403, "clock_skew", "") for _ in range(6)])
    assert refusals[-1] > 2 * INTERVAL


def test_an_unreachable_hub_is_tried_again_within_the_interval_however_long_it_is_down():
    waits = delays(*[down() for _ in range(20)], idle())
    assert all(INTERVAL / 2 <= w <= INTERVAL for w in waits)


def test_an_outage_after_failures_is_tried_within_the_interval_and_failures_back_off_again():
    loop = SyncLoop(FakeService(*[failing() for _ in range(5)], down(), failing()))
    waits = [loop.run_once() for _ in range(7)]
    assert waits[5] <= INTERVAL       # the link went: tried again soon
    assert waits[6] > 2 * INTERVAL     # it answers, and still fails: the backoff goes on


def test_a_round_that_moved_events_is_followed_by_one_at_once_but_not_twice_in_a_row():
    assert delays(moved(pushed=3), moved(pulled=2), moved(pulled=1), idle(), idle()) == [
        0.0, INTERVAL, 0.0, INTERVAL, INTERVAL]


def test_next_delay_keeps_within_its_bounds():
    rand = random.Random(7)
    for failures in range(15):
        assert INTERVAL / 2 <= next_delay(failures, INTERVAL, MAX_BACKOFF, rand,
                                          unreached=True) <= INTERVAL
        assert next_delay(failures, INTERVAL, MAX_BACKOFF, rand) <= MAX_BACKOFF
