"""The outlook in words: could the same predictions have earned more, what the model adds over
the baseline, and when the window's figure becomes final (see `bottomline.report.outlook`).

A lever is said on page one only when its gain is beyond noise (its 95% range excludes zero)
and material by the verdict's rule (`material_share` of the window's value and at least
`material_amount`); page two always says where the curve stands."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bottomline.case.config import BusinessCase, VerdictSpec
from bottomline.impact.finality import HISTORY_DAYS, Finality, ForecastCheck
from bottomline.impact.levers import DecisionCurve, Gain
from bottomline.impact.verdict import MIN_OUTCOMES_TO_JUDGE
from bottomline.measures.figures import PeriodFigures
from bottomline.report.formatting import (
    count,
    day,
    is_calendar_month,
    money,
    percent,
    period,
    period_phrase,
)
from bottomline.report.outlook import Outlook

AGREEING_THRESHOLDS = 0.02  # earlier windows agree when their best is this close
FINAL_SHARE = 0.995  # a window this much known is final: no forecast is said
NEVER_SAID = 0.01  # a share of predictions expected never to get an outcome worth saying
CLOSE_FORECAST = 0.1  # arrivals within 10% of the forecast: "close to the forecast"
NUMBERS = {1: "one", 2: "two", 3: "three"}
COMPARABLE_SHARE = 0.5  # an earlier window counts with at least this share of the predictions


def material(gain: Gain, base: float, rule: VerdictSpec) -> bool:
    """A gain a leader would act on: beyond noise, above zero, and large enough by the
    verdict's rule (a share of the window's value `base`, and an amount)."""
    return (
        gain.low > 0
        and gain.amount >= rule.material_amount
        and gain.amount >= rule.material_share * abs(base)
    )


def _range(gain: Gain, currency: str) -> str:
    return f"range {money(gain.low, currency)} to {money(gain.high, currency)}"


def _periods(start: dt.date, end: dt.date, number: int) -> str:
    """ "the three months before", "the two 30-day periods before", "the day before"."""
    days = (end - start).days + 1
    noun = (
        "month" if is_calendar_month(start, end) else "day" if days == 1
        else "week" if days == 7 else f"{days}-day period"
    )  # fmt: skip
    if number == 1:
        return f"the {noun} before"
    return f"the {NUMBERS.get(number, str(number))} {noun}s before"


def _agreement(curve: DecisionCurve, earlier: list[DecisionCurve]) -> str:
    """Whether the windows before point to the same threshold; only those with at least half
    this window's predictions count (a window the data only begins in says little)."""
    earlier = [e for e in earlier if e.predictions >= COMPARABLE_SHARE * curve.predictions]
    if not earlier:
        return ""
    before = _periods(curve.start, curve.end, len(earlier))
    best = curve.best_threshold
    if all(
        abs(e.best_threshold - best) <= AGREEING_THRESHOLDS + 1e-9 and e.best.low > 0
        for e in earlier
    ):
        return f"; {before} {'agrees' if len(earlier) == 1 else 'agree'}"
    listed = [f"{e.best_threshold:.2f}" for e in earlier]
    joined = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]
    return f"; in {before} the best was {joined}, so watch that it holds"


def _move(curve: DecisionCurve) -> str:
    best = curve.best_threshold
    if curve.threshold_in_use is None:
        return f"Deciding by a threshold of {best:.2f} instead of the decisions made"
    verb = "Raising" if best > curve.threshold_in_use else "Lowering"
    return f"{verb} the threshold from {curve.threshold_in_use:.2f} to {best:.2f}"


