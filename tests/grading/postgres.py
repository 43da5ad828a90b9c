"""A real PostgreSQL server for the tests: Debian's `postgresql`, in a temporary folder, on a Unix socket.

    with PostgresServer() as pg:          # initdb, start
        url = pg.create_database("gradebook")   # postgresql://<user>@/gradebook?host=<socket folder>
        pg.restart(down_seconds=2)        # stopped by its PID, started again
    # stopped by its PID, folder removed

PostgreSQL refuses to run as root: as root, the server runs as `nobody` (runuser),
in a folder it owns. `.ci/run` installs the package; the binaries are in
/usr/lib/postgresql/<version>/bin. `postgres_bin()` is None where it is missing.
"""

import glob
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path


def postgres_bin():
    """The newest /usr/lib/postgresql/<version>/bin holding initdb, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


class PostgresServer:
    def __init__(self, user="nobody"):
        self.bin = postgres_bin()
        if self.bin is None:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
        self.as_root = os.geteuid() == 0
        self.user = user if self.as_root else os.environ.get("USER") or "postgres"
        self.folder = Path(tempfile.mkdtemp(prefix="autograder-pg-"))
        self.data = self.folder / "data"
        self.pid = None

    def _run(self, *cmd, check=True):
        if self.as_root:
            cmd = ("runuser", "-u", self.user, "--", *cmd)
        return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=120)

    def __enter__(self):
        if self.as_root:
            os.chmod(self.folder, 0o755)
            shutil.chown(self.folder, self.user)
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", self.user, "--auth=trust", "-E", "UTF8")
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def start(self):
        """Start the server (no TCP; a Unix socket in the folder) and wait until it accepts connections."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "server.log"), "-w",
                  "-o", f"-k {self.folder} -c listen_addresses='' -c fsync=off", "start")
        self.pid = int((self.data / "postmaster.pid").read_text().split()[0])

    def stop(self):
        """Fast shutdown by the server's PID (SIGINT), then wait for it to exit."""
        if self.pid is None:
            return
        try:
            os.kill(self.pid, signal.SIGINT)
        except ProcessLookupError:
            self.pid = None
            return
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        self.pid = None

    def restart(self, down_seconds=2.0):
        self.stop()
        time.sleep(down_seconds)
        self.start()

    def create_database(self, name):
        self._run(str(self.bin / "createdb"), "-h", str(self.folder), "-U", self.user, name)
        return self.url(name)

    def url(self, name):
        return f"postgresql://{self.user}@/{name}?host={self.folder}"

    def query(self, name, sql):
        """Rows of a query (psql's unaligned output, one tuple per row)."""
        out = self._run(str(self.bin / "psql"), "-h", str(self.folder), "-U", self.user, "-d", name,
                        "-At", "-F", "\t", "-c", sql).stdout
        return [tuple(line.split("\t")) for line in out.splitlines() if line]
