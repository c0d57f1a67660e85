"""Incremental, idempotent, validated loading of a model's source files into the warehouse.

A ledger (`ingested_files`) remembers each file by path, size, mtime and content hash, so a
file is read once (and again only when its bytes change). New files are read in groups of up
to `GROUP_ROWS` rows; each group is validated at once (`bottomline.validation`), then each
file is written in one transaction together with its rows set aside, its ledger row and the
days it makes stale: a run killed at any point leaves every file wholly loaded or not at all.
Rows are upserted by prediction id; a row replaced by a later file's row is kept in quarantine.
Outcomes are matched to predictions by id whenever both are in, in whichever order they came.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import duckdb
import polars as pl

from bottomline.config import BusinessCase
from bottomline.normalize import Standardized, standardize_outcomes, standardize_predictions
from bottomline.reference import ReferenceError, load_reference
from bottomline.sources import SourceError, SourceFile, content_hash, list_files, read_file
from bottomline.sqlfiles import load_sql
from bottomline.validation.batch import (
    BatchContext,
    ValidatedBatch,
    Validator,
    validate_outcomes,
    validate_predictions,
)
from bottomline.validation.derive import daily_volume
from bottomline.validation.gx_runner import RuleResult
from bottomline.validation.profile import Kind as ColumnKind
from bottomline.validation.profile import column_kinds, profile_reference
from bottomline.validation.results import store_results
from bottomline.validation.rules import arrival_rule, volume_rules
from bottomline.warehouse import (
    add_missing_columns,
    ensure_model_schema,
    first_row,
    run,
    transaction,
)

Kind = Literal["predictions", "outcomes"]
Progress = Callable[[str], None]
GROUP_ROWS = 2_000_000  # rows validated together, at most (plus one file)
VOLUME_HISTORY_DAYS = 28


@dataclass
class IngestSummary:
    """What one ingest of one kind of source did (rows are source data rows)."""

    kind: Kind
    files_found: int = 0
    files_loaded: int = 0
    files_unchanged: int = 0
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


@dataclass
class IngestReport:
    summaries: list[IngestSummary]
    results: list[RuleResult]
    notes: list[str] = field(default_factory=list)


def file_errors(summaries: list[IngestSummary]) -> list[str]:
    """Every problem with a source file, across kinds."""
    return [error for summary in summaries for error in summary.errors]


def ingest_model(
    con: duckdb.DuckDBPyConnection,
    context: IngestContext,
    validator: Validator,
    progress: Progress = lambda message: None,
) -> IngestReport:
    """Load new prediction files, then new outcome files, of one model, validating each group;
    then check the period's daily volume. Stores every rule's result in validation_results."""
    case = context.case
    ensure_model_schema(con, case.name)
    batch_context, kinds, notes = _batch_context(con, context)
    report = IngestReport(summaries=[], results=[], notes=notes)
    for kind in ("predictions", "outcomes"):
        summary, results = _ingest_kind(
            con, context, batch_context, kind, kinds, validator, progress
        )
        report.summaries.append(summary)
        report.results += results
    if context.as_of and context.period_start:
        report.results += _check_volume(con, context, validator)
    store_results(con, case.name, context.run_id, context.now, report.results)
    return report


def _batch_context(
    con: duckdb.DuckDBPyConnection,
    context: IngestContext,
) -> tuple[BatchContext, dict[str, ColumnKind], list[str]]:
    """The reference's profile (for warnings) and the kept columns' types."""
    case = context.case
    try:
        reference = load_reference(case, con)
    except (ReferenceError, SourceError) as error:
        note = f"reference unavailable, so inputs were not compared with it: {error}"
        return (
            BatchContext(case, context.now, context.as_of, None),
            column_kinds(case, None),
            [note],
        )
    profile = profile_reference(reference, case)
    return (
        BatchContext(case, context.now, context.as_of, profile),
        column_kinds(case, reference.schema),
        [],
    )


def _ingest_kind(
    con: duckdb.DuckDBPyConnection,
    context: IngestContext,
    batch: BatchContext,
    kind: Kind,
    kinds: dict[str, ColumnKind],
    validator: Validator,
    progress: Progress,
) -> tuple[IngestSummary, list[RuleResult]]:
    case = context.case
    spec = case.predictions if kind == "predictions" else case.outcomes
    files = list_files(spec.source.pattern, case.base_dir)
    summary = IngestSummary(kind=kind, files_found=len(files))
    if not files:
        summary.errors.append(
            f"no {kind} files match {spec.source.pattern!r} (read from {case.base_dir})"
        )
    group: list[tuple[SourceFile, str, Standardized]] = []
    results: list[RuleResult] = []
    for number, source in enumerate(files, start=1):
        digest = _changed_digest(con, case.name, kind, source)
        if digest is None:
            summary.files_unchanged += 1
            continue
        try:
            standardized = _standardize(source, case, kind, kinds)
        except SourceError as error:
            summary.errors.append(str(error))
            progress(f"{kind}: {source.path} not loaded: {error.problem}")
            continue
        if standardized.rows.height + standardized.unreadable.height == 0:
            summary.notes.append(f"{source.path}: the file has no rows")
        group.append((source, digest, standardized))
        if _worth_reporting(number, len(files)):
            progress(f"{kind}: {number}/{len(files)} files read")
        if sum(item[2].rows.height for item in group) >= GROUP_ROWS:
            results += _load_group(con, context, batch, kind, group, validator, summary, progress)
            group = []
    if group:
        results += _load_group(con, context, batch, kind, group, validator, summary, progress)
    if kind == "predictions":
        results += _check_arrival(con, context, validator)
    return summary, results


def _worth_reporting(number: int, total: int) -> bool:
    """About ten progress lines per source, however many files it has."""
    return number == total or number % max(1, total // 10) == 0


def _standardize(
    source: SourceFile, case: BusinessCase, kind: Kind, kinds: dict[str, ColumnKind]
) -> Standardized:
    read = read_file(source.path)
    if kind == "predictions":
        return standardize_predictions(read, case, str(source.path), kinds)
    return standardize_outcomes(read, case, str(source.path))


def _changed_digest(
    con: duckdb.DuckDBPyConnection, model: str, kind: Kind, source: SourceFile
) -> str | None:
    """The file's hash when it must be loaded; None when the ledger has this version."""
    keys = {"model": model, "kind": kind, "path": str(source.path)}
    known = first_row(con, load_sql("ingest/ledger_lookup"), keys)
    if known and (known[0], known[1]) == (source.size, source.mtime_ns):
        return None
    digest = content_hash(source.path)
    if known and known[2] == digest:
        run(
            con,
            load_sql("ingest/ledger_touch"),
            {**keys, "size": source.size, "mtime_ns": source.mtime_ns},
        )
        return None
    return digest


