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
