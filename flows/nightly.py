"""The nightly run: every model (or those named), each as its own subflow."""

from __future__ import annotations

import datetime as dt

from prefect import flow
from prefect.client.schemas.objects import State
from prefect.runtime import flow_run

from flows.model import model_report, on_task_runner, run_name, units_at_once_on
from tasks.portfolio import build_portfolio, deliver_late, run_ids, succeeded
from tasks.settings import DEFAULT_OUTBOX, DEFAULT_REPORTS
from tasks.setup import model_names, prepare_warehouse, recipient_plan, resolve_paths


@flow(name="nightly", flow_run_name=run_name("nightly", "as_of"))
def nightly(
    as_of: dt.date | None = None,
    models: list[str] | None = None,
    models_dir: str = "models",
    warehouse: str | None = None,
    reports_dir: str = DEFAULT_REPORTS,
    outbox: str = DEFAULT_OUTBOX,
    deliver: bool = True,
    resend: bool = False,
    task_runner: str = "threads",
    dask_address: str | None = None,
) -> list[State]:
    """Report each model's last `report.period_days` to as-of (default: yesterday in the
    model's zone). A failing model fails the run, after the others have delivered. Each
    model's aggregation runs on `task_runner`: "threads", or "dask" (at `dask_address`).
    With several models, each recipient gets one message: the report of the one model they
    follow, or the portfolio of theirs (see bottomline.delivery.recipients)."""
    paths = resolve_paths(models_dir, warehouse, reports_dir, outbox)
    prepare_warehouse(paths)
    names = model_names(paths, models)
    plan = recipient_plan(paths, names) if len(names) > 1 else None  # one message each
    subflow = on_task_runner(model_report, task_runner, dask_address)
    states = [
        subflow(
            model,
            paths,
            "nightly",
            as_of=as_of,
            recipients=plan.alone(model) if plan else None,
            deliver=deliver,
            resend=resend,
            units_at_once=units_at_once_on(task_runner),
            return_state=True,
        )
        for model in names
    ]
    done = succeeded(names, states)
    recipients = plan.portfolio(done) if plan else []
    build_portfolio(paths, done, as_of, str(flow_run.id), deliver, recipients)
    if plan and deliver:
        deliver_late(paths, plan.late(done), run_ids(names, states))
    return states
