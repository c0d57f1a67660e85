"""How far off the calibration itself may be: bootstrap replicates of its fit, at score bins.

The calibration is fitted on a finite reference, so the probabilities it gives are off by a
little at every score, and by the same amount for every prediction with that score. Unlike the
randomness of outcomes, that error does not average out over a window: it grows with volume,
so a range that leaves it out flags large models for nothing (issue 16).

Method (a Poisson bootstrap of the fit): `REPLICATES` times, every reference row is weighted
by an independent Poisson(1) count (times its stake, as the main fit weighs it) and the
calibration refitted exactly as the main one (the pooled map, and each model version's own,
from the same weights). A replicate's shift from the main fit, q_b(s) - q(s) (probability), is
averaged over the reference scores in each of `SCORE_BINS` quantile bins of the reference's
scores. Every night, each prediction adds its stake v1 - v0 (currency: the value if the
outcome is positive minus if negative, given its decision) to the sum of its day, slice,
model version and score bin, once over all predictions and once over matured ones
(`calibration_stakes_daily`). A window's calibration variance (currency squared) is then the
variance over replicates of sum_k shift_bk * W_k (W: the window's stake sums), from stored sums
alone, for any window and slice; it is added to the outcomes' variance in the 95% range.

The replicates depend only on the reference, the value rules and the calibration method: they
are fitted again only when one of these changes (`fingerprint`), with a fixed seed, so the same
data gives the same ranges.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import polars as pl

from bottomline.measures.calibration import Calibrator

REPLICATES = 100
SCORE_BINS = 50
# A replicate refits on at most this many points: the reference's distinct scores pooled in
# runs of neighbours (a run's mean score, its rows' labels). Its shifts are averaged over
# SCORE_BINS bins anyway; on a 1M-row reference of 1M distinct scores the 100 refits took 23 s.
REFIT_POINTS = 4096
SEED = 20261202
POOLED = "_pooled"  # the shifts of the pooled map, used by versions without a map of their own
SWITCH = "switch:"  # names of the switch calibration's maps (see `with_switch`)


@dataclass(frozen=True, eq=False)
class CalibrationSpread:
    """Replicate shifts of the calibration (probability), by calibration map and score bin.

    `upper_edges`: the score bins' upper edges (the last bin is open); `shifts[name]`: an array
    of REPLICATES x SCORE_BINS for each map (a model version's, or POOLED)."""

    upper_edges: np.ndarray
    shifts: dict[str, np.ndarray]

    def with_switch(self, switch: CalibrationSpread) -> CalibrationSpread:
        """This spread carrying `switch`'s maps too (same score bins), named SWITCH + name:
        the replicates of the calibration a decision curve values switched decisions with
        (weighted by what switching is worth, not by what the decision made is worth)."""
        named = {SWITCH + name: shifts for name, shifts in switch.shifts.items()}
        return CalibrationSpread(self.upper_edges, {**self.shifts, **named})

    def switch_part(self) -> CalibrationSpread | None:
        """The switch calibration's spread carried by this one; None when it has none."""
        named = {
            name.removeprefix(SWITCH): shifts
            for name, shifts in self.shifts.items()
            if name.startswith(SWITCH)
        }
        return CalibrationSpread(self.upper_edges, named) if POOLED in named else None

    def score_bin(self, scores: np.ndarray) -> np.ndarray:
        """The score bin (0-based) of each score."""
        found = np.searchsorted(self.upper_edges, scores, side="left")
        bins: np.ndarray = np.minimum(found, len(self.upper_edges)).astype(np.int32)
        return bins

    def shifts_for(self, version: str) -> np.ndarray:
        """The shifts of the map a version's predictions were calibrated with."""
        shifts: np.ndarray = self.shifts.get(version, self.shifts[POOLED])
        return shifts

    def variance(self, stakes: pl.DataFrame, column: str) -> float:
        """Calibration variance (currency squared) of a window: `stakes` has model_version,
        score_bin and `column` (stake sums, currency), summed over the window's days."""
        if stakes.is_empty():
            return 0.0
        summed = stakes.group_by("model_version", "score_bin").agg(pl.col(column).sum())
        stake_sums = summed[column].to_numpy()[:, None]
        variances = self.variances(
            summed["model_version"], summed["score_bin"].to_numpy(), stake_sums
        )
        return float(variances[0])

    def variances(self, versions: pl.Series, bins: np.ndarray, stakes: np.ndarray) -> np.ndarray:
        """Calibration variance (currency squared) of each column of `stakes` (rows x columns
        of stake sums, currency; row i in the map of `versions[i]` and score bin `bins[i]`):
        over the replicates, the variance of the shifts times the stakes summed by bin."""
        totals = np.zeros((REPLICATES, stakes.shape[1]))
        for version in versions.unique(maintain_order=True):
            rows = (versions == version).to_numpy()
            weights = np.zeros((len(self.upper_edges) + 1, stakes.shape[1]))
            np.add.at(weights, bins[rows], stakes[rows])
            totals += self.shifts_for(str(version)) @ weights
        variances: np.ndarray = np.var(totals, axis=0, ddof=1)
        return variances


def fit_spread(
    reference: pl.DataFrame,
    method: str,
    stakes: np.ndarray | None,
    calibrator: Calibrator,
) -> CalibrationSpread | None:
    """The replicates of `fit_calibrator(reference, method, stakes)`, whose result is
    `calibrator`; None when scores are taken at face value (`calibration: none`)."""
    if method == "none":
        return None
    scores = reference["score"].cast(pl.Float64).to_numpy()
    labels = reference["label"].cast(pl.Float64).to_numpy()
    levels = np.linspace(0, 1, SCORE_BINS + 1)[1:-1]
    upper_edges = np.unique(np.quantile(scores, levels))
    base = stakes if stakes is not None and np.any(stakes > 0) else np.ones(reference.height)
    versions = _versions(reference)
    maps = {POOLED: np.ones(reference.height, dtype=bool)}
    maps |= {name: versions == name for name in calibrator.by_version}
    fits = {
        name: _MapRefit.of(scores[rows], labels[rows], base[rows], upper_edges)
        for name, rows in maps.items()
    }
    mains = {name: _applied(calibrator, name, fit.unique_scores) for name, fit in fits.items()}
    shifts = {name: np.zeros((REPLICATES, len(upper_edges) + 1)) for name in maps}
    generator = np.random.default_rng(SEED)
    for replicate in range(REPLICATES):
        counts = generator.poisson(1.0, reference.height)  # the same resample for every map
        for name, rows in maps.items():
            refitted = fits[name].rates(counts[rows])
            shifts[name][replicate] = fits[name].bin_means(refitted - mains[name])
    return CalibrationSpread(upper_edges=upper_edges, shifts=shifts)


@dataclass(frozen=True, eq=False)
class _MapRefit:
    """One calibration map's reference rows, pooled by distinct score once (and runs of
    neighbouring scores, past REFIT_POINTS), so that each replicate's refit is the isotonic
    fit of `fit_isotonic` (equal scores pooled, rows weighted by stake, points of no weight
    interpolated) without sorting the scores again."""

    unique_scores: np.ndarray
    inverse: np.ndarray  # each row's distinct score
    weights: np.ndarray  # each row's stake
    labels: np.ndarray
    score_bins: np.ndarray  # each distinct score's bin
    rows_per_score: np.ndarray
    bins: int

    @classmethod
    def of(
        cls, scores: np.ndarray, labels: np.ndarray, weights: np.ndarray, edges: np.ndarray
    ) -> _MapRefit:
        unique_scores, inverse = np.unique(scores, return_inverse=True)
        rows = np.bincount(inverse, minlength=len(unique_scores)).astype(float)
        if len(unique_scores) > REFIT_POINTS:  # pooled into runs of neighbouring scores
            run = np.arange(len(unique_scores)) * REFIT_POINTS // len(unique_scores)
            pooled_rows = np.bincount(run, weights=rows)
            unique_scores = np.bincount(run, weights=unique_scores * rows) / pooled_rows
            inverse, rows = run[inverse], pooled_rows
        bins = np.minimum(np.searchsorted(edges, unique_scores, side="left"), len(edges))
        return cls(unique_scores, inverse, weights, labels, bins, rows, len(edges) + 1)

    def rates(self, counts: np.ndarray) -> np.ndarray:
        """The refitted probability at each distinct score, rows weighted `counts` times."""
        from scipy.optimize import isotonic_regression

        weight = self.weights * counts
        totals = np.bincount(self.inverse, weights=weight, minlength=len(self.unique_scores))
        positive = np.bincount(self.inverse, weights=weight * self.labels, minlength=len(totals))
        kept = totals > 0
        if kept.sum() < 2:
            return np.full(len(totals), positive.sum() / max(totals.sum(), 1e-12))
        fitted = isotonic_regression(positive[kept] / totals[kept], weights=totals[kept]).x
        rates: np.ndarray = np.interp(
            self.unique_scores, self.unique_scores[kept], np.clip(fitted, 0.0, 1.0)
        )
        return rates

    def bin_means(self, shift: np.ndarray) -> np.ndarray:
        """The mean over the map's reference rows in each score bin of a shift per score."""
        sums = np.bincount(
            self.score_bins, weights=shift * self.rows_per_score, minlength=self.bins
        )
        rows = np.bincount(self.score_bins, weights=self.rows_per_score, minlength=self.bins)
        means: np.ndarray = np.where(rows > 0, sums / np.maximum(rows, 1), 0.0)
        return means


def _versions(reference: pl.DataFrame) -> np.ndarray:
    if "model_version" not in reference.columns:
        return np.full(reference.height, None, dtype=object)
    return reference["model_version"].cast(pl.String).to_numpy()


def _applied(calibrator: Calibrator, name: str, scores: np.ndarray) -> np.ndarray:
    """The probabilities one map of the calibrator gives these scores."""
    calibration = calibrator.by_version.get(name, calibrator.pooled)
    applied: np.ndarray = calibration.apply(scores)
    return applied


def fingerprint(reference_fingerprint: str, method: str, value_rules: str) -> str:
    """What the replicates depend on, as one hash."""
    text = "\n".join(
        [reference_fingerprint, method, value_rules, str(REPLICATES), str(SEED), str(REFIT_POINTS)]
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]
