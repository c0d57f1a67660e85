"""Recompute the daily aggregates of the days whose rows changed.

Days come from `stale_days` (written by ingest in the same transaction as the rows), or a
range for a backfill. A plan packs them into units of whole days of at most `ROWS_PER_UNIT`
prediction rows (a larger day is a unit of its own). A unit's rows are streamed from the
warehouse in batches of at most `ROWS_PER_UNIT` rows, each reduced to sums (metrics and
profiles) and merged, so memory stays bounded however big a night is; units are independent,
which is what lets them run in parallel (on Prefect's task runner, Dask included). The units'
sums are merged and written in one transaction that also clears the days from `stale_days`, so
a killed run leaves them stale for the next one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import duckdb
import numpy as np
import polars as pl

from bottomline.archive.reads import archived_rows
from bottomline.case.config import BusinessCase
from bottomline.drift.bins import ColumnBins
from bottomline.drift.profiles import PROFILE_SCHEMA, profile
from bottomline.drift.reference_bins import current_bins
from bottomline.ingest.reference import load_reference
from bottomline.measures.calibration import IDENTITY, Calibrator, fit_calibrator
from bottomline.measures.calibration_spread import CalibrationSpread
from bottomline.measures.error_model import ErrorModel, fit_errors
from bottomline.measures.levers import (
    ARRIVAL_GRAIN,
    ARRIVALS_SCHEMA,
    CURVE_GRAIN,
    CURVE_SCHEMA,
    CURVE_SUMS,
    arrival_sums,
    curve_sums,
)
from bottomline.measures.metrics import (
    GRAIN,
    MEASURES,
    STAKE_GRAIN,
    STAKES,
    STAKES_SCHEMA,
    measure,
    stake_sums,
    summarize,
    valued_predictions,
)
from bottomline.measures.multiclass import (
    CONFUSION_GRAIN,
    CONFUSION_SCHEMA,
    ClassCalibration,
    confusion_sums,
    fit_class_calibration,
)
from bottomline.measures.spread_store import (
    current_class_spread,
    current_error_spread,
    current_spread,
    spread_is_current,
    wanted_fingerprint,
)
from bottomline.sqlfiles import load_sql
from bottomline.warehouse import run, transaction

DAYS_PER_UNIT = 31
ROWS_PER_UNIT = 1_000_000
PROFILE_KEYS = ["day", "column_name", "kind", "bin"]


@dataclass(frozen=True)
class AggregateSummary:
    days: int  # days recomputed
    rows: int  # prediction rows read
    first_day: dt.date | None
    last_day: dt.date | None


@dataclass(frozen=True)
class AggregationUnit:
    """Prediction rows of some whole days, read and reduced together."""

    days: tuple[dt.date, ...]


@dataclass(frozen=True)
class AggregationPlan:
    """What a recomputation needs: the days, how they are cut, and the reference's bins and
    calibration every unit uses."""

    days: list[dt.date]
    units: list[AggregationUnit]
    calibrator: Calibrator
    bins: list[ColumnBins]
    batch_rows: int = ROWS_PER_UNIT  # rows reduced together, at most
    spread: CalibrationSpread | None = None  # the calibration's replicates, for stake sums
    errors: ErrorModel | None = None  # a regression model's, in place of a calibration
    classes: ClassCalibration | None = None  # a multiclass model's, in place of a calibration
    switch: Calibrator | None = None  # a binary classifier's, for its decision curve


@dataclass(frozen=True)
class UnitAggregates:
    """A unit's sums: `metrics_daily`, `profiles_daily`, `calibration_stakes_daily`,
    `confusion_daily`, `decision_curve_daily` and `outcome_arrivals_daily` rows (without
    `model`)."""

    metrics: pl.DataFrame
    profiles: pl.DataFrame
    rows: int  # prediction rows read
    stakes: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=STAKES_SCHEMA))
    confusion: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=CONFUSION_SCHEMA))
    curve: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=CURVE_SCHEMA))
    arrivals: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=ARRIVALS_SCHEMA))


def bring_up_to_date(
    con: duckdb.DuckDBPyConnection,
    case: BusinessCase,
    days: list[dt.date],
    now: dt.datetime,
    progress: Callable[[str], None] = lambda m: None,
) -> AggregateSummary:
    """Recompute the given days, one unit after another (see `plan_aggregation`)."""
    return _execute(con, case, plan_aggregation(con, case, days, now, progress), progress)


def aggregate_days(
    con: duckdb.DuckDBPyConnection,
    case: BusinessCase,
    calibrator: Calibrator,
    bins: list[ColumnBins],
    days: list[dt.date],
    rows_per_unit: int = ROWS_PER_UNIT,
) -> AggregateSummary:
    """Recompute `days` with the given calibration and bins."""
    return _execute(con, case, plan_days(con, case, days, calibrator, bins, rows_per_unit))


def _execute(
    con: duckdb.DuckDBPyConnection,
    case: BusinessCase,
    plan: AggregationPlan,
    progress: Callable[[str], None] = lambda m: None,
) -> AggregateSummary:
    results = []
    for unit in plan.units:
        results.append(aggregate_unit(read_unit(con, case, unit, plan.batch_rows), case, plan))
        progress(f"aggregated {describe_unit(unit)}: {results[-1].rows:,} predictions")
    return write_aggregates(con, case, plan, results)


def plan_aggregation(
    con: duckdb.DuckDBPyConnection,
    case: BusinessCase,
    days: list[dt.date],
    now: dt.datetime,
    progress: Callable[[str], None] = lambda m: None,
) -> AggregationPlan:
    """The days to recompute, cut into units; when the reference changed since the bins were
    built, every stored day (calibration and bins both come from the reference)."""
    reference = load_reference(case, con)
    bins, rebuilt = current_bins(con, case, reference, now)
    spread_changed = not spread_is_current(con, case.name, wanted_fingerprint(case, reference))
    if rebuilt or spread_changed:
        stored = [
            row[0]
            for row in run(
                con,
                load_sql("measures/aggregate/all_days", schema=case.name),
                {"model": case.name},
            )
        ]
        if stored:
            changed = "reference bins" if rebuilt else "calibration spread"
            progress(f"{case.name}: new {changed}; recomputing all {len(stored)} days")
        days = sorted(set(days) | set(stored))
    if not days:
        return AggregationPlan(days=[], units=[], calibrator=Calibrator(pooled=IDENTITY), bins=bins)
    if case.is_multiclass:
        classes = fit_class_calibration(reference, case)
        plan = plan_days(con, case, days, Calibrator(pooled=IDENTITY), bins)
        spread = current_class_spread(con, case, reference, classes, now)
        return replace(plan, classes=classes, spread=spread)
    if case.is_regression:
        errors = fit_errors(reference)
        plan = plan_days(con, case, days, Calibrator(pooled=IDENTITY), bins)
        return replace(
            plan, errors=errors, spread=current_error_spread(con, case, reference, errors, now)
        )
    stakes = reference_stakes(reference, case)
    calibrator = fit_calibrator(reference, case.calibration, stakes)
    switch_stakes = reference_stakes(reference, case, switched=True)
    switch = fit_calibrator(reference, case.calibration, switch_stakes)
    spread = current_spread(
        con, case, reference, calibrator, stakes, now, switch=(switch, switch_stakes)
    )
    return replace(plan_days(con, case, days, calibrator, bins), spread=spread, switch=switch)


def plan_days(
    con: duckdb.DuckDBPyConnection,
    case: BusinessCase,
    days: list[dt.date],
    calibrator: Calibrator,
    bins: list[ColumnBins],
    rows_per_unit: int = ROWS_PER_UNIT,
) -> AggregationPlan:
    """A plan for `days` with the given calibration and bins."""
    ordered = sorted(set(days))
    if not ordered:
        return AggregationPlan(days=[], units=[], calibrator=calibrator, bins=bins)
    query = load_sql("measures/aggregate/day_counts", schema=case.name)
    counts = {row[0]: int(row[1]) for row in run(con, query, {"days": ordered, "model": case.name})}
    units = cut_units(ordered, counts, rows_per_unit)
    return AggregationPlan(ordered, units, calibrator, bins, batch_rows=rows_per_unit)


def cut_units(
    days: list[dt.date], rows_per_day: dict[dt.date, int], limit: int = ROWS_PER_UNIT
) -> list[AggregationUnit]:
    """Consecutive days packed into units of at most `limit` rows and `DAYS_PER_UNIT` days;
    a day above the limit is a unit of its own."""
    units: list[AggregationUnit] = []
    pending: list[dt.date] = []
    pending_rows = 0
    for day in days:
        rows = rows_per_day.get(day, 0)
        if pending and (pending_rows + rows > limit or len(pending) == DAYS_PER_UNIT):
            units.append(AggregationUnit(tuple(pending)))
            pending, pending_rows = [], 0
        pending.append(day)
        pending_rows += rows
    if pending:
        units.append(AggregationUnit(tuple(pending)))
    return units


def reference_stakes(
    reference: pl.DataFrame, case: BusinessCase, switched: bool = False
) -> np.ndarray | None:
    """Per reference row, what its outcome is worth: |value if positive - value if negative|
    given its decision (currency); `switched`: what it is worth to a switch of the decision,
    |TP - FP - FN + TN|, whatever was decided (the weights of the calibration a decision
    curve values switches with). None when the reference lacks the value rules' columns."""
    if not case.value.columns() <= set(reference.columns):
        return None
    rows = reference
    if "model_version" not in rows.columns:
        rows = rows.with_columns(pl.lit(None, pl.String).alias("model_version"))
    valued = valued_predictions(rows, case, Calibrator(pooled=IDENTITY))
    stake = (
        pl.col("value_tp") - pl.col("value_fp") - pl.col("value_fn") + pl.col("value_tn")
        if switched
        else pl.col("value_if_positive") - pl.col("value_if_negative")
    )
    stakes: np.ndarray = valued.select(stake.abs()).to_series().to_numpy()
    return stakes


