"""The template context of one model's report: every figure already written as people read it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bottomline.case.config import BusinessCase, VerdictSpec
from bottomline.impact.bridge import Plan
from bottomline.impact.result import BusinessImpact
from bottomline.impact.verdict import MIN_OUTCOMES_TO_JUDGE, NEEDS_A_LOOK, judge
from bottomline.report.confusion_context import confusion_context, costliest_decision_sentence
from bottomline.report.content import ReportData
from bottomline.report.drift_context import drift_headline, drift_rows, model_outputs, where_context
from bottomline.report.forecast_context import forecast_cost_sentence, forecast_errors_context
from bottomline.report.formatting import count, money, money_each, percent, period
from bottomline.report.impact_context import (
    MIN_OUTCOMES_TO_COMPARE,
    comparable,
    impact_context,
    plans_volume,
    signed_money,
    trend_rows,
)
from bottomline.report.narrative import (
    NOTHING_FOUND,
    Units,
    largest_bridge_step,
    life_sentence,
    pending_sentence,
    recent_sentence,
    segment_losing_most,
    verdict,
    worst_drift,
)
from bottomline.report.outlook_context import baseline_sentence, more_to_earn, outlook_context
from bottomline.report.quality_context import (
    data_headline,
    data_lines,
    maturity_by_age,
    quality_section,
    timestamp_text,
)
from bottomline.report.vocabulary import promise_label
from bottomline.validation.shown_values import capped


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    note: str
    tone: str = "neutral"  # good | bad | neutral


def units_of(case: BusinessCase) -> Units:
    return Units(case.report.unit, case.report.unit_plural)


MATERIAL_CHANGE = 0.05  # a change per unit against the period before worth a colour


def tone_of(share: float, material: float) -> str:
    """Green or red only for a change that matters (a share of its base); else neutral, so
    a 0.3% dip does not paint a tile red."""
    if share >= material:
        return "good"
    if share <= -material:
        return "bad"
    return "neutral"


def kpi_tiles(
    impact: BusinessImpact, currency: str, units: Units, rule: VerdictSpec | None = None
) -> list[Tile]:
    """Page one's six numbers: realized, promised, gap, against plan, against the period
    before, and what is still to come (each range at 95%)."""
    figures = impact.figures
    band = f"95% range {money(figures.band_low, currency)} to {money(figures.band_high, currency)}"
    rule = rule or VerdictSpec()
    judged = judge(figures, rule)
    # red only for a shortfall that needs a look, green only when the promise was met
    gap_tone = (
        "neutral"
        if judged is None
        else "bad"
        if judged == "below"
        else ("good" if figures.gap >= 0 else "neutral")
    )
    tiles = [
        Tile(
            "Realized value",
            money(figures.realized_value, currency),
            f"on {units.of(figures.matured)} with known outcomes",
        ),
        Tile("Promised by the scores", money(figures.expected_value_matured, currency), band),
        Tile(
            "Realized vs promised",
            signed_money(figures.gap, currency),
            _gap_words(figures.gap_share),
            gap_tone,
        ),
    ]
    bridge = impact.bridge
    if figures.matured == 0:
        tiles[0] = Tile("Realized value", "n/a", "no outcomes known yet")
        tiles[1:] = [
            Tile(
                "Promised by the scores", "n/a", f"for {units.many} with known outcomes: none yet"
            ),
            Tile("Realized vs promised", "n/a", "no outcomes known yet"),
        ]
        tiles.append(Tile("Against plan", "n/a", "no outcomes known yet to set against it"))
    elif bridge is not None and figures.matured < MIN_OUTCOMES_TO_JUDGE:
        tiles.append(Tile("Against plan", "n/a", "too few known outcomes yet to set against it"))
    elif bridge is not None:
        against = bridge.realized - bridge.plan
        tiles.append(
            Tile(
                "Against plan",
                signed_money(against, currency),
                f"plan {money(bridge.plan, currency)} for these {units.many}"
                + plan_basis(impact.plan, currency, units),
                tone_of(against / abs(bridge.plan) if bridge.plan else 0.0, rule.material_share)
                if impact.plan is None or impact.plan.is_a_budget
                else "neutral",  # a yardstick from the reference: no alarm colour
            )
        )
    else:
        tiles.append(Tile("Against plan", "n/a", "no plan in the business case or reference"))
    now, before = figures.value_per_prediction, impact.previous.value_per_prediction
    if comparable(impact) and now is not None and before:
        change = (now - before) / abs(before)
        tiles.append(
            Tile(
                f"Per {units.one}, vs before",
                money_each(now, currency),
                f"per known outcome; {percent(change, signed=True)} against "
                f"{money_each(before, currency)} the period before",
                tone_of(change, MATERIAL_CHANGE),
            )
        )
    else:
        few = impact.previous.matured and not comparable(impact)
        tiles.append(
            Tile(
                f"Per {units.one}, vs before",
                money(now, currency) if now is not None else "n/a",
                f"too few known outcomes to compare (under {MIN_OUTCOMES_TO_COMPARE} in a window)"
                if few
                else "no earlier outcomes to compare",
            )
        )
    tiles.append(
        Tile(
            "Still to come (estimate)",
            money(figures.expected_value_pending, currency),
            f"{units.of(figures.pending)} awaiting outcomes; 95% range "
            f"{money(figures.pending_low, currency)} to {money(figures.pending_high, currency)}"
            if figures.pending
            else "every outcome known",
        )
    )
    return tiles


def plan_basis(plan: Plan | None, currency: str, units: Units) -> str:
    """Where a plan's value per prediction came from, when it is not the case's own budget."""
    if plan is None or plan.is_a_budget:
        return ""
    value = money_each(plan.value_per_prediction, currency)
    return f", at the reference's {value} each"


def _gap_words(share: float | None) -> str:
    """The gap as a share of the promise: "11.3% below the promise" (not "-11.3% of" it)."""
    if share is None:
        return "no promise to compare with"
    if abs(share) < 0.0005:
        return "in line with the promise"
    return f"{percent(abs(share))} {'above' if share > 0 else 'below'} the promise"


def things_to_know(data: ReportData, units: Units) -> list[str]:
    """The three things to know, by rule: the largest bridge effect, a threshold that would
    have earned materially more, a model that earned less than its baseline rule, what wrong
    predictions cost (a regression model's errors, a multiclass model's costliest wrong
    decision), the worst-moved input, the segment furthest below its promise. Those that
    only say nothing was found come last."""
    currency = data.case.currency
    slices = [s for segment in data.impact.segments.values() for s in segment]
    baseline = baseline_sentence(data.outlook, data.case, dated=False)
    things = [
        largest_bridge_step(
            data.impact.bridge,
            currency,
            units,
            data.impact.plan is None or data.impact.plan.is_a_budget,
        ),
        more_to_earn(data.outlook, data.case, dated=False),
        baseline if data.outlook.baseline and data.outlook.baseline.high < 0 else None,
        forecast_cost_sentence(data.figures.errors, currency, units),
        costliest_decision_sentence(data.confusion, currency, units),
        worst_drift(data.drift_where, data.drift, data.case, units),
        segment_losing_most(slices, currency, data.case.verdict, data.case.label)
        if slices
        else None,
    ]
    found = [thing for thing in things if thing]
    found.sort(key=lambda thing: thing.startswith(NOTHING_FOUND))  # stable: found first
    return found[:3]


def next_step(data: ReportData, judged: str | None, drift_level: str) -> str | None:
    """Where something needs a look: who should look (the case's `owner`), and where to start.
    None when nothing does: a report that needs nothing says nothing."""
    case = data.case
    who = case.owner or "the model's owner"
    if judged in NEEDS_A_LOOK:
        slices = [s for segment in data.impact.segments.values() for s in segment]
        off = [s for s in slices if s.figures.matured and judge(s.figures, case.verdict) == judged]
        short = sorted(off, key=lambda s: s.figures.gap if judged == "below" else -s.figures.gap)
        start = (
            f", starting with {case.label(short[0].segment)} \u201c{capped(short[0].value)}\u201d"
            if short
            else ""
        )
        return (
            f"Next step for {who}: find why value is off its promise{start} "
            "(\u201cWhere the money came from\u201d)."
        )
    if data.status.level == "problem":
        return f"Next step for {who}: fix the data problems under \u201cData quality\u201d."
    if drift_level == "problem" and data.drift_where is not None:
        return (
            f"Next step for {who}: find out why {case.label(data.drift_where.column)} moved "
            "(\u201cDid the inputs move?\u201d)."
        )
    return None


def charts(data: ReportData) -> dict[str, str | None]:
    """The report's charts as SVG data URIs (matplotlib is imported here: only a report that
    draws charts pays the 2 s it takes)."""
    from bottomline.report.chart_style import svg_data_uri
    from bottomline.report.charts import bridge_waterfall, cumulative_value, value_over_time
    from bottomline.report.drift_charts import score_distribution

    currency, impact = data.case.currency, data.impact
    shares = data.score_shares
    promised = promise_label(data.case.is_regression)
    return {
        "daily": svg_data_uri(value_over_time(impact.series, currency, impact.life, promised)),
        "cumulative": svg_data_uri(cumulative_value(impact.series, currency, promised))
        if impact.series.height > 1  # one day's running total is that day's bar
        else None,
        "waterfall": svg_data_uri(bridge_waterfall(impact.bridge, currency, plans_volume(impact)))
        if impact.bridge and impact.figures.matured >= MIN_OUTCOMES_TO_JUDGE
        else None,  # a bridge of no (or a handful of) known outcomes is all zeros or noise
        "scores": svg_data_uri(score_distribution(*shares)) if shares is not None else None,
    }


def slice_quality(case: BusinessCase) -> tuple[str, str]:
    """The slice tables' two columns of model quality, by the model's kind."""
    if case.is_regression:
        return ("Mean abs. error", "Bias")
    if case.is_multiclass:
        return ("Decided right", "Known outcomes")
    return ("Precision", "Recall")


NO_OUTLOOK: dict[str, Any] = {"email": [], "finality": None, "section": False}


def build_context(data: ReportData) -> dict[str, Any]:
    """The Jinja context of one model's business-impact report (see model_section.html.j2)."""
    case, figures = data.case, data.figures
    units = units_of(case)
    has_data = figures.predictions > 0
    outputs = model_outputs(case)
    drift_level, drift_sentence = drift_headline(data.drift, has_data, case.label, outputs)
    judged = judge(figures, case.verdict)
    recent = recent_sentence(data.impact.recent, figures, case.currency, case.verdict)
    return {
        "title": case.title,
        "model": case.name,
        "regression": case.is_regression,
        "slice_quality": slice_quality(case),
        "forecast_errors": forecast_errors_context(figures.errors, case.currency)
        if has_data
        else None,
        "confusion": confusion_context(data.confusion, case.currency),
        "classes": case.class_names,
        "currency": case.currency,
        "timezone": case.timezone,
        "units": units.many,
        "unit": units.one,
        "min_outcomes": MIN_OUTCOMES_TO_JUDGE,
        "matured_words": f"{count(figures.matured)} so far" if figures.matured else "none yet",
        "period": period(figures.start, figures.end),
        "verdict": verdict(case.title, case.currency, figures, case.verdict, units.many),
        "judged": judged,
        "pending": pending_sentence(case.currency, figures, units.many),
        "outlook": outlook_context(data.outlook, case, figures) if has_data else NO_OUTLOOK,
        "recent": recent,
        "life": life_sentence(data.impact.life, figures.start, figures.end),
        "has_data": has_data,
        "has_known_outcomes": figures.matured > 0,
        "tiles": kpi_tiles(data.impact, case.currency, units, case.verdict) if has_data else [],
        "things": things_to_know(data, units) if has_data else [],
        "charts": charts(data) if has_data else {},
        "alert": judged in NEEDS_A_LOOK or recent is not None,
        "next_step": next_step(data, judged, drift_level) if has_data else None,
        "needs_attention": judged in NEEDS_A_LOOK or "problem" in (data.status.level, drift_level),
        "data_level": data.status.level,
        "data_headline": data_headline(data),
        "data_lines": data_lines(data),
        "drift_level": drift_level,
        "drift_headline": drift_sentence,
        "drift_rows": drift_rows(data.drift, case.label, outputs),
        "drift_where": where_context(
            data.drift_where, case, data.impact.bridge.mix if data.impact.bridge else None
        ),
        "labels": {column: case.label(column) for column in case.kept_columns()},
        "impact": impact_context(
            data.impact,
            case.currency,
            units,
            case.verdict,
            case.is_multiclass,
            approvals=not (case.is_multiclass or case.is_regression),
        ),
        "trend": trend_rows(figures, data.trend, data.year_to_date, case.currency),
        "quality": quality_section(data),
        "maturity": maturity_by_age(data.series, figures.end),
        "data_docs": data.status.data_docs,
        "case_text": case.path.read_text(encoding="utf-8") if case.path.is_file() else "",
        "case_file": case.path.name,
        "sources": data.sources,
        "newest_files": [
            {
                "kind": f.kind,
                "name": "/".join(Path(f.path).parts[-3:]),  # the source pattern shows the rest
                "rows": f"{f.rows_loaded:,}",
                "hash": f.content_hash[:12],
                "loaded": timestamp_text(f.ingested_at),
            }
            for f in data.newest_files
        ],
        "reference_fingerprint": (data.reference_fingerprint or "")[:16],
        "run_id": data.run_id,
        "code_version": data.code_version,
        "generated_at": f"{data.generated_at:%Y-%m-%d %H:%M} UTC",
        "created_iso": data.generated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
