"""Selling seats on site from allocations, offline, without ever overselling."""
import threading

import pytest

from hub.venue import allocations
from shared_domain.errors import DomainError
from shared_domain.people import PersonalInfo
from tests.support.servers import ThreadedServer
from tests.support.venue import enroll, node_service

WALK_IN = PersonalInfo("Walk", "In", "walk.in@example.org", "Fabrikam")


def seat_type(hub, name="Additional cocktail party"):
    T = hub.hub.models.SeatType
    return T.get(T.name == name).id


def node_row(hub, node):
    return hub.hub.models.Node.get_by_id(node.node_id)


def available(hub, name="Additional cocktail party"):
    V = hub.hub.models.SeatTypeView
    return V.get(V.name == name).available


def allocate(hub, node, quantity, name="Additional cocktail party"):
    granted = allocations.allocate(hub.hub, node_row(hub, node), seat_type(hub, name), quantity)
    hub.pump()
    return granted


def sell(node, hub, quantity, **kwargs):
    return node.sales.sell(buyer=kwargs.pop("buyer", WALK_IN),
                           wanted={seat_type(hub): quantity},
                           payment_method=kwargs.pop("payment_method", "cash"),
                           payment_reference=kwargs.pop("payment_reference", ""), by="planner",
                           **kwargs)


def test_an_allocation_leaves_the_hub_and_the_node_sells_from_it(door, hub):
    before = available(hub)
    assert allocate(hub, door, 5) == 5
    assert available(hub) == before - 5
    door.sync_hub()
    [offer] = door.sales.offer()
    assert (offer["allocated"], offer["left"], offer["price_cents"]) == (5, 5, 5000)
    sale = sell(door, hub, 2)
    assert sale.total_cents == 10000 and len(sale.seats) == 2
    assert door.sales.offer()[0]["left"] == 3


def test_a_sale_beyond_the_allocation_is_refused_saying_how_many_are_left(door, hub):
    allocate(hub, door, 2)
    door.sync_hub()
    with pytest.raises(DomainError) as refused:
        sell(door, hub, 3)
    assert refused.value.code == "allocation_exhausted"
    assert "Only 2 seats of Additional cocktail party left" in refused.value.message
    assert "hub admin" in refused.value.message
    assert not door.replica.models.SaleView.select().exists()


def test_two_planners_cannot_both_sell_the_last_seat(door, hub):
    allocate(hub, door, 1)
    door.sync_hub()
    outcomes = []

    def planner():
        try:
            outcomes.append(sell(door, hub, 1).sale_id)
        except DomainError as e:
            outcomes.append(e.code)

    threads = [threading.Thread(target=planner) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o == "allocation_exhausted" for o in outcomes) == [False] + [True] * 5
    assert door.sales.offer()[0]["sold"] == 1


def test_a_walk_in_is_admitted_with_the_provisional_ticket_and_the_hub_reissues_it(door, hub, tmp_path):
    allocate(hub, door, 3)
    door.sync_hub()
    sale = sell(door, hub, 1, payment_method="card_terminal", payment_reference="T-1001")
    provisional = sale.seats[0].code
    enroll(hub, tmp_path / "b", "Door B")
    other = node_service(tmp_path / "b")
    other.sync_hub()   # knows door A's key from the hub, not the sale
    assert other.desk.scan(provisional).admitted
    door.sync_hub()
    hub.pump()
    order = hub.hub.models.OrderView.get_by_id(sale.sale_id)
    assert (order.status, order.sold_on_site_by, order.payment_status) == ("confirmed", "Door A", "paid")
    ticket = hub.hub.models.TicketView.get_by_id(sale.seats[0].seat_id)
    assert ticket.code != provisional and ticket.attendee_name == "Walk In"
    assert "walk.in@example.org" in str(hub.http.get(
        "/api/conferences/cqrs2026/attendees",
        headers=_owner(hub)).get_json())
    orders = hub.http.get("/api/conferences/cqrs2026/orders", headers=_owner(hub)).get_json()
    assert [o["sold_on_site_by"] for o in orders if o["order_id"] == sale.sale_id] == ["Door A"]
    assert door.desk.scan(ticket.code).admitted          # the re-issued code works too
    other.close()


