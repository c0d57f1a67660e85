"""Tasks: bring a model's daily aggregates up to date."""

from __future__ import annotations

import datetime as dt

import duckdb
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from bottomline import periods
from bottomline.aggregate import AggregateSummary, bring_up_to_date, stale_days
from bottomline.config import BusinessCase
from tasks.settings import Paths, open_warehouse, utc_now


@task(cache_policy=NO_CACHE)
def refresh_aggregates(paths: Paths, case: BusinessCase) -> AggregateSummary:
    """Recompute the days whose predictions or outcomes changed since the last run."""
    with open_warehouse(paths) as con:
        return _aggregate(con, case, stale_days(con, case.name))


@task(cache_policy=NO_CACHE)
def rebuild_aggregates(
    paths: Paths,
    case: BusinessCase,
    start: dt.date,
    end: dt.date,
) -> AggregateSummary:
    """Recompute every day of a range (a backfill), stale or not."""
    with open_warehouse(paths) as con:
        days = sorted(set(periods.days_between(start, end)) | set(stale_days(con, case.name)))
        return _aggregate(con, case, days)


def _aggregate(
    con: duckdb.DuckDBPyConnection,
    case: BusinessCase,
    days: list[dt.date],
) -> AggregateSummary:
    logger = get_run_logger()
    summary = bring_up_to_date(con, case, days, utc_now(), logger.info)
    if summary.days == 0:
        logger.info("%s: aggregates are up to date", case.name)
    else:
        logger.info(
            "%s: recomputed %d days (%s predictions)", case.name, summary.days, f"{summary.rows:,}"
        )
    return summary
