"""The registration scenarios again, with the hub's database on PostgreSQL (`--db URL`)."""
from tests.integration import test_registration_api as scenarios
from tests.support.hub_api import on_postgres


clock, api = on_postgres()


conference = scenarios.conference
test_order_totals_match_the_original_scenarios = scenarios.test_order_totals_match_the_original_scenarios
test_partial_fulfilment_with_a_quota_of_four = scenarios.test_partial_fulfilment_with_a_quota_of_four
test_full_registration_confirms_and_creates_seat_assignments = \
    scenarios.test_full_registration_confirms_and_creates_seat_assignments
test_payment_completed_after_expiry_is_refunded_when_seats_are_gone = \
    scenarios.test_payment_completed_after_expiry_is_refunded_when_seats_are_gone
test_duplicate_events_change_nothing = scenarios.test_duplicate_events_change_nothing
test_read_models_rebuilt_from_scratch_equal_the_live_ones = \
    scenarios.test_read_models_rebuilt_from_scratch_equal_the_live_ones
