"""A regression model's value: realized from actual amounts, expected from the reference's errors.

The value of a prediction p whose actual turns out a is the case's rule value(p, a)
(`value.per_prediction`, currency; e.g. the margin on what sold minus the cost of what was
stocked and not sold). Realized value is exact once a is known. Before that, a is unknown:
given p, it is drawn from what the reference saw at similar predictions (the error model,
`bottomline.measures.error_model`). A prediction's expected value is the mean of
value(p, p + e_k) over its bin's draws e_k, and the variance of those values is its outcome's
randomness (what q(1-q)(v1-v0)^2 is for a classifier). Each draw p + e_k is kept within the
reference's range of actuals (a demand never below the least the reference saw). The same
holds for every model version (one error model, fitted on the whole reference).

For the range, each prediction also has a stake in each cell of the error model's spread: the
derivative of its expected value in a shift of that group of its bin's draws (currency per
unit of the model, by a forward difference); its day's stake sums per cell go to
`calibration_stakes_daily`, and a window's variance from the error model is the variance over
replicates of sum_cells shift * stake sum, as for a classifier's calibration.

Errors are measured as prediction minus actual (positive: the model predicted too much). What
a wrong prediction cost is measured against a perfect one: value(a, a) - value(p, a), split
into under-prediction (p < a) and over-prediction (p > a).
"""

from __future__ import annotations

import polars as pl

from bottomline.case.config import BusinessCase
from bottomline.case.expressions import ValueExpression
from bottomline.measures.error_model import SHAPE_GROUPS, ErrorModel

STAKE_COLUMNS = [f"error_stake_{group}" for group in range(SHAPE_GROUPS)]

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


def regression_measures(rows: pl.DataFrame, case: BusinessCase, errors: ErrorModel) -> pl.DataFrame:
    """Per prediction: every measure of `metrics.MEASURES` (a classifier's own as 0) and of
    `REGRESSION_MEASURES`. `rows` has score (the prediction), actual (null while pending) and
    the value rule's columns."""
    rule = case.value.per_prediction
    assert rule is not None  # a regression case has its rule (checked at load)
    rows = rows.with_columns(pl.col("score").alias("prediction"))
    rows = rows.with_columns(
        pl.Series("error_bin", errors.prediction_bin(rows["prediction"].to_numpy()), pl.UInt32)
    )
    expected_values, variances, stakes = _expected(rows, rule, errors)
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
        *[pl.lit(stake) for stake in stakes],
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
) -> tuple[pl.Series, pl.Series, list[pl.Series]]:
    """Each prediction's expected value (currency), its variance (currency squared) over its
    bin's draws, and its stake in each group of its bin's draws (`STAKE_COLUMNS`, currency
    per unit of the model)."""
    draws = errors.errors.shape[1]
    per_group = draws // SHAPE_GROUPS
    bin_of_row = pl.col("error_bin")

    def drawn_value(draw: int, shift: float) -> pl.Expr:
        error = pl.lit(pl.Series(errors.errors[:, draw] + shift)).gather(bin_of_row)
        actual = (pl.col("prediction") + error).clip(errors.lowest_actual, errors.highest_actual)
        return _value(rule, actual)

    step = errors.step
    values = [drawn_value(draw, 0.0) for draw in range(draws)]
    moved = [drawn_value(draw, step) - value for draw, value in enumerate(values)]
    found = rows.select(
        (pl.sum_horizontal(values) / draws).alias("expected_value"),
        (pl.sum_horizontal([value**2 for value in values]) / draws).alias("squares"),
        *[
            (
                pl.sum_horizontal(moved[group * per_group : (group + 1) * per_group]) / step / draws
            ).alias(name)
            for group, name in enumerate(STAKE_COLUMNS)
        ],
    )
    variance = (found["squares"] - found["expected_value"] ** 2).clip(lower_bound=0.0)
    return found["expected_value"], variance.alias("variance"), [found[n] for n in STAKE_COLUMNS]


def stake_cells(measured: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Stake sums (currency per unit) of measured rows by `keys` and cell of the error
    model's spread (`score_bin`: bin * SHAPE_GROUPS + group), over all and matured rows."""
    matured = pl.col("matured") == 1
    grouped = measured.group_by(*keys, "error_bin").agg(
        *[pl.col(name).sum().alias(f"{name}_all") for name in STAKE_COLUMNS],
        *[pl.col(name).filter(matured).sum().alias(f"{name}_matured") for name in STAKE_COLUMNS],
    )
    cell = pl.col("error_bin").cast(pl.Int32) * SHAPE_GROUPS
    return pl.concat(
        [
            grouped.select(
                *keys,
                (cell + group).alias("score_bin"),
                pl.col(f"{name}_all").alias("stake_all"),
                pl.col(f"{name}_matured").alias("stake_matured"),
            )
            for group, name in enumerate(STAKE_COLUMNS)
        ]
    )
