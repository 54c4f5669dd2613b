"""Writers on one SQLite file wait in line (event_store/database.py WriterTurns) instead of
polling in SQLite's busy handler: a thread or process that wants to write waits until the
writer before it commits or rolls back, and a failed BEGIN or a rollback gives the turn back."""
import fcntl
import multiprocessing
import os
import threading

import peewee
import pytest

from event_store.database import open_database


@pytest.fixture
def path(tmp_path):
    db = open_database(str(tmp_path / "log.sqlite3"))
    db.execute_sql("CREATE TABLE t (n INTEGER)")
    db.close()
    return str(tmp_path / "log.sqlite3")


def test_a_second_thread_waits_for_the_first_writer_to_commit(path):
    db = open_database(path)
    order, started = [], threading.Event()

    def second():
        started.set()
        with db.atomic():
            order.append("second began")
            db.execute_sql("INSERT INTO t VALUES (2)")

    with db.atomic():
        db.execute_sql("INSERT INTO t VALUES (1)")
        thread = threading.Thread(target=second)
        thread.start()
        started.wait()
        thread.join(0.3)
        assert thread.is_alive() and order == []    # waiting for its turn, not in SQLite
        order.append("first commits")
    thread.join(5)
    assert order == ["first commits", "second began"]
    assert [n for n, in db.execute_sql("SELECT n FROM t ORDER BY rowid")] == [1, 2]


def test_a_rollback_and_a_failed_begin_give_the_turn_back(path):
    db = open_database(path)
    with pytest.raises(ZeroDivisionError):
        with db.atomic():
            db.execute_sql("INSERT INTO t VALUES (1)")
            1 / 0
    with pytest.raises(peewee.OperationalError):
        db.begin("NOT A LOCK TYPE")
    done = []
    thread = threading.Thread(target=lambda: (db.atomic().__enter__(), done.append(1),
                                              db.commit()))
    thread.start()
    thread.join(5)
    assert done == [1]
    assert list(db.execute_sql("SELECT n FROM t")) == []


def _hold_turn(path, held, release):
    db = open_database(path)
    with db.atomic():
        db.execute_sql("INSERT INTO t VALUES (1)")
        held.set()
        release.wait(10)


def test_a_writer_in_another_process_is_waited_for_in_line(path):
    context = multiprocessing.get_context("spawn")
    held, release = context.Event(), context.Event()
    child = context.Process(target=_hold_turn, args=(path, held, release))
    child.start()
    try:
        assert held.wait(20)
        db = open_database(path)
        wrote = threading.Event()

        def write():
            with db.atomic():
                db.execute_sql("INSERT INTO t VALUES (2)")
            wrote.set()

        # The other process holds the turn's file lock (what this one waits on).
        probe = os.open(path + "-writer", os.O_RDWR)
        with pytest.raises(BlockingIOError):
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.close(probe)
        thread = threading.Thread(target=write)
        thread.start()
        assert not wrote.wait(0.3)
        release.set()
        assert wrote.wait(10)
        thread.join(5)
    finally:
        release.set()
        child.join(10)
    assert sorted(n for n, in db.execute_sql("SELECT n FROM t")) == [1, 2]


def test_writers_that_all_start_at_once_on_a_new_database_object_share_one_line(path):
    """The turn's locks are made once even when the first writers arrive together (each
    making its own would let one release a lock another holds, and leave a file locked)."""
    for _ in range(20):
        db = open_database(path)
        barrier = threading.Barrier(6)

        def write(n):
            barrier.wait()
            with db.atomic():
                db.execute_sql("INSERT INTO t VALUES (?)", (n,))
        threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert not any(thread.is_alive() for thread in threads)
        db.close()
    assert len(list(open_database(path).execute_sql("SELECT n FROM t"))) == 120


def open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_a_database_closed_for_good_leaves_no_file_open(tmp_path):
    from event_store.database import close_for_good
    before = open_files()
    for n in range(20):
        db = open_database(str(tmp_path / f"log-{n}.sqlite3"))
        with db.atomic():      # a write: the writers' lock file is opened
            db.execute_sql("CREATE TABLE t (x INTEGER)")
        close_for_good(db)
    assert open_files() == before      # twenty lock files were left open before


def test_a_database_closed_for_good_takes_writers_again_after(path):
    from event_store.database import close_for_good
    db = open_database(path)
    with db.atomic():
        db.execute_sql("INSERT INTO t VALUES (1)")
    close_for_good(db)
    with db.atomic():          # reopened: its connection and its lock file
        db.execute_sql("INSERT INTO t VALUES (2)")
    assert db.execute_sql("SELECT COUNT(*) FROM t").fetchone()[0] == 2
    close_for_good(db)
