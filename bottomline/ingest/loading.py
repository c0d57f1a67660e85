"""Writing validated rows: a group of units (files, or batches of database rows) in one
transaction.

Each unit is written together with its rows set aside, its ledger row, the days it makes stale
and, for a database source, the watermark it reaches; a group's units go with the results of
the checks that validated them: a run killed at any point leaves every group wholly loaded,
with its results, or not at all. Rows are upserted by prediction id; a row replaced by a later
unit's row is kept in quarantine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import duckdb
import polars as pl

from bottomline.case.config import BusinessCase
from bottomline.ingest.normalize import Standardized
from bottomline.ingest.postgres import Watermark
from bottomline.ingest.sources import SourceError
from bottomline.ingest.stored_ids import Kind as Kind
from bottomline.ingest.stored_ids import StoredIds, lookup_stored_ids
from bottomline.sqlfiles import load_sql
from bottomline.validation.batch import (
    BatchContext,
    SplitRows,
    Validator,
    check_outcomes,
    check_predictions,
    run_rules,
    split_files,
)
from bottomline.validation.gx_runner import RuleResult
from bottomline.validation.results import store_results
from bottomline.warehouse import add_missing_columns, first_row, run, transaction

Progress = Callable[[str], None]


@dataclass
class IngestSummary:
    """What one ingest of one kind of source did (rows are source data rows)."""

    kind: Kind
    files_found: int = 0
    files_loaded: int = 0
    files_unchanged: int = 0
    files_moved: int = 0  # known bytes under a new path: the ledger and rows follow the file
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_replaced: int = 0  # earlier rows of the same ids, replaced and kept in quarantine
    errors: list[str] = field(default_factory=list)  # files that could not be used, and why
    notes: list[str] = field(default_factory=list)  # files that were fine but worth a word


@dataclass(frozen=True)
class IngestContext:
    case: BusinessCase
    run_id: str
    now: dt.datetime  # UTC, naive
    as_of: dt.date | None = None  # last day the run reports
    period_start: dt.date | None = None  # first day it reports
    dsns: Mapping[str, str] = field(default_factory=dict)  # database sources: env name -> DSN
    checks_arrival: bool = True  # nightly runs: did files arrive since the last success?


@dataclass(frozen=True)
class LoadUnit:
    """What is written in one transaction: a file, or a unit of rows from a database."""

    path: str  # the file's path, or the database unit's name
    size: int  # bytes of a file; rows of a database unit
    mtime_ns: int  # 0 for a database unit
    content_hash: str
    watermark: tuple[str, Watermark] | None = None  # a database unit: its source and end
    etag: str | None = None  # an object's (see bottomline.ingest.object_store)


WrittenRows = tuple[int, int, int] | None  # loaded, set aside, rows replaced; None: not stored


def load_group(
    con: duckdb.DuckDBPyConnection,
    context: IngestContext,
    batch: BatchContext,
    kind: Kind,
    group: list[tuple[LoadUnit, Standardized]],
    validator: Validator,
    summary: IngestSummary,
    progress: Progress,
) -> list[RuleResult]:
    """Validate a group of units at once and write them, with the group's check results, in
    one transaction: a run killed at any point leaves the group and its results wholly stored
    or not at all, so the re-run's report counts the same checks as one clean run. GX runs on
    its own thread while the units are written: which rows load is decided by the rules
    themselves (`split_files`), GX only reports, so the two need not wait for each other."""
    files = [item[1] for item in group]
    stored = lookup_stored_ids(con, context.case.name, kind, files)
    checked = (
        check_predictions(files, batch, stored.known)
        if kind == "predictions"
        else check_outcomes(files, batch, stored.known, stored.every_id_known)
    )
    units = [
        (unit, standardized, part)
        for (unit, standardized), part in zip(group, split_files(checked), strict=True)
    ]
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="gx") as gx:
        checking = gx.submit(run_rules, checked, validator)
        try:
            with transaction(con):
                written: list[WrittenRows] = [
                    _write_unit(con, context, kind, unit, part, stored) for unit, _, part in units
                ]
                results = checking.result()
                store_results(con, context.case.name, context.run_id, context.now, results)
        except SourceError:
            if any(unit.watermark is not None for unit, _, _ in units):
                raise  # a database source must not read past rows it could not store
            results = checking.result()
            written = _write_one_by_one(con, context, kind, units, stored, results, summary)
    for (_, standardized, _), counts in zip(units, written, strict=True):
        _count(summary, standardized, counts)
    progress(
        f"{kind}: {summary.rows_loaded:,} rows loaded, {summary.rows_quarantined:,} set "
        f"aside, {len(summary.errors)} file(s) not readable"
    )
    return results


def _write_one_by_one(
    con: duckdb.DuckDBPyConnection,
    context: IngestContext,
    kind: Kind,
    units: list[tuple[LoadUnit, Standardized, SplitRows]],
    stored: StoredIds,
    results: list[RuleResult],
    summary: IngestSummary,
) -> list[WrittenRows]:
    """After a file of the group could not be stored (its columns do not fit the types
    already stored): each file in its own transaction, the one that fails named in the
    summary; the group's results go with the first file written (or alone, if none is)."""
    written: list[WrittenRows] = []
    unstored = results
    for unit, _, part in units:
        try:
            with transaction(con):
                written.append(_write_unit(con, context, kind, unit, part, stored))
                store_results(con, context.case.name, context.run_id, context.now, unstored)
                unstored = []
        except SourceError as error:
            summary.errors.append(str(error))
            written.append(None)
    if unstored:
        with transaction(con):
            store_results(con, context.case.name, context.run_id, context.now, unstored)
    return written


