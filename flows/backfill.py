"""Backfill: ingest and recompute a range of days for every model (or those named)."""

from __future__ import annotations

import datetime as dt

from prefect import flow
from prefect.client.schemas.objects import State

from flows.model import model_backfill, run_name
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
) -> list[State]:
    """Nothing is rendered or sent."""
    chosen_period(start, end)
    paths = resolve_paths(models_dir, warehouse, reports_dir, outbox)
    prepare_warehouse(paths)
    return [
        model_backfill(model, paths, start, end, return_state=True)
        for model in model_names(paths, models)
    ]
