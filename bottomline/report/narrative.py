"""Sentences generated from the figures by rules, in words a leader uses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from bottomline.case.config import BusinessCase, VerdictSpec
from bottomline.drift.groups import DriftGroup, DriftGroups
from bottomline.drift.window import ColumnDrift
from bottomline.impact.bridge import Bridge
from bottomline.impact.slices import Slice
from bottomline.impact.verdict import MIN_OUTCOMES_TO_JUDGE, NEEDS_A_LOOK, Verdict, judge
from bottomline.impact.windows import ModelLife
from bottomline.measures.figures import PeriodFigures
from bottomline.report.formatting import (
    column_value,
    count,
    day,
    money,
    money_each,
    percent,
    period,
    period_phrase,
    plural,
)
from bottomline.validation.shown_values import capped

IN_LINE_SHARE = 0.005  # a gap under 0.5% of the promise is "in line with"
# Things to know that say nothing needs knowing (the first to give way on page one).
NO_INPUT_MOVED = "No input moved beyond its thresholds since the reference"
NO_SEGMENT_KNOWN = "No segment has known outcomes yet."
EVERY_SEGMENT_MET = "Every segment with known outcomes met or beat what its scores promised."
NOTHING_FOUND = (NO_INPUT_MOVED, NO_SEGMENT_KNOWN, EVERY_SEGMENT_MET)


def verdict(
    title: str,
    currency: str,
    figures: PeriodFigures,
    rule: VerdictSpec,
    units: str = "predictions",
) -> str:
    """One sentence: did the model make money, as promised, in this window? It says "needs a
    look" only when realized value is outside the 95% range by a gap that matters (see
    `bottomline.impact.verdict`). `units`: what the model's predictions are ("offers")."""
    when = period_phrase(figures.start, figures.end)
    if figures.predictions == 0:
        return f"{title} made no predictions {when}, so there is nothing to report."
    if figures.matured == 0:
        return (
            f"{title} made {count(figures.predictions)} {units} {when}; no outcomes are "
            f"known yet, and their scores promise {money(figures.expected_value, currency)}."
        )
    earned = "earned" if figures.realized_value >= 0 else "lost"
    amount = money(abs(figures.realized_value), currency)
    if figures.matured < MIN_OUTCOMES_TO_JUDGE:
        return (
            f"{title} {earned} {amount} {when} from the {count(figures.matured)} of "
            f"{count(figures.predictions)} {units} whose outcomes are known: too few yet "
            "to judge against what their scores promised."
        )
    words = _band_words(judge(figures, rule), figures.gap, currency, rule)
    return f"{title} {earned} {amount} {when}, {_versus_promise(figures)}; {words}."


def recent_sentence(
    recent: PeriodFigures | None, whole: PeriodFigures, currency: str, rule: VerdictSpec
) -> str | None:
    """A long window's average can hide a change in its last weeks: when its last days, judged
    alone by the same rule, need a look and the whole window does not, one sentence says so."""
    judged = judge(recent, rule) if recent is not None else None
    if recent is None or judged not in NEEDS_A_LOOK or judge(whole, rule) == judged:
        return None
    days = (recent.end - recent.start).days + 1
    words = _band_words(judged, recent.gap, currency, rule)
    return (
        f"The last {days} days alone ({period(recent.start, recent.end)}) came in "
        f"{_versus_promise(recent)}: {words}."
    )


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
    if figures.matured == 0:  # the verdict has just said what they promise
        return (
            f"That is an estimate, with a 95% range of {low} to {high}; it becomes realized "
            "value as outcomes arrive."
        )
    return (
        f"A further {money(figures.expected_value_pending, currency)} is expected from "
        f"{count(figures.pending)} {units} whose outcomes are not known yet (95% range "
        f"{low} to {high})."
    )


