"""Everything one model's report shows, gathered from the warehouse into plain objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import polars as pl

from bottomline.config import BusinessCase
from bottomline.figures import PeriodFigures, daily_series, period_figures
from bottomline.report.quality import DataStatus, gather_data_status
from bottomline.sqlfiles import load_sql
from bottomline.warehouse import run


@dataclass(frozen=True)
class SourceLineage:
    """What was loaded from one kind of source (predictions or outcomes)."""

    kind: str
    pattern: str
    files: int
    rows_loaded: int
    rows_quarantined: int


@dataclass(frozen=True)
class ReportData:
    """One model's report for a window."""

    case: BusinessCase
    figures: PeriodFigures
    series: pl.DataFrame  # one row per day, see `figures.daily_series`
    status: DataStatus
    sources: list[SourceLineage]
    run_id: str
    code_version: str
    generated_at: dt.datetime  # UTC


def gather_report_data(
    con: duckdb.DuckDBPyConnection,
    case: BusinessCase,
    start: dt.date,
    end: dt.date,
    *,
    run_id: str,
    code_version: str,
    generated_at: dt.datetime,
    file_errors: list[str] | None = None,
    file_notes: list[str] | None = None,
    data_docs: str | None = None,
) -> ReportData:
    """Read a window's figures and the data's status for one model."""
    daily = con.sql(
        load_sql("report/daily_totals"), params={"model": case.name, "start": start, "end": end}
    ).pl()
    lineage = run(con, load_sql("report/source_lineage"), {"model": case.name})
    patterns = {
        "predictions": case.predictions.source.pattern,
        "outcomes": case.outcomes.source.pattern,
    }
    status = gather_data_status(
        con,
        case.name,
        run_id,
        start,
        end,
        file_errors=file_errors or [],
        file_notes=file_notes or [],
        data_docs=data_docs,
    )
    return ReportData(
        case=case,
        figures=period_figures(daily, start, end),
        series=daily_series(daily, start, end),
        status=status,
        sources=[
            SourceLineage(
                kind=row[0],
                pattern=patterns.get(row[0], ""),
                files=row[1],
                rows_loaded=row[2],
                rows_quarantined=row[3],
            )
            for row in lineage
        ],
        run_id=run_id,
        code_version=code_version,
        generated_at=generated_at,
    )
