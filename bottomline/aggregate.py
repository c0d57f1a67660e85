"""Recompute the daily aggregates of the days whose rows changed.

Days come from `stale_days` (written by ingest in the same transaction as the rows), or a
range for a backfill. Each chunk of days is read, reduced with `metrics.daily_metrics` and
written in one transaction that also clears those days from `stale_days`, so a killed run
leaves them stale for the next one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from bottomline.calibration import Calibrator
from bottomline.config import BusinessCase
from bottomline.metrics import daily_metrics
from bottomline.sqlfiles import load_sql
from bottomline.warehouse import run, transaction

DAYS_PER_CHUNK = 31


@dataclass(frozen=True)
class AggregateSummary:
    days: int  # days recomputed
    rows: int  # prediction rows read
    first_day: dt.date | None
    last_day: dt.date | None


def stale_days(con: duckdb.DuckDBPyConnection, model: str) -> list[dt.date]:
    """Days of the model whose aggregates are out of date, in order."""
    return [row[0] for row in run(con, load_sql("aggregate/stale_days"), {"model": model})]


def aggregate_days(
    con: duckdb.DuckDBPyConnection,
    case: BusinessCase,
    calibrator: Calibrator,
    days: list[dt.date],
    progress: Callable[[str], None] = lambda m: None,
) -> AggregateSummary:
    """Recompute `metrics_daily` of `days` for the model."""
    ordered = sorted(set(days))
    rows_read = 0
    for start in range(0, len(ordered), DAYS_PER_CHUNK):
        chunk = ordered[start : start + DAYS_PER_CHUNK]
        rows = con.sql(
            load_sql("aggregate/rows_for_days", schema=case.name),
            params={"days": chunk, "first_day": chunk[0], "last_day": chunk[-1]},
        ).pl()
        metrics = daily_metrics(rows, case, calibrator)
        keys = {"model": case.name, "days": chunk}
        con.register("daily_metrics", metrics)
        try:
            with transaction(con):
                run(con, load_sql("aggregate/metrics_replace"), keys)
                run(con, load_sql("aggregate/metrics_insert"), {"model": case.name})
                run(con, load_sql("aggregate/stale_days_clear"), keys)
        finally:
            con.unregister("daily_metrics")
        rows_read += rows.height
        progress(f"aggregated {chunk[0]} to {chunk[-1]}: {rows.height:,} predictions")
    return AggregateSummary(
        days=len(ordered),
        rows=rows_read,
        first_day=ordered[0] if ordered else None,
        last_day=ordered[-1] if ordered else None,
    )