def stale_days(con: duckdb.DuckDBPyConnection, model: str) -> list[dt.date]:
    """Days of the model whose aggregates are out of date, in order."""
    return [row[0] for row in run(con, load_sql("measures/aggregate/stale_days"), {"model": model})]


def read_unit(
    con: duckdb.DuckDBPyConnection,
    case: BusinessCase,
    unit: AggregationUnit,
    batch_rows: int = ROWS_PER_UNIT,
) -> Generator[pl.DataFrame, None, None]:
    """The unit's prediction rows, each with its outcome when known, in batches of at most
    `batch_rows` rows (streamed: the whole unit is never in memory at once)."""
    with _outcomes_as_build_side(con), archived_rows(con, case.name, unit.days[0], unit.days[-1]):
        reader = con.sql(
            load_sql("measures/aggregate/rows_for_days", schema=case.name),
            params={"days": list(unit.days), "first_day": unit.days[0], "last_day": unit.days[-1]},
        ).to_arrow_reader(batch_rows)
        try:
            empty = True
            for batch in reader:
                empty = False
                yield _frame(batch)
            if empty:  # still one (empty) batch, with the columns
                yield _frame(reader.schema.empty_table())
        finally:
            reader.close()  # the connection takes no statement while a result is open


@contextmanager
def _outcomes_as_build_side(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Keep a LEFT JOIN's hash table on its right side (outcomes: ids and labels). DuckDB
    otherwise puts it on the side it expects to be smaller: from a day's share of the rows it
    expected 99,000 predictions of a 10M-row day, and hashed every prediction with all its
    columns (6.0 s, against 3.2 s)."""
    run(con, load_sql("measures/aggregate/join_outcomes_as_build_side"))
    try:
        yield
    finally:
        run(con, load_sql("measures/aggregate/join_sides_by_estimate"))


def _frame(arrow: Any) -> pl.DataFrame:
    rows = pl.from_arrow(arrow)
    assert isinstance(rows, pl.DataFrame)
    return rows


def aggregate_unit(
    batches: Iterable[pl.DataFrame], case: BusinessCase, plan: AggregationPlan
) -> UnitAggregates:
    """A unit's metrics and profiles, summed over its batches (pure: no warehouse)."""
    parts = []
    for rows in batches:
        measured = measure(rows, case, plan.calibrator, plan.errors, plan.classes)
        parts.append(
            UnitAggregates(
                summarize(measured, case),
                profile(measured, plan.bins),
                rows.height,
                stake_sums(measured, case, plan.spread),
                confusion_sums(measured, case) if case.is_multiclass else _no_confusion(),
                curve_sums(measured, case, plan.spread, plan.switch),
                arrival_sums(measured, case),
            )
        )
    return merge(parts)


def merge(parts: list[UnitAggregates], disjoint: bool = False) -> UnitAggregates:
    """Sums of several parts (at least one) as one: every measure is a sum. Parts over
    `disjoint` days (whole-day units), or a single part, are already summed: they are stacked,
    not grouped again (for 335 days of profiles that grouping cost 1.2 s)."""
    metrics = pl.concat([part.metrics for part in parts], how="vertical_relaxed")
    profiles = pl.concat(
        [pl.DataFrame(schema=PROFILE_SCHEMA), *(part.profiles for part in parts)],
        how="vertical_relaxed",
    )
    stakes = pl.concat(
        [pl.DataFrame(schema=STAKES_SCHEMA), *(part.stakes for part in parts)],
        how="vertical_relaxed",
    )
    confusion = pl.concat([_no_confusion(), *(part.confusion for part in parts)])
    curve = pl.concat([pl.DataFrame(schema=CURVE_SCHEMA), *(part.curve for part in parts)])
    arrivals = pl.concat([pl.DataFrame(schema=ARRIVALS_SCHEMA), *(part.arrivals for part in parts)])
    if len(parts) > 1 and not disjoint:
        metrics = metrics.group_by(GRAIN).agg(pl.col(MEASURES).sum())
        confusion = confusion.group_by(CONFUSION_GRAIN).agg(
            pl.col("predictions", "realized_value", "value_if_right").sum()
        )
        sums = [name for name in PROFILE_SCHEMA if name not in PROFILE_KEYS]
        profiles = profiles.group_by(PROFILE_KEYS).agg(pl.col(sums).sum())
        stakes = stakes.group_by(STAKE_GRAIN).agg(pl.col(STAKES).sum())
        curve = curve.group_by(CURVE_GRAIN).agg(pl.col(CURVE_SUMS).sum())
        arrivals = arrivals.group_by(ARRIVAL_GRAIN).agg(pl.col("outcomes").sum())
    return UnitAggregates(
        metrics.select(GRAIN + MEASURES).sort(GRAIN),
        profiles.select(list(PROFILE_SCHEMA)),
        sum(part.rows for part in parts),
        stakes.select(list(STAKES_SCHEMA)),
        confusion.select(list(CONFUSION_SCHEMA)),
        curve.select(list(CURVE_SCHEMA)),
        arrivals.select(list(ARRIVALS_SCHEMA)),
    )


def _no_confusion() -> pl.DataFrame:
    return pl.DataFrame(schema=CONFUSION_SCHEMA)


def write_aggregates(
    con: duckdb.DuckDBPyConnection,
    case: BusinessCase,
    plan: AggregationPlan,
    results: list[UnitAggregates],
) -> AggregateSummary:
    """The units' sums merged, replacing the plan's days in `metrics_daily` and
    `profiles_daily`, and the days no longer stale, in one transaction."""
    if not plan.days:
        return AggregateSummary(days=0, rows=0, first_day=None, last_day=None)
    days = [day for unit in plan.units for day in unit.days]
    merged = merge(results, disjoint=len(days) == len(set(days)))
    _write(con, case.name, plan.days, merged)
    return AggregateSummary(
        days=len(plan.days),
        rows=merged.rows,
        first_day=plan.days[0],
        last_day=plan.days[-1],
    )


def describe_unit(unit: AggregationUnit) -> str:
    """The unit's days, for progress lines."""
    return f"{unit.days[0]} to {unit.days[-1]}" if len(unit.days) > 1 else str(unit.days[0])


def _write(
    con: duckdb.DuckDBPyConnection,
    model: str,
    days: list[dt.date],
    sums: UnitAggregates,
) -> None:
    """A chunk's sums (metrics, profiles, stakes, confusion, decision curve, arrivals) replace
    the old ones, and the days stop being stale, in one transaction."""
    keys = {"model": model, "days": days}
    con.register("daily_metrics", sums.metrics)
    con.register("daily_profiles", sums.profiles)
    con.register("daily_stakes", sums.stakes)
    con.register("daily_confusion", sums.confusion)
    con.register("daily_curve", sums.curve)
    con.register("daily_arrivals", sums.arrivals)
    try:
        with transaction(con):
            run(con, load_sql("measures/aggregate/metrics_replace"), keys)
            run(con, load_sql("measures/aggregate/metrics_insert"), {"model": model})
            run(con, load_sql("measures/aggregate/profiles_replace"), keys)
            run(con, load_sql("measures/aggregate/profiles_insert"), {"model": model})
            run(con, load_sql("measures/aggregate/stakes_replace"), keys)
            run(con, load_sql("measures/aggregate/stakes_insert"), {"model": model})
            run(con, load_sql("measures/aggregate/confusion_replace"), keys)
            run(con, load_sql("measures/aggregate/confusion_insert"), {"model": model})
            run(con, load_sql("measures/aggregate/curve_replace"), keys)
            run(con, load_sql("measures/aggregate/curve_insert"), {"model": model})
            run(con, load_sql("measures/aggregate/arrivals_replace"), keys)
            run(con, load_sql("measures/aggregate/arrivals_insert"), {"model": model})
            run(con, load_sql("measures/aggregate/stale_days_clear"), keys)
    finally:
        for name in (
            "daily_metrics",
            "daily_profiles",
            "daily_stakes",
            "daily_confusion",
            "daily_curve",
            "daily_arrivals",
        ):
            con.unregister(name)
