"""Task: load and validate a model's new source files; build the run's GX data docs (when it
checked any rows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from bottomline.case.config import BusinessCase
from bottomline.ingest.run import IngestContext, IngestReport, ingest_model
from bottomline.validation.gx_runner import GxValidator
from tasks.settings import Paths, database_dsns, open_warehouse, source_retry_delays, utc_now


@dataclass(frozen=True)
class Ingested:
    report: IngestReport
    data_docs: Path | None  # index.html of the run's GX data docs


@task(
    cache_policy=NO_CACHE,
    retries=len(source_retry_delays()),
    retry_delay_seconds=source_retry_delays(),
)
def ingest_sources(
    paths: Paths,
    case: BusinessCase,
    run_id: str,
    period: tuple[dt.date, dt.date] | None,
    nightly: bool = False,
) -> Ingested:
    """New predictions and outcomes of one model (files, or database rows past the watermark),
    validated; retried, as sources can be flaky (a retry loads only what the failed attempt
    did not commit). Only a nightly run checks that new files arrived: an ad hoc report or a
    backfill of past days expects none."""
    logger = get_run_logger()
    now = utc_now()
    validator = GxValidator(run_name=run_id, run_time=now)
    context = IngestContext(
        case,
        run_id,
        now,
        as_of=period[1] if period else None,
        period_start=period[0] if period else None,
        dsns=database_dsns(case),
        checks_arrival=nightly,
    )
    with open_warehouse(paths) as con:
        report = ingest_model(con, context, validator, logger.info)
    for summary in report.summaries:
        logger.info(
            "%s of %s: %d files (%d new, %d unchanged, %d moved), %s rows loaded, %s set "
            "aside, %s earlier rows replaced by a later copy",
            summary.kind,
            case.name,
            summary.files_found,
            summary.files_loaded,
            summary.files_unchanged,
            summary.files_moved,
            f"{summary.rows_loaded:,}",
            f"{summary.rows_quarantined:,}",
            f"{summary.rows_replaced:,}",
        )
        for problem in summary.errors + summary.notes:
            logger.warning("%s", problem)
    for note in report.notes:
        logger.warning("%s", note)
    failed = [result for result in report.results if not result.success]
    for result in failed:
        logger.warning(
            "check failed (%s, %s): %s - %s rows",
            result.rule.severity,
            result.suite,
            result.rule.description,
            f"{result.unexpected_count:,}",
        )
    docs = validator.build_docs(paths.reports_dir / case.name / "data_docs" / run_id)
    logger.info(
        "%s: %d checks, %d failed; %s",
        case.name,
        len(report.results),
        len(failed),
        f"data docs {docs}" if docs else "no new rows, so no data docs",
    )
    return Ingested(report=report, data_docs=docs)
