"""Everything one model's report shows, gathered from the warehouse into plain objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import numpy as np
import polars as pl

from bottomline.case.config import BusinessCase
from bottomline.drift.groups import DriftGroups, drift_groups
from bottomline.drift.reference_bins import stored_bins
from bottomline.drift.window import ColumnDrift, read_profiles, window_drift
from bottomline.impact.bridge import Plan, make_plan, reference_value_per_prediction
from bottomline.impact.result import BusinessImpact, business_impact
from bottomline.impact.uncertainty import CalibrationUncertainty
from bottomline.impact.windows import (
    ModelLife,
    earlier_windows,
    previous_window,
    year_to_date,
)
from bottomline.ingest.reference import ReferenceError, load_reference
from bottomline.ingest.sources import SourceError
from bottomline.measures.figures import PeriodFigures, period_figures
from bottomline.measures.metrics import STAKES_SCHEMA
from bottomline.measures.spread_store import stored_spread
from bottomline.report.confusion_context import ConfusionPair
from bottomline.report.outlook import Outlook, gather_outlook
from bottomline.report.quality import DataStatus, gather_data_status
from bottomline.report.score_bands import score_shares
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
class SourceFileLine:
    """One source file as loaded (lineage)."""

    kind: str
    path: str
    rows_loaded: int
    rows_quarantined: int
    content_hash: str  # sha256
    ingested_at: dt.datetime


@dataclass(frozen=True)
class ReportData:
    """One model's report for a window."""

    case: BusinessCase
    impact: BusinessImpact
    drift: list[ColumnDrift]  # every profiled column, worst first
    drift_where: DriftGroups | None  # where the worst-moved feature moved, if any moved
    score_shares: tuple[np.ndarray, np.ndarray] | None  # reference, window; see score_bands
    status: DataStatus
    sources: list[SourceLineage]
    newest_files: list[SourceFileLine]
    reference_fingerprint: str | None
    trend: list[PeriodFigures]  # the windows of the same length before, latest first (with data)
    year_to_date: PeriodFigures | None  # 1 January to the window's end
    run_id: str
    code_version: str
    generated_at: dt.datetime  # UTC
    confusion: list[ConfusionPair] = field(default_factory=list)  # a multiclass model's
    outlook: Outlook = field(default_factory=Outlook)  # more to earn, baseline, when final

    @property
    def figures(self) -> PeriodFigures:
        return self.impact.figures

    @property
    def series(self) -> pl.DataFrame:
        return self.impact.series


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
    """Read a window's figures (and the previous window's) and the data's status."""
    earliest, _ = previous_window(start, end)
    metrics = con.sql(
        load_sql("report/metrics_window"),
        params={"model": case.name, "start": earliest, "end": end},
    ).pl()
    lineage = run(con, load_sql("report/source_lineage"), {"model": case.name})
    patterns = {
        "predictions": case.predictions.source.describe(),
        "outcomes": case.outcomes.source.describe(),
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
    drift, where, shares = drift_of_window(con, case, start, end)
    files = run(con, load_sql("report/lineage_files"), {"model": case.name, "limit": 6})
    fingerprint = first_row(con, load_sql("report/reference_fingerprint"), {"model": case.name})
    trend = earlier_figures(con, case, start, end)
    uncertainty = calibration_uncertainty(con, case, start, end)
    return ReportData(
        case=case,
        impact=business_impact(
            metrics,
            case,
            load_plan(con, case),
            start,
            end,
            uncertainty,
            model_life(con, case),
        ),
        drift=drift,
        drift_where=where,
        score_shares=shares,
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
        newest_files=[SourceFileLine(*row) for row in files],
        reference_fingerprint=fingerprint[0] if fingerprint else None,
        trend=trend[1:],
        year_to_date=trend[0],
        run_id=run_id,
        code_version=code_version,
        generated_at=generated_at,
        confusion=confusion_pairs(con, case, start, end),
        outlook=gather_outlook(con, case, start, end, uncertainty.spread),
    )


def confusion_pairs(
    con: duckdb.DuckDBPyConnection, case: BusinessCase, start: dt.date, end: dt.date
) -> list[ConfusionPair]:
    """A multiclass model's (true, decided) pairs of the window (none for other kinds)."""
    if not case.is_multiclass:
        return []
    rows = run(
        con, load_sql("report/confusion_window"), {"model": case.name, "start": start, "end": end}
    )
    return [ConfusionPair(str(r[0]), str(r[1]), int(r[2]), float(r[3]), float(r[4])) for r in rows]


EARLIER_WINDOWS = 6  # the trend: this window against each of the six before it


def earlier_figures(
    con: duckdb.DuckDBPyConnection, case: BusinessCase, start: dt.date, end: dt.date
) -> list[PeriodFigures]:
    """Year to date, then the windows of the same length before this one that have data
    (latest first), from the whole-model daily totals."""
    windows = earlier_windows(start, end, EARLIER_WINDOWS)
    ytd = year_to_date(end)
    daily = con.sql(
        load_sql("report/daily_totals"),
        params={"model": case.name, "start": min(windows[-1][0], ytd[0]), "end": end},
    ).pl()
    earlier = [period_figures(daily, *window) for window in windows]
    return [period_figures(daily, *ytd), *[f for f in earlier if f.predictions]]


def model_life(con: duckdb.DuckDBPyConnection, case: BusinessCase) -> ModelLife | None:
    """The first and last day the model has predictions (None: it has none yet)."""
    row = first_row(con, load_sql("report/model_life"), {"model": case.name})
    return ModelLife(row[0], row[1]) if row and row[0] is not None else None


def calibration_uncertainty(
    con: duckdb.DuckDBPyConnection, case: BusinessCase, start: dt.date, end: dt.date
) -> CalibrationUncertainty:
    """The stored calibration spread and the window's stake sums."""
    stakes = con.sql(
        load_sql("report/stakes_window"), params={"model": case.name, "start": start, "end": end}
    ).pl()
    return CalibrationUncertainty(
        stored_spread(con, case.name),
        stakes.cast(STAKES_SCHEMA),
    )


def drift_of_window(
    con: duckdb.DuckDBPyConnection, case: BusinessCase, start: dt.date, end: dt.date
) -> tuple[list[ColumnDrift], DriftGroups | None, tuple[np.ndarray, np.ndarray] | None]:
    """The window's drift from stored profiles, and where its worst-moved feature moved."""
    bins, _ = stored_bins(con, case.name)
    reference, window = read_profiles(con, case.name, start, end)
    drift = window_drift(case, bins, reference, window)
    moved = next(
        (d for d in drift if d.severity != "none" and d.column in case.predictions.features), None
    )
    where = None
    if moved is not None:
        column = next(b for b in bins if b.column == moved.column)
        same = pl.col("column_name") == moved.column
        where = drift_groups(column, reference.filter(same), window.filter(same))
    # The score's bands are probabilities: a regression model's prediction has none.
    score = None if case.is_regression else next((b for b in bins if b.column == "score"), None)
    shares = None
    if score is not None:
        same = pl.col("column_name") == "score"
        shares = (
            score_shares(score, reference.filter(same)),
            score_shares(score, window.filter(same)),
        )
    return drift, where, shares


def load_plan(con: duckdb.DuckDBPyConnection, case: BusinessCase) -> Plan | None:
    """The plan: the case's figures, completed from the reference (its value per prediction,
    and, for a reference window, its daily volume)."""
    try:
        reference = load_reference(case, con)
    except (ReferenceError, SourceError):
        reference = None
    value = reference_value_per_prediction(reference, case) if reference is not None else None
    volume = None
    window = case.reference.window
    if window is not None:
        row = first_row(
            con,
            load_sql("report/reference_window_volume", schema=case.name),
            {"start": window.start, "end": window.end, "model": case.name},
        )
        volume = float(row[0]) if row and row[0] else None
    return make_plan(case, value, volume)
