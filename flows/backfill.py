"""Backfill: ingest and recompute a range of days for every model (or those named)."""

from __future__ import annotations

import datetime as dt

from prefect import flow
from prefect.client.schemas.objects import State

from flows.model import model_backfill, on_task_runner, run_name, units_at_once_on
from tasks.settings import DEFAULT_OUTBOX, DEFAULT_REPORTS
from tasks.setup import chosen_period, model_names, prepare_warehouse, resolve_paths


@flow(name="backfill", flow_run_name=run_name("backfill", "start", "end"))
def backfill(
    start: dt.date,
    end: dt.date,
    models: list[str] | None = None,
    models_dir: str = "models",
    warehouse: str | None = None,
    reports_dir: str = DEFAULT_REPORTS,
    outbox: str = DEFAULT_OUTBOX,
    task_runner: str = "threads",
    dask_address: str | None = None,
) -> list[State]:
    """Nothing is rendered or sent. Aggregation runs on `task_runner` ("threads" or "dask",
    at `dask_address`)."""
    chosen_period(start, end)
    paths = resolve_paths(models_dir, warehouse, reports_dir, outbox)
    prepare_warehouse(paths)
    subflow = on_task_runner(model_backfill, task_runner, dask_address)
    units_at_once = units_at_once_on(task_runner)
    return [
        subflow(model, paths, start, end, units_at_once=units_at_once, return_state=True)
        for model in model_names(paths, models)
    ]
