"""Daily aggregates of one model: counts, confusion cells and value, per segment and version.

Grain of the result (`metrics_daily`): day x segment x segment value x model version, with
segment `_all` for the whole model. Every measure is a sum, so any window's figures are the
sums of its days (see `bottomline.measures.figures`).

Per prediction i with decision d, label y (when known), calibrated probability q, and value
v1 / v0 if the label turns out 1 / 0 given d (from the case's cell values):
realized = y*v1 + (1-y)*v0 (matured only); expected = q*v1 + (1-q)*v0 (all);
variance = q*(1-q)*(v1-v0)^2 (matured; `variance_pending` the same over predictions still
awaiting outcomes, for the range of what is still to come). Also: decided_positive (d = 1, all
predictions), realized_value_sq (sum of realized^2, for the spread of value per prediction),
and what the matured predictions would have realized had every decision been positive
(y*TP + (1-y)*FP) or negative (y*FN + (1-y)*TN). Money in the case's currency.
"""

from __future__ import annotations

import polars as pl

from bottomline.case.config import BusinessCase
from bottomline.measures.calibration import IDENTITY, Calibrator
from bottomline.measures.calibration_spread import CalibrationSpread
from bottomline.measures.error_model import ErrorModel, fit_errors
from bottomline.measures.multiclass import (
    ClassCalibration,
    class_stake_cells,
    fit_class_calibration,
    multiclass_measures,
)
from bottomline.measures.regression import (
    COUNTS,
    REGRESSION_MEASURES,
    regression_measures,
    stake_cells,
)

ALL = "_all"
MISSING = "_null"
GRAIN = ["day", "segment", "segment_value", "model_version"]
MEASURES = [
    "predictions",
    "matured",
    "tp",
    "fp",
    "tn",
    "fn",
    "realized_value",
    "expected_value",
    "expected_value_matured",
    "variance_matured",
    "variance_pending",
    "decided_positive",
    "realized_value_sq",
    "realized_if_all_positive",
    "realized_if_all_negative",
    *REGRESSION_MEASURES,  # a regression model's errors and their cost (0 for classifiers)
]


def valued_predictions(
    rows: pl.DataFrame,
    case: BusinessCase,
    calibrator: Calibrator,
) -> pl.DataFrame:
    """Rows with `calibrated_score`, `value_if_positive` / `value_if_negative` given the
    decision made, and the four cell values themselves (currency)."""
    cells = case.value.cells()  # a classifier's four (checked at load)
    approved = pl.col("decision") == 1
    return rows.with_columns(
        calibrator.calibrate(rows["score"], rows["model_version"]).alias("calibrated_score"),
        cells["true_positive"].to_polars().alias("value_tp"),
        cells["false_positive"].to_polars().alias("value_fp"),
        cells["true_negative"].to_polars().alias("value_tn"),
        cells["false_negative"].to_polars().alias("value_fn"),
    ).with_columns(
        pl.when(approved)
        .then(pl.col("value_tp"))
        .otherwise(pl.col("value_fn"))
        .alias("value_if_positive"),
        pl.when(approved)
        .then(pl.col("value_fp"))
        .otherwise(pl.col("value_tn"))
        .alias("value_if_negative"),
    )


def prediction_measures(valued: pl.DataFrame) -> pl.DataFrame:
    """Per prediction: the measures of `MEASURES`, before summing."""
    label, decision = pl.col("label"), pl.col("decision")
    q = pl.col("calibrated_score")
    v1, v0 = pl.col("value_if_positive"), pl.col("value_if_negative")
    matured = label.is_not_null()
    expected = q * v1 + (1 - q) * v0
    realized = label * v1 + (1 - label) * v0
    return valued.with_columns(
        pl.lit(1, pl.Int64).alias("predictions"),
        matured.cast(pl.Int64).alias("matured"),
        ((decision == 1) & (label == 1)).fill_null(False).cast(pl.Int64).alias("tp"),
        ((decision == 1) & (label == 0)).fill_null(False).cast(pl.Int64).alias("fp"),
        ((decision == 0) & (label == 0)).fill_null(False).cast(pl.Int64).alias("tn"),
        ((decision == 0) & (label == 1)).fill_null(False).cast(pl.Int64).alias("fn"),
        pl.when(matured).then(realized).otherwise(0.0).alias("realized_value"),
        expected.alias("expected_value"),
        pl.when(matured).then(expected).otherwise(0.0).alias("expected_value_matured"),
        pl.when(matured)
        .then(q * (1 - q) * (v1 - v0) ** 2)
        .otherwise(0.0)
        .alias("variance_matured"),
        pl.when(matured)
        .then(0.0)
        .otherwise(q * (1 - q) * (v1 - v0) ** 2)
        .alias("variance_pending"),
        (decision == 1).cast(pl.Int64).alias("decided_positive"),
        pl.when(matured).then(realized**2).otherwise(0.0).alias("realized_value_sq"),
        pl.when(matured)
        .then(label * pl.col("value_tp") + (1 - label) * pl.col("value_fp"))
        .otherwise(0.0)
        .alias("realized_if_all_positive"),
        pl.when(matured)
        .then(label * pl.col("value_fn") + (1 - label) * pl.col("value_tn"))
        .otherwise(0.0)
        .alias("realized_if_all_negative"),
        *[
            pl.lit(0, pl.Int64 if name in COUNTS else pl.Float64).alias(name)
            for name in REGRESSION_MEASURES
        ],
    )


