import pytest

from domain_givens import COCKTAIL, GA, WORKSHOP
from shared_domain.errors import DomainError
from shared_domain.pricing import OrderLine, price_order
from shared_domain.seats import SeatQuantity


def test_one_general_admission_and_one_cocktail_party_cost_249_dollars(prices):
    lines, total = price_order((SeatQuantity(GA, 1), SeatQuantity(COCKTAIL, 1)), prices)
    assert total == 24900
    assert lines == (
        OrderLine(GA, "General admission", 1, 19900, 19900),
        OrderLine(COCKTAIL, "Additional cocktail party", 1, 5000, 5000),
    )


def test_ten_workshops_and_three_general_admissions_cost_5597_dollars(prices):
    _, total = price_order((SeatQuantity(WORKSHOP, 10), SeatQuantity(GA, 3)), prices)
    assert total == 559700


def test_zero_quantity_lines_are_dropped_and_repeated_types_merged(prices):
    lines, total = price_order(
        (SeatQuantity(GA, 1), SeatQuantity(COCKTAIL, 0), SeatQuantity(GA, 2)), prices)
    assert [(l.seat_type, l.quantity) for l in lines] == [(GA, 3)]
    assert total == 3 * 19900


def test_nothing_costs_nothing(prices):
    assert price_order((), prices) == ((), 0)


def test_unknown_seat_type_is_refused(prices):
    with pytest.raises(DomainError) as refusal:
        price_order((SeatQuantity("vip", 1),), prices)
    assert refusal.value.code == "unknown_seat_type"
