from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl

from bottomline.demo.data import DemoSettings
from bottomline.demo.demand import DemandTruth, generate_demand_demo

SMALL = DemoSettings(
    end=dt.date(2026, 5, 31),
    days=10,
    predictions_per_day=200,
    drift_after_days=6,
    reference_rows=2000,
)
PREDICTION_SCHEMA = {
    "forecast_id": pl.String,
    "forecast_at": pl.Datetime("us", "UTC"),
    "forecast_units": pl.Float64,
    "model_version": pl.String,
    "store_format": pl.String,
    "region": pl.String,
    "price": pl.Float64,
    "promotion": pl.Int8,
    "temperature": pl.Float64,
    "day_of_week": pl.Int8,
    "unit_margin": pl.Float64,
    "unit_cost": pl.Float64,
}
OUTCOME_SCHEMA = {
    "forecast_id": pl.String,
    "units_sold": pl.Float64,
    "counted_at": pl.Datetime("us", "UTC"),
}


def read(folder: Path) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    return (
        pl.read_parquet(folder / "predictions" / "*" / "*.parquet"),
        pl.read_parquet(folder / "outcomes" / "*" / "*.parquet"),
        pl.read_parquet(folder / "reference.parquet"),
    )


def local_day(column: str) -> pl.Expr:
    return pl.col(column).dt.convert_time_zone("Europe/Berlin").dt.date()