def measure(
    rows: pl.DataFrame,
    case: BusinessCase,
    calibrator: Calibrator,
    errors: ErrorModel | None = None,
    classes: ClassCalibration | None = None,
) -> pl.DataFrame:
    """Prediction rows with every measure of `MEASURES` per row (model_version '_all' when
    the case has none). `rows` needs day, score, decision, model_version, label (null while
    pending; a regression model's actual instead) and the case's segment and value columns;
    a regression model's rows are valued with `errors` (see `bottomline.measures.regression`),
    a multiclass model's with `classes` (`bottomline.measures.multiclass`)."""
    if case.is_regression:
        assert errors is not None  # a regression plan fits its error model
        measured = regression_measures(rows, case, errors)
    elif case.is_multiclass:
        assert classes is not None  # a multiclass plan fits its class calibration
        measured = multiclass_measures(rows, case, classes)
    else:
        measured = prediction_measures(valued_predictions(rows, case, calibrator))
    return measured.with_columns(pl.col("model_version").fill_null(ALL))


def measure_reference(reference: pl.DataFrame, case: BusinessCase) -> pl.DataFrame | None:
    """The labelled reference's rows measured as matured predictions (scores at face value;
    realized value per row in currency); None when it lacks a column the value rules read."""
    if reference.height == 0 or not case.value.columns() <= set(reference.columns):
        return None
    rows = reference
    if "model_version" not in rows.columns:
        rows = rows.with_columns(pl.lit(None, pl.String).alias("model_version"))
    if case.is_regression:
        return regression_measures(rows, case, fit_errors(rows))
    if case.is_multiclass:  # scores at face value, as a binary classifier's here
        no_calibration = case.model_copy(update={"calibration": "none"})
        return multiclass_measures(rows, case, fit_class_calibration(rows, no_calibration))
    rows = rows.with_columns(pl.col("label").cast(pl.Int8))
    return prediction_measures(valued_predictions(rows, case, Calibrator(pooled=IDENTITY)))


def summarize(measured: pl.DataFrame, case: BusinessCase) -> pl.DataFrame:
    """`metrics_daily` rows (without `model`) of measured rows. The whole model's rows
    (segment `_all`) are summed from the first segment's, not from the rows again."""
    segments = [_group(measured, column) for column in sliced_by(case)]
    whole = _group(segments[0] if segments else measured, None)
    return pl.concat([whole, *segments]).sort(GRAIN)


STAKE_GRAIN = [*GRAIN, "score_bin"]
STAKES = ["stake_all", "stake_matured"]
STAKES_SCHEMA = {
    "day": pl.Date,
    "segment": pl.String,
    "segment_value": pl.String,
    "model_version": pl.String,
    "score_bin": pl.Int32,
    "stake_all": pl.Float64,
    "stake_matured": pl.Float64,
}


def stake_sums(
    measured: pl.DataFrame, case: BusinessCase, spread: CalibrationSpread | None
) -> pl.DataFrame:
    """`calibration_stakes_daily` rows (without `model`): per day, slice, model version and
    score bin of the calibration's spread, the sum of stakes v1 - v0 (currency) over all
    predictions and over matured ones (see `bottomline.measures.calibration_spread`); a
    regression model's by cell of its error model's spread (`regression.stake_cells`)."""
    if spread is None or measured.is_empty():
        return pl.DataFrame(schema=STAKES_SCHEMA)
    columns = sliced_by(case)
    # One pass over the rows, by every slice column at once; each slice is then summed from
    # those combinations (far fewer than rows), not from the rows again.
    keys = ["day", "model_version", *columns]
    if case.is_regression:
        combinations = stake_cells(measured, keys)
    elif case.is_multiclass:
        combinations = class_stake_cells(measured, case, keys)
    else:
        stake = pl.col("value_if_positive") - pl.col("value_if_negative")
        combinations = (
            measured.with_columns(
                pl.Series(
                    "score_bin", spread.score_bin(measured["score"].cast(pl.Float64).to_numpy())
                ),
                stake.alias("stake_all"),
                pl.when(pl.col("matured") == 1).then(stake).otherwise(0.0).alias("stake_matured"),
            )
            .group_by(*keys, "score_bin")
            .agg(pl.col(STAKES).sum())
        )
    segments = [_group(combinations, column, ["score_bin"], STAKES) for column in columns]
    whole = _group(combinations, None, ["score_bin"], STAKES)
    return pl.concat([whole, *segments]).select(list(STAKES_SCHEMA)).cast(STAKES_SCHEMA)  # type: ignore[arg-type]


def daily_metrics(
    rows: pl.DataFrame,
    case: BusinessCase,
    calibrator: Calibrator,
) -> pl.DataFrame:
    """`metrics_daily` rows (without `model`) for prediction rows joined to their outcomes."""
    return summarize(measure(rows, case, calibrator), case)


def sliced_by(case: BusinessCase) -> list[str]:
    """Columns the aggregates are split by: the case's segments, then its fairness columns."""
    return list(dict.fromkeys([*case.segments, *case.fairness]))


def _group(
    measured: pl.DataFrame,
    segment: str | None,
    keys: list[str] | None = None,
    sums: list[str] = MEASURES,
) -> pl.DataFrame:
    """Sums per day and model version (and `keys`), and per value of `segment` (or over all
    rows)."""
    segment_value = pl.col(segment).cast(pl.String).fill_null(MISSING) if segment else pl.lit(ALL)
    extra = keys or []
    return (
        measured.group_by("day", "model_version", segment_value.alias("segment_value"), *extra)
        .agg(pl.col(sums).sum())
        .with_columns(pl.lit(segment or ALL).alias("segment"))
        .select(GRAIN + extra + sums)
    )
