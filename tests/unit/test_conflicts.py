"""Settling a conflict: one resolution, allowed for its kind, as an event."""
import pytest

from shared_domain import conflicts
from shared_domain.errors import DomainError

NOW = "2026-12-08T09:00:00+00:00"


def resolve(**overrides):
    command = dict(conflict_id="c1", kind="double_check_in", status="open",
                   resolution="accept", comment="", by="admin@contoso.example", now=NOW,
                   other_side="e2")
    return conflicts.decide_resolution(**{**command, **overrides})


def test_accepting_an_open_conflict_is_one_event():
    assert resolve() == conflicts.ConflictResolved("c1", "double_check_in", "accept", "",
                                                   "admin@contoso.example", NOW, "")


def test_choosing_the_other_side_names_the_event_that_stands():
    assert resolve(resolution="other_side").chosen == "e2"


@pytest.mark.parametrize("overrides, code", [
    ({"status": "resolved"}, "already_resolved"),
    ({"resolution": "refund"}, "resolution_not_allowed"),
    ({"resolution": "shrug"}, "resolution_not_allowed"),
    ({"resolution": "reviewed", "comment": "   "}, "comment_required"),
    ({"comment": "x" * 2001}, "comment_too_long"),
])
def test_refusals_have_codes(overrides, code):
    with pytest.raises(DomainError) as refused:
        resolve(**overrides)
    assert refused.value.code == code


def test_review_kinds_allow_a_refund_and_unknown_kinds_accept_or_review():
    assert "refund" in conflicts.resolutions_for("checkin_cancelled_order")
    assert conflicts.resolutions_for("payment_reused") == ("accept", "reviewed")
    assert resolve(kind="checkin_reassigned_seat", resolution="refund").resolution == "refund"


def test_only_info_conflicts_are_resolved_in_bulk():
    conflicts.check_bulk("info", "double_check_in")
    with pytest.raises(DomainError) as refused:
        conflicts.check_bulk("review", "checkin_cancelled_order")
    assert refused.value.code == "not_info_kind"


# --- the detection rules (shared_domain/conflict_rules.py) --------------------------------

from shared_domain import conflict_rules  # noqa: E402
from shared_domain.allocations import Holding  # noqa: E402


def test_two_doors_admitting_a_seat_after_the_same_check_in_is_a_fork():
    assert conflict_rules.is_fork("s1", None, "n1", "s1", None, "n2", False)
    assert conflict_rules.is_fork("s1", "n0", "n1", "s1", "n0", "n2", False)


def test_one_scan_twice_another_seat_another_last_check_in_or_an_undone_one_is_no_fork():
    assert not conflict_rules.is_fork("s1", None, "n1", "s1", None, "n1", False)
    assert not conflict_rules.is_fork("s1", None, "n1", "s2", None, "n2", False)
    assert not conflict_rules.is_fork("s1", "n0", "n1", "s1", None, "n2", False)
    assert not conflict_rules.is_fork("s1", None, "n1", "s1", None, "n2", True)


def test_a_conflict_is_the_same_whatever_order_its_events_came_in():
    assert conflict_rules.conflict_id("k", ["b", "a"]) == conflict_rules.conflict_id("k", ["a", "b"])
    assert conflict_rules.conflict_id("k", ["a"]) != conflict_rules.conflict_id("j", ["a"])


def test_a_revoked_ticket_checked_in_is_reviewed_unless_only_its_name_changed():
    assert conflict_rules.revoked_check_in_kind("reassigned") == "checkin_reassigned_seat"
    assert conflict_rules.revoked_check_in_kind("refunded") == "checkin_cancelled_order"
    assert conflict_rules.revoked_check_in_kind("renamed") is None


def test_seats_sold_past_the_allocation_are_counted():
    assert conflict_rules.seats_over_allocation(Holding(granted=5, handed_in=1, sold=8)) == 2
    assert conflict_rules.seats_over_allocation(Holding(granted=5, returned=1, sold=4)) == 0
