"""A real PostgreSQL for the tests: the server CI starts (`.ci/postgres`, its DSN in
$BOTTOMLINE_TEST_POSTGRES_DSN) or, without one, a private cluster started from Debian's
binaries; a fresh database per test; and a TCP proxy that can drop a connection mid-read."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import polars as pl


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def postgres_server() -> Iterator[str]:
    """The DSN of a server whose role may create databases."""
    given = os.environ.get("BOTTOMLINE_TEST_POSTGRES_DSN")
    if given:
        yield given
        return
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not binaries:
        raise RuntimeError(
            "no PostgreSQL server: install Debian's postgresql package, or set "
            "BOTTOMLINE_TEST_POSTGRES_DSN (`.ci/postgres` starts one and prints it)"
        )
    bindir = Path(binaries[-1]).parent
    folder = Path(tempfile.mkdtemp(prefix="bottomline-pg-"))
    as_owner: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root; Debian's package makes a postgres user
        shutil.chown(folder, "postgres")
        as_owner = ["runuser", "-u", "postgres", "--"]
    data, port = folder / "data", free_port()
    subprocess.run(
        [*as_owner, str(bindir / "initdb"), "-D", str(data), "-U", "bottomline", "-A", "trust"],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    control = [*as_owner, str(bindir / "pg_ctl"), "-D", str(data), "-w"]
    subprocess.run([*control, "-o", options, "-l", str(folder / "log"), "start"], check=True)
    try:
        yield f"postgresql://bottomline@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*control, "-m", "immediate", "stop"], check=False, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def execute(dsn: str, *statements: str) -> None:
    import adbc_driver_postgresql.dbapi as postgres

    with postgres.connect(dsn, autocommit=True) as connection, connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@contextmanager
def fresh_database(server_dsn: str) -> Iterator[str]:
    """A new, empty database on the server, dropped afterwards."""
    name = f"bottomline_{uuid.uuid4().hex[:12]}"
    execute(server_dsn, f'CREATE DATABASE "{name}"')
    parts = urlsplit(server_dsn)
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        execute(server_dsn, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def append_rows(dsn: str, table: str, frame: pl.DataFrame) -> None:
    """Rows into a table (created from the frame's types when missing)."""
    import adbc_driver_postgresql.dbapi as postgres

    with postgres.connect(dsn) as connection:
        with connection.cursor() as cursor:
            cursor.adbc_ingest(table, frame.to_arrow(), mode="create_append")
        connection.commit()


class DroppingProxy:
    """Forwards loopback TCP to a server; the first connection that carries more than
    `drop_after` bytes back to the client is cut there, as a network failure would."""

    def __init__(self, target_dsn: str, drop_after: int) -> None:
        parts = urlsplit(target_dsn)
        self.target = (parts.hostname or "127.0.0.1", parts.port or 5432)
        self.drop_after, self.dropped = drop_after, 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        port = self.listener.getsockname()[1]
        netloc = parts.netloc.rsplit("@", 1)
        host = f"127.0.0.1:{port}"
        self.dsn = urlunsplit(
            parts._replace(netloc=f"{netloc[0]}@{host}" if len(netloc) > 1 else host)
        )
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            threading.Thread(target=self._pipe, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, True), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, to_client: bool) -> None:
        sent = 0
        with suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
                sent += len(data)
                if to_client and sent > self.drop_after and self._take_drop():
                    break
        for end in (source, sink):
            with suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()

    def _take_drop(self) -> bool:
        with self._lock:
            if self.dropped:
                return False
            self.dropped += 1
            return True

    def close(self) -> None:
        self.listener.close()
