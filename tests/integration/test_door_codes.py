"""Promotional codes at the doors, through a real hub (served over HTTP) and a real node: the
node replicates the codes' terms, its planner grants an unlimited code offline and is refused
a limited one, and the hub checks the sale when it syncs (docs/promotions.md, "At the doors")."""
import datetime as dt

import pytest

from hub.orders.registration import order_json
from hub.venue import allocations
from shared_domain import promotions
from shared_domain.errors import DomainError
from shared_domain.people import PersonalInfo
from shared_domain.promotions import CodeTerms, LineDiscount
from tests.support.mail import parts, received, sender_for, smtp_server  # noqa: F401

WALK_IN = PersonalInfo("Walk", "In", "walk.in@example.org", "Fabrikam")
COCKTAIL = "Additional cocktail party"      # $50.00 a seat


def seat_type(hub):
    T = hub.hub.models.SeatType
    return T.get(T.name == COCKTAIL).id


def define(hub, code, **terms):
    hub.hub.bus.handle(promotions.DefinePromotionalCode(
        hub.conference.id, code, CodeTerms(**{"kind": "percentage", "value": 10, **terms})))
    hub.pump()


@pytest.fixture
def selling(hub, door):
    """Door A holding 5 cocktail seats, and the hub's codes: unlimited, limited, expired."""
    allocations.allocate(hub.hub, hub.hub.models.Node.get_by_id(door.node_id), seat_type(hub), 5)
    now = hub.hub.clock()
    define(hub, "FRIENDS", kind="percentage", value=20)
    define(hub, "FEW", quota_kind="uses", quota=2)
    define(hub, "OVER", valid_until=now - dt.timedelta(days=1),
           valid_from=now - dt.timedelta(days=9))
    door.sync_hub()
    return door


def sell(door, hub, quantity, codes=()):
    return door.sales.sell(buyer=WALK_IN, wanted={seat_type(hub): quantity},
                           payment_method="cash", by="planner", codes=codes)


def test_the_door_replicates_the_codes_terms_and_no_redemptions(hub, selling):
    V = selling.replica.models.DoorCodeView
    assert sorted(row.code for row in V.select()) == ["FEW", "FRIENDS", "OVER"]


def test_an_unlimited_code_discounts_a_sale_made_offline_and_the_hub_shows_it(
        hub, selling, smtp_server):
    sale = sell(selling, hub, 2, codes=("friends",))        # never contacts the hub
    assert (sale.codes, sale.total_cents, sale.discount_cents) == (("FRIENDS",), 8000, 2000)
    assert sale.discounts == (LineDiscount("FRIENDS", seat_type(hub), 2000),)
    assert [line.line_total_cents for line in sale.lines] == [10000]     # list price
    shown = selling.front_desk.sale(sale.sale_id)
    assert shown["total_cents"] == 8000 and shown["discounts"][0]["amount_cents"] == 2000

    selling.sync_hub()
    hub.pump()
    order = order_json(hub.hub, sale.sale_id)         # what the admin's order page reads
    assert order["total_cents"] == 8000 and order["discount_cents"] == 2000
    assert order["promotional_codes"][0]["code"] == "FRIENDS"
    assert not hub.hub.models.Conflict.select().exists()
    sender_for(hub.hub, smtp_server).send_due()
    [receipt] = received(smtp_server, "onsite_receipt")
    text = parts(receipt)["text"]
    assert "Code FRIENDS on Additional cocktail party" in text and "$20.00" in text
    assert "$80.00" in text


def test_a_limited_code_is_refused_at_the_door_saying_it_is_for_online_use(hub, selling):
    with pytest.raises(DomainError) as refused:
        sell(selling, hub, 1, codes=("FEW",))
    assert refused.value.code == "promotional_code_limited"
    assert refused.value.message == ("This code has a limited number of uses: it can be used "
                                     "online only.")
    with pytest.raises(DomainError) as refused:
        sell(selling, hub, 1, codes=("OVER",))
    assert refused.value.code == "promotional_code_expired"
    assert not selling.replica.models.SaleView.select().exists()
    assert selling.sales.offer()[0]["left"] == 5


def test_unknown_codes_at_the_desk_are_limited_like_wrong_pins(hub, selling):
    for guess in ["NOPE1", "NOPE2", "NOPE3", "NOPE4", "NOPE5"]:
        with pytest.raises(DomainError) as refused:
            sell(selling, hub, 1, codes=(guess,))
        assert refused.value.code == "promotional_code_not_found"
    with pytest.raises(DomainError) as refused:
        sell(selling, hub, 1, codes=("FRIENDS",))       # even a good one, for a while
    assert refused.value.code == "too_many_attempts"
    assert sell(selling, hub, 1).total_cents == 5000     # no code: sells as before


def test_a_code_limited_on_the_hub_after_the_door_synced_is_checked_as_the_door_knew_it(
        hub, selling):
    """The door sells with the terms it holds; the hub judges the sale by them, not by the
    change it had not received."""
    hub.hub.bus.handle(promotions.UpdatePromotionalCode(
        hub.conference.id, "FRIENDS", CodeTerms("percentage", 20, quota_kind="uses", quota=3)))
    hub.pump()
    sale = sell(selling, hub, 1, codes=("FRIENDS",))       # the door has not synced
    assert sale.total_cents == 4000
    selling.sync_hub()
    hub.pump()
    assert not hub.hub.models.Conflict.select().exists()
    with pytest.raises(DomainError) as refused:             # now it knows
        sell(selling, hub, 1, codes=("FRIENDS",))
    assert refused.value.code == "promotional_code_limited"
    uses = promotions.fold(e.message for e in hub.hub.store.load(
        promotions.stream_id(hub.conference.id, "FRIENDS")))
    assert uses.uses == 0                                   # a door sale takes no use


def test_a_faulty_doors_discount_is_a_conflict_and_takes_no_use(hub, selling):
    from shared_domain.sales import OnSiteSaleMade, SaleLine
    sale = sell(selling, hub, 1)
    forged = OnSiteSaleMade(
        "01930000-0000-7000-8000-00000000c0de", sale.conference_id, sale.node_id, sale.epoch,
        WALK_IN, "", (SaleLine(seat_type(hub), COCKTAIL, 1, 5000, 5000),), 1000, "cash", "",
        sale.sold_at, "bug", codes=("FEW",),
        discounts=(LineDiscount("FEW", seat_type(hub), 4000),), discount_cents=4000,
        hub_seq=sale.hub_seq)
    selling.replica.record([forged])
    selling.sync_hub()
    hub.pump()
    [conflict] = hub.hub.models.Conflict.select()
    assert (conflict.kind, conflict.subject) == ("sale_discount_refused", forged.sale_id)
    assert "promotional_code_limited" in conflict.sides
    few = promotions.fold(e.message for e in hub.hub.store.load(
        promotions.stream_id(hub.conference.id, "FEW")))
    assert few.uses == 0
    O = hub.hub.models.OrderView
    assert O.get(O.order_id == forged.sale_id).total_cents == 1000     # it stands as paid


def test_the_printed_receipt_of_a_discounted_sale_is_longer_by_its_discount_row(hub, selling):
    receipt = selling.prints.receipts
    sold = sell(selling, hub, 1)
    discounted = sell(selling, hub, 1, codes=("FRIENDS",))
    assert receipt(discounted.sale_id).height > receipt(sold.sale_id).height