def more_to_earn(outlook: Outlook, case: BusinessCase, dated: bool = True) -> str | None:
    """Page one: money left on the table, only when it is beyond noise and material, and,
    where enough of the predictions it switches have known outcomes, when those agree."""
    curve = outlook.curve
    if curve is None or not material(curve.best, curve.decided_value, case.verdict):
        return None
    if curve.best.known >= MIN_OUTCOMES_TO_JUDGE and curve.best.known_amount <= 0:
        return None
    gain = curve.best
    when = f" {period_phrase(curve.start, curve.end)}" if dated else ""
    return (
        f"{_move(curve)} would have earned {money(gain.amount, case.currency)} more{when} "
        f"({_volume(curve)}; {_range(gain, case.currency)})"
        f"{_agreement(curve, outlook.earlier_curves)}."
    )


def _volume(curve: DecisionCurve) -> str:
    """What the move does to volume: "7,587 fewer positive decisions"."""
    switched = count(curve.best.switched)
    if curve.threshold_in_use is None:
        return f"{switched} decisions the other way"
    fewer = curve.best_threshold > curve.threshold_in_use
    return f"{switched} {'fewer' if fewer else 'more'} positive decisions"


def _realized_part(gain: Gain, currency: str, who: str) -> str | None:
    """How much of a gain is realized on the switched predictions whose outcomes are known
    (`who`: which predictions, in words); None with too few of them to tell."""
    if gain.known < MIN_OUTCOMES_TO_JUDGE or gain.amount == 0:
        return None
    on = f"the {count(gain.known)} of those {count(gain.switched)} {who} whose outcomes are known"
    if (gain.known_amount >= 0) == (gain.amount > 0):
        return f"Of that, {money(abs(gain.known_amount), currency)} is already realized, on {on}."
    return (
        f"On {on}, it went the other way by {money(abs(gain.known_amount), currency)}: the "
        "rest rests on those still pending."
    )


def known_outcomes_sentence(curve: DecisionCurve, currency: str, units: str) -> str | None:
    """The best threshold's gain realized on the switched predictions with known outcomes."""
    if curve.best.amount <= 0:
        return None
    return _realized_part(curve.best, currency, units)


def curve_sentence(outlook: Outlook, case: BusinessCase) -> str | None:
    """Page two: where the threshold in use stands against the best, whatever it is."""
    curve = outlook.curve
    if curve is None:
        return None
    said = more_to_earn(outlook, case)
    if said is not None:
        return said
    gain, currency = curve.best, case.currency
    in_use = (
        f"the threshold in use ({curve.threshold_in_use:.2f})"
        if curve.threshold_in_use is not None
        else "the decisions made"
    )
    if gain.amount <= 0 or gain.switched == 0:
        return f"No threshold would have earned more than {in_use}."
    best = f"the best threshold, {curve.best_threshold:.2f}, would have earned"
    if gain.low <= 0:
        return (
            f"No threshold would clearly have earned more than {in_use}: {best} "
            f"{money(gain.amount, currency)} more, within noise ({_range(gain, currency)})."
        )
    return (
        f"{best.capitalize()} {money(gain.amount, currency)} more than {in_use} "
        f"({_range(gain, currency)}): real, but too small to act on by this case's rule."
    )


def baseline_sentence(outlook: Outlook, case: BusinessCase, dated: bool = True) -> str | None:
    """What the decisions made earned over the case's baseline rule: "earned" when every
    prediction the two decided differently has its outcome, else "are worth" (realized where
    known, estimated where pending)."""
    gain, curve = outlook.baseline, outlook.curve
    if gain is None or case.baseline is None or curve is None:
        return None
    what = case.baseline.description
    when = f" {period_phrase(curve.start, curve.end)}" if dated else ""
    amount, span = money(abs(gain.amount), case.currency), _range(gain, case.currency)
    if gain.known == gain.switched:
        head = f"The model earned {amount} {{}} than {what} would have{when}"
    else:
        head = f"The model's decisions{when} are worth {amount} {{}} than {what}"
    if gain.low > 0:
        return f"{head.format('more')} ({span})."
    if gain.high < 0:
        return f"{head.format('less')} ({span}): worth a look."
    return (
        f"The model's decisions{when} are worth about what {what} would be: the difference is "
        f"within noise ({span})."
    )


