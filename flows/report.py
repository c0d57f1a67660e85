"""An ad hoc report: one model, any window, to the case's recipients or others."""

from __future__ import annotations

import datetime as dt

from prefect import flow

from bottomline.runs import RunEnd
from flows.model import model_report, run_name
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
) -> RunEnd:
    """Bring the model's data up to date and report on [start, end]."""
    paths = resolve_paths(models_dir, warehouse, reports_dir, outbox)
    model_names(paths, [model])
    prepare_warehouse(paths)
    return model_report(
        model,
        paths,
        "report",
        start=start,
        end=end,
        recipients=recipients,
        deliver=deliver,
        resend=resend,
    )
