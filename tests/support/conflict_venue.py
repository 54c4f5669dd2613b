"""A venue where the check-in conflicts of DESIGN.md section 6 happen for real: a hub over HTTP
(tests/support/venue.py) and two doors in this process, offline from each other."""
from hub.venue import conflict_queries
from shared_domain import payments
from tests.support.venue import enroll, node_service


def tickets(hub) -> dict:
    T = hub.hub.models.TicketView
    return {t.attendee_name: t for t in T.select()}


def two_doors(hub, tmp_path):
    """Door A and Door B, enrolled and synced once."""
    enroll(hub, tmp_path / "a", "Door A")
    enroll(hub, tmp_path / "b", "Door B")
    a, b = node_service(tmp_path / "a"), node_service(tmp_path / "b")
    a.sync_hub()
    b.sync_hub()
    return a, b


def refund_order(hub, order_id: str) -> None:
    """The hub refunds an order's payment (its tickets are revoked by the ticket issuer)."""
    E = hub.hub.store.models.EventRecord
    for row in E.select().where(E.type == "PaymentCompleted"):
        if f'"order_id":"{order_id}"' in row.data:
            hub.hub.bus.handle(payments.RefundPayment(
                row.stream.removeprefix("payment-"), "registrant_cancelled"))
    hub.pump()


def sync_all(hub, *doors) -> None:
    for _ in range(2):
        for door in doors:
            door.sync_hub()
        hub.pump()


def create_three_conflicts(hub, a, b) -> dict:
    """Two doors admit one ticket offline; door A admits a reassigned seat's old ticket; door B
    admits a refunded order's ticket. Return the conflicts by kind, after every sync."""
    before = tickets(hub)
    assert a.desk.scan(before["Att0 Endee"].code).admitted
    assert b.desk.scan(before["Att0 Endee"].code).admitted
    reassigned = before["Att2 Endee"]
    r = hub.http.put(f"/api/orders/{reassigned.order_id}/seats/0",
                     headers=hub.owner(reassigned.order_id),
                     json={"first_name": "New", "last_name": "Holder", "email": "new@example.org"})
    assert r.status_code == 200, r.get_json()
    hub.pump()
    assert a.desk.scan(reassigned.code).admitted          # door A has not heard
    refund_order(hub, before["Att1 Endee"].order_id)
    assert b.desk.scan(before["Att1 Endee"].code).admitted  # nor has door B
    sync_all(hub, b, a)
    return {c.kind: c for c in conflict_queries.find_conflicts(hub.hub)}
