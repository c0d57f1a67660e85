"""Everything one model's report shows, gathered from the warehouse into plain objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import polars as pl

from bottomline.config import BusinessCase
from bottomline.figures import PeriodFigures, daily_series, period_figures
from bottomline.sqlfiles import load_sql
from bottomline.warehouse import first_row, run


@dataclass(frozen=True)
class SourceLineage:
    """What was loaded from one kind of source (predictions or outcomes)."""

    kind: str
    pattern: str
    files: int
    rows_loaded: int
    rows_quarantined: int


@dataclass(frozen=True)
class DataStatus:
    """How far the data can be trusted: freshness and rows set aside (times UTC)."""

    newest_prediction: dt.datetime | None
    newest_outcome: dt.datetime | None
    quarantined_rows: int
    file_errors: list[str] = field(default_factory=list)


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
) -> ReportData:
    """Read a window's figures and the data's status for one model."""
    daily = con.sql(
        load_sql("report/daily_totals"), params={"model": case.name, "start": start, "end": end}
    ).pl()
    freshness = first_row(con, load_sql("report/freshness", schema=case.name))
    assert freshness is not None
    lineage = run(con, load_sql("report/source_lineage"), {"model": case.name})
    patterns = {
        "predictions": case.predictions.source.pattern,
        "outcomes": case.outcomes.source.pattern,
    }
    return ReportData(
        case=case,
        figures=period_figures(daily, start, end),
        series=daily_series(daily, start, end),
        status=DataStatus(
            newest_prediction=freshness[0],
            newest_outcome=freshness[1],
            quarantined_rows=int(freshness[2]),
            file_errors=file_errors or [],
        ),
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