def life_sentence(life: ModelLife | None, start: dt.date, end: dt.date) -> str | None:
    """Days of the window outside the model's life (before its first prediction, after its
    last), said plainly: they are neither value nor missed volume. None when the whole window
    is inside it."""
    if life is None:
        return None
    if life.days_in(start, end) == 0:
        return (
            f"This model's data runs from {day(life.first_day)} to {day(life.last_day)}, "
            "outside this window."
        )
    before, after = life.days_before(start, end), life.days_after(start, end)
    if before and after:
        runs = f"runs from {day(life.first_day)} to {day(life.last_day)}"
        outside = f"the {plural(before, 'day')} of this window before it and {after} after"
    elif before:
        runs, outside = f"starts on {day(life.first_day)}", f"the {plural(before, 'day')}"
        outside += " of this window before it"
    elif after:
        runs, outside = f"ends on {day(life.last_day)}", f"the {plural(after, 'day')}"
        outside += " of this window after it"
    else:
        return None
    verb = "is" if before + after == 1 else "are"
    return f"The model's data {runs}; {outside} {verb} left out of every figure, the plan included."


@dataclass(frozen=True)
class Units:
    one: str  # "loan"
    many: str  # "loans"

    def of(self, number: int) -> str:
        return f"{count(number)} {self.one if number == 1 else self.many}"


STEP_WORDS = {
    "Volume": "volume: {more_or_fewer} {units} than planned",
    "Mix": "the mix: by their scores, the {units} were worth {less_or_more} each than planned",
    "Performance": "performance: outcomes came in {worse_or_better} than the scores promised",
}


def largest_bridge_step(
    bridge: Bridge | None, currency: str, units: Units, budget: bool = True
) -> str | None:
    """Thing to know 1: what moved realized value most against plan (`budget`: the case set
    the plan's value, else it is the reference's)."""
    if bridge is None or bridge.predictions < MIN_OUTCOMES_TO_JUDGE:  # too few to tell
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
    basis = "" if budget else f" (its value per {units.one} from the reference, not a budget)"
    return (
        f"Against a plan of {money(bridge.plan, currency)}{basis}, the biggest mover was {words} "
        f"({sign}{money(amount, currency)})."
    )


def worst_drift(
    where: DriftGroups | None, drift: list[ColumnDrift], case: BusinessCase, units: Units
) -> str:
    """Thing to know 2: which input moved most, and what its move does to value (in the
    case's words for the column and its values; the statistics stay on the drift page)."""
    if where is None:
        scores_moved = any(d.column == "score" and d.severity != "none" for d in drift)
        tail = " (the scores themselves moved, though)" if scores_moved else ""
        return f"{NO_INPUT_MOVED}{tail}."
    grew = max(where.groups, key=lambda g: g.window_share - g.reference_share)
    value = grew.value_per_prediction
    earning = (
        ""
        if value is None
        else f", earning {money_each(value, case.currency)} per {units.one}"
        if value >= 0
        else f", losing {money_each(-value, case.currency)} per {units.one}"
    )
    group = group_words(grew, case.formats.get(where.column, "number"), case.currency)
    which = f"with {case.label(where.column)} {group}" if grew.bounds is not None else f"in {group}"
    return (
        f"{case.label(where.column)} moved most: the share of {units.many} {which} went from "
        f"{percent(grew.reference_share, decimals=0)} to "
        f"{percent(grew.window_share, decimals=0)}{earning}."
    )


def group_words(group: DriftGroup, column_format: str, currency: str) -> str:
    """A drift group as a leader reads it: "above 0.44", "EUR 10K to EUR 20K", "“self-employed”"."""
    if group.bounds is None:
        return f"\u201c{group.label}\u201d"
    low, high = (
        None if edge is None else column_value(edge, column_format, currency)
        for edge in group.bounds
    )
    if low is None:
        return "of any size" if high is None else f"up to {high}"
    return f"above {low}" if high is None else f"{low} to {high}"


def segment_losing_most(
    slices: list[Slice],
    currency: str,
    rule: VerdictSpec | None = None,
    label: Callable[[str], str] = str,
) -> str:
    """Thing to know 3: the segment value furthest below its promise, in money, and whether
    that is beyond its own 95% range by a gap that matters (the verdict's rule)."""
    short = [s for s in slices if s.figures.matured and s.figures.gap < 0]
    if not any(s.figures.matured for s in slices):
        return NO_SEGMENT_KNOWN
    if not short:
        return EVERY_SEGMENT_MET
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
        f"{label(worst.segment)} \u201c{capped(worst.value)}\u201d fell "
        f"{money(-worst.figures.gap, currency)} short of "
        f"its promise ({percent(worst.figures.gap_share, signed=True)}){tail}."
    )
