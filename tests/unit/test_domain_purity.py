"""The domain's own rules about itself: pure, serialisable messages with unique names."""
import dataclasses
import re
import typing
from datetime import datetime
from pathlib import Path

import pytest

import shared_domain
from shared_domain.catalog import ALL_COMMANDS, ALL_EVENTS, by_name

DOMAIN_DIR = Path(shared_domain.__file__).parent
FORBIDDEN = re.compile(r"datetime\.now|utcnow|time\.time\(|uuid4\(|random\.")
ALLOWED_IMPORTS = {"__future__", "collections", "dataclasses", "datetime", "decimal", "re",
                   "typing", "shared_domain", "cryptography", "hashlib", "binascii"}
SCALARS = (str, int, bool, type(None), datetime)


def _sources():
    return sorted(DOMAIN_DIR.rglob("*.py"))


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.name)
def test_no_clock_no_random_no_uuid(path):
    assert not FORBIDDEN.findall(path.read_text())


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.name)
def test_only_the_standard_library_needed_is_imported(path):
    modules = re.findall(r"^\s*(?:from|import)\s+([\w.]+)", path.read_text(), re.M)
    assert {m.split(".")[0] for m in modules} <= ALLOWED_IMPORTS


def test_message_names_are_unique():
    assert len(by_name(ALL_EVENTS + ALL_COMMANDS)) == len(ALL_EVENTS + ALL_COMMANDS)


@pytest.mark.parametrize("cls", ALL_EVENTS + ALL_COMMANDS, ids=lambda c: c.__name__)
def test_messages_are_frozen_with_serialisable_field_types(cls):
    assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen
    for hint in typing.get_type_hints(cls).values():
        _assert_serialisable(hint)


def _assert_serialisable(hint):
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is tuple:
        assert len(args) == 2 and args[1] is Ellipsis, hint
        return _assert_serialisable(args[0])
    if origin in (typing.Union, getattr(__import__("types"), "UnionType")):
        for arg in args:
            _assert_serialisable(arg)
        return
    if dataclasses.is_dataclass(hint):
        assert hint.__dataclass_params__.frozen, hint
        for inner in typing.get_type_hints(hint).values():
            _assert_serialisable(inner)
        return
    assert hint in SCALARS, hint


VALUES_AND_STATES = {
    "SeatQuantity", "SeatTypePrice", "OrderLine", "PersonalInfo", "SeatSlot", "Outgoing",
    "OrderState", "SeatsAvailabilityState", "SeatTypeStock", "PendingReservation", "Seat",
    "SeatAssignmentsState", "PaymentState", "ProcessState", "TicketPayload", "TicketKeyPair",
    "SeatAtDoor", "ScanDecision", "Holding", "SaleLine", "SoldSeat",
    "CodeTerms", "Discount", "LineDiscount", "Discounted", "PromotionState",  # promotions
    "WaitlistEntry", "WaitlistState",
    "DoorDiscount",  # promotional codes at the doors
}


def test_every_other_dataclass_of_the_domain_is_in_the_catalog():
    catalogued = {cls.__name__ for cls in ALL_EVENTS + ALL_COMMANDS}
    for path in _sources():
        module = __import__(f"shared_domain.{path.stem}", fromlist=["_"])
        for name, value in vars(module).items():
            if isinstance(value, type) and dataclasses.is_dataclass(value) \
                    and value.__module__ == module.__name__:
                assert name in catalogued | VALUES_AND_STATES, name


def test_a_refusal_carries_a_code_and_a_message():
    from shared_domain.errors import DomainError
    refusal = DomainError("order_expired", "This order has expired.")
    assert (refusal.code, refusal.message, str(refusal)) == (
        "order_expired", "This order has expired.", "This order has expired.")