def _load_group(
    con: duckdb.DuckDBPyConnection,
    context: IngestContext,
    batch: BatchContext,
    kind: Kind,
    group: list[tuple[SourceFile, str, Standardized]],
    validator: Validator,
    summary: IngestSummary,
    progress: Progress,
) -> list[RuleResult]:
    files = [item[2] for item in group]
    known_ids = _lookup_ids(con, context.case.name, kind, files)
    validated = (
        validate_predictions(files, batch, known_ids, validator)
        if kind == "predictions"
        else validate_outcomes(files, batch, known_ids, validator)
    )
    for source, digest, standardized in group:
        try:
            written = _write_file(con, context, kind, source, digest, validated)
        except SourceError as error:
            summary.errors.append(str(error))
            continue
        summary.files_loaded += 1
        summary.rows_read += standardized.rows.height + standardized.unreadable.height
        summary.rows_loaded += written[0]
        summary.rows_quarantined += written[1]
        summary.rows_replaced += written[2]
    progress(
        f"{kind}: {summary.rows_loaded:,} rows loaded, {summary.rows_quarantined:,} set "
        f"aside, {len(summary.errors)} file(s) not readable"
    )
    return validated.results


def _lookup_ids(
    con: duckdb.DuckDBPyConnection, model: str, kind: Kind, files: list[Standardized]
) -> pl.Series:
    """Predictions: ids stored from other files. Outcomes: ids that have a prediction."""
    ids = pl.concat([file.rows.select("prediction_id") for file in files]).drop_nulls().unique()
    con.register("batch_ids", ids)
    con.register("batch_files", pl.DataFrame({"source_file": [f.source_file for f in files]}))
    try:
        name = "ids_loaded_elsewhere" if kind == "predictions" else "ids_with_prediction"
        rows = run(con, load_sql(f"ingest/{name}", schema=model))
    finally:
        con.unregister("batch_ids")
        con.unregister("batch_files")
    return pl.Series("prediction_id", [row[0] for row in rows], dtype=pl.String)


