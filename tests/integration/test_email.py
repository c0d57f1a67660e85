"""Issue 7, item 3 and 4: email through a real SMTP server on loopback, and its faults."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cli.main import main
from tests.integration.browser import layout, screenshot
from tests.integration.conftest import SETTINGS, Project
from tests.integration.smtp import SmtpServer, free_port, self_signed, start_server
from tests.integration.test_nightly import PERIOD_START, run_nightly
from tests.integration.test_report_pdf import page_text

PDF_NAME = f"car_loans_{PERIOD_START}_{SETTINGS.end}.pdf"


@pytest.fixture
def smtp_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("BOTTOMLINE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("BOTTOMLINE_MAIL_FROM", "bottomline@example.com")
    return monkeypatch


def received_report(server: SmtpServer, project: Project) -> None:
    """The one message received is the report: subject, bodies, the PDF attached as is."""
    (message,) = server.inbox.messages
    assert message["To"] == "leadership@example.com"
    assert message["From"] == "bottomline@example.com"
    assert "Car loan approvals, 2-31 May 2026: EUR " in message["Subject"]
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None
    assert html is not None
    assert "Car loan approvals earned" in text.get_content()
    assert "REALIZED VALUE" in html.get_content().upper()
    (attachment,) = message.iter_attachments()
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == PDF_NAME
    assert attachment.get_content() == (project.reports / "car_loans" / PDF_NAME).read_bytes()


def test_plain_smtp_on_loopback(project: Project, smtp_env: pytest.MonkeyPatch) -> None:
    server = start_server()
    try:
        smtp_env.setenv("BOTTOMLINE_SMTP_PORT", str(server.port))
        smtp_env.setenv("BOTTOMLINE_SMTP_SECURITY", "none")
        assert run_nightly(project).is_completed()
        received_report(server, project)
    finally:
        server.stop()
    assert project.query("SELECT delivered_to FROM runs") == [("leadership@example.com",)]
    assert project.emails() == []  # nothing left in the outbox


def test_a_refused_recipient_is_named_and_the_run_exits_failed(
    project: Project, smtp_env: pytest.MonkeyPatch
) -> None:
    """A 550 for one recipient was recorded as delivered to everyone."""
    case = project.models / "car_loans.yaml"
    case.write_text(
        case.read_text().replace(
            "recipients: [leadership@example.com]",
            "recipients: [leadership@example.com, gone@example.com]",
        )
    )
    server = start_server()
    server.inbox.refuse.add("gone@example.com")
    try:
        smtp_env.setenv("BOTTOMLINE_SMTP_PORT", str(server.port))
        smtp_env.setenv("BOTTOMLINE_SMTP_SECURITY", "none")
        assert run_nightly(project).is_failed()
        assert len(server.inbox.messages) == 1
    finally:
        server.stop()
    ((status, delivered, message),) = project.query(
        "SELECT status, delivered_to, message FROM runs"
    )
    assert (status, delivered) == ("delivery_failed", "leadership@example.com")
    assert "the SMTP server refused gone@example.com (550 no such mailbox here)" in message


def test_starttls_with_a_password_from_a_prefect_secret_block(
    project: Project, smtp_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from prefect.blocks.system import Secret

    Secret(value="s3cret-Pa55").save("bottomline-smtp-test", overwrite=True)
    cert, key = self_signed(tmp_path)
    server = start_server(
        security="starttls", tls_files=(cert, key), login=("reports", "s3cret-Pa55")
    )
    try:
        smtp_env.setenv("BOTTOMLINE_SMTP_PORT", str(server.port))
        smtp_env.setenv("BOTTOMLINE_SMTP_SECURITY", "starttls")
        smtp_env.setenv("BOTTOMLINE_SMTP_CA_FILE", str(cert))
        smtp_env.setenv("BOTTOMLINE_SMTP_USER", "reports")
        smtp_env.setenv("BOTTOMLINE_SMTP_PASSWORD_BLOCK", "bottomline-smtp-test")
        assert run_nightly(project).is_completed()
        received_report(server, project)
        assert server.inbox.logins == [("reports", "s3cret-Pa55")]
    finally:
        server.stop()
    written = [
        path.read_bytes()
        for path in project.root.rglob("*")
        if path.is_file() and path.suffix in (".eml", ".html", ".pdf", ".duckdb")
    ]
    assert all(b"s3cret-Pa55" not in content for content in written)


def test_implicit_ssl(project: Project, smtp_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    server = start_server(security="ssl", tls_files=(cert, key))
    try:
        smtp_env.setenv("BOTTOMLINE_SMTP_PORT", str(server.port))
        smtp_env.setenv("BOTTOMLINE_SMTP_SECURITY", "ssl")
        smtp_env.setenv("BOTTOMLINE_SMTP_CA_FILE", str(cert))
        assert run_nightly(project).is_completed()
        received_report(server, project)
    finally:
        server.stop()


def test_smtp_down_keeps_the_report_and_send_delivers_it_later(
    project: Project, smtp_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    port = free_port()  # nothing listens here yet
    smtp_env.setenv("BOTTOMLINE_SMTP_PORT", str(port))
    smtp_env.setenv("BOTTOMLINE_SMTP_SECURITY", "none")
    state = run_nightly(project)
    assert state.is_failed()
    ((run_id, status, message, delivered),) = project.query(
        "SELECT run_id, status, message, delivered_to FROM runs"
    )
    assert (status, delivered) == ("delivery_failed", None)
    assert f"send it with `bottomline send {run_id}`" in message
    pdf = project.reports / "car_loans" / PDF_NAME
    assert pdf.exists()
    assert pdf.with_suffix(".eml").exists()

    server = start_server(port=port)
    try:
        assert main(["send", run_id, *project.cli_paths()]) == 0
        received_report(server, project)
    finally:
        server.stop()
    assert f"car_loans: {pdf} sent to leadership@example.com" in capsys.readouterr().out
    assert project.query("SELECT status, delivered_to, message FROM runs") == [
        ("succeeded", "leadership@example.com", None)
    ]


def test_the_same_night_is_not_emailed_twice_unless_asked(
    project: Project, smtp_env: pytest.MonkeyPatch
) -> None:
    server = start_server()
    try:
        smtp_env.setenv("BOTTOMLINE_SMTP_PORT", str(server.port))
        smtp_env.setenv("BOTTOMLINE_SMTP_SECURITY", "none")
        assert run_nightly(project).is_completed()
        assert run_nightly(project).is_completed()
        assert len(server.inbox.messages) == 1
        runs = project.query("SELECT delivered_to, message FROM runs ORDER BY started_at")
        assert runs[0][0] == "leadership@example.com"
        assert runs[1][0] is None  # nothing new: the first run's report stands, not sent again
        assert runs[1][1].startswith("already reported by run ")
        assert run_nightly(project, resend=True).is_completed()
        assert len(server.inbox.messages) == 2
    finally:
        server.stop()


def test_the_html_body_fits_a_phone_and_a_desktop(project: Project, tmp_path: Path) -> None:
    """Before: six KPI boxes in one row took 499 px of a 375 px phone (and 150% of a row);
    the drift line of page one was missing from both bodies."""
    assert run_nightly(project).is_completed()
    (message,) = project.emails()
    html, text = message.get_body(("html",)), message.get_body(("plain",))
    assert html is not None
    assert text is not None
    body = html.get_content()
    for width, rows in ((375, 3), (800, 2)):
        shown = layout(body, width, tmp_path)
        assert shown.width <= width, shown
        assert (shown.tiles, shown.rows) == (6, rows), shown
        assert shown.right <= width
        assert screenshot(body, width, tmp_path).stat().st_size > 10_000
    pdf_first_page = page_text(project.reports / "car_loans" / PDF_NAME, 1)
    drift = re.search(r"Drift: [^.]*\.", pdf_first_page)
    assert drift is not None
    assert drift.group(0) in " ".join(text.get_content().split())
    assert drift.group(0) in " ".join(body.split())
