"""Promotional codes: given events, when a command, then events or a refusal code; and the
pricing of discounts (apply_codes) as properties."""
from datetime import timedelta

import pytest
from hypothesis import given, strategies as st

from shared_domain import promotions as p
from shared_domain.errors import DomainError
from shared_domain.pricing import OrderLine
from tests.unit.domain_givens import COCKTAIL, GA, NOW, WORKSHOP

CONF = "conf-1"
CAPACITY = {GA: 500, WORKSHOP: 100, COCKTAIL: 600}


def terms(kind=p.PERCENTAGE, value=100, **kw):
    return p.CodeTerms(kind, value, **kw)


def defined(code="SPEAKER123", **kw):
    return p.PromotionalCodeDefined(CONF, code, terms(**kw))


def decide(events, command, now=NOW):
    return p.decide(p.fold(events), command, now=now, capacity=CAPACITY)


def refusal(events, command, now=NOW) -> str:
    with pytest.raises(DomainError) as refused:
        decide(events, command, now)
    return refused.value.code


def redeem(order="o-1", seats=1, code="SPEAKER123"):
    return p.RedeemPromotionalCode(CONF, code, order, seats)


# --- defining and updating ----------------------------------------------------

def test_a_new_code_is_defined_upper_cased():
    events = decide([], p.DefinePromotionalCode(CONF, " newcode ", terms(value=10,
                                                 seat_types=(GA,))))
    assert events == [p.PromotionalCodeDefined(CONF, "NEWCODE", terms(value=10,
                                                                       seat_types=(GA,)))]


@pytest.mark.parametrize("raw", ["", "AB", "A" * 21, "WITH SPACE", "ÉTÉ", None, 12, "-ABC"])
def test_malformed_codes_are_refused(raw):
    assert refusal([], p.DefinePromotionalCode(CONF, raw, terms())) == "invalid_promotional_code"


def test_a_quota_above_the_seats_in_scope_is_refused():
    cmd = p.DefinePromotionalCode(CONF, "NEWCODE", terms(value=10, seat_types=(GA,),
                                                           quota_kind=p.USES, quota=1000))
    assert refusal([], cmd) == "quota_exceeds_seats"


def test_an_update_to_a_quota_above_the_new_scope_is_refused():
    cmd = p.UpdatePromotionalCode(CONF, "SPEAKER123", terms(seat_types=(WORKSHOP,),
                                                              quota_kind=p.USES, quota=200))
    assert refusal([defined()], cmd) == "quota_exceeds_seats"


def test_an_update_within_the_scope_is_recorded():
    new = terms(seat_types=(WORKSHOP,), quota_kind=p.USES, quota=50)
    assert decide([defined()], p.UpdatePromotionalCode(CONF, "SPEAKER123", new)) == [
        p.PromotionalCodeUpdated(CONF, "SPEAKER123", new)]


@pytest.mark.parametrize("bad, code", [
    (terms(value=0), "invalid_promotional_code_terms"),
    (terms(value=101), "invalid_promotional_code_terms"),
    (terms(kind="free"), "invalid_promotional_code_terms"),
    (terms(kind=p.AMOUNT, value=True), "invalid_promotional_code_terms"),
    (terms(seat_types=("nope",)), "unknown_seat_type"),
    (terms(quota_kind=p.SEATS, quota=0), "invalid_promotional_code_terms"),
    (terms(combination="sometimes"), "invalid_promotional_code_terms"),
    (terms(valid_from=NOW, valid_until=NOW), "invalid_promotional_code_terms"),
])
def test_terms_out_of_bounds_are_refused(bad, code):
    assert refusal([], p.DefinePromotionalCode(CONF, "NEWCODE", bad)) == code


def test_defining_a_taken_code_with_other_terms_is_refused_and_the_same_is_nothing():
    assert refusal([defined()], p.DefinePromotionalCode(CONF, "SPEAKER123", terms(value=5))) \
        == "promotional_code_exists"
    assert decide([defined()], p.DefinePromotionalCode(CONF, "SPEAKER123", terms())) == []


def test_a_quota_cannot_go_below_the_uses_held():
    history = [defined(quota_kind=p.USES, quota=5),
               p.PromotionalCodeRedeemed(CONF, "SPEAKER123", "o-1", 1),
               p.PromotionalCodeRedeemed(CONF, "SPEAKER123", "o-2", 1)]
    cmd = p.UpdatePromotionalCode(CONF, "SPEAKER123", terms(quota_kind=p.USES, quota=1))
    assert refusal(history, cmd) == "quota_below_uses"


# --- redeeming and releasing --------------------------------------------------

def test_an_order_redeems_a_use():
    assert decide([defined()], redeem()) == [
        p.PromotionalCodeRedeemed(CONF, "SPEAKER123", "o-1", 1)]


def test_the_same_order_redeeming_twice_is_one_use():
    history = [defined(quota_kind=p.USES, quota=1), *decide([defined()], redeem())]
    assert decide(history, redeem()) == []


def test_a_single_use_code_redeemed_by_one_order_is_exhausted_for_another():
    history = [defined(quota_kind=p.USES, quota=1),
               p.PromotionalCodeRedeemed(CONF, "SPEAKER123", "o-1", 1)]
    assert refusal(history, redeem("o-2")) == "promotional_code_exhausted"


