"""Conference management rules: validation messages, prices in cents, access codes."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared_domain.conferences import (
    ACCESS_CODE_ALPHABET, access_code_from, can_delete_seat_type, is_access_code,
    price_cents_from, validate_conference, validate_seat_type,
)
from shared_domain.errors import DomainError

CONFERENCE = {
    "name": "CQRS Summit", "slug": "cqrs2024", "description": "All about CQRS.",
    "location": "Redmond", "owner_name": "Contoso", "owner_email": "events@contoso.com",
    "start_date": "2024-06-01", "end_date": "2024-06-03", "tagline": "", "twitter_search": "",
}
SEAT_TYPE = {"name": "General admission", "description": "Access to all talks.",
             "quantity": 500, "price": "199.00"}


def test_a_complete_conference_is_valid():
    assert validate_conference(CONFERENCE) == {}


def test_missing_required_fields_are_each_reported():
    errors = validate_conference({})
    assert set(errors) == {"name", "slug", "description", "location", "owner_name",
                           "owner_email", "start_date", "end_date"}
    assert errors["name"] == "Name is required."


@pytest.mark.parametrize("field, value, message", [
    ("name", "X", "Name must be between 2 and 200 characters."),
    ("slug", "cqrs 2024", "Slug can only contain letters, digits and underscores."),
    ("slug", "cqrs-2024", "Slug can only contain letters, digits and underscores."),
    ("owner_email", "contoso", "Owner email is not a valid email address."),
    ("start_date", "01/06/2024", "Start date must be a date written YYYY-MM-DD."),
    ("start_date", "2024-02-30", "Start date must be a date written YYYY-MM-DD."),
    ("end_date", "2024-05-31", "End date must not be before the start date."),
])
def test_each_broken_conference_rule_has_its_message(field, value, message):
    assert validate_conference({**CONFERENCE, field: value}) == {field: message}


def test_a_one_day_conference_is_valid():
    assert validate_conference({**CONFERENCE, "end_date": "2024-06-01"}) == {}


def test_a_complete_seat_type_is_valid():
    assert validate_seat_type(SEAT_TYPE) == {}


@pytest.mark.parametrize("field, value", [
    ("name", "A"), ("name", "x" * 71), ("description", "x" * 251),
    ("quantity", -1), ("quantity", 100_001), ("quantity", "ten"), ("quantity", True),
    ("price", "-1"), ("price", "50000.01"), ("price", "19.999"), ("price", "abc"),
    ("price", None), ("price", "NaN"),
])
def test_each_broken_seat_type_rule_is_reported_on_its_field(field, value):
    assert set(validate_seat_type({**SEAT_TYPE, field: value})) == {field}


@pytest.mark.parametrize("price, cents", [
    ("199", 19900), ("199.5", 19950), (" 0.01 ", 1), (0, 0), ("50000", 5_000_000),
    (Decimal("12.30"), 1230), (19.99, 1999),
])
def test_prices_are_kept_in_cents(price, cents):
    assert price_cents_from(price) == cents


def test_a_bad_price_is_refused_with_a_code():
    with pytest.raises(DomainError) as refused:
        price_cents_from("1.001")
    assert refused.value.code == "invalid_price"


def test_seat_types_can_be_deleted_only_before_the_first_publication():
    assert can_delete_seat_type(was_ever_published=False)
    assert not can_delete_seat_type(was_ever_published=True)


def test_the_access_code_alphabet_avoids_look_alike_symbols():
    assert len(ACCESS_CODE_ALPHABET) == 32 == len(set(ACCESS_CODE_ALPHABET))
    assert not set("0OIL") & set(ACCESS_CODE_ALPHABET)


@given(st.binary(min_size=6, max_size=16))
def test_access_codes_are_six_symbols_of_the_alphabet(random_bytes):
    code = access_code_from(random_bytes)
    assert len(code) == 6 and is_access_code(code)


def test_every_symbol_is_equally_likely():
    counts = {c: 0 for c in ACCESS_CODE_ALPHABET}
    for code in (access_code_from(bytes([b] * 6)) for b in range(256)):
        counts[code[0]] += 1
    assert set(counts.values()) == {8}


def test_an_access_code_needs_enough_randomness():
    with pytest.raises(ValueError):
        access_code_from(b"12345")


def test_a_seat_type_description_is_optional():
    assert validate_seat_type({**SEAT_TYPE, "description": ""}) == {}


@pytest.mark.parametrize("text", ["1e2", "+5", "12,50", "0x10", " ", "NaN", "1.999", "-0"])
def test_a_price_given_as_text_is_plain_dollars_and_cents(text):
    from shared_domain.conferences import price_cents_from
    with pytest.raises(DomainError):
        price_cents_from(text)


@pytest.mark.parametrize("value, cents", [("199.50", 19950), (" 7 ", 700), (199.5, 19950),
                                          (0, 0), ("50000", 5_000_000)])
def test_a_price_is_kept_in_cents(value, cents):
    from shared_domain.conferences import price_cents_from
    assert price_cents_from(value) == cents