def test_the_same_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    first = generate_demand_demo(tmp_path / "one", SMALL)
    second = generate_demand_demo(tmp_path / "two", SMALL)
    assert first == second
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*.*"))
    assert files == sorted(p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*.*"))
    assert len(files) > 2 * SMALL.days - 3
    for name in files:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_files_have_the_documented_layout_columns_and_types(tmp_path: Path) -> None:
    truth = generate_demand_demo(tmp_path, SMALL)
    days = [SMALL.start + dt.timedelta(days=d) for d in range(SMALL.days)]
    assert sorted(p.name for p in (tmp_path / "predictions").iterdir()) == [
        f"date={day}" for day in days
    ]
    assert {p.name for p in (tmp_path / "predictions").rglob("*.parquet")} == {"part-0.parquet"}
    predictions, outcomes, reference = read(tmp_path)
    assert dict(predictions.schema) == PREDICTION_SCHEMA
    assert dict(outcomes.schema) == OUTCOME_SCHEMA
    assert dict(reference.schema) == {**PREDICTION_SCHEMA, "units_sold": pl.Float64}
    assert predictions.height == truth.predictions == SMALL.days * truth.stores * truth.products
    assert outcomes.height == truth.matured
    assert reference.height == SMALL.reference_rows
    assert predictions["forecast_id"].is_unique().all()
    assert outcomes["forecast_id"].is_unique().all()
    assert outcomes["forecast_id"].is_in(predictions["forecast_id"].implode()).all()
    assert set(predictions["model_version"]) == {"v3"}
    assert set(predictions["store_format"]) == {"hypermarket", "supermarket", "express"}
    assert 4 <= predictions["region"].n_unique() <= 5
    assert set(predictions["promotion"]) == {0, 1}
    assert set(predictions["day_of_week"]) == set(range(1, 8))
    assert (predictions["price"] > 0).all()
    assert (predictions["unit_margin"] > 0).all()
    assert (predictions["unit_cost"] > 0).all()
    weekday = predictions.select(local_day("forecast_at").dt.weekday())["forecast_at"]
    assert (weekday == predictions["day_of_week"]).all()


def test_no_forecast_or_count_is_negative(tmp_path: Path) -> None:
    generate_demand_demo(tmp_path, SMALL)
    predictions, outcomes, reference = read(tmp_path)
    for frame in (predictions, reference):
        assert (frame["forecast_units"] >= 0).all()
    for frame in (outcomes, reference):
        assert (frame["units_sold"] >= 0).all()
        assert frame["units_sold"].null_count() == 0


def test_counts_arrive_one_to_three_days_later_so_the_last_days_are_pending(
    tmp_path: Path,
) -> None:
    truth = generate_demand_demo(tmp_path, SMALL)
    predictions, outcomes, _ = read(tmp_path)
    lag = (
        predictions.join(outcomes, on="forecast_id")
        .select((local_day("counted_at") - local_day("forecast_at")).dt.total_days())
        .to_series()
    )
    assert set(lag) == {1, 2, 3}
    assert outcomes.select(local_day("counted_at").max()).item() == SMALL.end
    per_day = truth.stores * truth.products
    pending = predictions.join(outcomes, on="forecast_id", how="anti")
    assert pending.select(local_day("forecast_at").min()).item() == SMALL.end - dt.timedelta(2)
    assert per_day < truth.predictions - truth.matured < 2 * per_day  # of the last 3 days


def test_the_truth_is_the_value_of_the_counted_forecasts(tmp_path: Path) -> None:
    truth = generate_demand_demo(tmp_path, SMALL)
    predictions, outcomes, _ = read(tmp_path)
    matured = predictions.join(outcomes, on="forecast_id")
    forecast = matured["forecast_units"].to_numpy()
    actual = matured["units_sold"].to_numpy()
    value = matured["unit_margin"].to_numpy() * np.minimum(forecast, actual) - matured[
        "unit_cost"
    ].to_numpy() * np.maximum(forecast - actual, 0)
    assert abs(value.sum() - truth.realized_value) < 0.005
    assert abs(sum(truth.daily_realized.values()) - truth.realized_value) < 0.01
    assert truth.realized_value / SMALL.days > 1000  # material: over EUR 1,000 a day here


def test_express_forecasts_turn_high_from_the_change_and_it_costs(tmp_path: Path) -> None:
    truth = generate_demand_demo(tmp_path, SMALL)
    assert truth.change_start == dt.date(2026, 5, 28)
    assert (truth.changed_segment, truth.segment_column) == ("express", "store_format")
    predictions, outcomes, _ = read(tmp_path)
    ratios = (
        predictions.join(outcomes, on="forecast_id")
        .with_columns(
            (local_day("forecast_at") >= truth.change_start).alias("after"),
            (pl.col("store_format") == truth.changed_segment).alias("changed"),
        )
        .group_by("changed", "after")
        .agg(pl.col("forecast_units").sum() / pl.col("units_sold").sum())
    )
    ratio = {(row[0], row[1]): row[2] for row in ratios.iter_rows()}
    assert ratio[(True, True)] > 1.1
    for key in [(True, False), (False, False), (False, True)]:
        assert 0.95 <= ratio[key] <= 1.05, key
    assert truth.lost_to_change > 0


def test_temperature_moves_by_the_heat_wave_from_the_change(tmp_path: Path) -> None:
    truth = generate_demand_demo(tmp_path, SMALL)
    predictions, _, reference = read(tmp_path)
    after = predictions.select(local_day("forecast_at") >= truth.change_start).to_series()
    before_mean = predictions.filter(~after)["temperature"].mean()
    after_mean = predictions.filter(after)["temperature"].mean()
    assert isinstance(before_mean, float)
    assert isinstance(after_mean, float)
    assert 4.5 < after_mean - before_mean < 7.5
    reference_mean = reference["temperature"].mean()
    assert isinstance(reference_mean, float)
    assert abs(reference_mean - before_mean) < 1.5


def test_the_reference_holds_no_row_from_after_the_change(tmp_path: Path) -> None:
    truth = generate_demand_demo(tmp_path, SMALL)
    predictions, _, reference = read(tmp_path)
    assert reference.select(local_day("forecast_at").max()).item() < truth.change_start
    assert reference.select(local_day("forecast_at").max()).item() < SMALL.start
    assert reference["forecast_id"].is_unique().all()
    assert not reference["forecast_id"].is_in(predictions["forecast_id"].implode()).any()
    ratio = reference["forecast_units"].to_numpy().sum() / reference["units_sold"].to_numpy().sum()
    assert 0.95 <= ratio <= 1.05


def test_a_change_after_the_window_changes_nothing(tmp_path: Path) -> None:
    settings = DemoSettings(
        end=SMALL.end, days=SMALL.days, predictions_per_day=100, drift_after_days=SMALL.days
    )
    truth: DemandTruth = generate_demand_demo(tmp_path, settings)
    assert truth.change_start > settings.end
    assert truth.lost_to_change == 0
