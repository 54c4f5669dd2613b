"""Promotional codes at the doors: what a door may grant offline, and the hub's check of a
door's discounted sale (shared_domain/door_codes.py); a reinstatement refused for a code."""
import datetime as dt
import itertools

import pytest
from hypothesis import given, strategies as st

from shared_domain import door_codes, registration_process as rp
from shared_domain.errors import DomainError
from shared_domain.orders import OrderReinstatementRefused
from shared_domain.payments import RefundPayment
from shared_domain.promotions import CodeTerms, LineDiscount
from shared_domain.sales import SaleLine
from shared_domain.seats_availability import CancelSeatReservation

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.timezone.utc)
LINES = (SaleLine("ws", "Workshop", 2, 12000, 24000), SaleLine("cp", "Cocktail", 1, 5000, 5000))
TERMS = {"FRIENDS": CodeTerms("percentage", 10),
         "TENOFF": CodeTerms("amount", 1000, seat_types=("cp",), combination="combine_only"),
         "FEW": CodeTerms("percentage", 50, quota_kind="uses", quota=3),
         "LATER": CodeTerms("percentage", 10, valid_from=NOW + dt.timedelta(days=1))}


def refusal(codes, terms=TERMS):
    with pytest.raises(DomainError) as refused:
        door_codes.door_discount(terms, codes, LINES, NOW)
    return refused.value


def test_an_unlimited_code_discounts_each_line_as_on_an_order():
    priced = door_codes.door_discount(TERMS, [" friends ", "TenOff"], LINES, NOW)
    assert priced.codes == ("FRIENDS", "TENOFF")
    assert priced.discounted.discounts == (LineDiscount("FRIENDS", "ws", 2400),
                                           LineDiscount("FRIENDS", "cp", 500),
                                           LineDiscount("TENOFF", "cp", 1000))
    assert priced.discounted.total_cents == 29000 - 3900


def test_a_limited_code_is_refused_at_the_door_as_online_only():
    refused = refusal(["FEW"])
    assert (refused.code, refused.message) == ("promotional_code_limited", (
        "This code has a limited number of uses: it can be used online only."))


def test_unknown_malformed_and_not_yet_valid_codes_are_refused():
    assert refusal(["NOPE"]).code == "promotional_code_not_found"
    assert refusal(["no!"]).code == "promotional_code_not_found"
    assert refusal(["LATER"]).code == "promotional_code_not_yet_valid"
    assert refusal(["AAA1", "BBB2", "CCC3", "DDD4"], {}).code == "too_many_promotional_codes"


def test_no_code_sells_at_list_price():
    assert door_codes.door_discount(TERMS, ["", "  "], LINES, NOW).discounted.total_cents == 29000


def sale_problem(codes, discounts, discount_cents, total, terms=TERMS):
    return door_codes.sale_discount_problem(codes, discounts, discount_cents, total, LINES,
                                            terms, NOW)


def test_the_hub_accepts_a_door_sale_priced_as_apply_codes_prices_it():
    priced = door_codes.door_discount(TERMS, ["FRIENDS"], LINES, NOW).discounted
    assert sale_problem(("FRIENDS",), priced.discounts, priced.discount_cents,
                        priced.total_cents) == ""
    assert sale_problem((), (), 0, 29000) == ""


def test_the_hub_flags_a_limited_code_a_code_it_never_had_and_totals_that_do_not_add_up():
    assert sale_problem(("FEW",), (LineDiscount("FEW", "ws", 12000),), 12000, 17000) == \
        "promotional_code_limited"
    assert sale_problem(("GHOST",), (), 0, 29000) == "promotional_code_not_found"
    assert sale_problem(("FRIENDS",), (), 0, 1000) == "door_discount_mismatch"
    assert sale_problem((), (LineDiscount("FRIENDS", "ws", 10),), 10, 28990) == \
        "door_discount_mismatch"


def test_the_terms_a_door_knew_are_those_of_the_hub_events_it_held():
    from shared_domain.promotions import PromotionalCodeDefined, PromotionalCodeUpdated
    limited = CodeTerms("percentage", 10, quota_kind="uses", quota=2)
    events = [(4, PromotionalCodeDefined("c", "X", CodeTerms("percentage", 10))),
              (9, PromotionalCodeUpdated("c", "X", limited))]
    assert door_codes.terms_known_at(events, 3) is None
    assert door_codes.terms_known_at(events, 8).quota_kind == "unlimited"
    assert door_codes.terms_known_at(events, 9) == limited


@given(st.lists(st.sampled_from(["FRIENDS", "TENOFF", "FEW", "LATER", "NOPE"]), max_size=3))
def test_a_door_grants_only_unlimited_codes_within_their_dates(codes):
    try:
        priced = door_codes.door_discount(TERMS, codes, LINES, NOW)
    except DomainError:
        return
    assert all(TERMS[c].quota_kind == "unlimited" for c in priced.codes)
    assert set(priced.codes) <= {"FRIENDS", "TENOFF"}
    assert 0 <= priced.discounted.total_cents <= 29000


def test_a_reinstatement_refused_for_a_used_up_code_refunds_the_late_payment():
    state = rp.ProcessState("o1", "c1", state=rp.PAYMENT_CONFIRMATION_RECEIVED,
                            payment_id="p1")
    args = dict(now=NOW, causation_id=None, ids=itertools.count(),
                release_buffer=dt.timedelta(minutes=5))
    refused = OrderReinstatementRefused("o1", "ONCE", "promotional_code_exhausted")
    after, out = rp.handle(state, refused, **args)
    assert (after.state, after.refunded) == (rp.COMPLETED, True)
    assert [o.command for o in out] == [CancelSeatReservation("c1", "o1"),
                                        RefundPayment("p1", "promotional_code_exhausted")]
    assert rp.handle(after, refused, **args) == (after, [])          # once
