"""Tickets over HTTP again with the hub's database on PostgreSQL: the PDF, whether tickets are
still being issued (read from the log and the readers' positions), and the seats' long-poll."""
from tests.integration import test_ticket_downloads as scenarios
from tests.support.hub_api import on_postgres


clock, api = on_postgres()


orders, naps = scenarios.orders, scenarios.naps
test_the_pdf_is_served_to_its_owner_as_a_download_never_cached = \
    scenarios.test_the_pdf_is_served_to_its_owner_as_a_download_never_cached
test_a_paid_order_is_issuing_until_its_seats_and_tickets_are_there = \
    scenarios.test_a_paid_order_is_issuing_until_its_seats_and_tickets_are_there
test_a_long_poll_on_the_seats_answers_once_the_ticket_is_issued = \
    scenarios.test_a_long_poll_on_the_seats_answers_once_the_ticket_is_issued
