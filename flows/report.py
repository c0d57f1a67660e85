"""An ad hoc report: one model, any window, to the case's recipients or others."""

from __future__ import annotations

import datetime as dt

from prefect import flow

from bottomline.runs import RunEnd
from flows.model import model_report, on_task_runner, run_name, units_at_once_on
from tasks.settings import DEFAULT_OUTBOX, DEFAULT_REPORTS
from tasks.setup import model_names, prepare_warehouse, resolve_paths


@flow(name="report", flow_run_name=run_name("report", "model", "start", "end"))
def report(
    model: str,
    start: dt.date,
    end: dt.date,
    recipients: list[str] | None = None,
    deliver: bool = True,
    models_dir: str = "models",
    warehouse: str | None = None,
    reports_dir: str = DEFAULT_REPORTS,
    outbox: str = DEFAULT_OUTBOX,
    resend: bool = True,
    task_runner: str = "threads",
    dask_address: str | None = None,
) -> RunEnd:
    """Bring the model's data up to date and report on [start, end]; aggregation runs on
    `task_runner` ("threads" or "dask", at `dask_address`)."""
    paths = resolve_paths(models_dir, warehouse, reports_dir, outbox)
    model_names(paths, [model])
    prepare_warehouse(paths)
    return on_task_runner(model_report, task_runner, dask_address)(
        model,
        paths,
        "report",
        start=start,
        end=end,
        recipients=recipients or None,  # none given: the case's recipients
        deliver=deliver,
        resend=resend,
        units_at_once=units_at_once_on(task_runner),
    )