def test_a_released_use_can_be_redeemed_by_another_order():
    history = [defined(quota_kind=p.USES, quota=1),
               p.PromotionalCodeRedeemed(CONF, "SPEAKER123", "o-1", 1),
               p.PromotionalCodeReleased(CONF, "SPEAKER123", "o-1", p.ORDER_EXPIRED)]
    assert decide(history, redeem("o-2")) == [
        p.PromotionalCodeRedeemed(CONF, "SPEAKER123", "o-2", 1)]


def test_a_seats_quota_counts_seats_in_scope():
    history = [defined(quota_kind=p.SEATS, quota=5),
               p.PromotionalCodeRedeemed(CONF, "SPEAKER123", "o-1", 3)]
    assert refusal(history, redeem("o-2", seats=3)) == "promotional_code_exhausted"
    assert decide(history, redeem("o-2", seats=2))


def test_unknown_codes_and_dates_are_refused():
    assert refusal([], redeem()) == "promotional_code_not_found"
    dated = defined(valid_from=NOW, valid_until=NOW + timedelta(days=1))
    assert refusal([dated], redeem(), now=NOW - timedelta(seconds=1)) == \
        "promotional_code_not_yet_valid"
    assert refusal([dated], redeem(), now=NOW + timedelta(days=2)) == "promotional_code_expired"


def test_releasing_what_is_not_held_changes_nothing():
    assert decide([defined()], p.ReleasePromotionalCode(CONF, "SPEAKER123", "o-1",
                                                         p.REMOVED)) == []


def test_only_unlimited_codes_in_their_dates_may_be_granted_at_a_door():
    from shared_domain.door_codes import require_door_may_grant

    def refusal(t):
        with pytest.raises(DomainError) as refused:
            require_door_may_grant("SPEAKER123", t, NOW)
        return refused.value.code
    assert require_door_may_grant("SPEAKER123", terms(), NOW).code == "SPEAKER123"
    assert refusal(terms(quota_kind=p.USES, quota=1)) == "promotional_code_limited"
    assert refusal(terms(valid_until=NOW - timedelta(days=1))) == "promotional_code_expired"


# --- apply_codes --------------------------------------------------------------

def line(seat_type, quantity, unit):
    return OrderLine(seat_type, seat_type, quantity, unit, quantity * unit)


LINES = (line(GA, 3, 19900), line(WORKSHOP, 1, 50000), line(COCKTAIL, 2, 5000))


def discount(code, kind=p.PERCENTAGE, value=100, scope=(), combination=p.CUMULATIVE):
    return p.Discount(code, kind, value, scope, combination)


def test_percentages_come_before_fixed_amounts_whatever_the_order_applied():
    ws10 = discount("WS10", p.AMOUNT, 2000, combination=p.COMBINE_ONLY)
    volunteer = discount("VOLUNTEER", scope=(GA,))
    result = p.apply_codes(LINES, [ws10, volunteer])
    assert p.discount_of_code(result, "VOLUNTEER") == 59700
    assert p.discount_of_code(result, "WS10") == 2000
    assert result.total_cents == 119700 - 59700 - 2000


def test_an_add_on_alone_discounts_nothing():
    result = p.apply_codes(LINES, [discount("WS10", p.AMOUNT, 2000,
                                            combination=p.COMBINE_ONLY)])
    assert result.discounts == () and result.total_cents == 119700


def test_a_fixed_amount_is_taken_once_from_the_first_lines_in_scope():
    result = p.apply_codes(LINES, [discount("CONFONLY", p.AMOUNT, 5000, (GA, WORKSHOP))])
    assert result.discounts == (p.LineDiscount("CONFONLY", GA, 5000),)


def test_percentages_round_half_up_per_line():
    result = p.apply_codes([line(GA, 1, 5)], [discount("TEN", value=10)])
    assert result.discounts == (p.LineDiscount("TEN", GA, 1),)   # 0.5 cent -> 1


lines_strategy = st.lists(st.builds(line, st.sampled_from([GA, WORKSHOP, COCKTAIL]),
                                    st.integers(0, 20), st.integers(0, 60000)),
                          max_size=3, unique_by=lambda l: l.seat_type)
discount_strategy = st.builds(
    discount, st.sampled_from(["A1", "B2", "C3", "D4"]), st.sampled_from(p.KINDS),
    st.integers(1, 100), st.lists(st.sampled_from([GA, WORKSHOP, COCKTAIL]), unique=True)
    .map(tuple), st.sampled_from(p.COMBINATIONS))


@given(lines_strategy, st.lists(discount_strategy, max_size=4, unique_by=lambda d: d.code))
def test_discounts_are_never_negative_nor_above_a_line_and_add_up(lines, codes):
    result = p.apply_codes(lines, codes)
    per_line = {}
    for cut in result.discounts:
        assert cut.amount_cents > 0
        per_line[cut.seat_type] = per_line.get(cut.seat_type, 0) + cut.amount_cents
    for l in lines:
        assert per_line.get(l.seat_type, 0) <= l.line_total_cents
    assert result.discount_cents == sum(per_line.values())
    assert result.total_cents == sum(l.line_total_cents for l in lines) - result.discount_cents
    assert result.total_cents >= 0
    for code in codes:
        if code.kind == p.AMOUNT:
            assert p.discount_of_code(result, code.code) <= code.value
