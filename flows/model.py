"""One model's run, as a subflow: nightly and ad hoc reports, and backfills."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from prefect import Flow, flow
from prefect.client.schemas.objects import FlowRun, State
from prefect.runtime import flow_run

from bottomline.runs import ALREADY_REPORTED, RunEnd
from tasks.aggregate import UNITS_AT_ONCE, plan_rebuild, plan_refresh, run_plan
from tasks.archive import archive_old_rows
from tasks.artifacts import publish_artifacts
from tasks.deliver import deliver_report, delivery_outcome
from tasks.ingest import ingest_sources
from tasks.report import build_report, earlier_report
from tasks.settings import Paths
from tasks.setup import (
    chosen_period,
    finish_run,
    load_model_case,
    mark_run_failed,
    nightly_period,
    start_run,
)

P = ParamSpec("P")
R = TypeVar("R")


def run_name(prefix: str, *fields: str) -> Callable[[], str]:
    """Flow-run names from parameters; `a|b` takes the first one given, else "latest"."""

    def name() -> str:
        parameters = flow_run.parameters
        parts = [
            next(
                (str(parameters[key]) for key in field.split("|") if parameters.get(key)), "latest"
            )
            for field in fields
        ]
        return "-".join([prefix, *parts] if prefix else parts)

    return name


def on_task_runner(subflow: Flow[P, R], task_runner: str, dask_address: str | None) -> Flow[P, R]:
    """The subflow with its tasks on threads (default) or on a Dask cluster: the one at
    `dask_address`, or a temporary local one when no address is given."""
    if task_runner == "threads":
        return subflow
    if task_runner != "dask":
        raise ValueError(f"task_runner {task_runner!r}: expected 'threads' or 'dask'")
    from prefect_dask.task_runners import DaskTaskRunner

    runner = DaskTaskRunner(address=dask_address) if dask_address else DaskTaskRunner()
    return subflow.with_options(task_runner=runner)  # type: ignore[arg-type]


def units_at_once_on(task_runner: str) -> int:
    """Aggregation units submitted together: a few on threads (memory), all on Dask."""
    return UNITS_AT_ONCE if task_runner == "threads" else 1_000


def record_failed_run(flow: Flow[..., Any], flow_run: FlowRun, state: State[Any]) -> None:
    """Hook: the `runs` row of a model whose run failed says so, and why."""
    parameters = flow_run.parameters
    mark_run_failed(
        Paths.model_validate(parameters["paths"]),
        str(flow_run.id),
        str(parameters.get("flow_label", flow.name)),
        str(parameters["model"]),
        state.message or "failed",
    )


@flow(
    name="model-report",
    flow_run_name=run_name("", "model", "end|as_of"),
    on_failure=[record_failed_run],
    on_crashed=[record_failed_run],
)
def model_report(
    model: str,
    paths: Paths,
    flow_label: str,
    as_of: dt.date | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    recipients: list[str] | None = None,
    deliver: bool = True,
    resend: bool = False,
    units_at_once: int = UNITS_AT_ONCE,
) -> RunEnd:
    """Ingest, aggregate, render and deliver one model's report for a window. A report that
    could not be delivered is kept, and the run is marked delivery_failed."""
    run_id = str(flow_run.id)
    case = load_model_case(paths, model)
    period = chosen_period(start, end) if start and end else nightly_period(case, as_of)
    start_run(paths, run_id, flow_label, model, period)
    ingested = ingest_sources(paths, case, run_id, period, nightly=flow_label == "nightly")
    aggregated = run_plan(paths, case, plan_refresh(paths, case), units_at_once)
    archive_old_rows(paths, case, run_id)
    earlier = earlier_report(
        paths, case, period, run_id, flow_label, (ingested, aggregated), resend
    )
    if earlier is not None:  # nothing new since a run that reported this window: it stands
        note = f"{ALREADY_REPORTED} {earlier.run_id}; nothing new since"
        return finish_run(paths, run_id, ingested, earlier.report_path, None, earlier.verdict, note)
    report = build_report(paths, case, period, run_id, ingested)
    delivery = (
        delivery_outcome(
            deliver_report(
                paths,
                report,
                case.report.recipients if recipients is None else recipients,
                run_id,
                resend,
                return_state=True,
            )
        )
        if deliver
        else None
    )
    publish_artifacts(report, paths)
    return finish_run(
        paths, run_id, ingested, str(report.rendered.pdf_path), delivery, report.verdict
    )


@flow(
    name="model-backfill",
    flow_run_name=run_name("", "model", "start", "end"),
    on_failure=[record_failed_run],
    on_crashed=[record_failed_run],
)
def model_backfill(
    model: str,
    paths: Paths,
    start: dt.date,
    end: dt.date,
    flow_label: str = "backfill",
    units_at_once: int = UNITS_AT_ONCE,
) -> RunEnd:
    """Ingest and recompute the aggregates of a range; nothing is rendered or sent."""
    run_id = str(flow_run.id)
    case = load_model_case(paths, model)
    period = chosen_period(start, end)
    start_run(paths, run_id, flow_label, model, period)
    ingested = ingest_sources(paths, case, run_id, period)
    run_plan(paths, case, plan_rebuild(paths, case, *period), units_at_once)
    archive_old_rows(paths, case, run_id)
    return finish_run(paths, run_id, ingested)