def _count(summary: IngestSummary, standardized: Standardized, written: WrittenRows) -> None:
    """Count a stored unit in the summary (one that could not be stored is named there)."""
    if written is None:
        return
    summary.files_loaded += 1
    summary.rows_read += standardized.rows.height + standardized.unreadable.height
    summary.rows_loaded += written[0]
    summary.rows_quarantined += written[1]
    summary.rows_replaced += written[2]


def _write_unit(
    con: duckdb.DuckDBPyConnection,
    context: IngestContext,
    kind: Kind,
    unit: LoadUnit,
    validated: SplitRows,
    stored: StoredIds,
) -> tuple[int, int, int]:
    """One unit's rows and rows set aside, with its ledger row (and a database source's
    watermark), inside the caller's transaction; returns how many rows were loaded, set aside,
    and earlier rows replaced. Raises SourceError when the rows do not fit the stored types."""
    model, path = context.case.name, unit.path
    rows, rejected = validated.rows, validated.rejected  # the unit's own: see split_files
    stamp = {"path": path, "run_id": context.run_id, "now": context.now}
    id_column = (context.case.predictions if kind == "predictions" else context.case.outcomes).id
    keys = {"model": model, "kind": kind, "path": path}
    if kind == "outcomes":  # with their prediction's day, in day order (see create_schema)
        assert stored.prediction_of is not None  # an outcome group's lookup always finds it
        rows = with_prediction_day(rows, stored.prediction_of)
    con.register("batch", rows)
    con.register("rejected", rejected)
    try:
        if kind == "predictions":
            add_missing_columns(con, model, "predictions", "batch", context.case.kept_columns())
        replaced = _replace_stored(con, context, kind, rows, path, id_column, stored)
        run(con, load_sql(f"ingest/{kind}_insert", schema=model), stamp)
        if kind == "predictions":  # outcomes stored first, or of a prediction that moved day
            days_of_outcomes = "attach" if stored.all_new else "follow"
            run(con, load_sql(f"ingest/outcome_days_{days_of_outcomes}", schema=model))
        run(con, load_sql("ingest/quarantine_insert", schema=model), {**stamp, "kind": kind})
        run(con, load_sql("ingest/ledger_forget"), keys)
        run(
            con,
            load_sql("ingest/ledger_record"),
            {
                **keys,
                "size": unit.size,
                "mtime_ns": unit.mtime_ns,
                "content_hash": unit.content_hash,
                "etag": unit.etag,
                "rows_read": rows.height + rejected.height,
                "rows_loaded": rows.height,
                "rows_quarantined": rejected.height,
                "run_id": context.run_id,
                "now": context.now,
            },
        )
        if unit.watermark is not None:
            _record_watermark(con, context, kind, *unit.watermark)
    except duckdb.ConversionException as error:
        raise SourceError(
            path, f"a column does not fit the type already stored: {error}"
        ) from error
    finally:
        con.unregister("batch")
        con.unregister("rejected")
    return rows.height, rejected.height, replaced


