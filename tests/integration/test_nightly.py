"""The nightly flow on generated data: real Prefect, DuckDB, WeasyPrint and outbox."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from bottomline.report.formatting import count, money
from flows.nightly import nightly
from tests.integration.conftest import SETTINGS, Project, make_project, pdf_pages, pdf_text

PERIOD_START = SETTINGS.end - dt.timedelta(days=29)  # the case's report.period_days is 30


def run_nightly(project: Project, **parameters: Any) -> Any:
    return nightly(as_of=SETTINGS.end, return_state=True, **project.flow_paths(), **parameters)


def snapshot(project: Project) -> dict[str, Any]:
    """What the warehouse holds, as counts and sums that any difference would change."""
    return {
        "predictions": project.query(
            "SELECT count(*), count(DISTINCT prediction_id), round(sum(score), 6), "
            "min(day), max(day) FROM car_loans.predictions"
        ),
        "outcomes": project.query("SELECT count(*), sum(label) FROM car_loans.outcomes"),
        "metrics": project.query(
            "SELECT count(*), sum(predictions), sum(matured), sum(tp), sum(fp), "
            "round(sum(realized_value), 4), round(sum(expected_value), 4), "
            "round(sum(variance_matured), 4) FROM metrics_daily"
        ),
        "ledger": project.query("SELECT count(*), sum(rows_loaded) FROM ingested_files"),
        "stale": project.query("SELECT count(*) FROM stale_days"),
    }


def test_the_nightly_report_shows_the_ground_truth(project: Project) -> None:
    state = run_nightly(project)
    assert state.is_completed(), state.message

    (realized,) = project.query(
        "SELECT sum(realized_value) FROM metrics_daily WHERE segment = '_all'"
    )[0]
    assert realized == pytest.approx(project.truth.realized_value, abs=0.01)

    pdf = project.reports / "car_loans" / f"car_loans_{PERIOD_START}_{SETTINGS.end}.pdf"
    assert pdf.exists()
    assert pdf.with_suffix(".html").exists()
    assert 3 <= pdf_pages(pdf) <= 8  # page one, analysis, drift, data quality, appendix
    assert 20_000 < pdf.stat().st_size < 2_000_000
    # What the run wrote is its owner's alone (issue 21): files 0600, folders 0700.
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
    assert stat.S_IMODE(project.reports.stat().st_mode) == 0o700
    assert stat.S_IMODE(project.warehouse.stat().st_mode) == 0o600
    window_realized = sum(
        value
        for day, value in project.truth.daily_realized.items()
        if PERIOD_START <= day <= SETTINGS.end
    )
    text = " ".join(pdf_text(pdf).split())
    verb = "earned" if window_realized >= 0 else "lost"
    assert (
        f"Car loan approvals {verb} {money(abs(window_realized), 'EUR')} from 2 to 31 May "
        "2026" in text
    )
    assert "Realized value" in text
    assert money(window_realized, "EUR") in text
    predictions_in_window = project.query(
        f"SELECT count(*) FROM car_loans.predictions WHERE day >= DATE '{PERIOD_START}'"
    )[0][0]
    assert f"{count(predictions_in_window)} applications in the period" in text

    (message,) = project.emails()
    assert message["To"] == "leadership@example.com"
    assert message["Subject"].startswith("Car loan approvals, 2-31 May 2026: ")
    assert money(window_realized, "EUR") in message["Subject"]
    attachments = list(message.iter_attachments())
    assert [part.get_content_type() for part in attachments] == ["application/pdf"]
    assert attachments[0].get_content() == pdf.read_bytes()
    body = message.get_body(("plain",))
    assert body is not None
    assert "Car loan approvals" in body.get_content()

    runs = project.query(
        "SELECT flow, model, status, rows_ingested, report_path, period_start, period_end FROM runs"
    )
    assert runs == [
        (
            "nightly",
            "car_loans",
            "succeeded",
            project.truth.predictions + project.truth.matured,
            str(pdf),
            PERIOD_START,
            SETTINGS.end,
        )
    ]
    # the verdict is kept with its range, the same range page one prints
    ((verdict, low, high),) = project.query("SELECT verdict, range_low, range_high FROM runs")
    assert verdict in ("within", "immaterial", "below", "above")
    assert f"95% range {money(low, 'EUR')} to {money(high, 'EUR')}" in text
    needs_a_look = verdict in ("below", "above")
    page_one = text.split("Three things to know")[0]
    assert ("needs a look" in page_one or "worth a look" in page_one) == needs_a_look
    assert message["Subject"].startswith("[ALERT]") or not needs_a_look
    assert "whose outcomes are not known yet (95% range" in text


def test_running_the_same_night_twice_gives_the_same_warehouse(project: Project) -> None:
    assert run_nightly(project).is_completed()
    first = snapshot(project)
    assert run_nightly(project).is_completed()
    assert snapshot(project) == first
    assert [
        row[0] for row in project.query("SELECT rows_ingested FROM runs ORDER BY started_at")
    ] == [project.truth.predictions + project.truth.matured, 0]


def test_a_night_reported_already_is_not_rendered_again_when_nothing_changed(
    project: Project,
) -> None:
    """A re-run after a kill re-rendered the models that had finished, overwriting their
    report with a "no new predictions" one."""
    assert run_nightly(project, deliver=False).is_completed()
    pdf = project.reports / "car_loans" / f"car_loans_{PERIOD_START}_{SETTINGS.end}.pdf"
    written = (pdf.read_bytes(), pdf.stat().st_mtime_ns)
    assert run_nightly(project, deliver=False).is_completed()
    assert (pdf.read_bytes(), pdf.stat().st_mtime_ns) == written
    (first, verdict, _, _), (_, again_verdict, path, message) = project.query(
        "SELECT run_id, verdict, report_path, message FROM runs ORDER BY started_at"
    )
    assert (again_verdict, path) == (verdict, str(pdf))
    assert message == f"already reported by run {first}; nothing new since"
    assert run_nightly(project, deliver=False, resend=True).is_completed()
    assert pdf.stat().st_mtime_ns != written[1]  # asked to: rendered (and sent) again


def test_late_outcomes_raise_realized_value(project: Project, tmp_path: Path) -> None:
    held_back = tmp_path / "held_back"
    held_back.mkdir()
    late = sorted((project.data / "outcomes").iterdir())[-10:]
    for folder in late:
        shutil.move(folder, held_back / folder.name)
    assert run_nightly(project).is_completed()
    (early,) = project.query(
        "SELECT sum(realized_value) FROM metrics_daily WHERE segment = '_all'"
    )[0]
    assert early < project.truth.realized_value - 1

    for folder in late:
        shutil.move(held_back / folder.name, project.data / "outcomes" / folder.name)
    assert run_nightly(project).is_completed()
    (complete,) = project.query(
        "SELECT sum(realized_value) FROM metrics_daily WHERE segment = '_all'"
    )[0]
    assert complete == pytest.approx(project.truth.realized_value, abs=0.01)
    clean = make_project(tmp_path / "clean")
    assert run_nightly(clean).is_completed()
    assert snapshot(project)["metrics"] == snapshot(clean)["metrics"]


def test_one_failing_model_does_not_stop_the_others(project: Project) -> None:
    broken = (project.models / "car_loans.yaml").read_text()
    broken = broken.replace("name: car_loans", "name: broken_loans")
    broken = broken.replace("reference.parquet", "missing_reference.parquet")
    (project.models / "broken_loans.yaml").write_text(broken)

    state = run_nightly(project)
    assert state.is_failed()
    runs = dict(project.query("SELECT model, status FROM runs"))
    assert runs == {"broken_loans": "failed", "car_loans": "succeeded"}
    (message,) = project.query("SELECT message FROM runs WHERE model = 'broken_loans'")[0]
    found = r"reference.source.path: no file matches .*missing_reference\.parquet"
    assert re.search(found, message)
    assert [m["Subject"].split(",")[0] for m in project.emails()] == ["Car loan approvals"]


def test_the_drifted_period_shows_negative_mix_and_performance(project: Project) -> None:
    """The demo's drift brings riskier applicants (mix) whose risk the model underrates
    (performance): both steps of the bridge must come out negative."""
    import duckdb

    from bottomline.case.config import load_case
    from bottomline.report.content import gather_report_data

    assert run_nightly(project).is_completed()
    case = load_case(project.models / "car_loans.yaml")
    drift_start = project.truth.drift_start
    with duckdb.connect(str(project.warehouse)) as con:
        after = gather_report_data(
            con,
            case,
            drift_start,
            SETTINGS.end,
            run_id="check",
            code_version="test",
            generated_at=dt.datetime(2026, 6, 1),
        )
        before = gather_report_data(
            con,
            case,
            SETTINGS.start,
            drift_start - dt.timedelta(1),
            run_id="check",
            code_version="test",
            generated_at=dt.datetime(2026, 6, 1),
        )
    assert after.impact.bridge is not None
    assert before.impact.bridge is not None
    assert after.impact.bridge.mix < 0
    assert after.impact.bridge.performance < 0
    # before the drift the scores keep their promise, and value per prediction is higher
    assert abs(before.impact.bridge.performance) < before.figures.band_half_width
    assert before.figures.value_per_prediction > after.figures.value_per_prediction  # type: ignore[operator]
    assert (
        project.truth.true_value_per_prediction_after
        < project.truth.true_value_per_prediction_before
    )


def test_the_report_shows_the_bridge_and_versions(project: Project) -> None:
    assert run_nightly(project).is_completed()
    (path,) = project.query("SELECT report_path FROM runs")[0]
    text = " ".join(pdf_text(Path(path)).split())
    assert "Where the money came from" in text
    for step in ("Plan", "Volume", "Mix", "Performance", "Realized"):
        assert step in text
    assert "Challenger v2 earned" in text
    bands = re.search(r"Salary range Salary range .*?<30k .*?30-50k .*?50-80k .*?80k\+", text)
    assert bands is not None, text  # the case's label, the bands in their natural order