def _owner(hub):
    import base64
    c = hub.hub.models.Conference.get()
    token = base64.b64encode(f"{c.owner_email}:{c.access_code}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def test_cancelling_a_sale_after_sync_gives_the_seats_back_and_revokes_its_tickets(door, hub):
    allocate(hub, door, 2)
    door.sync_hub()
    sale = sell(door, hub, 2)
    door.sync_hub()
    hub.pump()
    door.sales.cancel(sale.sale_id, by="planner", refund_method="cash")
    assert door.sales.offer()[0]["left"] == 2
    assert door.desk.scan(sale.seats[0].code).reason == "order_cancelled"
    door.sync_hub()
    hub.pump()
    order = hub.hub.models.OrderView.get_by_id(sale.sale_id)
    assert (order.status, order.payment_status) == ("cancelled", "refunded")
    assert not hub.hub.models.TicketView.select().where(
        hub.hub.models.TicketView.order_id == sale.sale_id).exists()
    with pytest.raises(DomainError):
        door.sales.cancel(sale.sale_id, by="planner")


def test_returned_seats_go_back_to_the_hub_and_a_reduction_returns_what_is_unsold(door, hub):
    start = available(hub)
    allocate(hub, door, 6)
    door.sync_hub()
    sell(door, hub, 1)
    door.sales.give_back(seat_type(hub), 2, by="planner")
    assert door.sales.offer()[0]["left"] == 3
    door.sync_hub()
    hub.pump()
    assert available(hub) == start - 4
    allocations.request_reduction(hub.hub, node_row(hub, door), seat_type(hub), 10)
    door.sync_hub()   # the node returns its 3 unsold seats and pushes that at once
    hub.pump()
    assert door.sales.offer()[0]["left"] == 0
    assert available(hub) == start - 1
    [summary] = allocations.allocation_summary(hub.hub, node_row(hub, door))
    assert (summary["allocated"], summary["sold"], summary["left"]) == (1, 1, 0)


def test_doors_hand_seats_to_each_other_with_the_hub_down(hub, tmp_path):
    enroll(hub, tmp_path / "a", "Door A")
    enroll(hub, tmp_path / "b", "Door B")
    a, b = node_service(tmp_path / "a"), node_service(tmp_path / "b")
    allocate(hub, a, 4)
    a.sync_hub()
    b.sync_hub()
    from onsite_node.server import create_node_app
    server_b = ThreadedServer(create_node_app(b))
    a.peers["b"] = server_b.url
    a.sales.hand_over(b.node_id, seat_type(hub), 3, by="planner")
    assert a.sales.offer()[0]["left"] == 1
    a.sync_peers()          # the hub is not involved
    sell(b, hub, 3)
    with pytest.raises(DomainError):
        sell(b, hub, 1)
    b.sync_hub()            # B relays A's hand-over before its own sales
    hub.pump()
    assert not hub.hub.models.Conflict.select().exists()
    assert [s["left"] for s in allocations.allocation_summary(hub.hub, node_row(hub, b))] == [0]
    server_b.stop()
    a.close()
    b.close()


def test_a_node_tops_up_automatically_up_to_its_ceiling(hub, tmp_path):
    enroll(hub, tmp_path / "t", "Door T")
    node = node_service(tmp_path / "t", top_up_ceiling=10, top_up_low_water=2)
    allocate(hub, node, 3)
    node.sync_hub()
    sell(node, hub, 2)     # 1 left: below the low-water mark
    node.sync_hub()        # asks for 7 more (up to 10) and pushes the request
    hub.pump()
    node.sync_hub()
    assert node.sales.offer()[0]["allocated"] == 10
    node.close()


def test_a_reused_card_receipt_and_a_faulty_node_overselling_are_conflicts(door, hub):
    allocate(hub, door, 3)
    door.sync_hub()
    sell(door, hub, 1, payment_method="card_terminal", payment_reference="R-7")
    sell(door, hub, 1, payment_method="card_terminal", payment_reference="R-7")
    # a faulty node: records a sale without the allocation check
    from shared_domain.sales import OnSiteSaleMade, SaleLine
    door.replica.record([OnSiteSaleMade(
        "01930000-0000-7000-8000-00000000abcd", door.replica.conference_id, door.node_id,
        door.replica.credentials["epoch"], WALK_IN, "",
        (SaleLine(seat_type(hub), "Additional cocktail party", 5, 5000, 25000),), 25000, "cash", "",
        "2026-12-08T09:00:00+00:00", "bug")])
    door.sync_hub()
    hub.pump()
    kinds = sorted(c.kind for c in hub.hub.models.Conflict.select())
    assert kinds == ["payment_reference_reused", "sale_beyond_allocation"]


def test_a_door_restored_from_an_old_copy_never_resells_what_it_sold(hub, tmp_path):
    import shutil
    enroll(hub, tmp_path / "a", "Door A")
    node = node_service(tmp_path / "a")
    allocate(hub, node, 2)
    node.sync_hub()
    node.close()
    shutil.copytree(tmp_path / "a", tmp_path / "backup")       # the SD card is copied
    node = node_service(tmp_path / "a")
    with pytest.raises(DomainError) as refused:
        sell(node, hub, 1)                                     # just started: not confirmed
    assert refused.value.code == "records_unconfirmed"
    node.sync_hub()
    sell(node, hub, 2)
    node.sync_hub()
    node.close()
    shutil.rmtree(tmp_path / "a")
    shutil.copytree(tmp_path / "backup", tmp_path / "a")       # ...and restored later
    node = node_service(tmp_path / "a")
    node.sync_hub()                                            # a new epoch, no allocation in it
    assert node.replica.credentials["epoch"] == 2
    with pytest.raises(DomainError) as refused:
        sell(node, hub, 1)
    assert refused.value.code == "allocation_exhausted"
    hub.pump()
    L = hub.hub.models.NodeLedger
    assert sum(r.sold for r in L.select()) == 2
    node.close()


def test_the_admin_console_sees_allocations_and_on_site_sales(door, hub):
    from hub.venue import on_site_figures
    from hub.venue.dashboard import seats_sold_online
    allocate(hub, door, 4)
    door.sync_hub()
    sell(door, hub, 3)
    door.sync_hub()
    hub.pump()
    [summary] = on_site_figures.allocation_summary(hub.hub, node_row(hub, door))
    assert (summary["allocated"], summary["sold"], summary["left"]) == (4, 3, 1)
    figures = on_site_figures.on_site_seats(hub.hub, door.replica.conference_id)
    assert figures[seat_type(hub)] == {"sold": 3, "allocated": 1}
    online = seats_sold_online(hub.hub, door.replica.conference_id)
    assert seat_type(hub) not in online   # on-site seats are not counted as sold online


def test_another_door_cannot_cancel_a_sale_it_did_not_make(door, hub, tmp_path):
    from shared_domain import sales
    enroll(hub, tmp_path / "b", "Door B")
    other = node_service(tmp_path / "b")
    try:
        other.sync_hub()
        allocate(hub, door, 1)
        door.sync_hub()
        sale = sell(door, hub, 1)
        door.sync_hub()
        hub.pump()
        origin = other.replica.origin
        node_id, epoch = origin.rsplit(":", 1)
        # A fact of door B's own origin, as a stolen credential of B could push it.
        other.replica.record([sales.OnSiteSaleCancelled(
            sale.sale_id, node_id, int(epoch), "2026-12-08T09:00:00+00:00", "thief", 5000,
            "cash")])
        other.sync_hub()
        hub.pump()
        order = hub.hub.models.OrderView.get_by_id(sale.sale_id)
        assert order.status != "cancelled" and order.payment_status != "refunded"
    finally:
        other.close()
