"""What the hub would send again is committed without an fsync of its own, and only that:
the connection's durable setting is back for the next transaction, and a transaction the
caller already holds commits as the caller says."""
import pytest

from event_store.database import open_database
from sync_protocol.resendable import resendable


@pytest.fixture(params=["sqlite", "postgres"])
def db(request, tmp_path):
    if request.param == "postgres":
        db = open_database(request.getfixturevalue("postgres_cluster").new_database())
    else:
        db = open_database(str(tmp_path / "log.sqlite3"))
    db.execute_sql("CREATE TABLE page (n INTEGER)")
    yield db
    db.close()


def durability(db) -> str:
    if "sqlite" in type(db).__name__.lower():
        return {2: "synced", 1: "not synced"}[db.execute_sql("PRAGMA synchronous").fetchone()[0]]
    return {"on": "synced", "off": "not synced"}[
        db.execute_sql("SHOW synchronous_commit").fetchone()[0]]


def count(db) -> int:
    return db.execute_sql("SELECT COUNT(*) FROM page").fetchone()[0]


def test_a_resendable_transaction_commits_unsynced_and_the_next_one_is_synced_again(db):
    with resendable(db):
        db.execute_sql("INSERT INTO page VALUES (1)")
        assert durability(db) == "not synced"
    assert count(db) == 1 and durability(db) == "synced"
    with pytest.raises(ZeroDivisionError):
        with resendable(db):
            db.execute_sql("INSERT INTO page VALUES (2)")
            1 / 0
    assert count(db) == 1 and durability(db) == "synced"


def test_inside_a_callers_transaction_it_is_the_callers_commit(db):
    with db.atomic():
        with resendable(db):
            db.execute_sql("INSERT INTO page VALUES (1)")
            assert durability(db) == "synced"
    assert count(db) == 1
