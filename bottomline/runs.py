"""The `runs` table: one row per run of a flow for one model, from start to finish."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from bottomline.sqlfiles import load_sql
from bottomline.warehouse import run


@dataclass(frozen=True)
class RunStart:
    run_id: str
    flow: str  # nightly | report | backfill
    model: str
    as_of: dt.date | None
    period_start: dt.date | None
    period_end: dt.date | None
    started_at: dt.datetime  # UTC


@dataclass(frozen=True)
class RunEnd:
    finished_at: dt.datetime  # UTC
    status: str  # succeeded | failed
    rows_ingested: int
    rows_quarantined: int
    report_path: str | None
    delivered_to: str | None
    message: str | None = None
    data_docs_path: str | None = None
    verdict: str | None = None  # within | immaterial | below | above; None: no report, no outcomes
    range_low: float | None = None  # the 95% range realized value was judged against (currency)
    range_high: float | None = None


@dataclass(frozen=True)
class RunVerdict:
    """A report's verdict on its window, as `runs` keeps it."""

    verdict: str | None
    range_low: float | None
    range_high: float | None


def record_start(con: duckdb.DuckDBPyConnection, started: RunStart) -> None:
    run(con, load_sql("runs/start"), vars(started))


def record_end(con: duckdb.DuckDBPyConnection, run_id: str, end: RunEnd) -> None:
    run(con, load_sql("runs/finish"), {"run_id": run_id, **vars(end)})


def record_failure(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    flow: str,
    model: str,
    finished_at: dt.datetime,
    message: str,
) -> None:
    """Mark the run failed; a run that failed before it was recorded gets its row now."""
    keys = {"run_id": run_id, "finished_at": finished_at, "message": message}
    run(con, load_sql("runs/fail"), keys)
    run(con, load_sql("runs/fail_unstarted"), {**keys, "flow": flow, "model": model})


ALREADY_REPORTED = "already reported by run"  # the message of a run that re-rendered nothing


@dataclass(frozen=True)
class ReportedWindow:
    """An earlier run's report of a window, which stands when nothing changed since."""

    run_id: str
    report_path: str
    verdict: RunVerdict


def window_reported(
    con: duckdb.DuckDBPyConnection,
    model: str,
    flow: str,
    period: tuple[dt.date, dt.date],
    run_id: str,
) -> ReportedWindow | None:
    """The latest successful run of `flow` that rendered this model's report of `period`."""
    rows = run(
        con,
        load_sql("runs/window_reported"),
        {"model": model, "flow": flow, "start": period[0], "end": period[1], "run_id": run_id},
    )
    if not rows:
        return None
    earlier, path, verdict, low, high = rows[0]
    return ReportedWindow(earlier, path, RunVerdict(verdict, low, high))
