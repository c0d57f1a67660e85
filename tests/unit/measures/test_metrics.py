"""Daily aggregates against a hand computation on six predictions.

Value rules: TP = 0.1*amount, FP = -0.5*amount, TN = 0, FN = -10; calibration none (q = p).
Row  day   ver  band  p    d  amount  y     v1(y=1)  v0(y=0)  realized  expected  variance
1    05-01 v1   A     0.9  1  100     1     10       -50      10        4         324
2    05-01 v1   B     0.8  1  200     0     20       -100     -100      -4        2304
3    05-01 v1   A     0.3  0  50      1     -10      0        -10       -3        21
4    05-01 v1   B     0.2  0  80      -     -10      0        (pending) -2        16 (pending)
5    05-01 v2   A     0.6  1  100     -     10       -50      (pending) -14       864 (pending)
6    05-02 v1   A     0.5  1  10      0     1        -5       -5        -2        9
expected = q*v1 + (1-q)*v0; variance = q*(1-q)*(v1-v0)^2, matured and pending apart.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from bottomline.case.config import BusinessCase
from bottomline.measures.calibration import IDENTITY, Calibrator
from bottomline.measures.metrics import daily_metrics
from tests.helpers import make_case

MAY_1, MAY_2 = dt.date(2026, 5, 1), dt.date(2026, 5, 2)


@pytest.fixture
def case(tmp_path: Path) -> BusinessCase:
    return make_case(tmp_path)


def six_rows() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "day": [MAY_1] * 5 + [MAY_2],
            "model_version": ["v1", "v1", "v1", "v1", "v2", "v1"],
            "band": ["A", "B", "A", "B", "A", "A"],
            "score": [0.9, 0.8, 0.3, 0.2, 0.6, 0.5],
            "decision": [1, 1, 0, 0, 1, 1],
            "amount": [100.0, 200.0, 50.0, 80.0, 100.0, 10.0],
            "label": [1, 0, 1, None, None, 0],
        },
        schema_overrides={"decision": pl.Int8, "label": pl.Int8},
    )


def row(
    metrics: pl.DataFrame, day: dt.date, segment: str, value: str, version: str
) -> dict[str, Any]:
    found = metrics.filter(
        (pl.col("day") == day)
        & (pl.col("segment") == segment)
        & (pl.col("segment_value") == value)
        & (pl.col("model_version") == version)
    )
    assert found.height == 1, f"expected one row for {day} {segment}={value} {version}"
    return found.row(0, named=True)


def test_whole_model_day_matches_the_hand_computation(case: BusinessCase) -> None:
    metrics = daily_metrics(six_rows(), case, Calibrator(pooled=IDENTITY))
    v1 = row(metrics, MAY_1, "_all", "_all", "v1")
    assert (v1["predictions"], v1["matured"]) == (4, 3)
    assert (v1["tp"], v1["fp"], v1["tn"], v1["fn"]) == (1, 1, 0, 1)
    assert v1["realized_value"] == pytest.approx(10 - 100 - 10)
    assert v1["expected_value"] == pytest.approx(4 - 4 - 3 - 2)
    assert v1["expected_value_matured"] == pytest.approx(4 - 4 - 3)
    assert v1["variance_matured"] == pytest.approx(324 + 2304 + 21)
    assert v1["variance_pending"] == pytest.approx(16)
    v2 = row(metrics, MAY_1, "_all", "_all", "v2")
    assert (v2["predictions"], v2["matured"], v2["realized_value"]) == (1, 0, 0.0)
    assert v2["expected_value"] == pytest.approx(-14)
    assert (v2["variance_matured"], v2["variance_pending"]) == (0.0, pytest.approx(864))
    day_two = row(metrics, MAY_2, "_all", "_all", "v1")
    assert day_two["realized_value"] == pytest.approx(-5)
    assert day_two["variance_matured"] == pytest.approx(9)


def test_segments_split_the_same_figures(case: BusinessCase) -> None:
    metrics = daily_metrics(six_rows(), case, Calibrator(pooled=IDENTITY))
    band_a = row(metrics, MAY_1, "band", "A", "v1")
    assert (band_a["predictions"], band_a["matured"], band_a["tp"], band_a["fn"]) == (2, 2, 1, 1)
    assert band_a["realized_value"] == pytest.approx(0)
    assert band_a["expected_value"] == pytest.approx(1)
    band_b = row(metrics, MAY_1, "band", "B", "v1")
    assert band_b["realized_value"] == pytest.approx(-100)
    assert band_b["expected_value"] == pytest.approx(-6)
    whole = metrics.filter(pl.col("segment") == "_all").select(pl.exclude("segment_value"))
    by_band = metrics.filter(pl.col("segment") == "band")
    for measure in ("predictions", "matured", "realized_value", "expected_value"):
        assert whole[measure].sum() == pytest.approx(by_band[measure].sum())


def test_calibration_changes_expected_not_realized(case: BusinessCase) -> None:
    halved = Calibrator(pooled=type(IDENTITY)(scores=IDENTITY.scores, rates=IDENTITY.rates / 2))
    metrics = daily_metrics(six_rows(), case, halved)
    v1 = row(metrics, MAY_1, "_all", "_all", "v1")
    assert v1["realized_value"] == pytest.approx(-100)
    # q halves: row 1 q=.45 -> .45*10 + .55*-50 = -23; row 2 q=.4 -> 8 - 60 = -52;
    # row 3 q=.15 -> -1.5; row 4 q=.1 -> -1.
    assert v1["expected_value"] == pytest.approx(-23 - 52 - 1.5 - 1)


def test_missing_segment_values_get_their_own_bucket(case: BusinessCase) -> None:
    rows = six_rows().with_columns(pl.lit(None, pl.String).alias("band"))
    metrics = daily_metrics(rows, case, Calibrator(pooled=IDENTITY))
    assert set(metrics.filter(pl.col("segment") == "band")["segment_value"]) == {"_null"}


def test_a_model_without_versions_is_one_version(case: BusinessCase) -> None:
    rows = six_rows().with_columns(pl.lit(None, pl.String).alias("model_version"))
    metrics = daily_metrics(rows, case, Calibrator(pooled=IDENTITY))
    assert set(metrics["model_version"]) == {"_all"}
    assert row(metrics, MAY_1, "_all", "_all", "_all")["predictions"] == 5
