"""The template context of a report: every figure already written as people read it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bottomline.figures import PeriodFigures
from bottomline.report.charts import svg_data_uri, value_over_time
from bottomline.report.content import ReportData
from bottomline.report.formatting import count, money, percent, period
from bottomline.report.narrative import pending_sentence, verdict


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


def data_lines(data: ReportData) -> list[str]:
    """Plain statements on how far the data can be trusted."""
    figures, status = data.figures, data.status
    lines = [
        f"{count(figures.predictions)} predictions in the period, "
        f"{percent(figures.maturity, decimals=0)} with known outcomes.",
        f"Newest prediction {_timestamp(status.newest_prediction)}; newest outcome "
        f"{_timestamp(status.newest_outcome)}.",
        f"{count(status.quarantined_rows)} rows set aside as unusable (quarantine)."
        if status.quarantined_rows
        else "No rows were set aside as unusable.",
    ]
    if status.file_errors:
        lines.append(
            f"{len(status.file_errors)} source file(s) could not be read: "
            + "; ".join(status.file_errors[:3])
        )
    return lines


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
        "data_lines": data_lines(data),
        "alert": figures.within_band is False and figures.gap < 0,
        "case_text": case.path.read_text(encoding="utf-8") if case.path.is_file() else "",
        "case_file": case.path.name,
        "sources": data.sources,
        "run_id": data.run_id,
        "code_version": data.code_version,
        "generated_at": f"{data.generated_at:%Y-%m-%d %H:%M} UTC",
        "created_iso": data.generated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
