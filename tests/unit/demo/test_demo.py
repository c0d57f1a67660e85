from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from bottomline.demo.data import DemoSettings, case_value, generate_demo

SMALL = DemoSettings(
    end=dt.date(2026, 5, 31),
    days=20,
    predictions_per_day=150,
    drift_after_days=12,
    reference_rows=2000,
)


def test_the_same_seed_writes_the_same_data(tmp_path: Path) -> None:
    first = generate_demo(tmp_path / "one", SMALL)
    second = generate_demo(tmp_path / "two", SMALL)
    assert first == second
    one = pl.read_parquet(tmp_path / "one" / "predictions" / "*" / "*.parquet")
    two = pl.read_parquet(tmp_path / "two" / "predictions" / "*" / "*.parquet")
    assert one.equals(two)


def test_files_look_like_a_production_logger_wrote_them(tmp_path: Path) -> None:
    truth = generate_demo(tmp_path, SMALL)
    predictions = pl.read_parquet(tmp_path / "predictions" / "*" / "*.parquet")
    outcomes = pl.read_parquet(tmp_path / "outcomes" / "*" / "*.parquet")
    assert predictions.height == truth.predictions
    assert outcomes.height == truth.matured
    assert predictions["id"].is_unique().all()
    assert set(predictions["model_version"]) == {"v1", "v2"}
    challenger_share = (predictions["model_version"] == "v2").cast(pl.Float64).to_numpy().mean()
    assert 0.1 < challenger_share < 0.3
    assert outcomes["id"].is_in(predictions["id"].implode()).all()
    assert truth.matured < truth.predictions  # some outcomes are still pending
    assert (tmp_path / "reference.parquet").exists()


def test_the_truth_is_the_value_of_the_arrived_outcomes(tmp_path: Path) -> None:
    truth = generate_demo(tmp_path, SMALL)
    predictions = pl.read_parquet(tmp_path / "predictions" / "*" / "*.parquet")
    outcomes = pl.read_parquet(tmp_path / "outcomes" / "*" / "*.parquet")
    matured = predictions.join(outcomes, on="id")
    assert case_value(matured, matured["repaid"]).sum() == truth.realized_value
    assert sum(truth.daily_realized.values()) == pytest.approx(truth.realized_value, abs=0.01)
    assert truth.drift_start == dt.date(2026, 5, 24)
    assert truth.true_value_per_prediction_after < truth.true_value_per_prediction_before
