"""The `bottomline` command as its own process: the Prefect server it uses, or starts."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli.prefect_api import TIMEOUT_VARIABLE, ServerUnavailableError, TemporaryServer
from tests.integration.conftest import REPO, Project


def command(
    project: Project, *arguments: str, **environment: str
) -> subprocess.CompletedProcess[str]:
    """`bottomline ...` in a process of its own, without the test session's Prefect API."""
    env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *arguments, *project.cli_paths()],
        cwd=REPO,
        env={**env, **environment},
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_without_an_api_url_a_command_starts_and_stops_a_temporary_server(
    project: Project, tmp_path: Path
) -> None:
    home = tmp_path / "prefect"
    done = command(project, "report", "--model", "car_loans", "--start", "2026-05-25",
                   "--end", "2026-05-31", "--no-send", PREFECT_HOME=str(home))  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "starting a temporary Prefect server on 127.0.0.1:" in done.stderr
    assert "export PREFECT_API_URL=http://127.0.0.1:4200/api" in done.stderr
    assert (project.reports / "car_loans" / "car_loans_2026-05-25_2026-05-31.pdf").exists()
    port = int(done.stderr.split("server on 127.0.0.1:")[1].split(" ")[0])
    with pytest.raises(ConnectionRefusedError):  # nothing listens there once it has ended
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    # task runs are recorded in batches: the last batch is written as the server stops
    with sqlite3.connect(home / "prefect.db") as database:
        states = dict(database.execute("SELECT name, state_type FROM task_run").fetchall())
    assert any(name.startswith("build_report") for name in states), states
    assert set(states.values()) == {"COMPLETED"}, states


def test_a_server_that_cannot_start_in_time_exits_1_saying_what_to_do(project: Project) -> None:
    done = command(project, "backfill", "--start", "2026-05-01", "--end", "2026-05-02",
                   **{TIMEOUT_VARIABLE: "1"})  # fmt: skip
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "did not answer within 1 s (the machine may be busy)" in done.stderr
    assert f"{TIMEOUT_VARIABLE}=600" in done.stderr
    assert "run `prefect server start` in another terminal" in done.stderr
    bad = command(project, "backfill", "--start", "2026-05-01", "--end", "2026-05-02",
                  **{TIMEOUT_VARIABLE: "soon"})  # fmt: skip
    assert bad.returncode == 2
    assert f"{TIMEOUT_VARIABLE}='soon': expected a whole number of seconds" in bad.stderr


def test_with_an_api_url_a_command_uses_that_server_and_starts_none(project: Project) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName
    from prefect.settings import get_current_settings

    url = get_current_settings().api.url
    assert url, "the test session's Prefect server"

    def backfills() -> int:
        with get_client(sync_client=True) as client:
            names = FlowFilter(name=FlowFilterName(any_=["backfill"]))
            return len(client.read_flow_runs(flow_filter=names))

    before = backfills()
    done = command(project, "backfill", "--start", "2026-05-01", "--end", "2026-05-02",
                   PREFECT_API_URL=url)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "temporary Prefect server" not in done.stderr
    assert backfills() == before + 1


def test_a_temporary_server_that_does_not_answer_is_stopped() -> None:
    server = TemporaryServer(startup_seconds=1)
    server.start()
    process = server.process
    with pytest.raises(ServerUnavailableError):
        server.wait_until_ready()
    assert server.process is None
    assert process is not None
    assert process.returncode is not None


ORPHANING = """
import sys, time
from cli.prefect_api import TemporaryServer
server = TemporaryServer(startup_seconds=120)
server.start()
server.wait_until_ready()
print(server.process.pid, server.port, flush=True)
time.sleep(600)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl(PR_SET_PDEATHSIG)")
def test_a_killed_command_leaves_no_temporary_server_behind() -> None:
    """A `kill -9` skips the atexit that stops the server: it lived on, re-parented to init."""
    command = subprocess.Popen(
        [sys.executable, "-c", ORPHANING], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    assert command.stdout is not None
    pid, port = (int(part) for part in command.stdout.readline().split())
    command.send_signal(signal.SIGKILL)
    command.wait(timeout=30)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.2)
    assert not _alive(pid), f"the temporary server {pid} outlived its command"
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def _alive(pid: int) -> bool:
    """Whether the process runs (a zombie, ended but not yet reaped by init, does not)."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1].split()[0]
    except FileNotFoundError:
        return False
    return status != "Z"
