"""Issue 7, item 4: runs that meet another writer, or are killed, never corrupt anything."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli.main import main
from tests.integration.conftest import REPO, SETTINGS, Project, make_project, pdf_text
from tests.integration.smtp import start_server
from tests.integration.test_nightly import PERIOD_START, run_nightly, snapshot
from tests.integration.test_report_pdf import page_text

HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("BEGIN TRANSACTION")
con.execute("CREATE TABLE held_by_another_process (x INTEGER)")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
con.execute("ROLLBACK")
con.close()
"""


def hold_warehouse(warehouse: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process that opens the warehouse for writing and keeps it."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(warehouse), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "holding"
    return holder


def test_a_second_run_waits_for_the_writer_and_corrupts_nothing(project: Project) -> None:
    assert run_nightly(project, deliver=False).is_completed()
    before = snapshot(project)
    holder = hold_warehouse(project.warehouse, 6)
    started = time.monotonic()
    state = run_nightly(project, deliver=False)
    waited = time.monotonic() - started
    holder.wait(timeout=30)
    assert state.is_completed(), state.message
    assert waited >= 4  # it waited for the writer rather than failing or writing beside it
    assert snapshot(project) == before
    assert project.query(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_name = 'held_by_another_process'"
    ) == [(0,)]


def test_a_run_that_cannot_get_the_warehouse_fails_clearly(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_nightly(project, deliver=False).is_completed()
    before = snapshot(project)
    monkeypatch.setenv("BOTTOMLINE_WAREHOUSE_WAIT_SECONDS", "1")
    holder = hold_warehouse(project.warehouse, 15)
    try:
        code = main(["run", "--as-of", SETTINGS.end.isoformat(), "--no-send", *project.cli_paths()])
    finally:
        holder.kill()
        holder.wait()
    assert code == 1
    assert (
        f"the warehouse {project.warehouse} is held by another process" in capsys.readouterr().err
    )
    assert snapshot(project) == before


def checks_sentence(pdf: Path) -> str:
    """The data-quality page's count of checks, e.g. '35 of 37 checks passed'."""
    found = re.search(r"\d+ of \d+ checks passed", " ".join(pdf_text(pdf).split()))
    assert found, pdf
    return found.group(0)


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, object], str, str]:
    """What one clean run leaves: the warehouse's snapshot, the report's first page and its
    count of checks."""
    clean = make_project(tmp_path_factory.mktemp("clean"))
    assert run_nightly(clean).is_completed()
    pdf = clean.reports / "car_loans" / f"car_loans_{PERIOD_START}_{SETTINGS.end}.pdf"
    return snapshot(clean), page_text(pdf, 1), checks_sentence(pdf)


def nightly_process(project: Project, environment: dict[str, str]) -> subprocess.Popen[str]:
    """`bottomline run` of the project's last day in a process of its own, its output piped."""
    arguments = ["run", "--as-of", SETTINGS.end.isoformat(), *project.cli_paths()]
    return subprocess.Popen(
        [sys.executable, "-m", "cli.main", *arguments],
        cwd=REPO,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.parametrize(
    "marker",
    [
        "outcomes: ",  # predictions committed, outcomes being read
        "outcomes of car_loans:",  # ingest committed, aggregation next
        "aggregated ",  # part of the aggregates written
        "rendered in",  # report written, not yet delivered
        "saved to",  # the email left (to the outbox), the run not yet finished
    ],
)
def test_a_run_killed_at_any_step_then_rerun_equals_one_clean_run(
    project: Project,
    clean_run: tuple[dict[str, object], str, str],
    marker: str,
) -> None:
    from prefect.settings import PREFECT_API_URL

    environment = {
        **os.environ,
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),
        "PYTHONPATH": str(REPO),
    }
    process = nightly_process(project, environment)
    assert process.stdout is not None
    seen = []
    for line in process.stdout:
        seen.append(line)
        if marker in line:
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, "".join(seen)
    assert project.query("SELECT status FROM runs") == [("running",)]

    assert run_nightly(project).is_completed()
    expected_snapshot, expected_page, expected_checks = clean_run
    assert snapshot(project) == expected_snapshot
    pdf = project.reports / "car_loans" / f"car_loans_{PERIOD_START}_{SETTINGS.end}.pdf"
    assert page_text(pdf, 1) == expected_page
    assert checks_sentence(pdf) == expected_checks  # the killed attempt's checks are counted
    assert len(project.emails()) == 1  # sent once: by the re-run, or by the killed run


