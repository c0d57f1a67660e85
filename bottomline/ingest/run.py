"""Incremental, idempotent, validated loading of a model's sources into the warehouse.

A ledger (`ingested_files`) remembers each file by path, size, mtime and content hash, so a
file is read once (and again only when its bytes change). New files are read in groups of about
`GROUP_BYTES` of rows in memory (one wide file of predictions, or a night of narrow outcome
files: each group costs a search of the stored ids and a GX batch), the next file being read
while a group is written. Each group is validated at once (`bottomline.validation`), then each
file is written in one transaction together with its rows set aside, its ledger row and the
days it makes stale: a run killed at any point leaves every file wholly loaded or not at all.
Rows are upserted by prediction id; a row replaced by a later file's row is kept in quarantine.
Outcomes are matched to predictions by id whenever both are in, in whichever order they came.
Database sources are read by watermark instead (`bottomline.ingest.database`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import polars as pl

from bottomline.ingest.database import ingest_database
from bottomline.ingest.file_reads import (
    candidates,
    moved_candidates,
    read_ahead,
    read_rows,
    record_move,
    record_same_bytes,
)
from bottomline.ingest.loading import (
    IngestContext,
    IngestSummary,
    Kind,
    LoadUnit,
    Progress,
    load_group,
)
from bottomline.ingest.normalize import Standardized
from bottomline.ingest.reference import ReferenceError, load_reference
from bottomline.ingest.sources import SourceError, SourceFile, list_files
from bottomline.sqlfiles import load_sql
from bottomline.validation.batch import BatchContext, Validator
from bottomline.validation.derive import daily_volume
from bottomline.validation.gx_runner import RuleResult
from bottomline.validation.profile import Kind as ColumnKind
from bottomline.validation.profile import column_kinds, profile_reference
from bottomline.validation.results import store_results
from bottomline.validation.rules import arrival_rule, volume_rules
from bottomline.validation.run_checks import PolarsValidator
from bottomline.warehouse import ensure_model_schema, run

__all__ = ["IngestContext", "IngestReport", "IngestSummary", "file_errors", "ingest_model"]
GROUP_BYTES = 256 * 2**20  # rows validated together, in memory: at most this plus one file
VOLUME_HISTORY_DAYS = 28


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
    then check the period's daily volume (those two in Polars: `run_checks`). Every rule's
    result goes to validation_results: a group's with its rows (`load_group`), the run's own
    checks at the end (a killed run's re-run judges them again)."""
    case = context.case
    ensure_model_schema(con, case.name)
    batch_context, kinds, notes = _batch_context(con, context)
    report = IngestReport(summaries=[], results=[], notes=notes)
    for kind in ("predictions", "outcomes"):
        summary, results = _ingest_kind(
            con, context, batch_context, kind, kinds, validator, progress
        )
        if kind == "predictions" and context.checks_arrival:  # the run's own check
            results += _stored(con, context, _check_arrival(con, context))
        report.summaries.append(summary)
        report.results += results
    if context.as_of and context.period_start:
        report.results += _stored(con, context, _check_volume(con, context))
    return report


def _stored(
    con: duckdb.DuckDBPyConnection, context: IngestContext, results: list[RuleResult]
) -> list[RuleResult]:
    store_results(con, context.case.name, context.run_id, context.now, results)
    return results


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
    if spec.source.postgres is not None:
        return ingest_database(con, context, batch, kind, kinds, validator, progress)
    try:
        files = list_files(spec.source.pattern, case.base_dir, case.store_access(spec.source))
    except SourceError as error:  # an object store's listing: no permission, no bucket
        progress(f"{kind}: {error}")
        return IngestSummary(kind=kind, errors=[str(error)]), []
    summary = IngestSummary(kind=kind, files_found=len(files))
    if not files:
        summary.errors.append(
            f"no {kind} files match {spec.source.pattern!r} (read from {case.base_dir})"
        )
    group: list[tuple[LoadUnit, Standardized]] = []
    results: list[RuleResult] = []
    changed = candidates(con, case.name, kind, files, summary)
    moved = moved_candidates(con, case.name, kind, files)
    for candidate, read in read_ahead(changed, case, kind, kinds, moved):
        number, source, standardized = candidate.number, candidate.source, read.content
        if read.moved_from is not None:
            if record_move(con, case.name, kind, read.moved_from, source):
                summary.files_moved += 1
                continue
            standardized = read_rows(source, case, kind, kinds)  # a second copy: read it
        elif standardized is None:
            record_same_bytes(con, case.name, kind, source)
            summary.files_unchanged += 1
            continue
        if isinstance(standardized, SourceError):
            summary.errors.append(str(standardized))
            progress(f"{kind}: {source.location} not loaded: {standardized.problem}")
            continue
        if standardized.rows.height + standardized.unreadable.height == 0:
            summary.notes.append(f"{source.location}: the file has no rows")
        group.append((_file_unit(source, read.digest), standardized))
        if _worth_reporting(number, len(files)):
            progress(f"{kind}: {number}/{len(files)} files read")
        if sum(item[1].rows.estimated_size() for item in group) >= GROUP_BYTES:
            results += load_group(con, context, batch, kind, group, validator, summary, progress)
            group = []
    if group:
        results += load_group(con, context, batch, kind, group, validator, summary, progress)
    return summary, results


def _worth_reporting(number: int, total: int) -> bool:
    """About ten progress lines per source, however many files it has."""
    return number == total or number % max(1, total // 10) == 0


def _file_unit(source: SourceFile, digest: str) -> LoadUnit:
    return LoadUnit(source.location, source.size, source.mtime_ns, digest, etag=source.etag)


def _check_arrival(con: duckdb.DuckDBPyConnection, context: IngestContext) -> list[RuleResult]:
    """Did prediction files arrive since the last successful run (this run or an interrupted
    attempt before it)?"""
    files = run(
        con,
        load_sql("validation/files_since_last_success"),
        {"model": context.case.name, "run_id": context.run_id},
    )
    arrived = pl.DataFrame({"path": [row[0] for row in files]}, schema={"path": pl.String})
    return PolarsValidator().validate("predictions", [arrival_rule()], arrived)


def _check_volume(con: duckdb.DuckDBPyConnection, context: IngestContext) -> list[RuleResult]:
    """Days of the period without predictions, or with an unusual number of them."""
    assert context.as_of is not None
    assert context.period_start is not None
    counts = con.sql(
        load_sql("validation/daily_counts", schema=context.case.name),
        params={
            "first_day": context.period_start - dt.timedelta(days=VOLUME_HISTORY_DAYS),
            "last_day": context.as_of,
            "model": context.case.name,
        },
    ).pl()
    volume = daily_volume(counts, context.period_start, context.as_of)
    return PolarsValidator().validate("volume", volume_rules(), volume)
