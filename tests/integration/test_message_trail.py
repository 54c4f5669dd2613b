"""An order's trail (hub/platform/message_trail.py): every command the process sent, with
its outcome, and every event it led to, read from the queue and the log."""
from hub.platform.message_trail import trail
from tests.support.clock import FakeClock
from tests.support.hub_api import HubClient, make_app

GA = "General admission"


def test_a_confirmed_order_shows_its_commands_with_outcomes_and_its_events(tmp_path):
    api = HubClient(make_app(tmp_path, FakeClock(), settle_rounds=4))
    try:
        slug, ids, conference = api.create_conference(seat_types=[
            {"name": GA, "description": "All talks", "quantity": 5, "price": 100}])
        order_id = api.order(slug, {ids[GA]: 2})
        api.registrant(order_id)
        api.pay(order_id)
        steps = trail(api.hub, order_id, api.get_order(order_id)["conference_id"])
    finally:
        api.hub.close()
    commands = {s.type: s.outcome for s in steps if s.kind == "command"}
    assert commands["RegisterToConference"] == "done"
    assert commands["MakeSeatReservation"] == "done"
    assert commands["ConfirmOrder"] == "done"
    assert commands["ExpireRegistrationProcess"] == "pending"
    events = [s.type for s in steps if s.kind == "event"]
    assert events.index("OrderPlaced") < events.index("OrderConfirmed")
    assert {"SeatsReserved", "PaymentInitiated", "SeatAssignmentsCreated",
            "SeatsReservationCommitted"} <= set(events)
    assert [s.at for s in steps] == sorted(s.at for s in steps)
