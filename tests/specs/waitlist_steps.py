"""The wait-list feature's steps, shared by the domain and the API specs: each test module
gives a `world` fixture that does the same things its own way (tests/specs/test_*.py)."""
from datetime import timedelta

from pytest_bdd import given, parsers, then, when

ANN, BOB = "Ann", "Bob"


def table(datatable) -> dict[str, int]:
    """A | seat type | quantity | table as {seat type: quantity}."""
    return {row[0]: int(row[1]) for row in datatable[1:]}


@given("a conference with these seat types")
def conference(world, datatable):
    world.conference({row[0]: (int(row[1]), int(row[2])) for row in datatable[1:]})


@given(parsers.parse("every seat of {first} and of {second} is sold"))
def sold_out(world, first, second):
    world.sell_out(first)
    world.sell_out(second)


@given("the registrant chooses these seats on sale")
def choose_on_sale(world, datatable):
    world.chosen = table(datatable)


@given("the registrant chooses to wait for these sold-out seats")
def choose_to_wait(world, datatable):
    world.to_wait = table(datatable)


@when("the registrant places the reservation")
def place(world):
    world.place(world.chosen, world.to_wait)


@then("the registrant waits for these seats")
def waits_for(world, datatable):
    assert world.waiting_of("registrant") == table(datatable)


@then("the registrant waits for no seats")
def waits_for_nothing(world):
    assert world.waiting_of("registrant") == {}


@then("these seats are reserved for the registrant")
def reserved(world, datatable):
    assert world.reserved() == table(datatable)


@then("no seats are reserved for the registrant")
def nothing_reserved(world):
    assert world.reserved() == {}


@given(parsers.parse("Ann and then Bob wait for 1 seat of {seat_type} each"))
def ann_then_bob(world, seat_type):
    world.join(ANN, seat_type, 1)
    world.join(BOB, seat_type, 1)


@given(parsers.parse("an order of 1 {seat_type} seat is cancelled"))
@when(parsers.parse("an order of 1 {seat_type} seat is cancelled"))
def single_cancelled(world, seat_type):
    world.cancel_single_order(seat_type)


@then(parsers.parse("{name} is offered {quantity:d} seat of {seat_type}, held for {hours:d} hours"))
def offered(world, name, quantity, seat_type, hours):
    status, offered_quantity, held_for = world.offer_of(name, seat_type)
    assert (status, offered_quantity, held_for) == ("offered", quantity, timedelta(hours=hours))


@then(parsers.parse("{name} is still waiting"))
def still_waiting(world, name):
    assert world.status_of(name) == "waiting"


@then(parsers.parse("a new order cannot reserve that {seat_type} seat"))
def public_cannot_have_it(world, seat_type):
    assert world.public_reserves(seat_type, 1) == 0


@when(parsers.parse("{hours:d} hours pass without Ann ordering"))
def hours_pass(world, hours):
    world.pass_time(timedelta(hours=hours))


@then(parsers.parse("{name}'s offer has expired"))
def offer_expired(world, name):
    assert world.status_of(name) == "expired"


@when(parsers.parse("{name} takes the offer"))
def takes_offer(world, name):
    world.take_offer(name)


@then(parsers.parse("{name}'s order holds {quantity:d} seat of {seat_type}"))
def order_holds(world, name, quantity, seat_type):
    assert world.order_of(name) == {seat_type: quantity}
