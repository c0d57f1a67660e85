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
import numpy as np
import polars as pl

from bottomline.calibration import IDENTITY, Calibrator, fit_calibrator
from bottomline.config import BusinessCase
from bottomline.drift.bins import ColumnBins
from bottomline.drift.profiles import profile
from bottomline.drift.reference_bins import current_bins
from bottomline.metrics import measure, summarize, valued_predictions
from bottomline.reference import load_reference
from bottomline.sqlfiles import load_sql
from bottomline.warehouse import run, transaction

DAYS_PER_CHUNK = 31


@dataclass(frozen=True)
class AggregateSummary:
    days: int  # days recomputed
    rows: int  # prediction rows read
    first_day: dt.date | None
    last_day: dt.date | None


def bring_up_to_date(
    con: duckdb.DuckDBPyConnection,
    case: BusinessCase,
    days: list[dt.date],
    now: dt.datetime,
    progress: Callable[[str], None] = lambda m: None,
) -> AggregateSummary:
    """Recompute the given days; when the reference changed since the bins were built, every
    day (calibration and bins both come from the reference)."""
    reference = load_reference(case, con)
    bins, rebuilt = current_bins(con, case, reference, now)
    if rebuilt:
        stored = [row[0] for row in run(con, load_sql("aggregate/all_days", schema=case.name))]
        if stored:
            progress(f"{case.name}: new reference bins; recomputing all {len(stored)} days")
        days = sorted(set(days) | set(stored))
    if not days:
        return AggregateSummary(days=0, rows=0, first_day=None, last_day=None)
    calibrator = fit_calibrator(reference, case.calibration, reference_stakes(reference, case))
    return aggregate_days(con, case, calibrator, bins, days, progress)


def reference_stakes(reference: pl.DataFrame, case: BusinessCase) -> np.ndarray | None:
    """Per reference row, what its outcome is worth: |value if positive - value if negative|
    (currency); None when the reference lacks the value rules' columns."""
    if not case.value.columns() <= set(reference.columns):
        return None
    rows = reference
    if "model_version" not in rows.columns:
        rows = rows.with_columns(pl.lit(None, pl.String).alias("model_version"))
    valued = valued_predictions(rows, case, Calibrator(pooled=IDENTITY))
    stakes: np.ndarray = (
        (valued["value_if_positive"] - valued["value_if_negative"]).abs().to_numpy()
    )
    return stakes


def stale_days(con: duckdb.DuckDBPyConnection, model: str) -> list[dt.date]:
    """Days of the model whose aggregates are out of date, in order."""
    return [row[0] for row in run(con, load_sql("aggregate/stale_days"), {"model": model})]


def aggregate_days(
    con: duckdb.DuckDBPyConnection,
    case: BusinessCase,
    calibrator: Calibrator,
    bins: list[ColumnBins],
    days: list[dt.date],
    progress: Callable[[str], None] = lambda m: None,
) -> AggregateSummary:
    """Recompute `metrics_daily` and `profiles_daily` of `days` for the model."""
    ordered = sorted(set(days))
    rows_read = 0
    for start in range(0, len(ordered), DAYS_PER_CHUNK):
        chunk = ordered[start : start + DAYS_PER_CHUNK]
        rows = con.sql(
            load_sql("aggregate/rows_for_days", schema=case.name),
            params={"days": chunk, "first_day": chunk[0], "last_day": chunk[-1]},
        ).pl()
        measured = measure(rows, case, calibrator)
        _write(con, case.name, chunk, summarize(measured, case), profile(measured, bins))
        rows_read += rows.height
        progress(f"aggregated {chunk[0]} to {chunk[-1]}: {rows.height:,} predictions")
    return AggregateSummary(
        days=len(ordered),
        rows=rows_read,
        first_day=ordered[0] if ordered else None,
        last_day=ordered[-1] if ordered else None,
    )


def _write(
    con: duckdb.DuckDBPyConnection,
    model: str,
    days: list[dt.date],
    metrics: pl.DataFrame,
    profiles: pl.DataFrame,
) -> None:
    """A chunk's aggregates and profiles replace the old ones, and the days stop being stale,
    in one transaction."""
    keys = {"model": model, "days": days}
    con.register("daily_metrics", metrics)
    con.register("daily_profiles", profiles)
    try:
        with transaction(con):
            run(con, load_sql("aggregate/metrics_replace"), keys)
            run(con, load_sql("aggregate/metrics_insert"), {"model": model})
            run(con, load_sql("aggregate/profiles_replace"), keys)
            run(con, load_sql("aggregate/profiles_insert"), {"model": model})
            run(con, load_sql("aggregate/stale_days_clear"), keys)
    finally:
        con.unregister("daily_metrics")
        con.unregister("daily_profiles")
