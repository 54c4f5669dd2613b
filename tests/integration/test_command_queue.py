"""A queued command that cannot be decoded, or whose handler breaks, is set aside as failed:
the commands queued after it are still handled, and an inline command still reports it."""
import logging

import pytest

from hub.bootstrap import HubConfig, bootstrap
from shared_domain.seat_assignments import CreateSeatAssignments, UnassignSeat


@pytest.fixture
def hub(tmp_path):
    hub = bootstrap(HubConfig(data_dir=str(tmp_path)))
    yield hub
    hub.close()


def broken(command, command_id, correlation):
    raise RuntimeError("a bug in a handler")


def status_of(hub, command_id):
    return hub.bus.outcome(command_id).status


def test_a_broken_command_does_not_hold_up_the_ones_queued_after_it(hub, caplog):
    handled = []
    hub.bus.handlers = {CreateSeatAssignments: broken,
                        UnassignSeat: lambda cmd, cid, corr: handled.append(cmd)}
    Q = hub.models.QueuedCommand
    now = hub.clock().isoformat()
    Q.create(id="00-undecodable", type="NoSuchCommand", body="{}", deliver_at=now,
             created_at=now)
    first = hub.bus.send(CreateSeatAssignments("o1", ()))
    last = hub.bus.send(UnassignSeat("o1", 0))
    with caplog.at_level(logging.ERROR, logger="hub.platform.bus"):
        assert hub.bus.dispatch_due() == 3
    assert handled == [UnassignSeat("o1", 0)]
    assert status_of(hub, "00-undecodable") == "failed"
    assert status_of(hub, first) == "failed" and "a bug in a handler" in Q.get_by_id(first).error
    assert status_of(hub, last) == "done"
    assert "set aside" in caplog.text
    assert hub.bus.dispatch_due() == 0   # failed commands are not retried on every tick


def test_an_inline_command_whose_handler_breaks_raises_and_is_marked_failed(hub):
    hub.bus.handlers = {CreateSeatAssignments: broken}
    with pytest.raises(RuntimeError):
        hub.bus.handle(CreateSeatAssignments("o2", ()))
    Q = hub.models.QueuedCommand
    assert [row.status for row in Q.select()] == ["failed"]


def traced(hub):
    statements = []
    hub.db.connection().set_trace_callback(statements.append)
    return statements


def test_a_round_where_all_goes_well_runs_straight_without_savepoints(hub):
    handled = []
    hub.bus.handlers = {UnassignSeat: lambda cmd, cid, corr: handled.append(cmd)}
    first, second = hub.bus.send(UnassignSeat("o1", 0)), hub.bus.send(UnassignSeat("o1", 1))
    statements = traced(hub)
    assert hub.run_round() == 2
    assert len(handled) == 2 and {status_of(hub, first), status_of(hub, second)} == {"done"}
    assert not [s for s in statements if s.upper().startswith(("SAVEPOINT", "ROLLBACK"))]
    assert [s for s in statements if s.startswith("BEGIN")] == ["BEGIN IMMEDIATE"]


def test_a_round_with_a_broken_command_is_undone_and_run_again_with_care(hub, caplog):
    handled = []
    hub.bus.handlers = {CreateSeatAssignments: broken,
                        UnassignSeat: lambda cmd, cid, corr: handled.append(cmd)}
    good, bad = hub.bus.send(UnassignSeat("o1", 0)), hub.bus.send(CreateSeatAssignments("o1", ()))
    statements = traced(hub)
    with caplog.at_level(logging.ERROR, logger="hub.platform.bus"):
        assert hub.run_round() == 2
    # handled once in the straight try (rolled back) and once with care: kept once
    assert len(handled) == 2 and status_of(hub, good) == "done"
    assert status_of(hub, bad) == "failed"
    assert [s for s in statements if s.startswith("BEGIN")] == ["BEGIN IMMEDIATE"] * 2
    assert any(s.upper().startswith("SAVEPOINT") for s in statements)
    Q = hub.models.QueuedCommand
    assert Q.get_by_id(good).attempts == 1


def test_what_an_inline_command_writes_beside_it_commits_with_it_and_not_on_refusal(hub):
    from shared_domain.errors import DomainError

    def refused(command, command_id, correlation):
        raise DomainError("order_not_found", "There is no such order.")
    hub.bus.handlers = {UnassignSeat: lambda cmd, cid, corr: None,
                        CreateSeatAssignments: refused}
    beside = []
    statements = traced(hub)
    hub.bus.handle(UnassignSeat("o1", 0), and_then=lambda: beside.append(hub.db.in_transaction()))
    assert beside == [True]
    assert [s for s in statements if s.startswith(("BEGIN", "COMMIT"))] == ["BEGIN IMMEDIATE",
                                                                              "COMMIT"]
    with pytest.raises(DomainError):
        hub.bus.handle(CreateSeatAssignments("o1", ()), and_then=lambda: beside.append("no"))
    assert beside == [True]
