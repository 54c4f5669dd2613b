"""SeatAssignments specs: one slot per seat, email decides who holds it."""
import pytest

from domain_givens import GA, NOW, WORKSHOP
from shared_domain.errors import DomainError
from shared_domain.limits import COMPANY_MAX, EMAIL_MAX, PERSON_NAME_MAX
from shared_domain.people import PersonalInfo
from shared_domain.seat_assignments import (
    AssignSeat, CreateSeatAssignments, SeatAssigned, SeatAssignmentsCreated,
    SeatAssignmentUpdated, SeatSlot, SeatUnassigned, UnassignSeat, decide, fold, stream_id,
)
from shared_domain.seats import SeatQuantity

ORDER = "o1"
CREATED = SeatAssignmentsCreated(ORDER, (SeatSlot(0, GA), SeatSlot(1, GA), SeatSlot(2, WORKSHOP)))
ADA = PersonalInfo("Ada", "Lovelace", "ada@example.com", "Analytical Engines")
GRACE = PersonalInfo("Grace", "Hopper", "grace@example.com")


def when(given, command):
    return decide(fold(given), command, now=NOW)


def refusal(given, command) -> str:
    with pytest.raises(DomainError) as refused:
        when(given, command)
    return refused.value.code


def test_assignment_streams_are_named_after_the_order():
    assert stream_id("o1") == "assignments-o1"


def test_one_slot_per_seat_in_the_order_of_the_seats():
    command = CreateSeatAssignments(ORDER, (SeatQuantity(GA, 2), SeatQuantity(WORKSHOP, 1)))
    assert when([], command) == [CREATED]


def test_creating_twice_changes_nothing():
    assert when([CREATED], CreateSeatAssignments(ORDER, (SeatQuantity(GA, 1),))) == []


def test_an_order_without_seats_has_nothing_to_assign():
    assert refusal([], CreateSeatAssignments(ORDER, (SeatQuantity(GA, 0),))) == "empty_order"


def test_assigning_a_free_seat():
    assert when([CREATED], AssignSeat(ORDER, 2, ADA)) == [SeatAssigned(ORDER, 2, WORKSHOP, ADA)]


def test_assigning_a_different_email_moves_the_seat_to_a_new_attendee():
    given = [CREATED, SeatAssigned(ORDER, 0, GA, ADA)]
    assert when(given, AssignSeat(ORDER, 0, GRACE)) == [
        SeatUnassigned(ORDER, 0), SeatAssigned(ORDER, 0, GA, GRACE)]


def test_same_email_with_a_corrected_name_updates_the_assignment():
    given = [CREATED, SeatAssigned(ORDER, 0, GA, ADA)]
    corrected = PersonalInfo("Augusta Ada", "King", "ADA@example.com ", "Analytical Engines")
    assert when(given, AssignSeat(ORDER, 0, corrected)) == [
        SeatAssignmentUpdated(ORDER, 0, PersonalInfo("Augusta Ada", "King", "ADA@example.com",
                                                     "Analytical Engines"))]


def test_same_email_with_a_new_company_updates_the_assignment():
    given = [CREATED, SeatAssigned(ORDER, 0, GA, ADA)]
    moved_on = PersonalInfo("Ada", "Lovelace", "ada@example.com", "Babbage & Co")
    assert when(given, AssignSeat(ORDER, 0, moved_on)) == [
        SeatAssignmentUpdated(ORDER, 0, moved_on)]


def test_assigning_the_same_attendee_again_changes_nothing():
    given = [CREATED, SeatAssigned(ORDER, 0, GA, ADA)]
    assert when(given, AssignSeat(ORDER, 0, ADA)) == []


@pytest.mark.parametrize("email", ["", "not-an-email"])
def test_an_attendee_needs_an_email(email):
    nobody = PersonalInfo("Ada", "Lovelace", email)
    assert refusal([CREATED], AssignSeat(ORDER, 0, nobody)) == "invalid_email"


@pytest.mark.parametrize("attendee", [
    PersonalInfo("A" * (PERSON_NAME_MAX + 1), "Lovelace", "ada@example.com"),
    PersonalInfo("Ada", "L" * (PERSON_NAME_MAX + 1), "ada@example.com"),
    PersonalInfo("Ada", "Lovelace", "a" * EMAIL_MAX + "@example.com"),
    PersonalInfo("Ada", "Lovelace", "ada@example.com", "C" * (COMPANY_MAX + 1)),
])
def test_an_attendee_longer_than_the_documented_limits_is_refused(attendee):
    with pytest.raises(DomainError):
        when([CREATED], AssignSeat(ORDER, 0, attendee))


def test_an_attendee_at_the_limits_is_assigned():
    longest = PersonalInfo("A" * PERSON_NAME_MAX, "L" * PERSON_NAME_MAX, "ada@example.com",
                           "C" * COMPANY_MAX)
    assert [type(e) for e in when([CREATED], AssignSeat(ORDER, 0, longest))] == [SeatAssigned]


@pytest.mark.parametrize("position", [-1, 3, True])
def test_unknown_positions_are_refused(position):
    assert refusal([CREATED], AssignSeat(ORDER, position, ADA)) == "unknown_seat_position"
    assert refusal([CREATED], UnassignSeat(ORDER, position)) == "unknown_seat_position"


def test_unassigning_frees_the_seat_once():
    given = [CREATED, SeatAssigned(ORDER, 1, GA, ADA)]
    assert when(given, UnassignSeat(ORDER, 1)) == [SeatUnassigned(ORDER, 1)]
    assert when(given + [SeatUnassigned(ORDER, 1)], UnassignSeat(ORDER, 1)) == []


def test_assigning_before_the_slots_exist_is_refused():
    assert refusal([], AssignSeat(ORDER, 0, ADA)) == "unknown_order"


def test_folding_tracks_who_holds_each_seat():
    state = fold([CREATED, SeatAssigned(ORDER, 0, GA, ADA), SeatAssigned(ORDER, 1, GA, GRACE),
                  SeatUnassigned(ORDER, 0)])
    assert [s.attendee for s in state.seats] == [None, GRACE, None]
