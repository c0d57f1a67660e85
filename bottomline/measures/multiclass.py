"""A multiclass model's value: realized from the true class, expected from calibrated class
probabilities.

The case gives the value of each (true class i, decided class j) as matrix[i][j] (currency, a
number or a rule over the row's columns; NannyML's convention: rows true, columns decided).
Realized value is matrix[label][decision]. Expected value is sum_i q_i * matrix[i][decision],
where q are the calibrated class probabilities; its variance sum_i q_i v_i^2 - E^2 is the
outcome's randomness.

Calibration (`calibration: isotonic`): for each decided class d and each class k, an isotonic
map from class k's score to the probability that k is the true class, fitted on the reference
rows the model decided d (one class against the rest, among the rows of one decision). A
decision with fewer than MIN_DECIDED_ROWS reference rows takes each class's map fitted on all
rows. The maps are used as they come, not divided by their sum: the value of a row decided d
is sum_k q_k * matrix[k][d], and a map fitted on the rows of decision d gives the rate of
class k among them at each score, so that sum is what those rows earned on the reference.
(Maps fitted on all rows and renormalised, NannyML's way, leave a bias wherever the scores
are off for all classes at once, as an over-confident model's are: on data drawn from such a
model, `benchmarks/kind_coverage.py`, their range flagged 15% to 38% of windows where nothing
had changed.) The outcome's variance is taken from the calibrated probabilities divided by
their sum. `calibration: none` takes the scores at face value. One set of maps serves every
model version.

The range also carries the calibration's own error, as a binary classifier's does
(`bottomline.measures.calibration_spread`): each map is refitted on the same Poisson
bootstrap replicates, and its shift averaged by score bin. Raising class k's probability by a
small d moves a row's expected value by about d * (v_k - E) (the classes' probabilities of a
decision's rows add up to 1 on the reference, and so do their shifts): that is the row's stake
in the cell (decided class, class k, bin of its score for k). A cell is
(decided * classes + k) * SCORE_BINS + bin.
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

MIN_DECIDED_ROWS = 300  # reference rows of one decision needed for maps of its own
LEVELS = np.linspace(0, 1, SCORE_BINS + 1)[1:-1]  # the spread's score bins, as quantiles


@dataclass(frozen=True, eq=False)
class ClassCalibration:
    """A map per (decided class, class), `maps[decided * classes + k]`, from class k's score
    to its probability among rows of that decision, and the upper edges of each map's score
    bins in the spread (the last bin is open)."""

    maps: list[Calibration]
    edges: list[np.ndarray]
    classes: int

    def apply(self, scores: np.ndarray, decisions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """rows x classes, twice: each class's calibrated probability by the maps of the
        row's decision (not renormalised; see the module's docstring), and the spread's cell
        of the row's score for that class. Each decision's rows are gathered once."""
        calibrated, cells = np.zeros(scores.shape), np.zeros(scores.shape, dtype=np.int32)
        for decided in range(self.classes):
            rows = np.flatnonzero(decisions == decided)
            mine = scores[rows]
            probabilities = np.empty(mine.shape)
            found = np.empty(mine.shape, dtype=np.int32)
            for k in range(self.classes):
                place = decided * self.classes + k
                edges = self.edges[place]
                probabilities[:, k] = self.maps[place].apply(mine[:, k])
                bins = np.minimum(np.searchsorted(edges, mine[:, k], side="left"), len(edges))
                found[:, k] = place * SCORE_BINS + bins
            calibrated[rows], cells[rows] = probabilities, found
        return calibrated, cells


def fit_class_calibration(reference: pl.DataFrame, case: BusinessCase) -> ClassCalibration:
    """The maps of a reference with the case's score columns, `decision` and `label` (the
    decided and the true class's places)."""
    classes = len(case.class_names)
    scores, decisions = _scores(reference, case), reference["decision"].to_numpy()
    groups = [_decision_rows(decisions, d) for d in range(classes)]
    edges = [
        np.unique(np.quantile(scores[rows, k], LEVELS)) for rows in groups for k in range(classes)
    ]  # as `fit_spread` cuts each map's scores
    if case.calibration == "none":
        return ClassCalibration([IDENTITY] * classes**2, edges, classes)
    labels = reference["label"].to_numpy()
    for k, (name, column) in enumerate(zip(case.class_names, case.score_columns, strict=True)):
        if not 0 < (labels == k).sum() < len(labels):
            raise CalibrationError(
                f"the reference needs rows of class {name!r} and of other classes to calibrate "
                f"its scores ({column})"
            )
    maps = [
        fit_isotonic(scores[rows, k], (labels[rows] == k).astype(float))
        for rows in groups
        for k in range(classes)
    ]
    return ClassCalibration(maps, edges, classes)


