"""Tasks that prepare a model's run: its business case, period, warehouse and `runs` row."""

from __future__ import annotations

import datetime as dt

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from bottomline import periods
from bottomline.case.config import BusinessCase, case_files, load_cases
from bottomline.case.errors import ConfigError
from bottomline.delivery.recipients import RecipientPlan
from bottomline.ingest.preflight import check_columns
from bottomline.ingest.run import file_errors
from bottomline.runs import RunEnd, RunStart, RunVerdict, record_end, record_failure, record_start
from bottomline.warehouse import migrate
from tasks.deliver import Delivery
from tasks.ingest import Ingested
from tasks.settings import (
    Paths,
    keep_files_private,
    open_warehouse,
    utc_now,
    with_pii_key,
    with_store_access,
)


@task(cache_policy=NO_CACHE)
def resolve_paths(
    models_dir: str,
    warehouse: str | None,
    reports_dir: str,
    outbox: str,
) -> Paths:
    return Paths.resolve(models_dir, warehouse, reports_dir, outbox)


@task(cache_policy=NO_CACHE)
def model_names(paths: Paths, models: list[str] | None) -> list[str]:
    """The models to run: all business cases in the folder, or those named (a case that
    cannot be read fails its own model's run, not this one)."""
    return list(case_files(paths.models_dir, models))


@task(cache_policy=NO_CACHE)
def recipient_plan(paths: Paths, models: list[str]) -> RecipientPlan:
    """Who gets which message tonight (see bottomline.delivery.recipients); a case that
    cannot be read fails its own model's run, and counts here as having no recipients."""
    recipients = {}
    for model in models:
        try:
            recipients[model] = load_cases(paths.models_dir, [model])[0].report.recipients
        except ConfigError:
            recipients[model] = []
    return RecipientPlan.of(recipients)


@task(cache_policy=NO_CACHE)
def load_model_case(paths: Paths, model: str) -> BusinessCase:
    """The model's business case, checked against its sources' columns."""
    case = with_store_access(load_cases(paths.models_dir, [model])[0])
    check_columns(case)
    return with_pii_key(case)


@task(cache_policy=NO_CACHE)
def nightly_period(case: BusinessCase, as_of: dt.date | None) -> tuple[dt.date, dt.date]:
    """The window a nightly report covers: `report.period_days` ending on as-of (default:
    yesterday in the case's time zone)."""
    end = as_of or periods.yesterday(dt.datetime.now(dt.UTC), case.zone)
    return periods.trailing_window(end, case.report.period_days)


@task(cache_policy=NO_CACHE)
def chosen_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    return periods.checked_window(start, end)


@task(cache_policy=NO_CACHE)
def prepare_warehouse(paths: Paths) -> None:
    """Keep what the run writes private (unless told otherwise), then create or migrate the
    warehouse's shared tables."""
    keep_files_private(paths)
    with open_warehouse(paths) as con:
        applied = migrate(con, utc_now())
    if applied:
        get_run_logger().info("warehouse %s: applied %s", paths.warehouse, ", ".join(applied))


@task(cache_policy=NO_CACHE)
def start_run(
    paths: Paths, run_id: str, flow: str, model: str, period: tuple[dt.date, dt.date] | None
) -> str:
    """A `runs` row in state running; the period is None for a backfill's range-less start."""
    run = RunStart(
        run_id=run_id,
        flow=flow,
        model=model,
        as_of=period[1] if period else None,
        period_start=period[0] if period else None,
        period_end=period[1] if period else None,
        started_at=utc_now(),
    )
    with open_warehouse(paths) as con:
        record_start(con, run)
    return run_id


@task(cache_policy=NO_CACHE)
def finish_run(
    paths: Paths,
    run_id: str,
    ingested: Ingested,
    report_path: str | None = None,
    delivery: Delivery | None = None,
    judged: RunVerdict | None = None,
    note: str | None = None,
) -> RunEnd:
    """Mark the run succeeded, with what it loaded, wrote and sent (and `note`, first in its
    message); or delivery_failed, with the report kept, and raise so that the run shows as
    failed."""
    summaries = ingested.report.summaries
    failed = delivery is not None and delivery.error is not None
    problems = ([note] if note else []) + file_errors(summaries)
    if failed:
        assert delivery is not None
        problems.insert(
            0,
            f"delivery failed ({delivery.error}); the report is kept at "
            f"{report_path}; send it with `bottomline send {run_id}`",
        )
    end = RunEnd(
        finished_at=utc_now(),
        status="delivery_failed" if failed else "succeeded",
        rows_ingested=sum(summary.rows_loaded for summary in summaries),
        rows_quarantined=sum(summary.rows_quarantined for summary in summaries),
        report_path=report_path,
        delivered_to=delivery.delivered_to if delivery else None,
        message="; ".join(problems) or None,
        data_docs_path=str(ingested.data_docs) if ingested.data_docs else None,
        **(vars(judged) if judged else {}),
    )
    with open_warehouse(paths) as con:
        record_end(con, run_id, end)
    if failed:
        raise DeliveryFailedError(end.message or "delivery failed")
    return end


class DeliveryFailedError(RuntimeError):
    """The report was made and kept, but could not be sent."""


def mark_run_failed(paths: Paths, run_id: str, flow: str, model: str, message: str) -> None:
    """Record a failed run (called from flow hooks, outside any task)."""
    with open_warehouse(paths) as con:
        record_failure(con, run_id, flow, model, utc_now(), message)
