"""One typed object with every business-impact figure of a window, for report and email."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import polars as pl

from bottomline.case.config import BusinessCase
from bottomline.impact.bridge import Bridge, Plan, bridge
from bottomline.impact.fairness import FairnessGroup, fairness_groups
from bottomline.impact.slices import (
    Slice,
    VersionComparison,
    compare_versions,
    segment_slices,
    version_slices,
)
from bottomline.impact.uncertainty import CalibrationUncertainty
from bottomline.impact.windows import ModelLife, previous_window
from bottomline.measures.figures import (
    PeriodFigures,
    daily_series,
    period_figures,
    with_calibration,
)
from bottomline.measures.metrics import ALL, MEASURES


@dataclass(frozen=True)
class Baselines:
    """What the matured predictions would have realized under simple policies (currency)."""

    model: float
    all_positive: float  # every decision positive ("approve all")
    all_negative: float  # every decision negative ("approve none")

    @property
    def model_adds(self) -> float:
        """What the model earned over the better of the two simple policies."""
        return self.model - max(self.all_positive, self.all_negative)


@dataclass(frozen=True)
class BusinessImpact:
    figures: PeriodFigures  # the window, whole model
    previous: PeriodFigures  # the window of the same length before it
    series: pl.DataFrame  # one row per day, see figures.daily_series
    plan: Plan | None
    bridge: Bridge | None
    versions: list[Slice]
    comparison: VersionComparison | None
    segments: dict[str, list[Slice]]  # by segment column
    fairness: dict[str, list[FairnessGroup]]  # by protected column
    baselines: Baselines | None  # only when outcomes are known whatever the decision
    life: ModelLife | None = None  # None: no predictions stored at all
    recent: PeriodFigures | None = None  # a long window's last RECENT_DAYS, judged apart


RECENT_DAYS = 30  # a window longer than this is also judged on its last RECENT_DAYS days


def whole_model_daily(metrics: pl.DataFrame) -> pl.DataFrame:
    """Whole-model totals per day (all versions), from metrics_daily rows."""
    return (
        metrics.filter(pl.col("segment") == ALL)
        .group_by("day")
        .agg(pl.col(MEASURES).sum())
        .sort("day")
    )


def business_impact(
    metrics: pl.DataFrame,
    case: BusinessCase,
    plan: Plan | None,
    start: dt.date,
    end: dt.date,
    uncertainty: CalibrationUncertainty | None = None,
    life: ModelLife | None = None,
) -> BusinessImpact:
    """Every figure of the window [start, end] from a model's `metrics_daily` rows (which must
    cover the previous window too, for the comparison); `uncertainty` adds the calibration's
    part to the ranges of the window, its days, versions and segments; `life` keeps days
    outside the model's life out of the plan."""
    spread = uncertainty or CalibrationUncertainty.none()
    daily = whole_model_daily(metrics)
    figures = with_calibration(period_figures(daily, start, end), spread.variances(start, end))
    versions = [
        _with_range(s, spread.variances(start, end, model_version=s.value))
        for s in version_slices(metrics, start, end)
    ]
    segments = {
        column: [
            _with_range(s, spread.variances(start, end, column, s.value))
            for s in segment_slices(metrics, column, start, end)
        ]
        for column in case.segments
    }
    return BusinessImpact(
        figures=figures,
        previous=period_figures(daily, *previous_window(start, end)),
        series=daily_series(daily, start, end, spread.daily(start, end)),
        plan=plan,
        bridge=bridge(figures, plan, life.days_in(start, end) if life else None)
        if plan is not None
        else None,
        versions=versions,
        comparison=compare_versions(versions, case.predictions.champion),
        segments=segments,
        fairness={
            column: fairness_groups(metrics, column, start, end, case.fairness_rules)
            for column in case.fairness
        },
        baselines=Baselines(
            figures.realized_value,
            figures.realized_if_all_positive,
            figures.realized_if_all_negative,
        )
        if case.outcomes.observed_for_every_decision
        else None,
        life=life,
        recent=_recent(daily, spread, start, end),
    )


def _recent(
    daily: pl.DataFrame, spread: CalibrationUncertainty, start: dt.date, end: dt.date
) -> PeriodFigures | None:
    """The last RECENT_DAYS of a longer window [start, end], with its range; None for a
    window of RECENT_DAYS or fewer."""
    recent_start = end - dt.timedelta(days=RECENT_DAYS - 1)
    if recent_start <= start:
        return None
    return with_calibration(
        period_figures(daily, recent_start, end), spread.variances(recent_start, end)
    )


def _with_range(part: Slice, variances: tuple[float, float]) -> Slice:
    return replace(part, figures=with_calibration(part.figures, variances))
