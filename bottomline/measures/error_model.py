"""What the reference says a regression model's actual is, given its prediction, and how far
that itself may be off.

The reference's predictions are cut into `PREDICTION_BINS` quantile bins (fewer for a
reference of under `ROWS_PER_BIN` rows a bin: with 250 rows a bin, value came out 0.14% too
high a prediction). In each bin the errors e = actual - prediction (the model's unit) are
summarized by `DRAWS` draws: the sorted errors cut into DRAWS slices of equal count, each
slice's mean. Means rather than mid-slice quantiles: they keep the errors' mean exactly and
their tails' weight (mid-slice quantiles put the lowest 2.5% at its 1.25% point, and so
understated what a deep shortfall costs: 0.1% of the demo's value).

The error model is fitted on a finite reference, so its draws are off by a little, and by the
same amount for every prediction in a bin: unlike the outcomes' randomness, that does not
average out over a window (see `bottomline.measures.calibration_spread`, the classifier's
counterpart). Its spread: `REPLICATES` Poisson-bootstrap replicates of the draws (every
reference row weighted by a Poisson(1) count), each one's shift from the fitted draws averaged
over `SHAPE_GROUPS` groups of consecutive draws, so that a replicate moves a bin's errors in
location and in shape. A cell is (bin, group); the spread stores a replicate's shift of each
cell. On windows four times the reference's size, a range with location shifts alone held the
realized value in 88% of windows, with the shape in 93% (the outcomes' randomness alone: 60%).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from bottomline.measures.calibration_spread import POOLED, REPLICATES, SEED, CalibrationSpread

PREDICTION_BINS = 20
ROWS_PER_BIN = 1_000  # at least, where the reference has them: fewer bins for a small one
DRAWS = 40
SHAPE_GROUPS = 10  # groups of DRAWS // SHAPE_GROUPS consecutive draws in the spread
STEP_SHARE = 0.01  # the stake's difference step, as a share of the errors' standard deviation


@dataclass(frozen=True, eq=False)
class ErrorModel:
    """`upper_edges` of the prediction bins (the last bin is open); `errors`, bins x DRAWS
    draws of actual minus prediction (the model's unit); the reference's least and greatest
    actual (draws are kept within them); `step`, of the difference that gives a
    prediction's stake in a cell of the spread (the model's unit)."""

    upper_edges: np.ndarray
    errors: np.ndarray
    lowest_actual: float
    highest_actual: float
    step: float

    def prediction_bin(self, predictions: np.ndarray) -> np.ndarray:
        """The bin (0-based) of each prediction."""
        return _bins(self.upper_edges, predictions)

    def spread(self, reference: pl.DataFrame) -> CalibrationSpread:
        """The replicates of this model's draws on its `reference`: REPLICATES x cells
        (bin * SHAPE_GROUPS + group) of shifts, in the calibration spread's form, stored and
        read like a classifier's (edges at k + 1/2 put cell k in bin k). Fitted only when the
        reference changes (1M rows: about 9 s)."""
        predictions = reference["score"].cast(pl.Float64).to_numpy()
        errors = reference["actual"].cast(pl.Float64).to_numpy() - predictions
        shifts = _shifts(errors, self.prediction_bin(predictions), self.errors)
        edges = np.arange(shifts.shape[1] - 1, dtype=float) + 0.5
        return CalibrationSpread(upper_edges=edges, shifts={POOLED: shifts})


def fit_errors(reference: pl.DataFrame) -> ErrorModel:
    """The error model of a reference with `score` (the prediction) and `actual`."""
    predictions = reference["score"].cast(pl.Float64).to_numpy()
    actuals = reference["actual"].cast(pl.Float64).to_numpy()
    bin_count = max(1, min(PREDICTION_BINS, len(predictions) // ROWS_PER_BIN))
    levels = np.linspace(0, 1, bin_count + 1)[1:-1]
    upper_edges = np.unique(np.quantile(predictions, levels))
    bins = _bins(upper_edges, predictions)
    errors = actuals - predictions
    draws = _draws(errors, bins, len(upper_edges) + 1)
    step = max(float(np.std(errors)) * STEP_SHARE, 1e-9)
    return ErrorModel(upper_edges, draws, float(actuals.min()), float(actuals.max()), step)


def _bins(upper_edges: np.ndarray, predictions: np.ndarray) -> np.ndarray:
    found = np.searchsorted(upper_edges, predictions, side="left")
    bins: np.ndarray = np.minimum(found, len(upper_edges))
    return bins


def _draws(errors: np.ndarray, bins: np.ndarray, count: int) -> np.ndarray:
    """bins x DRAWS slice means; a bin of fewer rows than DRAWS fills its empty slices with
    the quantile at their middle, a bin of none takes the whole reference's draws."""
    overall = _weighted_slice_means(*_sorted(errors, np.zeros(len(errors), int)), 1)[0]
    table = np.tile(overall, (count, 1))
    for bin_index in np.unique(bins):
        errors_of_bin = np.sort(errors[bins == bin_index])
        means = _weighted_slice_means(errors_of_bin, np.zeros(len(errors_of_bin), int), 1)[0]
        middles = np.quantile(errors_of_bin, (np.arange(DRAWS) + 0.5) / DRAWS)
        table[bin_index] = np.where(np.isnan(means), middles, means)
    return table


def _sorted(errors: np.ndarray, bins: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.lexsort((errors, bins))
    return errors[order], bins[order]


def _weighted_slice_means(
    ordered: np.ndarray, bins: np.ndarray, count: int, weights: np.ndarray | None = None
) -> np.ndarray:
    """count x DRAWS: in each bin (rows sorted by bin, then error), the weighted errors cut
    into DRAWS slices of equal weight, each slice's weighted mean (NaN for an empty slice)."""
    weight = np.ones(len(ordered)) if weights is None else weights
    totals = np.bincount(bins, weights=weight, minlength=count)
    before = np.cumsum(weight) - weight
    starts = np.concatenate([[0.0], np.cumsum(totals)[:-1]])
    within = (before - starts[bins]) / np.maximum(totals[bins], 1e-12)
    cell = bins * DRAWS + np.minimum((within * DRAWS).astype(int), DRAWS - 1)
    sums = np.bincount(cell, weights=weight * ordered, minlength=count * DRAWS)
    counts = np.bincount(cell, weights=weight, minlength=count * DRAWS)
    with np.errstate(invalid="ignore", divide="ignore"):
        means: np.ndarray = (sums / counts).reshape(count, DRAWS)
    return means


def _shifts(errors: np.ndarray, bins: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """REPLICATES x cells: each replicate's draws minus the fitted ones, averaged over each
    group of draws (0 where a replicate leaves a slice empty)."""
    count = draws.shape[0]
    ordered, ordered_bins = _sorted(errors, bins)
    generator = np.random.default_rng(SEED)
    shifts = np.zeros((REPLICATES, count * SHAPE_GROUPS))
    for replicate in range(REPLICATES):
        weights = generator.poisson(1.0, len(ordered)).astype(float)
        means = _weighted_slice_means(ordered, ordered_bins, count, weights)
        moved = np.where(np.isnan(means), 0.0, means - draws)
        shifts[replicate] = moved.reshape(count, SHAPE_GROUPS, -1).mean(axis=2).reshape(-1)
    return shifts
