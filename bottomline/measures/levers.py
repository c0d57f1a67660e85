"""Daily sums from which any window's decision curve and arrival curve are read.

`decision_curve_daily` (binary classifiers): per day, model version, score cent (floor of
score * 100, 0 to 99), decision made, the baseline rule's decision and score bin of the
calibration's spread, what each decision would be worth, in currency, as the report values a
window: realized where the outcome is known, estimated where it is pending.
- Over predictions whose outcome is known (`matured`), what each decision would have realized:
  y*TP + (1-y)*FP decided positive, y*FN + (1-y)*TN negative (the label prices either
  decision, whichever was made; TP..TN the case's cell values).
- Over the pending ones, what each would be worth by the calibrated probability q:
  q*TP + (1-q)*FP and q*FN + (1-q)*TN; the variance a switch of decision gets from the
  outcome, q*(1-q)*(TP - FP - FN + TN)^2 (currency squared); and the switch's stake
  TP - FP - FN + TN (what an error in q moves it by, which the calibration's spread prices).
So the value of any threshold k/100 over any window is a sum of stored rows: positive for the
cents >= k, negative below (`bottomline.impact.levers`).

`outcome_arrivals_daily` (every kind): per day of prediction and lag in whole days from that
day to the day its outcome became known (in the case's zone), the outcomes that arrived.
"""

from __future__ import annotations

import polars as pl

from bottomline.case.config import BusinessCase
from bottomline.measures.calibration import Calibrator
from bottomline.measures.calibration_spread import CalibrationSpread

CURVE_GRAIN = ["day", "model_version", "score_cent", "decided", "baseline_decided", "spread_bin"]
CURVE_SUMS = [
    "predictions",
    "pending_value_deciding_positive",
    "pending_value_deciding_negative",
    "pending_switch_variance",
    "pending_switch_stake",
    "matured",
    "realized_deciding_positive",
    "realized_deciding_negative",
]
CURVE_SCHEMA: dict[str, pl.DataType] = {
    "day": pl.Date(),
    "model_version": pl.String(),
    "score_cent": pl.Int16(),
    "decided": pl.Int8(),
    "baseline_decided": pl.Int8(),
    "spread_bin": pl.Int16(),
    "predictions": pl.Int64(),
    "pending_value_deciding_positive": pl.Float64(),
    "pending_value_deciding_negative": pl.Float64(),
    "pending_switch_variance": pl.Float64(),
    "pending_switch_stake": pl.Float64(),
    "matured": pl.Int64(),
    "realized_deciding_positive": pl.Float64(),
    "realized_deciding_negative": pl.Float64(),
}
ARRIVAL_GRAIN = ["day", "lag_days"]
ARRIVALS_SCHEMA: dict[str, pl.DataType] = {
    "day": pl.Date(),
    "lag_days": pl.Int32(),
    "outcomes": pl.Int64(),
}
CENTS = 100  # thresholds 0.00, 0.01, ..., 1.00


def curve_sums(
    measured: pl.DataFrame,
    case: BusinessCase,
    spread: CalibrationSpread | None,
    switch: Calibrator | None = None,
) -> pl.DataFrame:
    """`decision_curve_daily` rows (without `model`) of a binary classifier's measured rows
    (`bottomline.measures.metrics.valued_predictions`); none for other kinds. `switch`: the
    calibration fitted with each reference row weighted by what switching its decision is
    worth (the main one weighs what the decision made is worth, so a declined application,
    worth nothing either way, teaches it nothing about the scores below the threshold);
    default: the rows' own calibrated scores."""
    if case.is_regression or case.is_multiclass or measured.is_empty():
        return pl.DataFrame(schema=CURVE_SCHEMA)
    if switch is not None:
        measured = measured.with_columns(
            switch.calibrate(measured["score"], measured["model_version"])
        )
    q = pl.col("calibrated_score")
    tp, fp, tn, fn = (pl.col(f"value_{cell}") for cell in ("tp", "fp", "tn", "fn"))
    stake = tp - fp - fn + tn
    label = pl.col("label").cast(pl.Float64)

    def pending(measure: pl.Expr) -> pl.Expr:
        return pl.when(pl.col("matured") == 1).then(0.0).otherwise(measure)

    scores = measured["score"].cast(pl.Float64)
    bins = (
        pl.Series("spread_bin", spread.score_bin(scores.to_numpy()), pl.Int16)
        if spread is not None
        else pl.lit(0, pl.Int16).alias("spread_bin")
    )
    baseline = (
        case.baseline.rule.to_polars() if case.baseline is not None else pl.lit(None, pl.Int8)
    )
    return (
        measured.with_columns(
            (scores * CENTS).floor().clip(0, CENTS - 1).cast(pl.Int16).alias("score_cent"),
            pl.col("decision").cast(pl.Int8).alias("decided"),
            baseline.alias("baseline_decided"),
            bins,
            pending(q * tp + (1 - q) * fp).alias("pending_value_deciding_positive"),
            pending(q * fn + (1 - q) * tn).alias("pending_value_deciding_negative"),
            pending(q * (1 - q) * stake**2).alias("pending_switch_variance"),
            pending(stake).alias("pending_switch_stake"),
            pl.col("matured").cast(pl.Int64),
            (label * tp + (1 - label) * fp).fill_null(0.0).alias("realized_deciding_positive"),
            (label * fn + (1 - label) * tn).fill_null(0.0).alias("realized_deciding_negative"),
        )
        .group_by(CURVE_GRAIN)
        .agg(pl.len().cast(pl.Int64).alias("predictions"), pl.col(CURVE_SUMS[1:]).sum())
        .select(list(CURVE_SCHEMA))
        .cast(CURVE_SCHEMA)  # type: ignore[arg-type]
    )


def arrival_sums(measured: pl.DataFrame, case: BusinessCase) -> pl.DataFrame:
    """`outcome_arrivals_daily` rows (without `model`): matured rows by day and lag (whole
    days from the prediction's day to the outcome's arrival in the case's zone; an arrival
    dated before its prediction's day counts as lag 0). Rows without an arrival time (read
    before it was stored) are left out."""
    if measured.is_empty() or "outcome_arrived_at" not in measured.columns:
        return pl.DataFrame(schema=ARRIVALS_SCHEMA)
    arrived = (
        pl.col("outcome_arrived_at")
        .dt.replace_time_zone("UTC")
        .dt.convert_time_zone(case.timezone)
        .dt.date()
    )
    return (
        measured.filter(pl.col("matured") == 1, pl.col("outcome_arrived_at").is_not_null())
        .select(
            "day",
            (arrived - pl.col("day")).dt.total_days().clip(lower_bound=0).alias("lag_days"),
        )
        .group_by(ARRIVAL_GRAIN)
        .agg(pl.len().alias("outcomes"))
        .cast(ARRIVALS_SCHEMA)  # type: ignore[arg-type]
    )
