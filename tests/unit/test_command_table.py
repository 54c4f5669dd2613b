"""The hub's command table names a handler for every command of the catalog, and the
handler is the one of the command's aggregate."""
from types import SimpleNamespace

from hub.orders.handlers import Handlers
from hub.promotions.handlers import PromotionHandlers
from hub.waitlists.handlers import WaitlistHandlers
from shared_domain import orders, payments, registration_process, seat_assignments
from shared_domain import promotions, seats_availability, waitlists
from shared_domain.catalog import ALL_COMMANDS


def test_every_command_has_its_aggregates_handler():
    handlers = Handlers(SimpleNamespace())
    codes = PromotionHandlers(SimpleNamespace())
    waitlist_handlers = WaitlistHandlers(SimpleNamespace(), handlers)
    table = {**handlers.table(), **codes.table(), **waitlist_handlers.table()}
    assert set(table) == set(ALL_COMMANDS)
    expected = {orders: handlers.order, seats_availability: handlers.seats_availability,
                seat_assignments: handlers.seat_assignments, payments: handlers.payment,
                registration_process: handlers.expire_process,
                waitlists: waitlist_handlers.waitlist}
    by_name = {module.__name__: handler for module, handler in expected.items()}
    by_name[promotions.__name__] = codes.code
    # Applying a code writes the code's stream and the order's: the promotions' handler; so
    # does reinstating an order (its codes' uses are taken again).
    on_both = {orders.ApplyPromotionalCode: codes.apply, orders.RemovePromotionalCode: codes.remove,
               orders.ReinstateOrder: codes.reinstate}
    for command, handler in table.items():
        assert handler == on_both.get(command, by_name[command.__module__]), command.__name__
