"""Task: load a model's new source files into the warehouse."""

from __future__ import annotations

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from bottomline.config import BusinessCase
from bottomline.ingest import IngestContext, IngestSummary, ingest_model
from bottomline.warehouse import connect
from tasks.settings import Paths, utc_now


@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[10, 60])
def ingest_sources(paths: Paths, case: BusinessCase, run_id: str) -> list[IngestSummary]:
    """New prediction and outcome files of one model; retried, as sources can be flaky."""
    logger = get_run_logger()
    with connect(paths.warehouse) as con:
        summaries = ingest_model(con, IngestContext(case, run_id, utc_now()), logger.info)
    for summary in summaries:
        logger.info(
            "%s of %s: %d files (%d new, %d unchanged), %s rows loaded, %s set aside",
            summary.kind,
            case.name,
            summary.files_found,
            summary.files_loaded,
            summary.files_unchanged,
            f"{summary.rows_loaded:,}",
            f"{summary.rows_quarantined:,}",
        )
        for error in summary.errors:
            logger.warning("%s", error)
    return summaries
