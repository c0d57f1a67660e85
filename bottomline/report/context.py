"""The template context of one model's report: every figure already written as people read it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bottomline.config import BusinessCase, VerdictSpec
from bottomline.impact.result import BusinessImpact
from bottomline.report.content import ReportData
from bottomline.report.drift_context import drift_headline, drift_rows, where_context
from bottomline.report.formatting import money, percent, period
from bottomline.report.impact_context import impact_context, signed_money
from bottomline.report.narrative import (
    Units,
    largest_bridge_step,
    pending_sentence,
    segment_losing_most,
    verdict,
    worst_drift,
)
from bottomline.report.quality_context import (
    data_headline,
    data_lines,
    maturity_by_age,
    quality_section,
    timestamp_text,
)
from bottomline.verdict import NEEDS_A_LOOK, judge


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    note: str
    tone: str = "neutral"  # good | bad | neutral


def units_of(case: BusinessCase) -> Units:
    return Units(case.report.unit, case.report.unit_plural)


def kpi_tiles(
    impact: BusinessImpact, currency: str, units: Units, rule: VerdictSpec | None = None
) -> list[Tile]:
    """Page one's six numbers: realized, promised, gap, against plan, against the period
    before, and what is still to come (each range at 95%)."""
    figures = impact.figures
    band = f"95% range {money(figures.band_low, currency)} to {money(figures.band_high, currency)}"
    judged = judge(figures, rule or VerdictSpec())
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
            f"{percent(figures.gap_share, signed=True)} of the promise",
            gap_tone,
        ),
    ]
    bridge = impact.bridge
    if bridge is not None:
        against = bridge.realized - bridge.plan
        tiles.append(
            Tile(
                "Against plan",
                signed_money(against, currency),
                f"plan {money(bridge.plan, currency)} for these {units.many}",
                "good" if against >= 0 else "bad",
            )
        )
    else:
        tiles.append(Tile("Against plan", "n/a", "no plan in the business case or reference"))
    now, before = figures.value_per_prediction, impact.previous.value_per_prediction
    if now is not None and before:
        change = (now - before) / abs(before)
        tiles.append(
            Tile(
                f"Per {units.one}, vs before",
                money(now, currency),
                f"{percent(change, signed=True)} against "
                f"{money(before, currency)} the period before",
                "good" if change >= 0 else "bad",
            )
        )
    else:
        tiles.append(Tile(f"Per {units.one}, vs before", "n/a", "no earlier outcomes to compare"))
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


def things_to_know(data: ReportData, units: Units) -> list[str]:
    """The three things to know, by rule: the largest bridge effect, the worst-moved input,
    the segment furthest below its promise."""
    currency = data.case.currency
    slices = [s for segment in data.impact.segments.values() for s in segment]
    things = [
        largest_bridge_step(data.impact.bridge, currency, units),
        worst_drift(data.drift_where, data.drift, currency, units),
        segment_losing_most(slices, currency, data.case.verdict) if slices else None,
    ]
    return [thing for thing in things if thing]


def charts(data: ReportData) -> dict[str, str | None]:
    """The report's charts as SVG data URIs (matplotlib is imported here: only a report that
    draws charts pays the 2 s it takes)."""
    from bottomline.report.chart_style import svg_data_uri
    from bottomline.report.charts import bridge_waterfall, cumulative_value, value_over_time
    from bottomline.report.drift_charts import score_distribution

    currency, impact = data.case.currency, data.impact
    shares = data.score_shares
    return {
        "daily": svg_data_uri(value_over_time(impact.series, currency)),
        "cumulative": svg_data_uri(cumulative_value(impact.series, currency)),
        "waterfall": svg_data_uri(bridge_waterfall(impact.bridge, currency))
        if impact.bridge
        else None,
        "scores": svg_data_uri(score_distribution(*shares)) if shares is not None else None,
    }


def build_context(data: ReportData) -> dict[str, Any]:
    """The Jinja context of one model's business-impact report (see model_section.html.j2)."""
    case, figures = data.case, data.figures
    units = units_of(case)
    has_data = figures.predictions > 0
    drift_level, drift_sentence = drift_headline(data.drift)
    judged = judge(figures, case.verdict)
    return {
        "title": case.title,
        "model": case.name,
        "currency": case.currency,
        "timezone": case.timezone,
        "units": units.many,
        "unit": units.one,
        "period": period(figures.start, figures.end),
        "verdict": verdict(case.title, case.currency, figures, case.verdict),
        "judged": judged,
        "pending": pending_sentence(case.currency, figures, units.many),
        "has_data": has_data,
        "tiles": kpi_tiles(data.impact, case.currency, units, case.verdict) if has_data else [],
        "things": things_to_know(data, units) if has_data else [],
        "charts": charts(data) if has_data else {},
        "alert": judged in NEEDS_A_LOOK,
        "needs_attention": judged in NEEDS_A_LOOK or "problem" in (data.status.level, drift_level),
        "data_level": data.status.level,
        "data_headline": data_headline(data),
        "data_lines": data_lines(data),
        "drift_level": drift_level,
        "drift_headline": drift_sentence,
        "drift_rows": drift_rows(data.drift),
        "drift_where": where_context(data.drift_where, case.currency),
        "impact": impact_context(data.impact, case.currency, units, case.verdict),
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
