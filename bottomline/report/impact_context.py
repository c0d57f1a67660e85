"""Template context for the analytics page: bridge, versions, segments, fairness, baselines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bottomline.case.config import VerdictSpec
from bottomline.impact.fairness import FairnessGroup, RateRatio
from bottomline.impact.result import BusinessImpact
from bottomline.impact.slices import VersionComparison
from bottomline.impact.verdict import MIN_OUTCOMES_TO_JUDGE, judge
from bottomline.measures.figures import Z_95, PeriodFigures
from bottomline.report.formatting import count, money, money_each, percent, period, plural
from bottomline.report.narrative import Units
from bottomline.validation.shown_values import capped

RANGE_WORDS = {  # the "in range" column of the slice tables, by verdict
    "within": "yes",
    "immaterial": "no, by little",
    "below": "no, below",
    "above": "no, above",
    None: "too few outcomes",
}


@dataclass(frozen=True)
class SliceRow:
    """A table row of a segment value or model version, formatted."""

    name: str
    predictions: str
    realized: str
    promised: str
    gap: str
    value_per_prediction: str
    precision: str
    recall: str
    within_band: str
    flag: bool  # below its range by a gap that matters


def signed_money(amount: float, currency: str) -> str:
    text = money(amount, currency)
    return (
        "+" + text if amount > 0 and not text.startswith("-") and text != f"{currency} 0" else text
    )


def slice_row(
    name: str,
    figures: PeriodFigures,
    currency: str,
    rule: VerdictSpec,
    multiclass: bool = False,
) -> SliceRow:
    vpp, known = figures.value_per_prediction, figures.matured > 0
    return SliceRow(
        name=capped(name),  # a segment value or version, as the source wrote it
        predictions=count(figures.predictions),
        realized=money(figures.realized_value, currency),
        promised=money(figures.expected_value_matured, currency),
        gap=percent(figures.gap_share, signed=True),
        value_per_prediction=money_each(vpp, currency) if vpp is not None and known else "n/a",
        precision=_first_quality(figures) if known else "n/a",
        recall=_second_quality(figures, multiclass) if known else "n/a",
        within_band=RANGE_WORDS[judge(figures, rule)],
        flag=judge(figures, rule) == "below",
    )


def _first_quality(figures: PeriodFigures) -> str:
    """Precision (a multiclass model's: the share decided right); a regression model's mean
    absolute error (in its unit)."""
    if figures.errors is not None:
        error = figures.errors.mean_absolute_error
        return "n/a" if error is None else f"{error:,.3g}"
    return percent(figures.precision, decimals=0)


def _second_quality(figures: PeriodFigures, multiclass: bool) -> str:
    """Recall; a regression model's bias (mean prediction minus actual, in its unit); a
    multiclass model's known outcomes (recall has no single meaning across its classes)."""
    if multiclass:
        return count(figures.matured)
    if figures.errors is not None:
        bias = figures.errors.bias
        return "n/a" if bias is None else f"{bias:+,.3g}"
    return percent(figures.recall, decimals=0)


def bridge_rows(impact: BusinessImpact, currency: str, units: Units) -> list[tuple[str, str, str]]:
    """(step, amount, what it means) from plan to realized value."""
    bridge = impact.bridge
    if bridge is None:
        return []
    rows = [
        (
            "Plan",
            money(bridge.plan, currency),
            f"{count(round(bridge.planned_predictions))} {units.many} at "
            f"{money_each(impact.plan.value_per_prediction if impact.plan else 0, currency)} each",
        ),
        (
            "Volume",
            signed_money(bridge.volume, currency),
            f"{count(bridge.predictions)} {units.many} with known outcomes instead",
        ),
        (
            "Mix",
            signed_money(bridge.mix, currency),
            _mix_meaning(impact, currency, units),
        ),
        (
            "Performance",
            signed_money(bridge.performance, currency),
            "outcomes differed from what the scores promised",
        ),
        ("Realized", money(bridge.realized, currency), "what the decisions earned"),
    ]
    return rows if plans_volume(impact) else [row for row in rows if row[0] != "Volume"]


def plans_volume(impact: BusinessImpact) -> bool:
    """Whether the plan sets a volume: without one, the bridge's volume step is 0 by
    construction and is left out."""
    return impact.plan is not None and impact.plan.predictions_per_day is not None


def _mix_meaning(impact: BusinessImpact, currency: str, units: Units) -> str:
    """The mix step in words: what the window's predictions were worth each, by their scores,
    against the plan's value each."""
    figures, plan = impact.figures, impact.plan
    if not figures.matured or plan is None:
        return f"a different mix of {units.many}"
    each = money_each(figures.expected_value_matured / figures.matured, currency)
    return (
        f"a different mix of {units.many}: by their scores worth {each} each, "
        f"against the plan's {money_each(plan.value_per_prediction, currency)}"
    )


def comparison_sentence(
    comparison: VersionComparison | None, currency: str, units: Units
) -> str | None:
    if comparison is None:
        return None
    challenger, champion = capped(comparison.challenger.value), capped(comparison.champion.value)
    more = "more" if comparison.difference >= 0 else "less"
    amount = money(abs(comparison.difference), currency)
    if comparison.standard_error is None:
        return (
            f"Challenger {challenger} earned {amount} {more} per {units.one} than champion "
            f"{champion}; too few outcomes to tell whether that is more than noise."
        )
    margin = money(Z_95 * comparison.standard_error, currency)
    verdict = (
        "a real difference, beyond noise"
        if comparison.beyond_noise
        else "within noise, so not yet a real difference"
    )
    return (
        f"Challenger {challenger} earned {amount} {more} per {units.one} with a known "
        f"outcome than champion {champion} (±{margin} at 95%): {verdict}."
    )


MIN_OUTCOMES_TO_COMPARE = MIN_OUTCOMES_TO_JUDGE  # in each window, for a change per prediction


def comparable(impact: BusinessImpact) -> bool:
    """Whether both windows have enough known outcomes for their values per prediction to be
    set side by side (with 14 and 9, +1142% is noise that would cry wolf)."""
    return min(impact.figures.matured, impact.previous.matured) >= MIN_OUTCOMES_TO_COMPARE


def previous_sentence(impact: BusinessImpact, currency: str, units: Units) -> str | None:
    """This window against the one before, per prediction with a known outcome (a fair
    comparison however many outcomes are still pending in either)."""
    now, before = impact.figures.value_per_prediction, impact.previous.value_per_prediction
    if now is None or before is None or not comparable(impact):
        return None
    change = (now - before) / abs(before) if before else None
    return (
        f"Per {units.one} with a known outcome the model realized {money_each(now, currency)}, "
        f"against {money_each(before, currency)} {_window_before(impact.previous)} "
        f"({percent(change, signed=True)})."
    )


def trend_rows(
    figures: PeriodFigures,
    earlier: list[PeriodFigures],
    year_to_date: PeriodFigures | None,
    currency: str,
) -> list[dict[str, str]]:
    """This window, each of the six before it that has data, and the year to date, as rows.
    Empty when there is nothing earlier to set beside this window."""
    if not earlier:
        return []
    named = [("This period", figures), *[(period(f.start, f.end), f) for f in earlier]]
    if year_to_date is not None and year_to_date.predictions:
        named.append(
            (f"Year to date ({period(year_to_date.start, year_to_date.end)})", year_to_date)
        )
    rows = []
    for name, window in named:
        per = window.value_per_prediction
        rows.append(
            {
                "name": name,
                "predictions": count(window.predictions),
                "realized": money(window.realized_value, currency),
                "promised": money(window.expected_value_matured, currency),
                "gap": percent(window.gap_share, signed=True),
                "per": money_each(per, currency) if per is not None else "n/a",
                "known": percent(window.matured / window.predictions, decimals=0)
                if window.predictions
                else "n/a",
            }
        )
    return rows


def _window_before(previous: PeriodFigures) -> str:
    """'on the day before', 'in the 30 days before', 'in the 90 days before (data on 30)'."""
    length = (previous.end - previous.start).days + 1
    if length == 1:
        return "on the day before"
    partial = f" (data on {previous.days_with_data})" if previous.days_with_data < length else ""
    return f"in the {plural(length, 'day')} before{partial}"


def ratio_words(ratio: RateRatio, is_reference: bool) -> str:
    """A rate against the reference group's, with its 95% interval, in a table cell."""
    if is_reference:
        return "reference"
    if not ratio.judged or ratio.ratio is None or ratio.low is None or ratio.high is None:
        return "too few to judge"
    interval = f"{percent(ratio.low, decimals=0)}-{percent(ratio.high, decimals=0)}"
    return f"{percent(ratio.ratio, decimals=0)} ({interval})"


def fairness_row(group: FairnessGroup) -> dict[str, Any]:
    return {
        "group": capped(group.group),
        "predictions": count(group.predictions),
        "positive_rate": percent(group.positive_rate.rate, decimals=0),
        "positive_rate_ratio": ratio_words(group.positive_rate, group.is_reference),
        "tpr": percent(group.true_positive_rate.rate, decimals=0),
        "tpr_ratio": ratio_words(group.true_positive_rate, group.is_reference),
        "flagged": group.flagged,
        "note": "surely below 80%"
        if group.flagged
        else ("too few to judge" if group.too_few and not group.is_reference else ""),
    }


def impact_context(
    impact: BusinessImpact,
    currency: str,
    units: Units,
    rule: VerdictSpec,
    multiclass: bool = False,
    approvals: bool = True,
) -> dict[str, Any]:
    """The impact section's context. `approvals`: the model makes yes/no decisions, so its
    fairness table (approval rates by group) means something; a regression or multiclass
    model's is left out rather than printed as zeros."""

    def row(value: str, figures: PeriodFigures) -> SliceRow:
        return slice_row(value, figures, currency, rule, multiclass)

    return {
        "bridge": bridge_rows(impact, currency, units),
        "plan_source": impact.plan.source if impact.plan else None,
        "previous": previous_sentence(impact, currency, units),
        "versions": [row(s.value, s.figures) for s in impact.versions]
        if len(impact.versions) > 1
        else [],
        "comparison": comparison_sentence(impact.comparison, currency, units),
        "segments": {
            column: [row(s.value, s.figures) for s in slices]
            for column, slices in impact.segments.items()
        },
        "fairness": {
            column: {
                "reference": next((g.group for g in groups if g.is_reference), ""),
                "groups": [fairness_row(g) for g in groups],
            }
            for column, groups in impact.fairness.items()
            if approvals
        },
        "baselines": None
        if impact.baselines is None
        else {
            "model": money(impact.baselines.model, currency),
            "all_positive": money(impact.baselines.all_positive, currency),
            "all_negative": money(impact.baselines.all_negative, currency),
            "model_adds": signed_money(impact.baselines.model_adds, currency),
        },
    }
