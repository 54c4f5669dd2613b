"""A node's holdings, folded one fact at a time (shared_domain/allocations.py): what the hub
judges an on-site sale against."""
from shared_domain.allocations import (AllocationHandedOver, AllocationReturned, Holding,
                                       HoldingsFold, holdings_from)
from shared_domain.people import PersonalInfo
from shared_domain.sales import OnSiteSaleCancelled, OnSiteSaleMade, SaleLine
from shared_domain.seats_availability import SeatsAllocatedToNode

BUYER = PersonalInfo("Walk", "In", "walk.in@example.org")


def sale(sale_id, quantity, node_id="a", epoch=1, seat_type="ga"):
    return OnSiteSaleMade(sale_id, "c", node_id, epoch, BUYER, "",
                          (SaleLine(seat_type, "GA", quantity, 100, 100 * quantity),),
                          100 * quantity, "cash", "", "", "")


def cancel(sale_id):
    return OnSiteSaleCancelled(sale_id, "a", 1, "", "", 0, "cash")


def test_grants_hand_overs_and_returns_move_the_limit_of_that_node_and_epoch_only():
    facts = [SeatsAllocatedToNode("c", "a", 1, "ga", 5, "g1"),
             SeatsAllocatedToNode("c", "a", 2, "ga", 7, "g2"),
             AllocationHandedOver("h1", "c", "b", 1, "a", 1, "ga", 2, "", ""),
             AllocationHandedOver("h2", "c", "a", 1, "b", 1, "ga", 1, "", ""),
             AllocationReturned("r1", "c", "a", 1, "ga", 3, "", "")]
    held = holdings_from(facts, "a", 1)["ga"]
    assert (held.granted, held.handed_in, held.handed_out, held.returned) == (5, 2, 1, 3)
    assert held.limit == 3


def test_a_sale_counts_once_and_not_at_all_once_cancelled_whatever_the_order():
    fold = HoldingsFold("a", 1)
    fold.add(sale("s1", 2))
    fold.add(sale("s1", 2))            # the same sale again
    fold.add(sale("s2", 1))
    assert fold.holding("ga").sold == 3
    fold.add(cancel("s2"))
    assert fold.holding("ga").sold == 2
    fold.add(cancel("s3"))             # cancelled before the sale reaches the fold
    fold.add(sale("s3", 4))
    assert fold.holding("ga").sold == 2
    assert fold.holdings() == holdings_from(
        [sale("s1", 2), sale("s1", 2), sale("s2", 1), cancel("s2"), cancel("s3"),
         sale("s3", 4)], "a", 1)


def test_another_nodes_sales_and_a_seat_type_never_touched_hold_nothing():
    fold = HoldingsFold("a", 1)
    fold.add(sale("s1", 2, node_id="b"))
    fold.add(sale("s2", 1, seat_type="ws"))
    fold.add(cancel("s2"))
    assert fold.holding("ga") == Holding() and fold.holdings() == {}
