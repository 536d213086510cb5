"""A throwaway PostgreSQL cluster for the tests and the fleet benchmark.

Debian's ``postgresql`` package (installed by ``make setup``) provides ``initdb`` and
``pg_ctl``; nothing listens until we start a cluster of our own: ``initdb`` into a temp
dir, a unix socket in that dir and no TCP port, ``fsync=off`` (a cluster thrown away after
the run needs no durability), stopped at the end. ``initdb`` and ``postgres`` refuse to run
as root (CI runs as root), so as root they run as the ``postgres`` user the package creates
(ENVIRONMENT.md, PostgreSQL).

    with throwaway_cluster() as cluster:
        url = cluster.create_database("t1")            # postgresql://postgres@/t1?host=...
        copy = cluster.create_database("t2", template="t1")
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SERVER_SETTINGS = {
    "listen_addresses": "''",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "300",
    "shared_buffers": "128MB",
}


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine (``make setup`` installs them)."""


def bin_dir() -> Path:
    """Where ``initdb`` and ``pg_ctl`` live: Debian's versioned dir, else ``PATH``."""
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name),
    )
    if versions:
        return Path(versions[-1]).parent
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    raise PostgresUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl) are missing: run `make setup`"
    )


class Cluster:
    """One running cluster in ``root`` (data in ``root/data``, the socket in ``root``)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.log = root / "server.log"
        self.bin = bin_dir()
        self._as_root = os.geteuid() == 0

    # -- process ---------------------------------------------------------------------------

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self._as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(
                f"{args[0]} failed ({result.returncode}): {result.stderr.strip()}\n{log}"
            )

    def start(self) -> None:
        if self._as_root:
            uid = pwd.getpwnam("postgres")
            os.chown(self.root, uid.pw_uid, uid.pw_gid)
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        options = " ".join(f"-c {key}={value}" for key, value in SERVER_SETTINGS.items())
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            f"-k {self.root} {options}",
            "-l",
            str(self.log),
            "-w",
            "start",
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    # -- databases -------------------------------------------------------------------------

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@/{database}?host={self.root}"

    def _admin(self, sql: str) -> None:
        import psycopg  # the tests' and benchmark's own dependency (pyproject: dev)

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql)

    def create_database(self, name: str, template: str | None = None) -> str:
        """A new database (a file copy of ``template`` if given); returns its URL."""
        if template:
            self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        else:
            self._admin(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    """A cluster started in a fresh temp dir, stopped and deleted on exit."""
    # a short path: a unix socket's path must stay under ~100 bytes
    root = Path(tempfile.mkdtemp(prefix="pg-", dir="/tmp"))
    cluster = Cluster(root)
    try:
        cluster.start()
        try:
            yield cluster
        finally:
            cluster.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)