def _scores(rows: pl.DataFrame, case: BusinessCase) -> np.ndarray:
    return np.column_stack(
        [rows[column].cast(pl.Float64).fill_null(0.0).to_numpy() for column in case.score_columns]
    )


def _decision_rows(decisions: np.ndarray, decided: int) -> np.ndarray:
    """The reference rows whose maps serve decision `decided`: its own, or all rows when it
    has too few."""
    rows = np.flatnonzero(decisions == decided)
    return rows if len(rows) >= MIN_DECIDED_ROWS else np.arange(len(decisions))


def fit_class_spread(
    reference: pl.DataFrame, case: BusinessCase, calibration: ClassCalibration
) -> CalibrationSpread | None:
    """Bootstrap shifts of every map (the same replicates within a decision), by cell."""
    if case.calibration == "none":
        return None
    classes = calibration.classes
    scores, decisions = _scores(reference, case), reference["decision"].to_numpy()
    labels = reference["label"].to_numpy()
    parts = []
    for decided in range(classes):
        rows = _decision_rows(decisions, decided)
        for k in range(classes):
            one_map = pl.DataFrame({"score": scores[rows, k], "label": labels[rows] == k})
            fitted = Calibrator(calibration.maps[decided * classes + k])
            spread = fit_spread(one_map.cast({"label": pl.Int8}), case.calibration, None, fitted)
            assert spread is not None  # calibration is not 'none'
            parts.append(_padded(spread.shifts[POOLED], len(spread.upper_edges) + 1))
    combined = np.hstack(parts)
    cells = np.arange(combined.shape[1] - 1, dtype=float) + 0.5  # cell k is bin k
    return CalibrationSpread(upper_edges=cells, shifts={POOLED: combined})


def _padded(shifts: np.ndarray, bins: int) -> np.ndarray:
    """A map's shifts over SCORE_BINS cells (a map with fewer distinct score bins leaves the
    rest at 0)."""
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
    scores = _scores(rows, case)
    decisions = rows["decision"].to_numpy()
    probabilities, cells = calibration.apply(scores, decisions)
    totals = probabilities.sum(axis=1, keepdims=True)
    outcome = np.where(totals > 0, probabilities / np.maximum(totals, 1e-300), scores)
    label = pl.col("label")
    right = pl.lit(None, pl.Float64)
    for true in reversed(classes):
        right = pl.when(label == true).then(_value_of(case, true, true)).otherwise(right)
    # Each class's value given the decision, once: eager expressions share no work, and a
    # value rule read four times cost three times as much.
    frame = rows.with_columns(
        *[_value_if_true(case, k).alias(f"_value_{k}") for k in classes],
        *[pl.Series(f"_q_{k}", probabilities[:, k]) for k in classes],
        *[pl.Series(f"_p_{k}", outcome[:, k]) for k in classes],
        right.fill_null(0.0).alias("value_if_right"),
    )
    values = [pl.col(f"_value_{k}") for k in classes]
    q = [pl.col(f"_q_{k}") for k in classes]
    p = [pl.col(f"_p_{k}") for k in classes]  # summing to 1: the outcome's randomness
    expected = pl.sum_horizontal([q[k] * values[k] for k in classes])
    mean = pl.sum_horizontal([p[k] * values[k] for k in classes])
    second = pl.sum_horizontal([p[k] * values[k] ** 2 for k in classes])
    realized = pl.lit(None, pl.Float64)
    for true in reversed(classes):
        realized = pl.when(label == true).then(values[true]).otherwise(realized)
    matured = label.is_not_null()
    frame = frame.with_columns(
        expected.alias("expected_value"),
        (second - mean**2).clip(lower_bound=0.0).alias("_variance"),
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
        *[pl.Series(f"class_cell_{k}", cells[:, k]) for k in classes],
    ).drop(
        "_variance",
        "_realized",
        *[f"_{part}_{k}" for part in ("value", "q", "p") for k in classes],
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
