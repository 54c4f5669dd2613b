"""The door's staff PIN guard (kiosk_ui/pin_guard.py), on a clock the test sets."""
from hypothesis import given
from hypothesis import strategies as st

from kiosk_ui import pin_guard
from kiosk_ui.pin_guard import PinGuard

DESK, STRANGER = "10.0.0.7", "10.0.0.66"


def fail(guard, address, times, now=0.0):
    for _ in range(times):
        assert guard.seconds_to_wait(address, now) == 0
        guard.failed(address, now)


def test_five_wrong_pins_lock_that_address_for_a_minute_only():
    guard = PinGuard()
    fail(guard, STRANGER, pin_guard.MAX_FAILURES)
    assert guard.seconds_to_wait(STRANGER, 0.0) == 60
    assert guard.seconds_to_wait(DESK, 0.0) == 0
    assert guard.seconds_to_wait(STRANGER, 60.0) == 0


def test_each_further_lockout_doubles_the_wait_up_to_fifteen_minutes():
    guard, now, waits = PinGuard(), 0.0, []
    for _ in range(7):
        fail(guard, STRANGER, pin_guard.MAX_FAILURES, now)
        waits.append(guard.seconds_to_wait(STRANGER, now))
        now += waits[-1]
    assert waits == [60, 120, 240, 480, 900, 900, 900]


def test_the_right_pin_starts_again_from_a_minute():
    guard = PinGuard()
    fail(guard, DESK, pin_guard.MAX_FAILURES)
    guard.succeeded(DESK, 60.0)
    fail(guard, DESK, pin_guard.MAX_FAILURES, 61.0)
    assert guard.seconds_to_wait(DESK, 61.0) == 60


def test_many_addresses_failing_stop_new_screens_but_not_a_desk_open_today():
    guard = PinGuard()
    guard.succeeded(DESK, 0.0)
    for n in range(pin_guard.DOOR_CEILING):
        fail(guard, f"192.0.2.{n}", 1, now=100.0 + n)
    assert guard.seconds_to_wait("192.0.2.250", 130.0) == 30
    assert guard.seconds_to_wait(DESK, 130.0) == 0
    assert guard.seconds_to_wait("192.0.2.250", 160.0) == 0


@given(st.lists(st.tuples(st.sampled_from([STRANGER, "a", "b", "c", "d", "e", "f", "g"]),
                          st.floats(0, 5.0)), max_size=300))
def test_no_failures_of_others_ever_stop_a_desk_that_opened_today(tries):
    guard, now = PinGuard(), 0.0
    guard.succeeded(DESK, now)
    for address, step in tries:
        now += step
        if guard.seconds_to_wait(address, now) == 0:
            guard.failed(address, now)
        assert guard.seconds_to_wait(DESK, now) == 0


@given(st.lists(st.floats(0, 30.0), max_size=200))
def test_one_address_tests_at_most_five_pins_a_minute(steps):
    guard, now, tested = PinGuard(), 0.0, []
    for step in steps:
        now += step
        if guard.seconds_to_wait(STRANGER, now) == 0:
            guard.failed(STRANGER, now)
            tested.append(now)
    assert all(sum(1 for t in tested if start <= t < start + 60) <= pin_guard.MAX_FAILURES
               for start in tested)
