"""Fairness on protected columns: does each group get positive decisions, and are its
positive outcomes recognised, at a rate close to the best-treated group's?"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from bottomline.impact.slices import segment_slices

FOUR_FIFTHS = 0.8  # a group below 80% of the best group's rate is flagged


@dataclass(frozen=True)
class FairnessGroup:
    column: str
    group: str
    predictions: int
    positive_rate: float | None  # share of predictions with a positive decision
    true_positive_rate: float | None  # share of positive outcomes given a positive decision
    positive_rate_ratio: float | None  # to the group with the highest rate
    true_positive_rate_ratio: float | None

    @property
    def flagged(self) -> bool:
        ratios = (self.positive_rate_ratio, self.true_positive_rate_ratio)
        return any(ratio is not None and ratio < FOUR_FIFTHS for ratio in ratios)


def fairness_groups(
    metrics: pl.DataFrame,
    column: str,
    start: dt.date,
    end: dt.date,
) -> list[FairnessGroup]:
    slices = segment_slices(metrics, column, start, end)
    best_positive = max((s.figures.positive_rate or 0.0 for s in slices), default=0.0)
    best_tpr = max((s.figures.recall or 0.0 for s in slices), default=0.0)
    return [
        FairnessGroup(
            column=column,
            group=s.value,
            predictions=s.figures.predictions,
            positive_rate=s.figures.positive_rate,
            true_positive_rate=s.figures.recall,
            positive_rate_ratio=_ratio(s.figures.positive_rate, best_positive),
            true_positive_rate_ratio=_ratio(s.figures.recall, best_tpr),
        )
        for s in slices
    ]


def _ratio(rate: float | None, best: float) -> float | None:
    return rate / best if rate is not None and best > 0 else None
