"""Issue 20: a regression model (the demo's store demand forecast) through the real nightly
flow: its realized value to the cent, its report and email in its own words, and bad actual
amounts set aside with their file, row and column."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from bottomline.demo.demand import generate_demand_demo
from bottomline.report.formatting import money
from flows.nightly import nightly
from tests.integration.conftest import (
    SETTINGS,
    ModelProject,
    make_model_project,
    pdf_page_text,
    pdf_text,
)

MODEL = "demand_forecast"
DEMAND = dataclasses.replace(SETTINGS, predictions_per_day=240, drift_after_days=30, seed=23)
PERIOD_START = DEMAND.end - dt.timedelta(days=29)  # the case's report.period_days is 30
CLASSIFIER_WORDS = re.compile(r"\b(scores?|approv\w*|calibrated|label)\b", re.IGNORECASE)


def make_demand_project(root: Path) -> ModelProject:
    return make_model_project(root, MODEL, generate_demand_demo, DEMAND)


def run(project: ModelProject) -> Any:
    state = nightly(as_of=DEMAND.end, models=[MODEL], return_state=True, **project.paths())
    assert state.is_completed(), state.message
    return state


@pytest.fixture(scope="module")
def demand(tmp_path_factory: pytest.TempPathFactory) -> ModelProject:
    project = make_demand_project(tmp_path_factory.mktemp("demand"))
    run(project)
    return project


def test_realized_value_equals_the_rule_computed_row_by_row(demand: ModelProject) -> None:
    by_day = dict(
        demand.query(
            f"SELECT day, sum(realized_value) FROM metrics_daily WHERE model = '{MODEL}' "
            "AND segment = '_all' GROUP BY day HAVING sum(matured) > 0"
        )
    )
    assert sum(by_day.values()) == pytest.approx(demand.truth.realized_value, abs=0.01)
    assert by_day == pytest.approx(demand.truth.daily_realized, abs=0.006)  # cents


def test_the_report_speaks_of_forecasts_and_finds_the_planted_change(
    demand: ModelProject,
) -> None:
    pdf = demand.report(PERIOD_START, DEMAND.end)
    text = " ".join(pdf_text(pdf).split())
    window = sum(value for day, value in demand.truth.daily_realized.items() if day >= PERIOD_START)
    assert f"Store demand forecast earned {money(window, 'EUR')}" in text
    assert "below what their predictions promised" in text
    assert "How far off the predictions were" in text
    assert re.search(r"predicting too much gave up EUR \S+ \(on [\d,]+ forecasts\)", text)
    assert "starting with Store format “express”" in text  # the planted over-forecast
    page_one = " ".join(pdf_page_text(pdf, 1).split())
    assert not CLASSIFIER_WORDS.search(page_one), CLASSIFIER_WORDS.findall(page_one)
    assert "Day of week" not in text  # a calendar column is not watched for drift


def test_the_email_speaks_of_predictions(demand: ModelProject) -> None:
    (message,) = demand.emails()
    assert message["To"] == "leadership@example.com, supply-chain@example.com"
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "what their predictions promised" in text
    assert not CLASSIFIER_WORDS.search(text), CLASSIFIER_WORDS.findall(text)


def test_an_actual_that_is_not_a_number_is_set_aside_with_file_row_and_column(
    tmp_path: Path,
) -> None:
    project = make_demand_project(tmp_path)
    outcomes = project.root / "var" / "demo" / MODEL / "outcomes"
    last = sorted(outcomes.glob("*/*.parquet"))[-1]
    spoiled = (
        pl.read_parquet(last)
        .head(3)
        .with_columns(
            pl.Series("units_sold", ["12", "a dozen", "7"]),
            pl.Series("forecast_id", ["X-1", "X-2", "X-3"]),
        )
    )
    spoiled.write_parquet(last.parent / "spoiled.parquet")
    run(project)
    assert project.query(
        f"SELECT source_row, column_name, rule, reason FROM {MODEL}.quarantine "
        "WHERE source_file LIKE '%/spoiled.parquet' ORDER BY source_row"
    ) == [(2, "units_sold", "actual_is_number", "actual 'a dozen' is not a finite number")]
    ((read, loaded_rows, aside),) = project.query(
        "SELECT sum(rows_read), sum(rows_loaded), sum(rows_quarantined) FROM ingested_files "
        f"WHERE kind = 'outcomes' AND model = '{MODEL}'"
    )
    stored = project.query(f"SELECT count(*) FROM {MODEL}.outcomes")[0][0]
    assert read == loaded_rows + aside == stored + 1  # nothing lost: loaded or set aside
    assert stored == project.truth.matured + 2
