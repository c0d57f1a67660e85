"""Plan vs actual: from what was planned to what was realized, in four steps that add up.

For a window with N matured predictions, realized value R and promised value E (both over
the matured predictions), and a plan of `value_per_prediction` (pi) on N_plan predictions:

    plan        = N_plan * pi
    volume      = (N - N_plan) * pi      more or fewer predictions than planned
    mix         = E - N * pi             the population changed: what the scores promised
                                         per prediction differs from the plan's
    performance = R - E                  outcomes differed from what the scores promised
    plan + volume + mix + performance = R

N_plan is the plan's daily volume times the window's days within the model's life (days
before its first prediction or after its last are not missed volume), times the share of the
window's predictions already matured, so outcomes still pending never count as missed volume.
Without a planned volume, N_plan = N (no volume effect).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from bottomline.case.config import BusinessCase
from bottomline.measures.figures import PeriodFigures
from bottomline.measures.metrics import measure_reference


@dataclass(frozen=True)
class Plan:
    value_per_prediction: float  # currency, pi
    predictions_per_day: float | None  # None: no planned volume
    source: str  # where the figures came from, for the report
    value_from: str = "the business case"  # or "the reference": where pi came from

    @property
    def is_a_budget(self) -> bool:
        """Whether the business case set the value per prediction (else the reference did)."""
        return self.value_from == "the business case"


@dataclass(frozen=True)
class Bridge:
    """The four steps from plan to realized value, in currency."""

    planned_predictions: float  # N_plan (matured-equivalent)
    predictions: int  # N, matured
    plan: float
    volume: float
    mix: float
    performance: float
    realized: float

    @property
    def steps(self) -> list[tuple[str, float]]:
        return [("Volume", self.volume), ("Mix", self.mix), ("Performance", self.performance)]

    @property
    def largest_step(self) -> tuple[str, float]:
        """The step that moved the figure most, in either direction."""
        return max(self.steps, key=lambda step: abs(step[1]))


def reference_value_per_prediction(reference: pl.DataFrame, case: BusinessCase) -> float | None:
    """Realized value per prediction on the labelled reference (None when it lacks the value
    rules' columns)."""
    measured = measure_reference(reference, case)
    if measured is None:
        return None
    return float(measured["realized_value"].mean())  # type: ignore[arg-type]


def make_plan(
    case: BusinessCase, reference_value: float | None, reference_daily_volume: float | None
) -> Plan | None:
    """The case's plan figures, each completed from the reference when the case has none;
    None when no value per prediction is known at all."""
    value, value_source = case.plan.value_per_prediction, "the business case"
    if value is None:
        value, value_source = reference_value, "the reference"
    volume, volume_source = case.plan.predictions_per_day, "the business case"
    if volume is None:
        volume, volume_source = reference_daily_volume, "the reference window"
    if value is None:
        return None
    source = f"value per prediction from {value_source}"
    source += (
        f"; daily volume from {volume_source}" if volume is not None else ("; no planned volume")
    )
    return Plan(
        value_per_prediction=value,
        predictions_per_day=volume,
        source=source,
        value_from=value_source,
    )


def bridge(figures: PeriodFigures, plan: Plan, days_in_life: int | None = None) -> Bridge:
    """Plan, volume, mix and performance for a window; they add up to its realized value.
    `days_in_life`: the window's days within the model's life (default: all of them)."""
    matured = figures.matured
    pi = plan.value_per_prediction
    if plan.predictions_per_day is None or figures.predictions == 0:
        planned = float(matured)
    else:
        days = (figures.end - figures.start).days + 1 if days_in_life is None else days_in_life
        planned = plan.predictions_per_day * days * matured / figures.predictions
    return Bridge(
        planned_predictions=planned,
        predictions=matured,
        plan=planned * pi,
        volume=(matured - planned) * pi,
        mix=figures.expected_value_matured - matured * pi,
        performance=figures.realized_value - figures.expected_value_matured,
        realized=figures.realized_value,
    )
