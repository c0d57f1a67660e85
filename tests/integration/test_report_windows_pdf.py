"""Issue 18: every window reads right to a leader: ad hoc reports, windows that start before
the data, single days (read back from the PDF with pdftotext)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from bottomline.report.formatting import money, period
from flows.backfill import backfill
from flows.report import report
from tests.integration.conftest import SETTINGS, Project, make_project, pdf_text
from tests.integration.test_nightly import PERIOD_START, run_nightly
from tests.integration.test_report_pdf import page_text

FIRST_DAY = SETTINGS.start  # the demo data's first day of predictions


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The demo after one nightly run."""
    project = make_project(tmp_path_factory.mktemp("windows"))
    assert run_nightly(project, deliver=False).is_completed()
    return project


def ad_hoc(project: Project, start: dt.date, end: dt.date) -> Path:
    state = report(
        model="car_loans", start=start, end=end, deliver=False, return_state=True,
        **project.flow_paths(),
    )  # fmt: skip
    assert state.is_completed(), state.message
    pdf = project.reports / "car_loans" / f"car_loans_{start}_{end}.pdf"
    first = page_text(pdf, 1)  # whatever the window, the data's two lights are on page one
    assert "Can we trust the data?" in first
    assert "Drift: " in first
    return pdf


def tile(first_page: str, label: str) -> str:
    """The value printed under a page-one tile's label."""
    found = re.search(rf"{label.upper()} (\S+ \S+)", first_page)
    assert found, first_page
    return found.group(1)


def run_rules(project: Project, flow: str) -> set[str]:
    rows = project.query(
        "SELECT DISTINCT v.expectation FROM validation_results v JOIN runs r USING (run_id) "
        f"WHERE r.flow = '{flow}'"
    )
    return {rule for (rule,) in rows}


def test_an_ad_hoc_report_on_past_data_passes_its_checks(reported: Project) -> None:
    """Before: 'Data usable, with warnings: 1 of 3 checks failed' (no new predictions), while
    the nightly run on the same data passed all of its checks."""
    first = page_text(ad_hoc(reported, PERIOD_START, SETTINGS.end), 1)
    assert re.search(r"Data passed all \d+ checks", first), first
    assert "with warnings" not in first
    assert "predictions_arrived" in run_rules(reported, "nightly")
    assert "predictions_arrived" not in run_rules(reported, "report")
    state = backfill(
        start=PERIOD_START, end=SETTINGS.end, return_state=True, **reported.flow_paths()
    )
    assert state.is_completed(), state.message
    assert "predictions_arrived" not in run_rules(reported, "backfill")


def test_days_before_the_first_prediction_are_not_missed_volume(reported: Project) -> None:
    """Before: a window starting 16 days before the data counted them as fewer applications
    than planned, and said nowhere that the data starts later."""
    early = FIRST_DAY - dt.timedelta(days=16)
    wide = page_text(ad_hoc(reported, early, SETTINGS.end), 1)
    exact = page_text(ad_hoc(reported, FIRST_DAY, SETTINGS.end), 1)
    assert tile(wide, "Against plan") == tile(exact, "Against plan")
    when = f"{FIRST_DAY.day} {FIRST_DAY:%B %Y}"
    assert (
        f"The model's data starts on {when}; the 16 days of this window before it are left "
        "out of every figure, the plan included."
    ) in wide
    assert "left out of every figure" not in exact


def test_a_window_wholly_before_the_data_says_when_the_data_is(reported: Project) -> None:
    first = page_text(ad_hoc(reported, dt.date(2026, 1, 1), dt.date(2026, 1, 31)), 1)
    assert "made no predictions in January 2026" in first
    assert f"This model's data runs from {FIRST_DAY.day} {FIRST_DAY:%B %Y}" in first


def test_a_single_day_reads_as_one_day(reported: Project) -> None:
    """Before: 'in the 1 days before', and a running-total chart of one point."""
    day = SETTINGS.end - dt.timedelta(days=20)  # its outcomes are known
    pdf = ad_hoc(reported, day, day)
    text = " ".join(page_text(pdf, page) for page in (1, 2, 3))
    assert "on the day before" in text
    assert "1 days" not in text
    assert "Over the period" not in text
    assert "Against a plan of" in page_text(pdf, 1)


def test_the_window_is_set_against_the_periods_before_it_and_the_year(reported: Project) -> None:
    """Before: no trend at all; a CFO asks how this month compares with the last six."""
    start, end = SETTINGS.end - dt.timedelta(days=6), SETTINGS.end
    text = " ".join(pdf_text(ad_hoc(reported, start, end)).split())
    assert "Against earlier periods" in text
    rows = reported.query(
        "SELECT sum(predictions), sum(realized_value) FROM metrics_daily WHERE segment = '_all' "
        f"AND day BETWEEN DATE '{start - dt.timedelta(days=7)}' "
        f"AND DATE '{end - dt.timedelta(days=7)}'"
    )
    ((predictions, realized),) = rows
    week_before = f"{period(start - dt.timedelta(days=7), end - dt.timedelta(days=7))}"
    assert f"{week_before} {predictions:,} {money(realized, 'EUR')}" in text
    assert "Year to date" in text
