"""A regression model's value: realized from actual amounts, expected from the reference's errors.

The value of a prediction p whose actual turns out a is the case's rule value(p, a)
(`value.per_prediction`, currency; e.g. the margin on what sold minus the cost of what was
stocked and not sold). Realized value is exact once a is known. Before that, a is unknown:
given p, it is drawn from what the reference saw at similar predictions. The reference's
predictions are cut into (at most) `PREDICTION_BINS` quantile bins; in each bin its errors
e = a - p are summarized by `DRAWS` quantiles, at levels (k + 1/2) / DRAWS. A prediction's
expected value is the mean of value(p, p + e_k) over its bin's quantiles, and the variance of
those values is its outcome's randomness (what q(1-q)(v1-v0)^2 is for a classifier). Each draw
p + e_k is kept within the reference's range of actuals (a demand never below the least the
reference saw). The same holds for every model version (one error model, fitted on the whole
reference).

Errors are measured as prediction minus actual (positive: the model predicted too much). What
a wrong prediction cost is measured against a perfect one: value(a, a) - value(p, a), split
into under-prediction (p < a) and over-prediction (p > a).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from bottomline.case.config import BusinessCase
from bottomline.case.expressions import ValueExpression

PREDICTION_BINS = 20
DRAWS = 40
REGRESSION_MEASURES = [
    "abs_error",
    "squared_error",
    "signed_error",
    "abs_percent_error",
    "percent_error_rows",
    "under_predicted",
    "over_predicted",
    "cost_under",
    "cost_over",
]
CLASSIFIER_ONLY = [
    "tp",
    "fp",
    "tn",
    "fn",
    "decided_positive",
    "realized_if_all_positive",
    "realized_if_all_negative",
]
COUNTS = {"tp", "fp", "tn", "fn", "decided_positive", "percent_error_rows"}
COUNTS |= {"under_predicted", "over_predicted"}


@dataclass(frozen=True, eq=False)
class ErrorModel:
    """What the reference says an actual is, given the prediction: `upper_edges` of the
    prediction bins (the last bin is open), `errors` (bins x DRAWS: quantiles of actual minus
    prediction, in the model's unit), and the reference's least and greatest actual."""

    upper_edges: np.ndarray
    errors: np.ndarray
    lowest_actual: float
    highest_actual: float

    def prediction_bin(self, predictions: np.ndarray) -> np.ndarray:
        """The bin (0-based) of each prediction."""
        return _bins(self.upper_edges, predictions)


def _bins(upper_edges: np.ndarray, predictions: np.ndarray) -> np.ndarray:
    found = np.searchsorted(upper_edges, predictions, side="left")
    bins: np.ndarray = np.minimum(found, len(upper_edges))
    return bins


def fit_errors(reference: pl.DataFrame) -> ErrorModel:
    """The error model of a reference with `score` (the prediction) and `actual`."""
    predictions = reference["score"].cast(pl.Float64).to_numpy()
    actuals = reference["actual"].cast(pl.Float64).to_numpy()
    levels = np.linspace(0, 1, PREDICTION_BINS + 1)[1:-1]
    upper_edges = np.unique(np.quantile(predictions, levels))
    lowest, highest = float(actuals.min()), float(actuals.max())
    bins = _bins(upper_edges, predictions)
    draws = (np.arange(DRAWS) + 0.5) / DRAWS
    errors = actuals - predictions
    overall = np.quantile(errors, draws)
    table = np.vstack(
        [
            np.quantile(errors[bins == b], draws) if np.any(bins == b) else overall
            for b in range(len(upper_edges) + 1)
        ]
    )
    return ErrorModel(upper_edges, table, lowest, highest)


def regression_measures(rows: pl.DataFrame, case: BusinessCase, errors: ErrorModel) -> pl.DataFrame:
    """Per prediction: every measure of `metrics.MEASURES` (a classifier's own as 0) and of
    `REGRESSION_MEASURES`. `rows` has score (the prediction), actual (null while pending) and
    the value rule's columns."""
    rule = case.value.per_prediction
    assert rule is not None  # a regression case has its rule (checked at load)
    rows = rows.with_columns(pl.col("score").alias("prediction"))
    expected_values, variances = _expected(rows, rule, errors)
    expected, variance = pl.lit(expected_values), pl.lit(variances)
    prediction, actual = pl.col("prediction"), pl.col("actual")
    matured = actual.is_not_null()
    realized = _value(rule, actual)
    perfect = _value(rule, actual, prediction=actual)
    error = prediction - actual

    def when_matured(measure: pl.Expr) -> pl.Expr:
        return pl.when(matured).then(measure).otherwise(0.0)

    return rows.with_columns(
        pl.lit(1, pl.Int64).alias("predictions"),
        matured.cast(pl.Int64).alias("matured"),
        *[pl.lit(0, pl.Int64).alias(name) for name in ("tp", "fp", "tn", "fn")],
        when_matured(realized).alias("realized_value"),
        expected.alias("expected_value"),
        when_matured(expected).alias("expected_value_matured"),
        when_matured(variance).alias("variance_matured"),
        pl.when(matured).then(0.0).otherwise(variance).alias("variance_pending"),
        pl.lit(0, pl.Int64).alias("decided_positive"),
        when_matured(realized**2).alias("realized_value_sq"),
        pl.lit(0.0).alias("realized_if_all_positive"),
        pl.lit(0.0).alias("realized_if_all_negative"),
        when_matured(error.abs()).alias("abs_error"),
        when_matured(error**2).alias("squared_error"),
        when_matured(error).alias("signed_error"),
        pl.when(matured & (actual != 0))
        .then(error.abs() / actual.abs())
        .otherwise(0.0)
        .alias("abs_percent_error"),
        (matured & (actual != 0)).cast(pl.Int64).alias("percent_error_rows"),
        (matured & (error < 0)).cast(pl.Int64).alias("under_predicted"),
        (matured & (error > 0)).cast(pl.Int64).alias("over_predicted"),
        pl.when(matured & (error < 0)).then(perfect - realized).otherwise(0.0).alias("cost_under"),
        pl.when(matured & (error > 0)).then(perfect - realized).otherwise(0.0).alias("cost_over"),
    )


def _value(rule: ValueExpression, actual: pl.Expr, prediction: pl.Expr | None = None) -> pl.Expr:
    """The rule's value (currency) with `actual` (and `prediction`) as given."""
    names = {
        "actual": actual,
        "prediction": pl.col("prediction") if prediction is None else prediction,
    }
    return rule.to_polars(names)


def _expected(
    rows: pl.DataFrame, rule: ValueExpression, errors: ErrorModel
) -> tuple[pl.Series, pl.Series]:
    """Each prediction's expected value (currency) and its variance (currency squared) over
    its bin's error quantiles."""
    predictions = rows["prediction"].cast(pl.Float64).to_numpy()
    bins = errors.prediction_bin(predictions)
    draws = errors.errors.shape[1]
    total = np.zeros(rows.height)
    squares = np.zeros(rows.height)
    for draw in range(draws):
        drawn = np.clip(
            predictions + errors.errors[bins, draw], errors.lowest_actual, errors.highest_actual
        )
        value = rows.select(_value(rule, pl.lit(pl.Series(drawn)))).to_series().to_numpy()
        total += value
        squares += value**2
    mean = total / draws
    variance = np.maximum(squares / draws - mean**2, 0.0)
    return pl.Series("expected_value", mean), pl.Series("variance", variance)
