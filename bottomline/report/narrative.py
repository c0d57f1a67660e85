"""Sentences generated from the figures by rules, in words a leader uses."""

from __future__ import annotations

from dataclasses import dataclass

from bottomline.config import VerdictSpec
from bottomline.drift.groups import DriftGroups
from bottomline.drift.window import ColumnDrift
from bottomline.figures import PeriodFigures
from bottomline.impact.bridge import Bridge
from bottomline.impact.slices import Slice
from bottomline.report.formatting import count, money, percent, period_phrase
from bottomline.validation.shown_values import capped
from bottomline.verdict import Verdict, judge

IN_LINE_SHARE = 0.005  # a gap under 0.5% of the promise is "in line with"


def verdict(title: str, currency: str, figures: PeriodFigures, rule: VerdictSpec) -> str:
    """One sentence: did the model make money, as promised, in this window? It says "needs a
    look" only when realized value is outside the 95% range by a gap that matters (see
    `bottomline.verdict`)."""
    when = period_phrase(figures.start, figures.end)
    if figures.predictions == 0:
        return f"{title} made no predictions {when}, so there is nothing to report."
    if figures.matured == 0:
        return (
            f"{title} made {count(figures.predictions)} predictions {when}; no outcomes are "
            f"known yet, and their scores promise {money(figures.expected_value, currency)}."
        )
    earned = "earned" if figures.realized_value >= 0 else "lost"
    amount = money(abs(figures.realized_value), currency)
    words = _band_words(judge(figures, rule), figures.gap, currency, rule)
    return f"{title} {earned} {amount} {when}, {_versus_promise(figures)}; {words}."


def _versus_promise(figures: PeriodFigures) -> str:
    share = figures.gap_share
    if share is None or abs(share) < IN_LINE_SHARE:
        return "in line with what their scores promised"
    direction = "above" if share > 0 else "below"
    return f"{percent(abs(share))} {direction} what their scores promised"


def _band_words(judged: Verdict | None, gap: float, currency: str, rule: VerdictSpec) -> str:
    if judged == "within" or judged is None:
        return "within the expected range"
    if judged == "immaterial":
        floor = f" or under {money(rule.material_amount, currency)}" if rule.material_amount else ""
        return (
            "beyond normal variation, but too small to act on "
            f"(under {percent(rule.material_share, decimals=0)} of the promise{floor})"
        )
    if judged == "below":
        return f"below the expected range, a shortfall of {money(-gap, currency)} that needs a look"
    return f"above the expected range, {money(gap, currency)} more than promised, worth a look"


def pending_sentence(
    currency: str,
    figures: PeriodFigures,
    units: str = "predictions",
) -> str | None:
    """What is still to come from predictions awaiting outcomes, if any."""
    if figures.pending == 0:
        return None
    low, high = money(figures.pending_low, currency), money(figures.pending_high, currency)
    return (
        f"A further {money(figures.expected_value_pending, currency)} is expected from "
        f"{count(figures.pending)} {units} whose outcomes are not known yet (95% range "
        f"{low} to {high})."
    )


@dataclass(frozen=True)
class Units:
    one: str  # "loan"
    many: str  # "loans"

    def of(self, number: int) -> str:
        return f"{count(number)} {self.one if number == 1 else self.many}"


STEP_WORDS = {
    "Volume": "volume: {more_or_fewer} {units} than planned",
    "Mix": "the mix: the {units} that came promised {less_or_more} per {unit} than planned",
    "Performance": "performance: outcomes came in {worse_or_better} than the scores promised",
}


def largest_bridge_step(bridge: Bridge | None, currency: str, units: Units) -> str | None:
    """Thing to know 1: what moved realized value most against plan."""
    if bridge is None:
        return None
    step, amount = bridge.largest_step
    words = STEP_WORDS[step].format(
        more_or_fewer="more" if bridge.predictions >= bridge.planned_predictions else "fewer",
        less_or_more="more" if bridge.mix >= 0 else "less",
        worse_or_better="better" if bridge.performance >= 0 else "worse",
        units=units.many,
        unit=units.one,
    )
    sign = "+" if amount > 0 else ""
    return (
        f"Against a plan of {money(bridge.plan, currency)}, the biggest mover was {words} "
        f"({sign}{money(amount, currency)})."
    )


def worst_drift(
    where: DriftGroups | None, drift: list[ColumnDrift], currency: str, units: Units
) -> str:
    """Thing to know 2: which input moved most, and what its move does to value."""
    if where is None:
        scores_moved = any(d.column == "score" and d.severity != "none" for d in drift)
        tail = " (the scores themselves moved, though)" if scores_moved else ""
        return f"No input moved beyond its thresholds since the reference{tail}."
    grew = max(where.groups, key=lambda g: g.window_share - g.reference_share)
    psi = next((d.value("psi") for d in drift if d.column == where.column), None)
    measure = f" (PSI {psi:.2f})" if psi is not None else ""
    earning = (
        f", earning {money(grew.value_per_prediction, currency)} per {units.one}"
        if grew.value_per_prediction is not None
        else ""
    )
    return (
        f"{where.column} moved most{measure}: the share of {units.many} with {where.column} "
        f"{grew.label} went from {percent(grew.reference_share, decimals=0)} to "
        f"{percent(grew.window_share, decimals=0)}{earning}."
    )


def segment_losing_most(slices: list[Slice], currency: str, rule: VerdictSpec | None = None) -> str:
    """Thing to know 3: the segment value furthest below its promise, in money, and whether
    that is beyond its own 95% range by a gap that matters (the verdict's rule)."""
    short = [s for s in slices if s.figures.matured and s.figures.gap < 0]
    if not any(s.figures.matured for s in slices):
        return "No segment has known outcomes yet."
    if not short:
        return "Every segment met or beat what its scores promised."
    worst = min(short, key=lambda s: s.figures.gap)
    judged = judge(worst.figures, rule or VerdictSpec())
    tail = (
        ", below its expected range: worth a look"
        if judged == "below"
        else ", within normal variation for its size"
        if judged == "within"
        else ", beyond normal variation but too small to act on"
    )
    return (
        f"{worst.segment} {capped(worst.value)} fell "
        f"{money(-worst.figures.gap, currency)} short of "
        f"its promise ({percent(worst.figures.gap_share, signed=True)}){tail}."
    )
