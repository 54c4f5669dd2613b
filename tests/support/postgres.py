"""A throwaway PostgreSQL cluster for the tests that prove the hub runs on it too."""
import os
import shutil
import subprocess
import tempfile
import time

from tests.support.processes import free_port

BIN = "/usr/lib/postgresql/15/bin"


def available() -> bool:
    return os.path.exists(f"{BIN}/initdb") and shutil.which("runuser") is not None \
        and os.geteuid() == 0 and _has_user("postgres")


def _has_user(name) -> bool:
    import pwd
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


class Cluster:
    """initdb + pg_ctl as the postgres user, in a temporary folder, on a loopback port."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="contoso-pg-")
        shutil.chown(self.dir, "postgres", "postgres")
        self.port = free_port()
        self._as_postgres(f"{BIN}/initdb", "-D", f"{self.dir}/data", "-A", "trust", "-U", "postgres")
        self._as_postgres(f"{BIN}/pg_ctl", "-D", f"{self.dir}/data", "-l", f"{self.dir}/log", "-w",
                          "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                                f"-c fsync=off", "start")
        self.databases = 0

    def _as_postgres(self, *args):
        subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True,
                       capture_output=True, timeout=60)

    def new_database(self) -> str:
        self.databases += 1
        name = f"contoso_{self.databases}_{int(time.time() * 1000) % 100000}"
        self._as_postgres(f"{BIN}/createdb", "-h", "127.0.0.1", "-p", str(self.port), name)
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self):
        self._as_postgres(f"{BIN}/pg_ctl", "-D", f"{self.dir}/data", "-m", "immediate", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)
