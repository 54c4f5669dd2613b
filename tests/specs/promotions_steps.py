"""The promotional-code features' steps, written once against a `world` fixture that each
test module provides: the pure domain (test_promotions_domain.py) or the real hub over its
API (test_promotions_api.py). A module imports these with `from ... import *`."""
from __future__ import annotations

import re

from pytest_bdd import given, parsers, then, when

from shared_domain import promotions as p

COMBINATION = {"cumulative": p.CUMULATIVE, "exclusive": p.EXCLUSIVE,
               "combine only": p.COMBINE_ONLY}


def cents(money: str) -> int:
    """'$1,197' or '$19.90' in cents."""
    match = re.fullmatch(r"-?\$([0-9,]+)(?:\.([0-9]{2}))?", money.strip())
    assert match, money
    return int(match.group(1).replace(",", "")) * 100 + int(match.group(2) or 0)


def rows(datatable) -> list[dict]:
    header, *body = datatable
    return [dict(zip((h.strip() for h in header), (c.strip() for c in row))) for row in body]


def code_terms(row: dict) -> dict:
    """A code row of a feature's table as the terms a world defines."""
    discount = row["discount"]
    kind, value = ((p.PERCENTAGE, int(discount[:-1])) if discount.endswith("%")
                   else (p.AMOUNT, cents(discount)))
    quota_kind, quota = {"unlimited": (p.UNLIMITED, 0), "single use": (p.USES, 1)}.get(
        row["quota"], (p.USES, int(row["quota"]) if row["quota"].isdigit() else 0))
    scope = [] if row["scope"] == "all" else [s.strip() for s in row["scope"].split(",")]
    return {"kind": kind, "value": value, "quota_kind": quota_kind, "quota": quota,
            "scope": scope, "combination": COMBINATION[row.get("combination") or "cumulative"]}


# --- the registrant's codes -------------------------------------------------------------

@given("the conference sells these seat types")
def sells(world, datatable):
    world.sell([(r["seat type"], cents(r["price"]), 100) for r in rows(datatable)])


@given("the organiser has set up these promotional codes")
def codes_set_up(world, datatable):
    for row in rows(datatable):
        assert world.define(row["code"], code_terms(row)) is None, row


@given("a registrant has reserved")
@when("another registrant reserves")
def reserved(world, datatable):
    world.reserve({r["seat type"]: int(r["quantity"]) for r in rows(datatable)})


@given(parsers.parse("the order's total is {money}"))
@then(parsers.parse("the order's total is {money}"))
def total_is(world, money):
    assert world.total() == cents(money)


@given(parsers.parse('the registrant applies the code "{code}"'))
@when(parsers.parse('the registrant applies the code "{code}"'))
def applies(world, code):
    world.refusal = world.apply(code)


@given("the registrant completes the registration")
def completes(world):
    world.complete()


@then(parsers.parse('the code "{code}" takes {money} off'))
def takes_off(world, code, money):
    assert world.taken_by(code) == cents(money)


@then(parsers.parse('the code is refused as "{code}"'))
@then(parsers.parse('the change is refused as "{code}"'))
def refused_as(world, code):
    assert world.refusal == code


# --- the discount domain ------------------------------------------------------------------

@given(parsers.parse("a conference whose one seat type costs {money}"))
def one_seat_type(world, money):
    world.sell([("Conference pass", cents(money), 100)])


@given(parsers.parse('a code "{code}" taking {percent:d}% off every seat type'))
def percentage_code(world, code, percent):
    world.code = code
    assert world.define(code, {"kind": p.PERCENTAGE, "value": percent, "scope": [],
                               "quota_kind": p.UNLIMITED, "quota": 0,
                               "combination": p.CUMULATIVE}) is None


@given("the code has been applied to an order of one seat")
@when("the code is applied to an order of one seat")
def applied_to_one_seat(world):
    world.reserve({"Conference pass": 1})
    world.refusal = world.apply(world.code)


@when("the code is applied to that order again")
def applied_again(world):
    world.refusal = world.apply(world.code)


@then(parsers.parse('the order records a discount of {money} under the code "{code}"'))
def records_discount(world, money, code):
    assert world.refusal is None
    assert world.taken_by(code) == cents(money)


@then(parsers.parse("the code holds {uses:d} use"))
def holds_uses(world, uses):
    assert world.uses(world.code) == uses


# --- configuration ------------------------------------------------------------------------

@given("a conference with these seat types")
def with_seats(world, datatable):
    world.sell([(r["seat type"], 10000, int(r["seats"])) for r in rows(datatable)])


@given(parsers.parse('the code "{code}" taking 100% off every seat type, unlimited'))
def speaker(world, code):
    assert world.define(code, {"kind": p.PERCENTAGE, "value": 100, "scope": [],
                               "quota_kind": p.UNLIMITED, "quota": 0,
                               "combination": p.CUMULATIVE}) is None


def _quota(words: str) -> tuple[str, int]:
    if words == "an unlimited quota":
        return p.UNLIMITED, 0
    return p.USES, int(re.fullmatch(r"a quota of (\d+) uses", words).group(1))


@when(parsers.parse('the organiser creates the code "{code}" taking {percent:d}% off '
                    '"{seat_type}" with {quota}'))
def creates(world, code, percent, seat_type, quota):
    kind, count = _quota(quota)
    world.refusal = world.define(code, {"kind": p.PERCENTAGE, "value": percent,
                                        "scope": [seat_type], "quota_kind": kind,
                                        "quota": count, "combination": p.CUMULATIVE})


@when(parsers.parse('the organiser changes "{code}" to apply to "{seat_type}" with {quota}'))
def changes(world, code, seat_type, quota):
    kind, count = _quota(quota)
    world.refusal = world.update(code, {"scope": [seat_type], "quota_kind": kind,
                                        "quota": count})


@then(parsers.parse('the conference\'s codes are "{names}"'))
def codes_are(world, names):
    assert world.codes() == [n.strip() for n in names.split(",")]


@then(parsers.parse('the code "{code}" applies to "{seat_type}" with {quota}'))
def code_applies_to(world, code, seat_type, quota):
    kind, count = _quota(quota)
    scope, quota_kind, quota_count = world.terms_of(code)
    assert scope == ([] if seat_type == "all" else [seat_type])
    assert (quota_kind, quota_count) == (kind, count)
