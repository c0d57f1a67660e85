"""Could the same predictions have earned more? A binary classifier's decision curve.

From a window's `decision_curve_daily` rows (see `bottomline.measures.levers`): the value of
the decisions made and of deciding by each threshold k/100 (k = 0..100: positive for every
score >= k/100), and by the case's baseline rule, valued as the report values a window:
realized where the outcome is known (the label prices either decision), estimated by the
calibrated probability where it is pending (so it holds where outcomes are known only for one
decision). A rule's gain over the decisions made comes only from the predictions it decides
otherwise. Its 95% range covers the pending ones: what their outcomes may be (the sum of
q*(1-q)*stake^2) and how far the calibration may be off (the spread's replicate shifts times
their stakes, by score bin). All money in the case's currency.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import polars as pl

from bottomline.measures.calibration_spread import CalibrationSpread
from bottomline.measures.levers import CENTS, CURVE_SUMS

Z95 = 1.96
AGREEING_SHARE = 0.99  # decisions follow a threshold when this share of them agree with it


@dataclass(frozen=True)
class Gain:
    """What a rule would have earned over the decisions made (currency), with its 95% range."""

    amount: float
    low: float
    high: float
    switched: int  # predictions the rule decides otherwise
    known: int = 0  # of those, the ones whose outcome is known
    known_amount: float = 0.0  # the part of `amount` realized over them, by their labels

    @property
    def beyond_noise(self) -> bool:
        """Surely a gain (its range above zero) or surely a loss (below)."""
        return self.low > 0 or self.high < 0


@dataclass(frozen=True)
class DecisionCurve:
    """A window's value by threshold, against the decisions made."""

    start: dt.date
    end: dt.date
    predictions: int
    decided_value: float  # the decisions made: realized, and estimated where pending (currency)
    thresholds: np.ndarray  # 0.00 .. 1.00
    gains: list[Gain]  # per threshold
    threshold_in_use: float | None  # the threshold the decisions follow, if they follow one

    @property
    def best_index(self) -> int:
        """The threshold that earns most (of equals, the nearest to the one in use)."""
        amounts = np.array([gain.amount for gain in self.gains])
        top = np.flatnonzero(amounts >= amounts.max() - 1e-9)
        anchor = self.threshold_in_use if self.threshold_in_use is not None else 0.5
        return int(top[np.argmin(np.abs(self.thresholds[top] - anchor))])

    @property
    def best_threshold(self) -> float:
        return float(self.thresholds[self.best_index])

    @property
    def best(self) -> Gain:
        return self.gains[self.best_index]


def _cells(rows: pl.DataFrame, *decisions: str) -> pl.DataFrame:
    """The rows summed by model version, score cent, spread bin and decision columns."""
    return rows.group_by("model_version", "score_cent", "spread_bin", *decisions).agg(
        pl.col(CURVE_SUMS).sum()
    )


def _gains(cells: pl.DataFrame, signs: np.ndarray, spread: CalibrationSpread | None) -> list[Gain]:
    """The gains of rules given by `signs` (cells x rules: +1 where a rule decides positive a
    cell the decisions made did not, -1 the other way round, 0 where they agree)."""
    realized = (
        cells["realized_deciding_positive"] - cells["realized_deciding_negative"]
    ).to_numpy() @ signs
    pending = (
        cells["pending_value_deciding_positive"] - cells["pending_value_deciding_negative"]
    ).to_numpy() @ signs
    amounts = realized + pending
    switched = np.abs(signs)
    variances = cells["pending_switch_variance"].to_numpy() @ switched
    if spread is not None:
        variances = variances + _calibration_variance(cells, signs, spread)
    counts = cells["predictions"].to_numpy() @ switched
    known = cells["matured"].to_numpy() @ switched
    return [
        Gain(
            float(amounts[k]),
            float(amounts[k] - Z95 * math.sqrt(max(variances[k], 0.0))),
            float(amounts[k] + Z95 * math.sqrt(max(variances[k], 0.0))),
            int(counts[k]),
            int(known[k]),
            float(realized[k]),
        )
        for k in range(len(amounts))
    ]


def _calibration_variance(
    cells: pl.DataFrame, signs: np.ndarray, spread: CalibrationSpread
) -> np.ndarray:
    """Per rule, the calibration's variance of the switched stakes (currency squared)."""
    stakes = cells["pending_switch_stake"].to_numpy()[:, None] * signs
    return spread.variances(cells["model_version"], cells["spread_bin"].to_numpy(), stakes)


def decision_curve(
    rows: pl.DataFrame,
    spread: CalibrationSpread | None,
    start: dt.date,
    end: dt.date,
    threshold: float | None,
) -> DecisionCurve | None:
    """The window's curve from its `decision_curve_daily` rows (any days outside [start,
    end] are left out); None without predictions. `threshold`: the case's, said to be in use
    when at least 99% of the decisions agree with it."""
    window = rows.filter(pl.col("day").is_between(start, end))
    if window.is_empty():
        return None
    cells = _cells(window, "decided")
    cents = cells["score_cent"].to_numpy()[:, None]
    decided = cells["decided"].to_numpy()[:, None]
    thresholds = np.arange(CENTS + 1)[None, :]
    signs = ((decided == 0) & (cents >= thresholds)).astype(float) - (
        (decided == 1) & (cents < thresholds)
    ).astype(float)
    decided_value = float(
        cells.select(
            pl.when(pl.col("decided") == 1)
            .then(pl.col("realized_deciding_positive") + pl.col("pending_value_deciding_positive"))
            .otherwise(
                pl.col("realized_deciding_negative") + pl.col("pending_value_deciding_negative")
            )
            .sum()
        ).item()
    )
    return DecisionCurve(
        start,
        end,
        int(cells["predictions"].sum()),
        decided_value,
        np.arange(CENTS + 1) / CENTS,
        _gains(cells, signs, spread),
        threshold if threshold is not None and _follows(cells, threshold) else None,
    )


def _follows(cells: pl.DataFrame, threshold: float) -> bool:
    """Whether the decisions made follow `threshold` (at the cents' resolution)."""
    low, high = math.floor(threshold * CENTS), math.ceil(threshold * CENTS)
    agree = int(
        cells.filter(
            ((pl.col("decided") == 1) & (pl.col("score_cent") >= low))
            | ((pl.col("decided") == 0) & (pl.col("score_cent") < high))
        )["predictions"].sum()
    )
    total = int(cells["predictions"].sum())
    return bool(total) and agree >= AGREEING_SHARE * total


def baseline_gain(
    rows: pl.DataFrame, spread: CalibrationSpread | None, start: dt.date, end: dt.date
) -> Gain | None:
    """What the decisions made earned over the baseline rule in [start, end] (currency, by
    realized where known, estimated where pending); None when the rows have no baseline
    decisions."""
    window = rows.filter(
        pl.col("day").is_between(start, end), pl.col("baseline_decided").is_not_null()
    )
    if window.is_empty():
        return None
    cells = _cells(window, "decided", "baseline_decided")
    decided = cells["decided"].to_numpy()
    baseline = cells["baseline_decided"].to_numpy()
    # the decisions made against the baseline: + where they decided positive and it did not
    signs = ((decided == 1) & (baseline == 0)).astype(float) - (
        (decided == 0) & (baseline == 1)
    ).astype(float)
    return _gains(cells, signs[:, None], spread)[0]
