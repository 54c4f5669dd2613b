"""A late payment for an expired order that held a code, through the real hub on a fake clock:
the order comes back only with its code's use taken again; a code used up meanwhile is
handled like seats that are gone (the payment refunded, the order left expired)."""
from tests.integration.test_promotions_hub import (GA, apply, conference, define,  # noqa: F401
                                                  reserved_order)


def uses(api, conference, code):
    return api.http.get(f"/api/conferences/{conference[0]}/promotional-codes/{code}",
                        headers=conference[2]).get_json()


def paid_then_expired(api, conference, code):
    """An order holding `code`, its payment started, then left past the release buffer."""
    order_id = reserved_order(api, conference, {GA: 1})
    assert apply(api, order_id, code).status_code == 200
    api.registrant(order_id, "ada@example.org")
    payment = api.start_payment(order_id).get_json()
    api.hub.clock.advance(minutes=21)
    api.pump()
    assert api.get_order(order_id)["status"] == "expired"
    return order_id, payment["payment_id"]


def test_a_late_payment_takes_the_codes_use_again_and_confirms_the_discounted_order(
        api, conference):
    define(api, conference, code="TWICE", kind="amount", value=5000, quota_kind="uses",
           quota=2)
    order_id, payment_id = paid_then_expired(api, conference, "TWICE")
    assert uses(api, conference, "TWICE")["uses"] == 0           # released on expiry
    api.http.post(f"/api/payments/{payment_id}/accept")
    api.pump()
    order = api.get_order(order_id)
    assert order["status"] == "confirmed" and order["discount_cents"] == 5000
    held = uses(api, conference, "TWICE")
    assert held["uses"] == 1 and {(u["order_id"], u["status"]) for u in held["orders"]} == {
        (order_id, "held")}


def test_a_late_payment_is_refunded_when_the_code_was_used_up_meanwhile(api, conference):
    define(api, conference, code="ONCE", kind="amount", value=5000, single_use=True)
    late, payment_id = paid_then_expired(api, conference, "ONCE")
    other = reserved_order(api, conference, {GA: 1})
    assert apply(api, other, "ONCE").status_code == 200          # the use, freed, is taken
    api.http.post(f"/api/payments/{payment_id}/accept")
    api.pump()
    assert api.get_order(late)["status"] == "expired"
    assert api.get_order(late)["payment_status"] == "refunded"
    held = uses(api, conference, "ONCE")
    assert held["uses"] == 1 and [u["order_id"] for u in held["orders"]
                                  if u["status"] == "held"] == [other]
    slug = conference[0]
    assert api.available(slug)[GA] == 99                         # only the other's seat held
    api.http.post(f"/api/payments/{payment_id}/accept")          # again: changes nothing
    api.pump()
    assert api.get_order(late)["status"] == "expired"
    assert uses(api, conference, "ONCE")["uses"] == 1