def with_prediction_day(rows: pl.DataFrame, prediction_of: pl.DataFrame) -> pl.DataFrame:
    """Outcome rows with the day of their stored prediction (`prediction_of`: prediction_id,
    day; null where none is stored), sorted by it."""
    joined = rows.join(prediction_of, on="prediction_id", how="left")
    return joined.sort("day", nulls_last=True, maintain_order=True)


def _stored_before(con: duckdb.DuckDBPyConnection, model: str, kind: Kind, path: str) -> bool:
    query = load_sql("ingest/path_stored", schema=model, table=kind)
    found = first_row(con, query, {"kind": kind, "path": path})
    return bool(found and found[0])


def _replace_stored(
    con: duckdb.DuckDBPyConnection,
    context: IngestContext,
    kind: Kind,
    rows: pl.DataFrame,
    path: str,
    id_column: str,
    stored: StoredIds,
) -> int:
    """Before a unit's rows go in: mark the days they change stale, keep the stored rows they
    replace in quarantine and delete them; returns how many rows of other units they replace.
    When no stored row shares an id with the group and the unit was never stored before, there
    is nothing to replace, and the days come from the rows (or the group's lookup) without
    searching the stored rows again."""
    model = context.case.name
    if stored.all_new and not _stored_before(con, model, kind, path):
        days = rows.select("day").unique() if kind == "predictions" else stored.prediction_days
        con.register("batch_days", days)
        try:
            run(con, load_sql("ingest/batch_days_mark_stale"), {"model": model})
        finally:
            con.unregister("batch_days")
        return 0
    stamp = {"path": path, "run_id": context.run_id, "now": context.now}
    run(con, load_sql(f"ingest/{kind}_mark_stale", schema=model), {"model": model, "path": path})
    run(con, load_sql("ingest/quarantine_replace", schema=model), {"kind": kind, "path": path})
    replaced = run(
        con, load_sql(f"ingest/{kind}_supersede", schema=model), {**stamp, "id_column": id_column}
    )
    if kind == "predictions":
        run(con, load_sql("ingest/outcome_days_forget", schema=model), {"path": path})
    run(con, load_sql(f"ingest/{kind}_replace", schema=model), {"path": path})
    return int(replaced[0][0]) if replaced else 0


def _record_watermark(
    con: duckdb.DuckDBPyConnection,
    context: IngestContext,
    kind: Kind,
    source: str,
    watermark: Watermark,
) -> None:
    run(
        con,
        load_sql("ingest/watermark_record"),
        {
            "model": context.case.name,
            "kind": kind,
            "source": source,
            "watermark": watermark.value,
            "watermark_type": watermark.type_name,
            "run_id": context.run_id,
            "now": context.now,
        },
    )


def stored_watermark(
    con: duckdb.DuckDBPyConnection, model: str, kind: Kind, source: str
) -> Watermark | None:
    """How far a database source has been read, if at all."""
    row = first_row(
        con, load_sql("ingest/watermark_lookup"), {"model": model, "kind": kind, "source": source}
    )
    return None if row is None else Watermark(value=row[0], type_name=row[1])
