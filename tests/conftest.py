import os

# python-escpos writes a capabilities pickle into a new temp folder per import otherwise.
os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", "/tmp/contoso-escpos-cache")


import pytest  # noqa: E402


@pytest.fixture(scope="session")
def postgres_cluster():
    """A PostgreSQL cluster for the whole run; skipped where none can run (a failure in CI)."""
    from tests.support import postgres
    if not postgres.available():
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is needed in CI (Debian package postgresql, run as root)")
        pytest.skip("no PostgreSQL server here (Debian package postgresql, as root)")
    cluster = postgres.Cluster()
    yield cluster
    cluster.stop()
