"""Fairness on protected columns: does each group get positive decisions, and are its
positive outcomes recognised, at a rate close to a reference group's?

Each group is compared with a reference group that has support: the case's
`fairness_rules.reference_groups[column]`, else the group with most predictions (comparing
with the best-treated group lets a handful of lucky rows set the bar). Each ratio of rates
comes with its 95% confidence interval (the log ratio of two proportions, Katz's method, half
a success added to each side when either has none), and a group is flagged only when the whole
interval lies below 0.8 (the four-fifths rule): too little evidence is not a finding. A rate
whose denominator (predictions for the positive-decision rate, positive outcomes for the
true-positive rate) is under `fairness_rules.min_group_size` is "too few to judge".
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import polars as pl

from bottomline.case.config import FairnessSpec
from bottomline.impact.slices import Slice, segment_slices
from bottomline.measures.figures import Z_95

FOUR_FIFTHS = 0.8  # a group whose ratio is surely below 80% of the reference's is flagged


@dataclass(frozen=True)
class RateRatio:
    """A group's rate over the reference group's, with its 95% interval; None where the
    group (or the reference) has too few rows to judge."""

    rate: float | None  # the group's own rate (share)
    ratio: float | None
    low: float | None
    high: float | None
    judged: bool  # enough rows on both sides to judge

    @property
    def flagged(self) -> bool:
        return self.judged and self.high is not None and self.high < FOUR_FIFTHS


@dataclass(frozen=True)
class FairnessGroup:
    column: str
    group: str
    predictions: int
    is_reference: bool
    positive_rate: RateRatio  # share of predictions with a positive decision
    true_positive_rate: RateRatio  # share of positive outcomes given a positive decision

    @property
    def flagged(self) -> bool:
        return self.positive_rate.flagged or self.true_positive_rate.flagged

    @property
    def too_few(self) -> bool:
        return not (self.positive_rate.judged or self.true_positive_rate.judged)


def fairness_groups(
    metrics: pl.DataFrame,
    column: str,
    start: dt.date,
    end: dt.date,
    rules: FairnessSpec | None = None,
) -> list[FairnessGroup]:
    rules = rules or FairnessSpec()
    slices = segment_slices(metrics, column, start, end)
    if not slices:
        return []
    named = rules.reference_groups.get(column)
    reference = next((s for s in slices if s.value == named), slices[0])  # else the largest
    return [
        FairnessGroup(
            column=column,
            group=s.value,
            predictions=s.figures.predictions,
            is_reference=s is reference,
            positive_rate=rate_ratio(
                _positives(s), s.figures.predictions, *_of(reference), rules.min_group_size
            ),
            true_positive_rate=rate_ratio(
                s.figures.tp,
                s.figures.tp + s.figures.fn,
                *_recall_of(reference),
                rules.min_group_size,
            ),
        )
        for s in slices
    ]


def rate_ratio(
    successes: int, trials: int, reference_successes: int, reference_trials: int, minimum: int
) -> RateRatio:
    """(successes / trials) over the reference's rate, with the 95% interval of the ratio."""
    rate = successes / trials if trials else None
    reference = reference_successes / reference_trials if reference_trials else None
    if rate is None or not reference:
        return RateRatio(rate, None, None, None, judged=False)
    ratio = rate / reference
    judged = trials >= minimum and reference_trials >= minimum
    if successes == 0 or reference_successes == 0:  # half a success each side (Haldane)
        successes_c, trials_c = successes + 0.5, trials + 0.5
        reference_c, reference_trials_c = reference_successes + 0.5, reference_trials + 0.5
    else:
        successes_c, trials_c = float(successes), float(trials)
        reference_c, reference_trials_c = float(reference_successes), float(reference_trials)
    spread = math.sqrt(1 / successes_c - 1 / trials_c + 1 / reference_c - 1 / reference_trials_c)
    centre = math.log((successes_c / trials_c) / (reference_c / reference_trials_c))
    return RateRatio(
        rate, ratio, math.exp(centre - Z_95 * spread), math.exp(centre + Z_95 * spread), judged
    )


def _positives(part: Slice) -> int:
    return part.figures.decided_positive


def _of(part: Slice) -> tuple[int, int]:
    return part.figures.decided_positive, part.figures.predictions


def _recall_of(part: Slice) -> tuple[int, int]:
    return part.figures.tp, part.figures.tp + part.figures.fn
