from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import yaml

from bottomline.demo.card_offers import (
    CLASSES,
    CardOfferTruth,
    generate_card_offer_demo,
    offer_value,
)
from bottomline.demo.data import REGIONS, DemoSettings

SMALL = DemoSettings(
    end=dt.date(2026, 5, 31),
    days=24,
    predictions_per_day=150,
    drift_after_days=14,
    never_matures_share=0.1,
    reference_rows=2000,
)
CASE = Path(__file__).parents[3] / "models" / "card_offers.yaml"
SCORES = ["p_cashback", "p_travel", "p_premium"]
PREDICTION_SCHEMA = {
    "offer_id": pl.String,
    "offered_at": pl.Datetime("us", "UTC"),
    "p_cashback": pl.Float64,
    "p_travel": pl.Float64,
    "p_premium": pl.Float64,
    "card_offered": pl.String,
    "model_version": pl.String,
    "age": pl.Int64,
    "income": pl.Float64,
    "channel": pl.String,
    "region": pl.String,
    "monthly_spend": pl.Float64,
}
OUTCOME_SCHEMA = {
    "offer_id": pl.String,
    "card_taken": pl.String,
    "decided_at": pl.Datetime("us", "UTC"),
}


def read(folder: Path) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    return (
        pl.read_parquet(folder / "predictions" / "*" / "*.parquet"),
        pl.read_parquet(folder / "outcomes" / "*" / "*.parquet"),
        pl.read_parquet(folder / "reference.parquet"),
    )


def local_day(column: str) -> pl.Expr:
    return pl.col(column).dt.convert_time_zone("Europe/Berlin").dt.date()


def class_index(series: pl.Series) -> np.ndarray:
    return series.replace_strict({name: i for i, name in enumerate(CLASSES)}).to_numpy()


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CardOfferTruth]:
    folder = tmp_path_factory.mktemp("card_offers")
    return folder, generate_card_offer_demo(folder, SMALL)


def test_the_same_seed_writes_the_same_bytes(
    tmp_path: Path, small: tuple[Path, CardOfferTruth]
) -> None:
    folder, truth = small
    assert generate_card_offer_demo(tmp_path, SMALL) == truth
    files = sorted(p.relative_to(folder) for p in folder.rglob("*.*"))
    assert files == sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.*"))
    assert len(files) > 2 * SMALL.days - 3
    for name in files:
        assert (folder / name).read_bytes() == (tmp_path / name).read_bytes()


def test_files_have_the_documented_layout_columns_and_types(
    small: tuple[Path, CardOfferTruth],
) -> None:
    folder, truth = small
    days = [SMALL.start + dt.timedelta(days=d) for d in range(SMALL.days)]
    assert sorted(p.name for p in (folder / "predictions").iterdir()) == [
        f"date={day}" for day in days
    ]
    assert {p.name for p in folder.rglob("*.parquet")} == {"part-0.parquet", "reference.parquet"}
    predictions, outcomes, reference = read(folder)
    assert dict(predictions.schema) == PREDICTION_SCHEMA
    assert dict(outcomes.schema) == OUTCOME_SCHEMA
    assert dict(reference.schema) == {**PREDICTION_SCHEMA, "card_taken": pl.String}
    assert predictions.height == truth.predictions
    assert 0.9 < truth.predictions / (SMALL.days * SMALL.predictions_per_day) < 1.1
    assert outcomes.height == truth.matured
    assert predictions["offer_id"].is_unique().all()
    assert outcomes["offer_id"].is_unique().all()
    assert outcomes["offer_id"].is_in(predictions["offer_id"].implode()).all()
    assert set(predictions["model_version"]) == {"v2"}
    assert set(predictions["channel"]) == {"branch", "online", "partner"}
    assert set(predictions["region"]) <= set(REGIONS)
    assert predictions["age"].is_between(18, 80).all()
    assert (predictions["income"] > 0).all()
    assert (predictions["monthly_spend"] > 0).all()
    hour = predictions.select(
        pl.col("offered_at").dt.convert_time_zone("Europe/Berlin").dt.hour()
    ).to_series()
    assert hour.is_between(9, 19).all()
    utc_day = predictions.select(pl.col("offered_at").dt.date()).to_series()
    assert (utc_day == predictions.select(local_day("offered_at")).to_series()).all()


def test_scores_are_a_distribution_and_the_offer_is_the_likeliest_card(
    small: tuple[Path, CardOfferTruth],
) -> None:
    predictions, outcomes, reference = read(small[0])
    for frame in (predictions, reference):
        scores = frame.select(SCORES).to_numpy()
        assert scores.dtype == np.float64
        assert ((scores >= 0) & (scores <= 1)).all()
        assert np.abs(scores.sum(axis=1) - 1).max() < 1e-9
        assert (class_index(frame["card_offered"]) == scores.argmax(axis=1)).all()
    for frame in (outcomes, reference):
        assert set(frame["card_taken"]) == set(CLASSES)
    assert set(predictions["card_offered"]) == set(CLASSES)


def test_decisions_come_one_to_fourteen_days_later_and_only_by_the_end(
    small: tuple[Path, CardOfferTruth],
) -> None:
    predictions, outcomes, _ = read(small[0])
    matured = predictions.join(outcomes, on="offer_id")
    lag = matured.select((pl.col("decided_at") - pl.col("offered_at")).dt.total_seconds())
    assert lag.min().item() >= 86400
    assert lag.max().item() <= 14 * 86400
    assert outcomes.select(local_day("decided_at").max()).item() <= SMALL.end
    assert outcomes.select(local_day("decided_at").max()).item() >= SMALL.end - dt.timedelta(1)
    decided_by = predictions.filter(local_day("offered_at") < SMALL.end - dt.timedelta(14))
    undecided = decided_by.join(outcomes, on="offer_id", how="anti").height / decided_by.height
    assert abs(undecided - SMALL.never_matures_share) < 0.03
    pending = predictions.join(outcomes, on="offer_id", how="anti")
    assert pending.filter(local_day("offered_at") == SMALL.end).height > 100  # all of the last day


