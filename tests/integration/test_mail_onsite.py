"""The walk-in's receipt and tickets, mailed when the door's sale reaches the hub."""
from hub.venue import allocations
from shared_domain.people import PersonalInfo
from shared_domain.sales import receipt_number
from tests.support.mail import parts, received, sender_for, smtp_server  # noqa: F401

WALK_IN = PersonalInfo("Walk", "In", "walk.in@example.org", "Fabrikam")
COCKTAIL = "Additional cocktail party"


def sold(hub, door):
    T, N = hub.hub.models.SeatType, hub.hub.models.Node
    seat_type = T.get(T.name == COCKTAIL).id
    allocations.allocate(hub.hub, N.get_by_id(door.node_id), seat_type, 5)
    hub.pump()
    door.sync_hub()
    sale = door.sales.sell(buyer=WALK_IN, wanted={seat_type: 2}, payment_method="card_terminal",
                           payment_reference="T-1001", by="planner")
    door.sync_hub()
    hub.pump()
    return sale


def test_a_sale_at_the_door_mails_the_buyer_a_receipt_and_a_ticket_per_seat(
        hub, door, smtp_server):
    sale = sold(hub, door)
    sender_for(hub.hub, smtp_server).send_due()

    [receipt] = received(smtp_server, "onsite_receipt")
    assert receipt["To"] == "walk.in@example.org"
    assert receipt["Subject"] == "Your receipt from CQRS Summit"
    text = parts(receipt)["text"]
    assert receipt_number(sale.sale_id) in text       # the number the door's receipt prints
    assert "2 × Additional cocktail party" in text and "$100.00" in text
    assert "Card T-1001" in text and "Door A" in text
    tickets = [m for m in received(smtp_server, "ticket") if m["To"] == "walk.in@example.org"]
    assert len(tickets) == 2 and all(parts(t)["attachments"] for t in tickets)
    assert not any(m["To"] == "walk.in@example.org"
                   for m in received(smtp_server, "order_confirmation"))


def test_a_sale_cancelled_at_its_door_mails_the_buyer_once(hub, door, smtp_server):
    sale = sold(hub, door)
    sender = sender_for(hub.hub, smtp_server)
    sender.send_due()
    door.sales.cancel(sale.sale_id, by="planner", refund_method="cash")
    door.sync_hub()
    hub.pump()
    sender.send_due()
    [cancelled] = received(smtp_server, "onsite_cancelled")
    assert cancelled["To"] == "walk.in@example.org"
    text = parts(cancelled)["text"]
    assert "Refunded  $100.00" in text and receipt_number(sale.sale_id) in text
    # One mail for the sale, not a notice per seat.
    assert not [m for m in received(smtp_server) if m["X-Contoso-Mail"] == "ticket_cancelled"]
