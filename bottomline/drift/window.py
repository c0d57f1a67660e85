"""A window's drift: every profiled column against the reference, graded by effect size.

Computed from stored profiles only (the reference's and the window's days'), never from raw
rows. A statistic's severity is `alert` at or above its [warn, alert] thresholds' second
value, `warning` at or above the first, `none` below or without thresholds (DESIGN: alerts go
by effect size, not by p-value); a column takes its worst statistic's severity.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import polars as pl

from bottomline.case.config import BusinessCase
from bottomline.drift.bins import ColumnBins
from bottomline.drift.reference_bins import stored_bins
from bottomline.drift.stats import BinCounts, Statistic, column_statistics
from bottomline.sqlfiles import load_sql
from bottomline.warehouse import run, transaction

SEVERITY_ORDER = {"none": 0, "warning": 1, "alert": 2}
PROFILE_COLUMNS = {
    "column_name": pl.String,
    "bin": pl.String,
    "count": pl.Int64,
    "value_sum": pl.Float64,
    "matured": pl.Int64,
    "realized_value": pl.Float64,
}


@dataclass(frozen=True)
class GradedStatistic:
    statistic: Statistic
    severity: str


@dataclass(frozen=True)
class ColumnDrift:
    column: str
    kind: str
    rows: int  # window rows profiled
    statistics: list[GradedStatistic]

    @property
    def severity(self) -> str:
        return max(
            (s.severity for s in self.statistics), key=SEVERITY_ORDER.__getitem__, default="none"
        )

    def value(self, method: str) -> float | None:
        return next(
            (s.statistic.statistic for s in self.statistics if s.statistic.method == method), None
        )


def grade(value: float, thresholds: tuple[float, float] | None) -> str:
    if thresholds is None:
        return "none"
    warn, alert = thresholds
    magnitude = abs(value)
    return "alert" if magnitude >= alert else "warning" if magnitude >= warn else "none"


def read_profiles(
    con: duckdb.DuckDBPyConnection,
    model: str,
    start: dt.date,
    end: dt.date,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The reference's profile and the window's (summed over its days)."""
    reference = pl.DataFrame(
        run(con, load_sql("drift/reference_counts"), {"model": model}),
        schema=PROFILE_COLUMNS,
        orient="row",
    )
    window = pl.DataFrame(
        run(con, load_sql("drift/window_counts"), {"model": model, "start": start, "end": end}),
        schema=PROFILE_COLUMNS,
        orient="row",
    )
    return reference, window


def window_drift(
    case: BusinessCase, bins: list[ColumnBins], reference: pl.DataFrame, window: pl.DataFrame
) -> list[ColumnDrift]:
    """Drift of each column, worst first (then by PSI)."""
    drifts = []
    for column in bins:
        ref = reference.filter(pl.col("column_name") == column.column)
        now = window.filter(pl.col("column_name") == column.column)
        if now.height == 0:
            continue
        statistics = column_statistics(column, BinCounts.from_frame(ref), BinCounts.from_frame(now))
        graded = [
            GradedStatistic(s, grade(s.statistic, case.drift.thresholds(column.column, s.method)))
            for s in statistics
        ]
        drifts.append(ColumnDrift(column.column, column.kind, int(now["count"].sum()), graded))
    return sorted(drifts, key=lambda d: (-SEVERITY_ORDER[d.severity], -(d.value("psi") or 0.0)))


def measure_window(
    con: duckdb.DuckDBPyConnection, case: BusinessCase, start: dt.date, end: dt.date
) -> list[ColumnDrift]:
    """Drift of a window from the stored profiles (empty before the first aggregation)."""
    bins, _ = stored_bins(con, case.name)
    reference, window = read_profiles(con, case.name, start, end)
    return window_drift(case, bins, reference, window)


def store_drift(
    con: duckdb.DuckDBPyConnection,
    model: str,
    start: dt.date,
    end: dt.date,
    drifts: list[ColumnDrift],
    now: dt.datetime,
) -> None:
    """Replace the window's rows of the `drift` table."""
    results = pl.DataFrame(
        [
            (d.column, g.statistic.method, g.statistic.statistic, g.statistic.p_value, g.severity)
            for d in drifts
            for g in d.statistics
        ],
        schema={
            "column_name": pl.String,
            "method": pl.String,
            "statistic": pl.Float64,
            "p_value": pl.Float64,
            "severity": pl.String,
        },
        orient="row",
    )
    keys = {"model": model, "start": start, "end": end}
    con.register("drift_results", results)
    try:
        with transaction(con):
            run(con, load_sql("drift/results_replace"), keys)
            run(con, load_sql("drift/results_insert"), {**keys, "now": now})
    finally:
        con.unregister("drift_results")