def test_the_truth_is_the_value_of_the_decided_offers(small: tuple[Path, CardOfferTruth]) -> None:
    folder, truth = small
    predictions, outcomes, _ = read(folder)
    matured = predictions.join(outcomes, on="offer_id")
    taken, offered = class_index(matured["card_taken"]), class_index(matured["card_offered"])
    value = offer_value(taken, offered, matured["monthly_spend"].to_numpy())
    assert abs(value.sum() - truth.realized_value) < 0.005
    days = len(truth.daily_realized)  # each rounded to the cent
    assert abs(sum(truth.daily_realized.values()) - truth.realized_value) <= 0.005 * days
    daily = (
        matured.with_columns(pl.Series("value", value), local_day("offered_at").alias("day"))
        .group_by("day")
        .agg(pl.col("value").sum())
    )
    assert set(truth.daily_realized) == set(daily["day"])
    for day, day_value in daily.iter_rows():
        assert abs(truth.daily_realized[day] - day_value) < 0.006
    counts = matured.group_by("card_taken", "card_offered").len()
    confusion = {(row[0], row[1]): row[2] for row in counts.iter_rows()}
    assert truth.confusion == {
        (actual, chosen): confusion.get((actual, chosen), 0)
        for actual in CLASSES
        for chosen in CLASSES
    }
    assert sum(truth.confusion.values()) == truth.matured
    assert truth.realized_value / truth.matured > 20  # material: tens of EUR an offer


def test_offer_value_is_the_case_files_matrix() -> None:
    spend = np.array([1000.0, 250.0])
    expected = {  # value[taken][offered] at EUR 1,000 of monthly spend
        ("cashback", "cashback"): 48.0,
        ("cashback", "travel"): -15.0,
        ("cashback", "premium"): -40.0,
        ("travel", "cashback"): 14.0,
        ("travel", "travel"): 117.0,
        ("travel", "premium"): -25.0,
        ("premium", "cashback"): 14.0,
        ("premium", "travel"): 68.0,
        ("premium", "premium"): 191.0,
    }
    matrix = yaml.safe_load(CASE.read_text())["value"]["matrix"] if CASE.exists() else None
    for (actual, chosen), value in expected.items():
        taken = np.full(2, CLASSES.index(actual))
        offered = np.full(2, CLASSES.index(chosen))
        result = offer_value(taken, offered, spend)
        assert result[0] == pytest.approx(value)
        if matrix is not None:
            formula = str(matrix[actual][chosen])
            for one_spend, one_value in zip(spend, result, strict=True):
                assert eval(formula, {"monthly_spend": one_spend}) == pytest.approx(one_value)


def test_online_customers_take_travel_more_and_are_younger_from_the_change(
    small: tuple[Path, CardOfferTruth],
) -> None:
    folder, truth = small
    assert truth.change_start == dt.date(2026, 5, 22)
    assert (truth.changed_segment, truth.segment_column) == ("online", "channel")
    assert truth.drift_feature == "age"
    predictions, outcomes, _ = read(folder)
    shares = (
        predictions.join(outcomes, on="offer_id")
        .with_columns(
            (local_day("offered_at") >= truth.change_start).alias("after"),
            (pl.col("channel") == truth.changed_segment).alias("changed"),
        )
        .group_by("changed", "after")
        .agg((pl.col("card_taken") == "travel").mean())
    )
    share = {(row[0], row[1]): row[2] for row in shares.iter_rows()}
    assert share[(True, True)] - share[(True, False)] > 0.15
    assert abs(share[(False, True)] - share[(False, False)]) < 0.08
    ages = (
        predictions.with_columns(
            (local_day("offered_at") >= truth.change_start).alias("after"),
            (pl.col("channel") == truth.changed_segment).alias("changed"),
        )
        .group_by("changed", "after")
        .agg(pl.col("age").mean())
    )
    age = {(row[0], row[1]): row[2] for row in ages.iter_rows()}
    assert 10 < age[(True, False)] - age[(True, True)] < 16
    assert abs(age[(False, False)] - age[(False, True)]) < 2.5


def test_the_reference_is_labelled_from_the_four_weeks_before_the_first_day(
    small: tuple[Path, CardOfferTruth],
) -> None:
    predictions, _, reference = read(small[0])
    assert reference.height == SMALL.reference_rows
    days = reference.select(local_day("offered_at")).to_series()
    assert days.min() == SMALL.start - dt.timedelta(28)
    assert days.max() == SMALL.start - dt.timedelta(1)
    assert reference["offer_id"].is_unique().all()
    assert not reference["offer_id"].is_in(predictions["offer_id"].implode()).any()
    assert reference["card_taken"].null_count() == 0


def test_a_change_after_the_window_changes_nothing_and_the_reference_is_capped(
    tmp_path: Path,
) -> None:
    settings = DemoSettings(end=SMALL.end, days=10, predictions_per_day=100, drift_after_days=10)
    truth = generate_card_offer_demo(tmp_path, settings)
    assert truth.change_start > settings.end
    predictions, _, reference = read(tmp_path)
    assert reference.height == 30_000
    online = pl.col("channel") == "online"
    window_age = predictions.filter(online)["age"].mean()
    reference_age = reference.filter(online)["age"].mean()
    assert isinstance(window_age, float)
    assert isinstance(reference_age, float)
    assert abs(window_age - reference_age) < 2.5