def _write_file(
    con: duckdb.DuckDBPyConnection,
    context: IngestContext,
    kind: Kind,
    source: SourceFile,
    digest: str,
    validated: ValidatedBatch,
) -> tuple[int, int, int]:
    """One file's rows and rows set aside, in one transaction; returns how many rows were
    loaded, set aside, and earlier rows replaced."""
    model, path = context.case.name, str(source.path)
    rows = validated.rows.filter(pl.col("source_file") == path).drop("source_file")
    rejected = validated.rejected.filter(pl.col("source_file") == path).drop("source_file")
    stamp = {"path": path, "run_id": context.run_id, "now": context.now}
    id_column = (context.case.predictions if kind == "predictions" else context.case.outcomes).id
    keys = {"model": model, "kind": kind, "path": path}
    con.register("batch", rows)
    con.register("rejected", rejected)
    try:
        if kind == "predictions":
            add_missing_columns(con, model, "predictions", "batch", context.case.kept_columns())
        with transaction(con):
            run(
                con,
                load_sql(f"ingest/{kind}_mark_stale", schema=model),
                {"model": model, "path": path},
            )
            run(
                con,
                load_sql("ingest/quarantine_replace", schema=model),
                {"kind": kind, "path": path},
            )
            replaced = run(
                con,
                load_sql(f"ingest/{kind}_supersede", schema=model),
                {**stamp, "id_column": id_column},
            )
            run(con, load_sql(f"ingest/{kind}_replace", schema=model), {"path": path})
            run(con, load_sql(f"ingest/{kind}_insert", schema=model), stamp)
            run(con, load_sql("ingest/quarantine_insert", schema=model), {**stamp, "kind": kind})
            run(con, load_sql("ingest/ledger_forget"), keys)
            run(
                con,
                load_sql("ingest/ledger_record"),
                {
                    **keys,
                    "size": source.size,
                    "mtime_ns": source.mtime_ns,
                    "content_hash": digest,
                    "rows_read": rows.height + rejected.height,
                    "rows_loaded": rows.height,
                    "rows_quarantined": rejected.height,
                    "run_id": context.run_id,
                    "now": context.now,
                },
            )
    except duckdb.ConversionException as error:
        raise SourceError(
            path, f"a column does not fit the type already stored: {error}"
        ) from error
    finally:
        con.unregister("batch")
        con.unregister("rejected")
    return rows.height, rejected.height, int(replaced[0][0]) if replaced else 0


def _check_arrival(
    con: duckdb.DuckDBPyConnection, context: IngestContext, validator: Validator
) -> list[RuleResult]:
    """Did prediction files arrive since the last successful run (this run or an interrupted
    attempt before it)?"""
    files = run(
        con,
        load_sql("validation/files_since_last_success"),
        {"model": context.case.name, "run_id": context.run_id},
    )
    arrived = pl.DataFrame({"path": [row[0] for row in files]}, schema={"path": pl.String})
    return validator.validate("predictions", [arrival_rule()], arrived)


def _check_volume(
    con: duckdb.DuckDBPyConnection, context: IngestContext, validator: Validator
) -> list[RuleResult]:
    """Days of the period without predictions, or with an unusual number of them."""
    assert context.as_of is not None
    assert context.period_start is not None
    counts = con.sql(
        load_sql("validation/daily_counts", schema=context.case.name),
        params={
            "first_day": context.period_start - dt.timedelta(days=VOLUME_HISTORY_DAYS),
            "last_day": context.as_of,
        },
    ).pl()
    volume = daily_volume(counts, context.period_start, context.as_of)
    return validator.validate("volume", volume_rules(), volume)