def baseline_known_sentence(outlook: Outlook, case: BusinessCase) -> str | None:
    """The baseline's gain realized on the predictions the two decided differently whose
    outcomes are known."""
    if outlook.baseline is None or case.baseline is None:
        return None
    who = case.report.unit_plural
    return _realized_part(outlook.baseline, case.currency, who)


def _window_name(start: dt.date, end: dt.date) -> str:
    """The window inside a sentence: "November", "this day", "this period"."""
    if is_calendar_month(start, end):
        return f"{start:%B}"
    return "this day" if start == end else "this period"


def finality_sentence(
    final: Finality | None, figures: PeriodFigures, units: str = "predictions"
) -> str | None:
    """How much of the outcomes the window will ever get are in, and when its target share
    will be: None when (nearly) every outcome expected is in. The share is of the outcomes
    expected, not of the predictions: those that never get one are said apart."""
    if final is None or final.known_share >= FINAL_SHARE or figures.pending == 0:
        return None
    window = _window_name(figures.start, figures.end)
    head = (
        f"Of the outcomes expected for {window}, {percent(final.known_share, decimals=0)} are in"
        if final.known
        else f"None of the outcomes expected for {window} are in yet"
    )
    never = 1 - final.expected / figures.predictions if figures.predictions else 0.0
    tail = (
        f" (about {percent(never, decimals=0)} of {units} never get one, judging by earlier days)"
        if never >= NEVER_SAID
        else ""
    )
    target = percent(final.target, decimals=0)
    if final.target_day is None:
        return (
            f"{head}; {target} may take longer than the {HISTORY_DAYS} days of arrivals the "
            f"forecast learns from{tail}."
        )
    if final.target_day <= final.as_of:
        return f"{head}{tail}."
    return f"{head}; {target} will be by {day(final.target_day)}{tail}."


def check_sentence(check: ForecastCheck | None) -> str | None:
    """The forecast made a window ago against what came."""
    if check is None or check.forecast < MIN_OUTCOMES_TO_JUDGE:  # a handful says nothing
        return None
    off = (check.arrived - check.forecast) / check.forecast
    how = (
        "as forecast"
        if abs(off) < 0.005
        else f"{percent(abs(off))} {'more' if off > 0 else 'fewer'}, "
        + ("close to the forecast" if abs(off) <= CLOSE_FORECAST else "so read the date loosely")
    )
    return (
        f"Checked against what came: on {day(check.made_on)}, the same forecast expected "
        f"{count(round(check.forecast))} more outcomes for {period(check.start, check.end)} "
        f"by {day(check.as_of)}; {count(check.arrived)} arrived ({how})."
    )


def outlook_context(
    data_outlook: Outlook, case: BusinessCase, figures: PeriodFigures
) -> dict[str, Any]:
    """The template's `outlook`: page one's sentences and page two's section."""
    from bottomline.report.chart_style import svg_data_uri
    from bottomline.report.lever_charts import threshold_curve

    curve = data_outlook.curve
    levers = (
        more_to_earn(data_outlook, case, dated=False),
        baseline_sentence(data_outlook, case, dated=False),
    )
    return {
        "email": [line for line in levers if line],  # the body's, under the verdict
        "finality": finality_sentence(data_outlook.finality, figures, case.report.unit_plural),
        "curve": curve_sentence(data_outlook, case),
        "known": known_outcomes_sentence(curve, case.currency, case.report.unit_plural)
        if curve is not None
        else None,
        "chart": svg_data_uri(threshold_curve(curve, case.currency))
        if curve is not None and curve.predictions
        else None,
        "baseline": baseline_sentence(data_outlook, case),
        "baseline_known": baseline_known_sentence(data_outlook, case),
        "check": check_sentence(data_outlook.check),
        "section": curve is not None
        or data_outlook.finality is not None
        or data_outlook.check is not None,
    }
