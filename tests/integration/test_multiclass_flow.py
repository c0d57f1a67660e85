"""Issue 20: a multiclass model (the demo's credit-card offers) through the real nightly flow:
its realized value and confusion to the cent, the planted change found, its costliest wrong
decisions shown, and bad class scores and labels set aside by file, row and column."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from bottomline.demo.card_offers import generate_card_offer_demo
from bottomline.report.formatting import money
from flows.nightly import nightly
from tests.integration.conftest import SETTINGS, ModelProject, make_model_project, pdf_text

MODEL = "card_offers"
OFFERS = dataclasses.replace(
    SETTINGS, days=60, predictions_per_day=400, drift_after_days=40, seed=31
)
PERIOD_START = OFFERS.end - dt.timedelta(days=29)


def make_offer_project(root: Path) -> ModelProject:
    return make_model_project(root, MODEL, generate_card_offer_demo, OFFERS)


def run(project: ModelProject) -> Any:
    state = nightly(as_of=OFFERS.end, models=[MODEL], return_state=True, **project.paths())
    assert state.is_completed(), state.message
    return state


@pytest.fixture(scope="module")
def offers(tmp_path_factory: pytest.TempPathFactory) -> ModelProject:
    project = make_offer_project(tmp_path_factory.mktemp("offers"))
    run(project)
    return project


def test_realized_value_and_the_confusion_equal_the_matrix_row_by_row(
    offers: ModelProject,
) -> None:
    by_day = dict(
        offers.query(
            f"SELECT day, sum(realized_value) FROM metrics_daily WHERE model = '{MODEL}' "
            "AND segment = '_all' GROUP BY day HAVING sum(matured) > 0"
        )
    )
    assert sum(by_day.values()) == pytest.approx(offers.truth.realized_value, abs=0.01)
    assert by_day == pytest.approx(offers.truth.daily_realized, abs=0.006)  # cents
    pairs = offers.query(
        "SELECT true_class, decided_class, sum(predictions) FROM confusion_daily "
        f"WHERE model = '{MODEL}' GROUP BY ALL"
    )
    found = {(true, decided): count for true, decided, count in pairs}
    assert found == {pair: n for pair, n in offers.truth.confusion.items() if n}
    (right,) = offers.query(
        f"SELECT sum(tp), sum(fp), sum(matured) FROM metrics_daily WHERE model = '{MODEL}' "
        "AND segment = '_all'"
    )
    diagonal = sum(n for (true, decided), n in offers.truth.confusion.items() if true == decided)
    assert right == (diagonal, offers.truth.matured - diagonal, offers.truth.matured)


def test_the_report_finds_the_online_change_and_names_the_costliest_decisions(
    offers: ModelProject,
) -> None:
    text = " ".join(pdf_text(offers.report(PERIOD_START, OFFERS.end)).split())
    window = sum(v for day, v in offers.truth.daily_realized.items() if day >= PERIOD_START)
    assert f"Credit card offers earned {money(window, 'EUR')}" in text
    assert "below the expected range" in text
    assert "starting with Channel “online”" in text  # the planted change
    assert "Which decisions cost the most" in text
    assert "The costliest wrong decision was" in text  # among the things to know
    assert "the most a perfect model could add, not money lost" in text
    assert "Decided right" in text
    assert "Precision" not in text
    assert "Score for cashback" in text  # the model's own columns, named in the drift table


def test_bad_scores_and_labels_are_set_aside_with_file_row_and_column(tmp_path: Path) -> None:
    project = make_offer_project(tmp_path)
    data = project.root / "var" / "demo" / MODEL
    last = sorted((data / "predictions").glob("*/*.parquet"))[-1]
    rows = (
        pl.read_parquet(last)
        .head(4)
        .with_columns(
            pl.Series("offer_id", ["B-1", "B-2", "B-3", "B-4"]),
            pl.Series("p_cashback", [0.2, 0.9, 0.5, 0.2]),
            pl.Series("p_travel", [0.3, 0.3, 0.3, 0.3]),
            pl.Series("p_premium", [0.5, 0.3, 0.2, 0.5]),
            pl.Series("card_offered", ["premium", "cashback", "gold", "premium"]),
        )
    )
    rows.write_parquet(last.parent / "bad.parquet")
    outcome = sorted((data / "outcomes").glob("*/*.parquet"))[-1]
    labels = (
        pl.read_parquet(outcome)
        .head(2)
        .with_columns(
            pl.Series("offer_id", ["B-1", "B-4"]), pl.Series("card_taken", ["premium", "platinum"])
        )
    )
    labels.write_parquet(outcome.parent / "bad_labels.parquet")
    run(project)
    assert project.query(
        f"SELECT source_row, column_name, rule, reason FROM {MODEL}.quarantine "
        "WHERE source_file LIKE '%/bad.parquet' ORDER BY source_row"
    ) == [
        (2, "p_cashback", "scores_sum_to_one", "the scores add up to 1.5, not 1 "
         "(p_cashback + p_travel + p_premium)"),
        (3, "card_offered", "decision_is_a_class",
         "decision 'gold' is not one of the classes (cashback, travel, premium)"),
    ]  # fmt: skip
    assert project.query(
        f"SELECT source_row, column_name, rule, reason FROM {MODEL}.quarantine "
        "WHERE source_file LIKE '%/bad_labels.parquet' ORDER BY source_row"
    ) == [
        (2, "card_taken", "label_is_a_class",
         "label 'platinum' is not one of the classes (cashback, travel, premium)"),
    ]  # fmt: skip
    for kind in ("predictions", "outcomes"):
        ((read, loaded_rows, aside),) = project.query(
            "SELECT sum(rows_read), sum(rows_loaded), sum(rows_quarantined) FROM ingested_files "
            f"WHERE kind = '{kind}' AND model = '{MODEL}'"
        )
        stored = project.query(f"SELECT count(*) FROM {MODEL}.{kind}")[0][0]
        assert read == loaded_rows + aside == stored + aside  # nothing lost
    assert project.query(
        f"SELECT prediction_id FROM {MODEL}.predictions WHERE prediction_id LIKE 'B-%' ORDER BY 1"
    ) == [("B-1",), ("B-4",)]


def test_a_missing_class_column_names_the_key_that_needs_it(tmp_path: Path) -> None:
    project = make_offer_project(tmp_path)
    last = sorted((project.root / "var" / "demo" / MODEL / "predictions").glob("*/*.parquet"))[-1]
    pl.read_parquet(last).drop("p_travel").with_columns(
        pl.concat_str(pl.lit("M-"), pl.col("offer_id")).alias("offer_id")
    ).write_parquet(last.parent / "no_travel.parquet")
    run(project)
    (message,) = project.query(f"SELECT message FROM runs WHERE model = '{MODEL}'")[0]
    assert "no_travel.parquet: missing column(s) 'p_travel' (needed by predictions.scores" in str(
        message
    )
