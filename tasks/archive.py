"""Task: move a model's raw rows past its case's retention to the Parquet archive."""

from __future__ import annotations

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from bottomline import periods
from bottomline.archive.move import ArchiveMove, archive_due_rows
from bottomline.case.config import BusinessCase
from tasks.settings import Paths, open_warehouse, utc_now


@task(cache_policy=NO_CACHE)
def archive_old_rows(paths: Paths, case: BusinessCase, run_id: str) -> ArchiveMove | None:
    """After the aggregation (a day is moved only once its aggregates are current): rows of
    days older than `retention.raw_days`, a month per transaction. None when the case keeps
    every row."""
    if case.retention is None:
        return None
    logger = get_run_logger()
    now = utc_now()
    with open_warehouse(paths) as con:
        moved = archive_due_rows(con, case, periods.today(now, case.zone), run_id, now, logger.info)
    assert moved is not None
    if moved.leftovers_removed:
        logger.warning(
            "%s: removed %d archive file(s) an interrupted earlier move had left (their rows "
            "were still in the warehouse)",
            case.name,
            moved.leftovers_removed,
        )
    logger.info(
        "%s: %s predictions and %s outcomes of days before %s moved to the archive",
        case.name,
        f"{moved.predictions:,}",
        f"{moved.outcomes:,}",
        moved.cutoff,
    )
    return moved
