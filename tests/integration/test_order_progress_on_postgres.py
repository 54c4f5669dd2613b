"""The order long-poll again with the hub's database on PostgreSQL, where a waiting request
also gives its connection back while it naps long (a connection is a server process there)."""
from hub.orders import order_progress
from tests.integration import test_order_progress as scenarios
from tests.support.hub_api import on_postgres


clock, api = on_postgres()


placed, naps = scenarios.placed, scenarios.naps
test_long_poll_answers_as_soon_as_the_seats_are_reserved = \
    scenarios.test_long_poll_answers_as_soon_as_the_seats_are_reserved
test_long_poll_waits_for_the_confirmation_after_the_payment = \
    scenarios.test_long_poll_waits_for_the_confirmation_after_the_payment
test_a_stranger_gets_the_same_refusal_from_the_long_poll_as_from_the_get = \
    scenarios.test_a_stranger_gets_the_same_refusal_from_the_long_poll_as_from_the_get


def test_a_waiting_request_gives_its_connection_back_while_it_naps_long(api, placed,
                                                                          monkeypatch):
    order_id, owner = placed
    naps = []

    def nap(seconds, bell):
        naps.append((seconds, not api.hub.db.is_closed()))   # this thread's connection
        if len(naps) == 8:
            api.pump()                                      # reconnects; the order moves on

    monkeypatch.setattr(order_progress, "_nap", nap)
    answer = scenarios.long_poll(api, order_id, owner, "pending_reservation")
    assert answer.get_json()["status"] == "reserved"
    longest = [connected for seconds, connected in naps
               if seconds >= order_progress.LAST_NAP_SECONDS]
    assert longest and not any(longest)
