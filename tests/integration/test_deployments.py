"""Issue 7, item 2: the project as operators serve it - a Prefect server on loopback, a process
worker, `prefect deploy --all` and an ad hoc `prefect deployment run`, all real processes."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.conftest import REPO, Project, make_project

PREFECT = str(Path(sys.executable).with_name("prefect"))
START, END = "2026-05-18", "2026-05-31"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """A `prefect server start` of its own, with the environment its CLI calls need."""

    def __init__(self, home: Path) -> None:
        port = free_port()
        self.api = f"http://127.0.0.1:{port}/api"
        self.environment = {
            **os.environ,
            "PREFECT_HOME": str(home),
            "PREFECT_API_URL": self.api,
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_UI_ENABLED": "false",
            "PREFECT_CLI_PROMPT": "false",
        }
        self.log = (home / "server.log").open("w")
        self.process = subprocess.Popen(
            [PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=self.environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_until_healthy(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "the Prefect server exited"
            try:
                if httpx.get(f"{self.api}/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        raise TimeoutError(f"no Prefect server at {self.api} after {timeout:.0f} s")

    def cli(self, *arguments: str, timeout: float = 300) -> str:
        """Run the `prefect` command in the checkout; its output, or a failure showing it."""
        done = subprocess.run(
            [PREFECT, *arguments],
            cwd=REPO,
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        output = done.stdout + done.stderr
        assert done.returncode == 0, f"prefect {' '.join(arguments)} failed:\n{output}"
        return output

    def get(self, path: str) -> Any:
        response = httpx.get(f"{self.api}{path}", timeout=10)
        response.raise_for_status()
        return response.json()

    def post(self, path: str, body: dict[str, Any]) -> Any:
        response = httpx.post(f"{self.api}{path}", json=body, timeout=10)
        response.raise_for_status()
        return response.json()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    started = Server(tmp_path_factory.mktemp("prefect-home"))
    try:
        started.wait_until_healthy()
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="module")
def deployed(server: Server) -> Server:
    server.cli("work-pool", "create", "bottomline", "--type", "process")
    server.cli("deploy", "--all")
    return server


def test_deploy_stores_the_three_deployments_with_the_nightly_schedule(deployed: Server) -> None:
    deployments = {
        deployment["name"]: deployment
        for deployment in deployed.post("/deployments/filter", {"limit": 10})
    }
    assert set(deployments) == {"nightly", "adhoc-report", "backfill"}
    [schedule] = deployments["nightly"]["schedules"]
    assert schedule["schedule"]["cron"] == "0 6 * * *"
    assert schedule["schedule"]["timezone"] == "Europe/Berlin"
    assert deployments["adhoc-report"]["schedules"] == []
    assert all(item["work_pool_name"] == "bottomline" for item in deployments.values())


def test_an_adhoc_report_triggered_on_the_deployment_runs_on_a_worker(
    deployed: Server, tmp_path: Path
) -> None:
    project: Project = make_project(tmp_path)
    parameters = ["model=car_loans", f"start={START}", f"end={END}"] + [
        f"{name}={value}" for name, value in project.flow_paths().items()
    ]
    triggered = deployed.cli(
        "deployment",
        "run",
        "report/adhoc-report",
        *[item for parameter in parameters for item in ("-p", parameter)],
    )
    match = re.search(r"UUID:\s*([0-9a-f-]{36})", triggered)
    assert match, triggered
    flow_run_id = match.group(1)

    deployed.cli("worker", "start", "--pool", "bottomline", "--run-once", timeout=600)

    flow_run = deployed.get(f"/flow_runs/{flow_run_id}")
    assert flow_run["state"]["type"] == "COMPLETED", flow_run["state"]
    assert flow_run["name"] == f"report-car_loans-{START}-{END}"
    pdf = project.reports / "car_loans" / f"car_loans_{START}_{END}.pdf"
    assert pdf.stat().st_size > 10_000
    [message] = project.emails()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == pdf.read_bytes()
    assert project.query("SELECT flow, status FROM runs") == [("report", "succeeded")]
