"""Template context for "Can we trust the data?": headline, page-one lines, appendix detail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl

from bottomline.report.content import ReportData
from bottomline.report.formatting import count, percent, plural
from bottomline.report.narrative import Units
from bottomline.report.quality import PROBLEM_SHARE

AGE_BUCKETS = [
    (0, 6, "under a week"),
    (7, 13, "1-2 weeks"),
    (14, 29, "2-4 weeks"),
    (30, 59, "1-2 months"),
    (60, 100_000, "2 months or more"),
]


def timestamp_text(value: dt.datetime | None) -> str:
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
        f"{Units(data.case.report.unit, data.case.report.unit_plural).of(figures.predictions)} "
        "in the period, "
        f"{percent(figures.maturity, decimals=0)} with known outcomes; newest prediction "
        f"{timestamp_text(status.newest_prediction)}, newest outcome "
        f"{timestamp_text(status.newest_outcome)}."
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


def maturity_by_age(series: pl.DataFrame, as_of: dt.date) -> list[dict[str, str]]:
    """Share of predictions with a known outcome, by how old the predictions are at as-of."""
    aged = series.with_columns((pl.lit(as_of) - pl.col("day")).dt.total_days().alias("age"))
    rows = []
    for low, high, label in AGE_BUCKETS:
        bucket = aged.filter(pl.col("age").is_between(low, high))
        predictions = int(bucket["predictions"].sum())
        if predictions:
            matured = int(bucket["matured"].sum())
            rows.append(
                {
                    "age": label,
                    "predictions": count(predictions),
                    "matured": percent(matured / predictions, decimals=0),
                }
            )
    return rows
