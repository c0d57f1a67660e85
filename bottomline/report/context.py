"""The template context of a report: every figure already written as people read it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bottomline.figures import PeriodFigures
from bottomline.report.charts import svg_data_uri, value_over_time
from bottomline.report.content import ReportData
from bottomline.report.drift_context import drift_headline, drift_rows, where_context
from bottomline.report.formatting import count, money, percent, period, plural
from bottomline.report.impact_context import impact_context
from bottomline.report.narrative import pending_sentence, verdict
from bottomline.report.quality import PROBLEM_SHARE

MAX_LISTED = 5  # findings and reasons listed on page one


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    note: str
    tone: str = "neutral"  # good | bad | neutral


def kpi_tiles(figures: PeriodFigures, currency: str) -> list[Tile]:
    """The four numbers of page one."""
    tone = (
        "neutral"
        if figures.within_band is None
        else "good"
        if figures.within_band
        else ("bad" if figures.gap < 0 else "good")
    )
    band = f"95% range {money(figures.band_low, currency)} to {money(figures.band_high, currency)}"
    gap_value = money(figures.gap, currency)
    if figures.gap > 0:
        gap_value = "+" + gap_value
    return [
        Tile(
            "Realized value",
            money(figures.realized_value, currency),
            f"on {count(figures.matured)} predictions with known outcomes",
        ),
        Tile("Promised by the scores", money(figures.expected_value_matured, currency), band),
        Tile(
            "Realized vs promised",
            gap_value,
            f"{percent(figures.gap_share, signed=True)} of the promise",
            tone,
        ),
        Tile(
            "Still to come (estimate)",
            money(figures.expected_value_pending, currency),
            f"{count(figures.pending)} predictions awaiting outcomes",
        ),
    ]


def _timestamp(value: dt.datetime | None) -> str:
    return f"{value:%-d %b %Y %H:%M} UTC" if value else "none yet"


def data_headline(data: ReportData) -> str:
    """One sentence on whether the data can be trusted."""
    status, checks = data.status, data.status.checks
    share = percent(status.share_set_aside)
    if status.level == "problem":
        problems = []
        if status.file_errors:
            problems.append(f"{plural(len(status.file_errors), 'source file')} could not be read")
        if status.share_set_aside >= PROBLEM_SHARE:
            problems.append(f"{share} of the period's prediction rows were set aside")
        return "Data problems: " + " and ".join(problems) + "."
    if status.level == "warning":
        failed = f"{len(checks.findings)} of {checks.checks} checks failed"
        aside = (
            f"; {count(status.set_aside_in_period)} of the period's rows set aside ({share})"
            if status.set_aside_in_period
            else ""
        )
        return f"Data usable, with warnings: {failed}{aside}."
    return f"Data passed all {checks.checks} checks; no rows were set aside."


def data_lines(data: ReportData) -> list[str]:
    """Page one: at most three plain lines under the headline."""
    figures, status = data.figures, data.status
    lines = []
    if status.file_errors:
        files = plural(len(status.file_errors), "source file")
        lines.append(
            f"{files} could not be read; their rows are not in these figures (see Data quality)."
        )
    if status.set_aside:
        top = "; ".join(
            f"{plural(item.rows, 'row')} like: {item.example}" for item in status.set_aside[:2]
        )
        more = len(status.set_aside) - 2
        tail = f"; and {plural(more, 'other reason')}." if more > 0 else "."
        lines.append(f"Set aside this run: {top}{tail}")
    lines.append(
        f"{count(figures.predictions)} predictions in the period, "
        f"{percent(figures.maturity, decimals=0)} with known outcomes; newest prediction "
        f"{_timestamp(status.newest_prediction)}, newest outcome "
        f"{_timestamp(status.newest_outcome)}."
    )
    return lines


@dataclass(frozen=True)
class CheckRow:
    severity: str
    suite: str
    description: str
    failing: str  # rows failing, of rows checked


def quality_section(data: ReportData) -> dict[str, Any]:
    """The appendix's data-quality detail: failed checks, rows set aside, unreadable files."""
    status = data.status
    checks = status.checks
    failed = [
        CheckRow(
            severity="Critical" if finding.severity == "critical" else "Warning",
            suite=finding.suite,
            description=finding.description,
            failing=f"{count(finding.unexpected)} of {count(finding.checked)}"
            if finding.checked
            else "none arrived",
        )
        for finding in checks.findings
    ]
    return {
        "checks_total": checks.checks,
        "checks_passed": checks.passed,
        "failed_checks": failed,
        "set_aside": [(count(item.rows), item.rule, item.example) for item in status.set_aside],
        "file_errors": status.file_errors,
        "file_notes": status.file_notes,
        "set_aside_in_period": count(status.set_aside_in_period),
        "share_set_aside": percent(status.share_set_aside),
    }


def build_context(data: ReportData) -> dict[str, Any]:
    """The Jinja context of the business-impact report."""
    case, figures = data.case, data.figures
    has_data = figures.predictions > 0
    return {
        "title": case.title,
        "model": case.name,
        "currency": case.currency,
        "timezone": case.timezone,
        "period": period(figures.start, figures.end),
        "verdict": verdict(case.title, case.currency, figures),
        "pending": pending_sentence(case.currency, figures),
        "has_data": has_data,
        "tiles": kpi_tiles(figures, case.currency) if has_data else [],
        "chart": svg_data_uri(value_over_time(data.series, case.currency)) if has_data else None,
        "data_level": data.status.level,
        "data_headline": data_headline(data),
        "data_lines": data_lines(data),
        "data_docs": data.status.data_docs,
        "quality": quality_section(data),
        "impact": impact_context(data.impact, case.currency),
        "drift_level": drift_headline(data.drift)[0],
        "drift_headline": drift_headline(data.drift)[1],
        "drift_rows": drift_rows(data.drift),
        "drift_where": where_context(data.drift_where, case.currency),
        "alert": figures.within_band is False and figures.gap < 0,
        "case_text": case.path.read_text(encoding="utf-8") if case.path.is_file() else "",
        "case_file": case.path.name,
        "sources": data.sources,
        "run_id": data.run_id,
        "code_version": data.code_version,
        "generated_at": f"{data.generated_at:%Y-%m-%d %H:%M} UTC",
        "created_iso": data.generated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
