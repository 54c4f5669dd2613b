"""Order management again, with the hub's database on PostgreSQL: the read models' new
columns, the search and the release of seats run the same there."""
from tests.integration import test_order_management_api as scenarios
from tests.support.hub_api import on_postgres


clock, api = on_postgres()


conference = scenarios.conference
test_the_owner_sees_an_orders_lines_payments_seats_tickets_and_history = \
    scenarios.test_the_owner_sees_an_orders_lines_payments_seats_tickets_and_history
test_orders_are_found_by_name_email_id_or_access_code = \
    scenarios.test_orders_are_found_by_name_email_id_or_access_code
test_cancelling_releases_the_seats_revokes_the_tickets_and_refunds = \
    scenarios.test_cancelling_releases_the_seats_revokes_the_tickets_and_refunds
test_cancelling_twice_is_harmless = scenarios.test_cancelling_twice_is_harmless
test_the_registrant_cannot_cancel_past_the_deadline = \
    scenarios.test_the_registrant_cannot_cancel_past_the_deadline
test_the_owner_marks_a_reserved_order_paid_by_invoice = \
    scenarios.test_the_owner_marks_a_reserved_order_paid_by_invoice