def test_each_run_leaves_a_summary_and_a_link_in_prefect(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The link opens where the reports are served (before: a file:// path on the worker)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    monkeypatch.setenv("BOTTOMLINE_REPORTS_URL", "https://reports.example.com/bottomline/")
    assert run_nightly(project, deliver=False).is_completed()
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                key=ArtifactFilterKey(any_=["car-loans-summary", "car-loans-report"])
            )
        )
    latest = {
        artifact.key: artifact for artifact in sorted(artifacts, key=lambda a: a.created or 0)
    }
    summary, link = latest["car-loans-summary"], latest["car-loans-report"]
    assert summary.type == "markdown"
    assert "Car loan approvals earned" in str(summary.data)
    assert "| Realized value |" in str(summary.data)
    pdf = project.reports / "car_loans" / f"car_loans_{PERIOD_START}_{SETTINGS.end}.pdf"
    url = f"https://reports.example.com/bottomline/car_loans/{pdf.name}"
    assert link.data == f"[Report (PDF)]({url})"  # Prefect keeps links as markdown
    docs = "https://reports.example.com/bottomline/car_loans/data_docs/"
    assert f'<a href="{docs}' in pdf.with_suffix(".html").read_text()  # a link in the PDF


def test_a_run_killed_while_its_email_was_being_sent_is_not_sent_twice(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kill after the message left but before it was recorded sent it again."""
    from prefect.settings import PREFECT_API_URL

    server = start_server()
    server.inbox.data_delay = 8  # the server takes the message, then answers late
    smtp = {
        "BOTTOMLINE_SMTP_HOST": "127.0.0.1",
        "BOTTOMLINE_SMTP_PORT": str(server.port),
        "BOTTOMLINE_SMTP_SECURITY": "none",
        "BOTTOMLINE_MAIL_FROM": "bottomline@example.com",
    }
    try:
        environment = {
            **os.environ,
            **smtp,
            "PREFECT_API_URL": str(PREFECT_API_URL.value()),
            "PYTHONPATH": str(REPO),
        }
        process = nightly_process(project, environment)
        assert process.stdout is not None
        for line in process.stdout:
            if "sending car_loans" in line:
                time.sleep(3)  # the message is in the server's hands, its answer not yet back
                process.send_signal(signal.SIGKILL)
                break
        process.wait(timeout=60)
        deadline = time.monotonic() + 30
        while not server.inbox.messages and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(server.inbox.messages) == 1
        (attempted,) = project.query("SELECT run_id, email_message_id FROM runs")
        assert attempted[1] == server.inbox.messages[0]["Message-ID"]

        server.inbox.data_delay = 0
        for name, value in smtp.items():
            monkeypatch.setenv(name, value)
        state = run_nightly(project)
        assert not state.is_completed()  # delivery is in doubt: someone should look
        assert len(server.inbox.messages) == 1  # not sent a second time
        ((status, message),) = [
            (row[1], row[2])
            for row in project.query("SELECT run_id, status, message FROM runs")
            if row[0] != attempted[0]
        ]
        assert status == "delivery_failed"
        assert (
            f"run {attempted[0]} was stopped while sending this report (Message-ID "
            f"{attempted[1]}, " in message
        )
        assert "not sent again, so that no one gets it twice" in message
    finally:
        server.stop()
