"""A regression model's measures: realized value exact, expected value from the reference's
errors, errors and their cost."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from bottomline.case.config import BusinessCase
from bottomline.measures.error_model import SHAPE_GROUPS, fit_errors
from bottomline.measures.figures import Z_95
from bottomline.measures.regression import STAKE_COLUMNS, regression_measures, stake_cells

RULE = "margin * min(prediction, actual) - cost * max(prediction - actual, 0)"


def case(rule: str = RULE) -> BusinessCase:
    return BusinessCase.model_validate(
        {
            "name": "demand",
            "title": "Demand",
            "currency": "EUR",
            "task": "regression",
            "predictions": {"source": {"path": "p.csv"}, "id": "id", "timestamp": "t",
                            "prediction": "forecast"},
            "outcomes": {"source": {"path": "o.csv"}, "id": "id", "actual": "sold"},
            "reference": {"source": {"path": "r.csv"}},
            "value": {"per_prediction": rule},
        }
    )  # fmt: skip


def test_realized_value_errors_and_costs_are_exact_per_row() -> None:
    rows = pl.DataFrame(
        {
            "score": [10.0, 10.0, 4.0],
            "actual": [8.0, 12.0, None],
            "margin": [2.0, 2.0, 2.0],
            "cost": [1.0, 1.0, 1.0],
            "model_version": [None, None, None],
        },
        schema_overrides={"model_version": pl.String},
    )
    reference = pl.DataFrame({"score": [9.0, 10.0, 11.0, 4.0], "actual": [9.0, 11.0, 10.0, 5.0]})
    measured = regression_measures(rows, case(), fit_errors(reference))
    # 2*min(10,8) - 1*max(2,0) = 14; 2*min(10,12) - 0 = 20; pending row: 0
    assert measured["realized_value"].to_list() == [14.0, 20.0, 0.0]
    assert measured["matured"].to_list() == [1, 1, 0]
    assert measured["signed_error"].to_list() == [2.0, -2.0, 0.0]
    assert measured["squared_error"].sum() == 8.0
    # perfect: 16 and 24; cost of over-predicting 16-14, of under-predicting 24-20
    assert measured["cost_over"].to_list() == [2.0, 0.0, 0.0]
    assert measured["cost_under"].to_list() == [0.0, 4.0, 0.0]
    assert measured["expected_value"][2] > 0  # a pending prediction has an estimate


def test_expected_value_recovers_realized_value_on_data_like_the_reference() -> None:
    generator = np.random.default_rng(7)

    def draw(size: int) -> pl.DataFrame:
        forecast = generator.uniform(5, 50, size)
        sold = np.maximum(forecast + generator.normal(0, 0.2 * forecast), 0)
        return pl.DataFrame({"score": forecast, "actual": sold, "margin": 2.0, "cost": 1.0})

    errors = fit_errors(draw(50_000))
    rows = draw(20_000).with_columns(pl.lit(None, pl.String).alias("model_version"))
    measured = regression_measures(rows, case(), errors)
    realized = float(measured["realized_value"].sum())
    expected = float(measured["expected_value"].sum())
    half_width = 1.96 * float(np.sqrt(float(measured["variance_matured"].sum())))
    assert abs(realized - expected) < half_width
    assert expected == pytest.approx(realized, rel=0.01)


def test_a_regression_case_needs_its_own_keys() -> None:
    document = case().model_dump(exclude={"path"})
    document["value"] = {"true_positive": 1, "false_positive": -1, "true_negative": 0,
                         "false_negative": 0}  # fmt: skip
    with pytest.raises(ValueError, match=r"value\.per_prediction: required key is missing"):
        BusinessCase.model_validate(document)


def test_a_linear_rule_has_its_slope_as_stake() -> None:
    """The stake is the expected value's derivative in a shift of the bin's errors: for
    3 * actual - prediction, 3 (currency per unit) wherever no draw meets the clip."""
    generator = np.random.default_rng(3)
    forecast = generator.uniform(0, 100, 20_000)
    reference = pl.DataFrame(
        {"score": forecast, "actual": forecast + generator.normal(0, 2, 20_000)}
    )
    linear = case("3 * actual - prediction")
    rows = pl.DataFrame({"score": [30.0, 60.0], "actual": [None, 61.0]},
                        schema_overrides={"actual": pl.Float64})  # fmt: skip
    measured = regression_measures(rows, linear, fit_errors(reference))
    # each of the SHAPE_GROUPS groups of draws carries its share of the slope
    stakes = measured.select(pl.sum_horizontal(STAKE_COLUMNS)).to_series()
    assert stakes.to_list() == pytest.approx([3.0, 3.0])
    assert measured["error_stake_0"].to_list() == pytest.approx([3.0 / SHAPE_GROUPS] * 2)


def test_the_range_with_the_error_models_spread_covers_realized_value_in_95_of_windows() -> None:
    """A reference of 10,000 rows against windows of 40,000: the error model's own error does
    not average out over a window, so a range of the outcomes' randomness alone misses far
    more often than 5% of the time; with the spread of the error model it holds."""
    generator = np.random.default_rng(11)

    def draw(size: int) -> pl.DataFrame:
        forecast = generator.uniform(5, 50, size)
        sold = np.maximum(forecast + generator.normal(0, 0.3 * forecast), 0)
        return pl.DataFrame({"score": forecast, "actual": sold, "margin": 2.0, "cost": 1.5})

    covered_with_spread = covered_by_outcomes_alone = 0
    windows = 30
    for _ in range(windows):
        reference = draw(10_000)
        errors = fit_errors(reference)
        measured = regression_measures(draw(40_000), case(), errors)
        realized, expected = measured["realized_value"], measured["expected_value_matured"]
        gap = float(realized.sum()) - float(expected.sum())
        outcomes = float(measured["variance_matured"].sum())
        stakes = stake_cells(measured.with_columns(pl.lit("_all").alias("model_version")),
                             ["model_version"])  # fmt: skip
        model = errors.spread(reference).variance(stakes, "stake_matured")
        covered_with_spread += abs(gap) <= Z_95 * np.sqrt(outcomes + model)
        covered_by_outcomes_alone += abs(gap) <= Z_95 * np.sqrt(outcomes)
    print(f"covered: {covered_with_spread} with the spread, {covered_by_outcomes_alone} without")
    assert covered_with_spread >= 0.9 * windows
    assert covered_by_outcomes_alone < 0.8 * windows
