"""Tasks: recompute daily aggregates, one task per unit of rows (see bottomline.measures.aggregate).

Planning and writing hold the warehouse for writing; the unit tasks only read it (read-only
connections, which several processes may hold at once), so they can run in parallel on the
flow's task runner: threads by default, or a Dask cluster (`task_runner="dask"`).
"""

from __future__ import annotations

import datetime as dt

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from bottomline import periods
from bottomline.case.config import BusinessCase
from bottomline.measures.aggregate import (
    AggregateSummary,
    AggregationPlan,
    AggregationUnit,
    UnitAggregates,
    aggregate_unit,
    describe_unit,
    plan_aggregation,
    read_unit,
    stale_days,
    write_aggregates,
)
from tasks.settings import Paths, open_warehouse, utc_now

UNITS_AT_ONCE = 2  # units in memory together on the default (thread) runner


@task(cache_policy=NO_CACHE)
def plan_refresh(paths: Paths, case: BusinessCase) -> AggregationPlan:
    """The days whose predictions or outcomes changed since the last run, cut into units."""
    with open_warehouse(paths) as con:
        days = stale_days(con, case.name)
        return plan_aggregation(con, case, days, utc_now(), get_run_logger().info)


@task(cache_policy=NO_CACHE)
def plan_rebuild(paths: Paths, case: BusinessCase, start: dt.date, end: dt.date) -> AggregationPlan:
    """Every day of a range (a backfill), stale or not, cut into units."""
    with open_warehouse(paths) as con:
        days = sorted(set(periods.days_between(start, end)) | set(stale_days(con, case.name)))
        return plan_aggregation(con, case, days, utc_now(), get_run_logger().info)


@task(cache_policy=NO_CACHE)
def aggregate_rows(
    paths: Paths, case: BusinessCase, plan: AggregationPlan, unit: AggregationUnit
) -> UnitAggregates:
    """One unit's metrics and profiles."""
    with open_warehouse(paths, read_only=True) as con:
        result = aggregate_unit(read_unit(con, case, unit, plan.batch_rows), case, plan)
    get_run_logger().info("aggregated %s: %s predictions", describe_unit(unit), f"{result.rows:,}")
    return result


@task(cache_policy=NO_CACHE)
def write_aggregation(
    paths: Paths, case: BusinessCase, plan: AggregationPlan, results: list[UnitAggregates]
) -> AggregateSummary:
    """The units' sums written, in one transaction."""
    with open_warehouse(paths) as con:
        summary = write_aggregates(con, case, plan, results)
    logger = get_run_logger()
    if summary.days == 0:
        logger.info("%s: aggregates are up to date", case.name)
    else:
        logger.info(
            "%s: recomputed %d days (%s predictions)", case.name, summary.days, f"{summary.rows:,}"
        )
    return summary


def run_plan(
    paths: Paths, case: BusinessCase, plan: AggregationPlan, at_once: int = UNITS_AT_ONCE
) -> AggregateSummary:
    """Submit the plan's units to the flow's task runner, `at_once` at a time, then write."""
    results: list[UnitAggregates] = []
    for first in range(0, len(plan.units), at_once):
        futures = [
            aggregate_rows.submit(paths, case, plan, unit)
            for unit in plan.units[first : first + at_once]
        ]
        results += [future.result() for future in futures]
    return write_aggregation(paths, case, plan, results)
