"""Incremental, idempotent loading of a model's source files into the warehouse.

A ledger (`ingested_files`) remembers each file by path, size, mtime and content hash, so a
file is read once. Each file is loaded in one transaction together with its quarantined rows,
its ledger row and the days it makes stale: a run killed at any point leaves every file either
wholly loaded or not at all, and the next run picks up where it stopped. Rows are upserted by
prediction id; outcomes are stored as they come and matched to predictions by id whenever
both are in, in whichever order they arrive.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import duckdb

from bottomline.config import BusinessCase
from bottomline.normalize import Normalized, normalize_outcomes, normalize_predictions
from bottomline.sources import SourceError, SourceFile, content_hash, list_files, read_file
from bottomline.sqlfiles import load_sql
from bottomline.warehouse import (
    add_missing_columns,
    ensure_model_schema,
    first_row,
    run,
    transaction,
)

Kind = Literal["predictions", "outcomes"]
Progress = Callable[[str], None]


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
    errors: list[str] = field(default_factory=list)  # files that could not be used, and why


def file_errors(summaries: list[IngestSummary]) -> list[str]:
    """Every problem with a source file, across kinds."""
    return [error for summary in summaries for error in summary.errors]


@dataclass(frozen=True)
class IngestContext:
    case: BusinessCase
    run_id: str
    now: dt.datetime  # UTC, naive


def ingest_model(
    con: duckdb.DuckDBPyConnection,
    context: IngestContext,
    progress: Progress = lambda message: None,
) -> list[IngestSummary]:
    """Load new prediction files, then new outcome files, of one model."""
    ensure_model_schema(con, context.case.name)
    return [ingest_kind(con, context, kind, progress) for kind in ("predictions", "outcomes")]


def ingest_kind(
    con: duckdb.DuckDBPyConnection, context: IngestContext, kind: Kind, progress: Progress
) -> IngestSummary:
    case = context.case
    spec = case.predictions if kind == "predictions" else case.outcomes
    files = list_files(spec.source.pattern, case.base_dir)
    summary = IngestSummary(kind=kind, files_found=len(files))
    if not files:
        summary.errors.append(
            f"no {kind} files match {spec.source.pattern!r} (read from {case.base_dir})"
        )
    for number, source in enumerate(files, start=1):
        try:
            loaded = _ingest_file(con, context, kind, source)
        except SourceError as error:
            summary.errors.append(str(error))
            progress(f"{kind} file {number}/{len(files)} not loaded: {error}")
            continue
        if loaded is None:
            summary.files_unchanged += 1
            continue
        summary.files_loaded += 1
        summary.rows_read += loaded.rows_read
        summary.rows_loaded += loaded.rows.height
        summary.rows_quarantined += loaded.quarantined.height
        if _worth_reporting(number, len(files)):
            progress(
                f"{kind}: {number}/{len(files)} files read, {summary.rows_loaded:,} rows "
                f"loaded, {summary.rows_quarantined:,} set aside"
            )
    return summary


def _worth_reporting(number: int, total: int) -> bool:
    """About ten progress lines per source, however many files it has."""
    step = max(1, total // 10)
    return number == total or number % step == 0


def _ingest_file(
    con: duckdb.DuckDBPyConnection, context: IngestContext, kind: Kind, source: SourceFile
) -> Normalized | None:
    """Load one file unless the ledger has it; None when it was already in."""
    path = str(source.path)
    keys = {"model": context.case.name, "kind": kind, "path": path}
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
    raw = read_file(source.path)
    if kind == "predictions":
        normalized = normalize_predictions(raw, context.case, path)
    else:
        normalized = normalize_outcomes(raw, context.case, path)
    _write(con, context, kind, source, digest, normalized)
    return normalized


def _write(
    con: duckdb.DuckDBPyConnection,
    context: IngestContext,
    kind: Kind,
    source: SourceFile,
    digest: str,
    normalized: Normalized,
) -> None:
    model, path = context.case.name, str(source.path)
    stamp = {"path": path, "run_id": context.run_id, "now": context.now}
    con.register("batch", normalized.rows)
    con.register("rejected", normalized.quarantined)
    try:
        if kind == "predictions":
            add_missing_columns(con, model, "predictions", "batch", context.case.kept_columns())
        with transaction(con):
            run(
                con,
                load_sql(f"ingest/{kind}_mark_stale", schema=model),
                {"model": model, "path": path},
            )
            run(con, load_sql(f"ingest/{kind}_replace", schema=model), {"path": path})
            run(con, load_sql(f"ingest/{kind}_insert", schema=model), stamp)
            run(
                con,
                load_sql("ingest/quarantine_replace", schema=model),
                {"kind": kind, "path": path},
            )
            run(con, load_sql("ingest/quarantine_insert", schema=model), {**stamp, "kind": kind})
            keys = {"model": model, "kind": kind, "path": path}
            run(con, load_sql("ingest/ledger_forget"), keys)
            run(
                con,
                load_sql("ingest/ledger_record"),
                {
                    **keys,
                    "size": source.size,
                    "mtime_ns": source.mtime_ns,
                    "content_hash": digest,
                    "rows_read": normalized.rows_read,
                    "rows_loaded": normalized.rows.height,
                    "rows_quarantined": normalized.quarantined.height,
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
