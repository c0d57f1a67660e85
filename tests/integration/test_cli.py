"""The `bottomline` command as a user runs it: exit codes, messages, files written."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from cli.main import main
from tests.integration.conftest import SETTINGS, Project, pdf_text

AS_OF = ["--as-of", SETTINGS.end.isoformat()]


def test_a_bad_business_case_exits_2_naming_file_line_and_key(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    path = project.models / "car_loans.yaml"
    path.write_text(path.read_text().replace("threshold: 0.85", "threshold: high"))
    assert main(["run", *AS_OF, *project.cli_paths()]) == 2
    error = capsys.readouterr().err
    line = path.read_text().splitlines().index("  threshold: high") + 1
    assert f"{path}, line {line}: predictions.threshold: input should be a valid number" in error
    assert not project.warehouse.exists()


def test_usage_errors_exit_2(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--model", "nope", *project.cli_paths()]) == 2
    assert "no model named nope; known: car_loans" in capsys.readouterr().err
    assert (
        main(
            [
                "report",
                "--model",
                "car_loans",
                "--start",
                "2026-05-31",
                "--end",
                "2026-05-01",
                *project.cli_paths(),
            ]
        )
        == 2
    )
    assert "the start 2026-05-31 is after the end 2026-05-01" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        main(["report", "--model", "car_loans", "--start", "31/05/2026", "--end", "2026-05-31"])
    assert exited.value.code == 2


def test_run_prints_the_report_and_exits_0(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", *AS_OF, *project.cli_paths()]) == 0
    output = capsys.readouterr().out
    pdf = project.reports / "car_loans" / "car_loans_2026-05-02_2026-05-31.pdf"
    assert f"car_loans: {pdf} (delivered to outbox:" in output
    assert pdf.exists()


def test_an_ad_hoc_report_goes_to_the_addresses_given(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = [
        "report",
        "--model",
        "car_loans",
        "--start",
        "2026-05-01",
        "--end",
        "2026-05-15",
        "--to",
        "cfo@example.com",
        *project.cli_paths(),
    ]
    assert main(arguments) == 0
    assert "car_loans_2026-05-01_2026-05-15.pdf" in capsys.readouterr().out
    (message,) = project.emails()
    assert message["To"] == "cfo@example.com"
    assert message["Subject"].startswith("Car loan approvals, 1-15 May 2026: ")
    assert project.query("SELECT flow, period_start FROM runs")[0][0] == "report"


def test_a_backfill_aggregates_a_range_and_sends_nothing(project: Project) -> None:
    assert (
        main(["backfill", "--start", "2026-05-01", "--end", "2026-05-10", *project.cli_paths()])
        == 0
    )
    assert project.emails() == []
    (days,) = project.query("SELECT count(DISTINCT day) FROM metrics_daily")[0]
    assert days == SETTINGS.days  # ingest made every day stale; all were brought up to date
    assert project.query("SELECT flow, status, report_path FROM runs") == [
        ("backfill", "succeeded", None)
    ]


def test_a_failing_model_exits_1_after_the_others_ran(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = (project.models / "car_loans.yaml").read_text()
    broken = broken.replace("name: car_loans", "name: broken_loans").replace(
        "reference.parquet", "missing.parquet"
    )
    (project.models / "broken_loans.yaml").write_text(broken)
    assert main(["run", *AS_OF, *project.cli_paths()]) == 1
    captured = capsys.readouterr()
    assert "broken_loans: FAILED: " in captured.err
    assert "car_loans: " in captured.out


def test_a_wrong_file_or_a_broken_case_fails_only_what_it_touches(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """One wrong-column file that sorted first, or one broken case file, used to stop every
    model's night with exit 2."""
    odd = project.data / "predictions" / "date=0000-odd"
    odd.mkdir()
    pl.DataFrame({"application": ["x1"], "when": ["2026-05-30"]}).write_parquet(odd / "a.parquet")
    broken = project.models / "broken_loans.yaml"
    broken.write_text(
        (project.models / "car_loans.yaml")
        .read_text()
        .replace("name: car_loans", "name: broken_loans")
        .replace("threshold: 0.85", "threshold: high")
    )
    assert main(["run", *AS_OF, "--no-send", *project.cli_paths()]) == 1
    captured = capsys.readouterr()
    assert f"{broken}, line" in captured.err
    assert "(its model fails; the others run)" in captured.err
    assert "broken_loans: FAILED: " in captured.err
    pdf = project.reports / "car_loans" / "car_loans_2026-05-02_2026-05-31.pdf"
    assert f"car_loans: {pdf}" in captured.out
    assert "a.parquet" in pdf_text(pdf)  # the wrong file is named in the report
    assert project.query("SELECT model, status FROM runs ORDER BY model") == [
        ("broken_loans", "failed"),
        ("car_loans", "succeeded"),
    ]


def test_rows_past_retention_move_to_the_archive_and_a_backfill_reads_them_back(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """The nightly run archives what is past the case's retention after aggregating; a
    backfill over the whole history then recomputes the archived days from the archive, to
    the same figures; `bottomline archive` shows what is where."""
    kept = (dt.datetime.now(dt.UTC).date() - SETTINGS.end).days + 10  # the last ~10 days stay
    case = project.models / "car_loans.yaml"
    case.write_text(case.read_text() + f"retention: {{raw_days: {kept}}}\n")
    assert main(["run", *AS_OF, "--no-send", *project.cli_paths()]) == 0
    totals = "SELECT day, predictions, matured, realized_value FROM metrics_daily "
    totals += "WHERE segment = '_all' ORDER BY ALL"
    before = project.query(totals)
    (loaded,) = project.query(
        "SELECT sum(rows_loaded) FROM ingested_files WHERE kind = 'predictions'"
    )[0]
    (stored,) = project.query("SELECT count(*) FROM car_loans.predictions")[0]
    (archived,) = project.query("SELECT sum(rows) FROM archive_parts WHERE kind = 'predictions'")[0]
    assert 0 < stored < loaded
    assert stored + archived == loaded
    folder = project.warehouse.with_name(f"{project.warehouse.stem}-archive")
    files = sorted(folder.rglob("*.parquet"))
    assert files
    assert all(oct(path.stat().st_mode)[-3:] == "600" for path in files)
    start = (SETTINGS.end - dt.timedelta(days=SETTINGS.days - 1)).isoformat()
    backfill = ["backfill", "--start", start, "--end", SETTINGS.end.isoformat()]
    assert main([*backfill, *project.cli_paths()]) == 0
    after = project.query(totals)
    assert [row[:3] for row in after] == [row[:3] for row in before]
    assert [row[3] for row in after] == pytest.approx([row[3] for row in before])
    capsys.readouterr()
    assert main(["archive", "--model", "car_loans", *project.cli_paths()]) == 0
    shown = capsys.readouterr().out
    assert "move to the archive" in shown
    assert str(folder) in shown
    assert f"{archived:>12,}" in shown.splitlines()[-1]  # the total line
