"""A hub database made by a release before order management opens as it is: the columns
order management added are added to its tables, the rows it held kept."""
from hub.bootstrap import HubConfig, bootstrap
from tests.support.clock import FakeClock

ADDED = {"conference": ["cancellation_deadline"],
         "rm_order": ["cancelled_by", "cancelled_role", "cancellation_reason", "cancelled_at"],
         "rm_order_payment": ["total_cents", "method", "description", "recorded_by",
                              "refund_reason", "updated_at"]}


def test_an_older_database_gets_the_new_columns(tmp_path):
    config = HubConfig(data_dir=str(tmp_path), settle_rounds=0)
    hub = bootstrap(config, FakeClock())
    hub.db.execute_sql("INSERT INTO rm_order_payment (payment_id, order_id, status, total_cents,"
                       " method, description, recorded_by, refund_reason, updated_at) "
                       "VALUES ('p1', 'o1', 'paid', 0, '', '', '', '', '')")
    for table, columns in ADDED.items():
        for column in columns:
            hub.db.execute_sql(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
    hub.close()
    hub = bootstrap(config, FakeClock())
    for table, columns in ADDED.items():
        held = {c.name for c in hub.db.get_columns(table)}
        assert set(columns) <= held, table
    assert hub.db.execute_sql("SELECT status, method FROM rm_order_payment").fetchall() == [
        ("paid", "")]
    hub.close()
