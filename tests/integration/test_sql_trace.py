"""The SQL trace the benchmarks count with: off by default, and its counting rules."""
import os

import pytest

from event_store import sqltrace
from event_store.database import open_database


@pytest.fixture
def traced(tmp_path, monkeypatch):
    """A database opened with CONTOSO_SQL_TRACE set, and the folder its counts go to."""
    folder = tmp_path / "trace"
    monkeypatch.setenv(sqltrace.ENV, str(folder))
    monkeypatch.setattr(sqltrace, "_counts", None)
    db = open_database(str(tmp_path / "traced.sqlite3"))
    db.execute_sql("CREATE TABLE item (n INTEGER)")
    before = counted(db, folder)
    yield db, folder, before
    db.close()


def counted(db, folder) -> dict:
    sqltrace._process_counts().flush()
    return sqltrace.read_totals(str(folder))


def delta(db, folder, before) -> dict:
    after = counted(db, folder)
    return {k: after[k] - before[k] for k in ("statements", "transactions", "commits_written",
                                              "autocommit_reads")}


def test_the_trace_is_off_unless_asked(tmp_path, monkeypatch):
    monkeypatch.delenv(sqltrace.ENV, raising=False)
    db = open_database(str(tmp_path / "plain.sqlite3"))
    assert not isinstance(db, sqltrace.TracedConnections)


def test_a_transaction_that_wrote_is_one_commit_written(traced):
    db, folder, before = traced
    with db.atomic():
        db.execute_sql("INSERT INTO item VALUES (1)")
        db.execute_sql("SELECT n FROM item")
    assert delta(db, folder, before) == {"statements": 4, "transactions": 1,
                                         "commits_written": 1, "autocommit_reads": 0}


def test_a_transaction_that_only_read_writes_nothing(traced):
    db, folder, before = traced
    with db.atomic():
        db.execute_sql("SELECT n FROM item")
    assert delta(db, folder, before) == {"statements": 3, "transactions": 1,
                                         "commits_written": 0, "autocommit_reads": 0}


def test_an_autocommit_write_is_a_transaction_of_its_own_and_a_read_is_not(traced):
    db, folder, before = traced
    db.execute_sql("INSERT INTO item VALUES (1)")
    db.execute_sql("SELECT n FROM item")
    assert delta(db, folder, before) == {"statements": 2, "transactions": 1,
                                         "commits_written": 1, "autocommit_reads": 1}


def test_a_savepoint_rolled_back_leaves_the_transaction_open(traced):
    db, folder, before = traced
    with db.atomic():
        db.execute_sql("INSERT INTO item VALUES (1)")
        with pytest.raises(ZeroDivisionError), db.atomic():
            db.execute_sql("INSERT INTO item VALUES (2)")
            raise ZeroDivisionError
    # BEGIN, INSERT, SAVEPOINT, INSERT, ROLLBACK TO (peewee releases nothing), COMMIT
    assert delta(db, folder, before) == {"statements": 6, "transactions": 1,
                                         "commits_written": 1, "autocommit_reads": 0}


def test_a_rolled_back_transaction_writes_nothing(traced):
    db, folder, before = traced
    with pytest.raises(ZeroDivisionError), db.atomic():
        db.execute_sql("INSERT INTO item VALUES (1)")
        raise ZeroDivisionError
    assert delta(db, folder, before) == {"statements": 3, "transactions": 1,
                                         "commits_written": 0, "autocommit_reads": 0}


def test_every_row_of_an_executemany_is_a_statement(traced):
    db, folder, before = traced
    with db.atomic():
        db.connection().executemany("INSERT INTO item VALUES (?)", [(1,), (2,), (3,)])
    assert delta(db, folder, before) == {"statements": 5, "transactions": 1,
                                         "commits_written": 1, "autocommit_reads": 0}


def test_a_forked_process_counts_in_a_file_of_its_own(traced, tmp_path):
    db, folder, before = traced
    db.close()
    pid = os.fork()
    if pid == 0:    # the child, as a web process forked by gunicorn would be
        try:
            child = open_database(str(tmp_path / "traced.sqlite3"))
            child.execute_sql("INSERT INTO item VALUES (1)")
            sqltrace._process_counts().flush()
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    after = sqltrace.read_totals(str(folder))
    assert after["processes"] == before["processes"] + 1
    assert after["commits_written"] == before["commits_written"] + 1
