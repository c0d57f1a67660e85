"""A multiclass model's value: realized from the true class, expected from calibrated class
probabilities.

The case gives the value of each (true class i, decided class j) as matrix[i][j] (currency, a
number or a rule over the row's columns; NannyML's convention: rows true, columns decided).
Realized value is matrix[label][decision]. Expected value is sum_i q_i * matrix[i][decision],
where q are the calibrated class probabilities; its variance sum_i q_i v_i^2 - E^2 is the
outcome's randomness.

Calibration (`calibration: isotonic`): per class, an isotonic map from the class's score to the
probability that it is the true class (one class against the rest), fitted on the reference;
a row's mapped probabilities are then divided by their sum, so they add up to 1 again (a row
whose maps all give 0 keeps its scores). `calibration: none` takes the scores at face value.
One set of maps serves every model version.

The range also carries the calibration's own error, as a binary classifier's does
(`bottomline.measures.calibration_spread`): each class's map is refitted on the same Poisson
bootstrap replicates, and its shift averaged by score bin. Raising class i's probability by a
small d (the others shrinking in proportion) moves a row's expected value by d * (v_i - E): that
is the row's stake in the cell (class i, bin of its score for i). A cell is
class * SCORE_BINS + bin.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from bottomline.case.config import BusinessCase
from bottomline.measures.calibration import (
    IDENTITY,
    Calibration,
    CalibrationError,
    Calibrator,
    fit_isotonic,
)
from bottomline.measures.calibration_spread import POOLED, SCORE_BINS, CalibrationSpread, fit_spread
from bottomline.measures.regression import CLASSIFIER_ONLY, COUNTS, REGRESSION_MEASURES


@dataclass(frozen=True, eq=False)
class ClassCalibration:
    """One map per class (in the case's order), from its score to its probability, and the
    upper edges of each class's score bins in the spread (the last bin is open)."""

    maps: list[Calibration]
    edges: list[np.ndarray]

    def cell(self, place: int, scores: np.ndarray) -> np.ndarray:
        """The spread's cell of each row's score for the class at `place`."""
        edges = self.edges[place]
        found = np.minimum(np.searchsorted(edges, scores, side="left"), len(edges))
        cells: np.ndarray = (place * SCORE_BINS + found).astype(np.int32)
        return cells

    def probabilities(self, scores: np.ndarray) -> np.ndarray:
        """rows x classes: calibrated probabilities summing to 1 for rows x classes scores."""
        mapped = np.column_stack([m.apply(scores[:, k]) for k, m in enumerate(self.maps)])
        totals = mapped.sum(axis=1, keepdims=True)
        calibrated: np.ndarray = np.where(totals > 0, mapped / np.maximum(totals, 1e-300), scores)
        return calibrated


def fit_class_calibration(reference: pl.DataFrame, case: BusinessCase) -> ClassCalibration:
    """The per-class maps of a reference with the case's score columns and `label` (the true
    class's place)."""
    levels = np.linspace(0, 1, SCORE_BINS + 1)[1:-1]
    edges = [
        np.unique(np.quantile(reference[column].cast(pl.Float64).to_numpy(), levels))
        for column in case.score_columns
    ]  # as `fit_spread` cuts each class's scores
    if case.calibration == "none":
        return ClassCalibration([IDENTITY for _ in case.class_names], edges)
    labels = reference["label"].to_numpy()
    maps = []
    for place, (name, column) in enumerate(zip(case.class_names, case.score_columns, strict=True)):
        is_class = (labels == place).astype(float)
        if not 0 < is_class.sum() < len(is_class):
            raise CalibrationError(
                f"the reference needs rows of class {name!r} and of other classes to calibrate "
                f"its scores ({column})"
            )
        maps.append(fit_isotonic(reference[column].cast(pl.Float64).to_numpy(), is_class))
    return ClassCalibration(maps, edges)


def fit_class_spread(
    reference: pl.DataFrame, case: BusinessCase, calibration: ClassCalibration
) -> CalibrationSpread | None:
    """Bootstrap shifts of every class's map (the same replicates for all), by cell."""
    if case.calibration == "none":
        return None
    labels = reference["label"].to_numpy()
    parts = []
    for place, column in enumerate(case.score_columns):
        one_class = pl.DataFrame(
            {"score": reference[column].cast(pl.Float64), "label": (labels == place).astype(int)}
        )
        spread = fit_spread(one_class, case.calibration, None, Calibrator(calibration.maps[place]))
        assert spread is not None  # calibration is not 'none'
        parts.append(_padded(spread.shifts[POOLED], len(spread.upper_edges) + 1))
    combined = np.hstack(parts)
    cells = np.arange(combined.shape[1] - 1, dtype=float) + 0.5  # cell k is bin k
    return CalibrationSpread(upper_edges=cells, shifts={POOLED: combined})


def _padded(shifts: np.ndarray, bins: int) -> np.ndarray:
    """A class's shifts over SCORE_BINS cells (a class with fewer distinct score bins leaves
    the rest at 0)."""
    padded = np.zeros((shifts.shape[0], SCORE_BINS))
    padded[:, :bins] = shifts
    return padded


def multiclass_measures(
    rows: pl.DataFrame, case: BusinessCase, calibration: ClassCalibration
) -> pl.DataFrame:
    """Per prediction: every measure of `metrics.MEASURES` (`tp` counting matured predictions
    whose decided class was right, `fp` those whose was wrong; a binary classifier's other
    measures and a regression model's as 0), `class_stake_<k>` and `class_cell_<k>` for the spread.
    `rows` has the score columns, decision and label (class places; label null while
    pending) and the value rules' columns."""
    classes = range(len(case.class_names))
    scores = np.column_stack(
        [rows[column].cast(pl.Float64).fill_null(0.0).to_numpy() for column in case.score_columns]
    )
    probabilities = calibration.probabilities(scores)
    label = pl.col("label")
    right = pl.lit(None, pl.Float64)
    for true in reversed(classes):
        right = pl.when(label == true).then(_value_of(case, true, true)).otherwise(right)
    # Each class's value given the decision, once: eager expressions share no work, and a
    # value rule read four times cost three times as much.
    frame = rows.with_columns(
        *[_value_if_true(case, k).alias(f"_value_{k}") for k in classes],
        *[pl.Series(f"_q_{k}", probabilities[:, k]) for k in classes],
        right.fill_null(0.0).alias("value_if_right"),
    )
    values = [pl.col(f"_value_{k}") for k in classes]
    q = [pl.col(f"_q_{k}") for k in classes]
    expected = pl.sum_horizontal([q[k] * values[k] for k in classes])
    second = pl.sum_horizontal([q[k] * values[k] ** 2 for k in classes])
    realized = pl.lit(None, pl.Float64)
    for true in reversed(classes):
        realized = pl.when(label == true).then(values[true]).otherwise(realized)
    matured = label.is_not_null()
    frame = frame.with_columns(
        expected.alias("expected_value"),
        (second - expected**2).clip(lower_bound=0.0).alias("_variance"),
        realized.alias("_realized"),
    )
    zeros = [name for name in (*CLASSIFIER_ONLY, *REGRESSION_MEASURES) if name not in RIGHT_WRONG]
    decided_right = label == pl.col("decision")
    return frame.with_columns(
        pl.lit(1, pl.Int64).alias("predictions"),
        matured.cast(pl.Int64).alias("matured"),
        (matured & decided_right).fill_null(False).cast(pl.Int64).alias("tp"),
        (matured & ~decided_right).fill_null(False).cast(pl.Int64).alias("fp"),
        pl.when(matured).then(pl.col("_realized")).otherwise(0.0).alias("realized_value"),
        pl.when(matured)
        .then(pl.col("expected_value"))
        .otherwise(0.0)
        .alias("expected_value_matured"),
        pl.when(matured).then(pl.col("_variance")).otherwise(0.0).alias("variance_matured"),
        pl.when(matured).then(0.0).otherwise(pl.col("_variance")).alias("variance_pending"),
        pl.when(matured).then(pl.col("_realized") ** 2).otherwise(0.0).alias("realized_value_sq"),
        *[pl.lit(0, pl.Int64 if name in COUNTS else pl.Float64).alias(name) for name in zeros],
        *[
            (pl.col(f"_value_{k}") - pl.col("expected_value")).alias(f"class_stake_{k}")
            for k in classes
        ],
        *[pl.Series(f"class_cell_{k}", calibration.cell(k, scores[:, k])) for k in classes],
    ).drop(
        "_variance", "_realized", *[f"_value_{k}" for k in classes], *[f"_q_{k}" for k in classes]
    )


def _value_if_true(case: BusinessCase, true: int) -> pl.Expr:
    """matrix[true][decision] of each row (currency)."""
    value = pl.lit(None, pl.Float64)
    for decided in reversed(range(len(case.class_names))):
        rule = _value_of(case, true, decided)
        value = pl.when(pl.col("decision") == decided).then(rule).otherwise(value)
    return value


def _value_of(case: BusinessCase, true: int, decided: int) -> pl.Expr:
    """matrix[true][decided] as an expression over the row's columns (currency)."""
    matrix = case.value.matrix
    assert matrix is not None  # a multiclass case has its matrix (checked at load)
    return matrix[case.class_names[true]][case.class_names[decided]].to_polars()


def class_stake_cells(measured: pl.DataFrame, case: BusinessCase, keys: list[str]) -> pl.DataFrame:
    """Stake sums (currency per unit of probability) by `keys` and cell of the spread
    (`score_bin`), over all and matured rows."""
    matured = pl.col("matured") == 1
    parts = []
    for k in range(len(case.class_names)):
        stake = pl.col(f"class_stake_{k}")
        parts.append(
            measured.group_by(*keys, pl.col(f"class_cell_{k}").alias("score_bin")).agg(
                stake.sum().alias("stake_all"), stake.filter(matured).sum().alias("stake_matured")
            )
        )
    return pl.concat(parts)


RIGHT_WRONG = ("tp", "fp")  # a multiclass model's right and wrong decisions, in metrics_daily
CONFUSION_GRAIN = ["day", "model_version", "true_class", "decided_class"]
CONFUSION_SCHEMA = {
    "day": pl.Date,
    "model_version": pl.String,
    "true_class": pl.String,
    "decided_class": pl.String,
    "predictions": pl.Int64,
    "realized_value": pl.Float64,
    "value_if_right": pl.Float64,
}


SUMMED_BY_PAIR = ["day", "model_version", "label", "decision", "matured", "realized_value"]
SUMMED_BY_PAIR += ["value_if_right"]


def confusion_sums(measured: pl.DataFrame, case: BusinessCase) -> pl.DataFrame:
    """`confusion_daily` rows (without `model`): per day, model version and (true class,
    decided class), the matured predictions, their realized value and what deciding their
    true class would have realized (currency)."""
    names = dict(enumerate(case.class_names))
    return (
        measured.select(*SUMMED_BY_PAIR)
        .filter(pl.col("matured") == 1)  # of these columns only: filtering every one cost 0.1 s
        .group_by("day", "model_version", "label", "decision")
        .agg(
            pl.len().cast(pl.Int64).alias("predictions"),
            pl.col("realized_value", "value_if_right").sum(),
        )
        .with_columns(
            pl.col("label").replace_strict(names, return_dtype=pl.String).alias("true_class"),
            pl.col("decision").replace_strict(names, return_dtype=pl.String).alias("decided_class"),
        )
        .select(*CONFUSION_GRAIN, "predictions", "realized_value", "value_if_right")
        .cast(CONFUSION_SCHEMA)  # type: ignore[arg-type]
    )
