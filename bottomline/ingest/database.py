"""Loading a PostgreSQL source: unit after unit past the stored watermark (see
`bottomline.ingest.postgres`), each validated and written with its watermark in one transaction.

A lost connection raises `DatabaseUnavailableError` for the caller to retry; what was committed
stays, and the retry resumes after it. A unit that cannot be stored (a missing column, a type
that does not fit) stops the source, so no later unit can move the watermark past it.
"""

from __future__ import annotations

import duckdb
import polars as pl

from bottomline.ingest.loading import (
    IngestContext,
    IngestSummary,
    Kind,
    LoadUnit,
    Progress,
    load_group,
    stored_watermark,
)
from bottomline.ingest.normalize import standardize_outcomes, standardize_predictions
from bottomline.ingest.postgres import DatabaseUnit, PostgresReader, source_key
from bottomline.ingest.sources import UNREADABLE_SCHEMA, SourceError, SourceRead
from bottomline.validation.batch import BatchContext, Validator
from bottomline.validation.gx_runner import RuleResult
from bottomline.validation.profile import Kind as ColumnKind


def ingest_database(
    con: duckdb.DuckDBPyConnection,
    context: IngestContext,
    batch: BatchContext,
    kind: Kind,
    kinds: dict[str, ColumnKind],
    validator: Validator,
    progress: Progress,
) -> tuple[IngestSummary, list[RuleResult]]:
    """Load the rows of a model's database source that arrived after its watermark."""
    case = context.case
    spec = case.predictions if kind == "predictions" else case.outcomes
    source, watermark = spec.source.postgres, spec.watermark
    assert source is not None
    assert watermark is not None
    summary = IngestSummary(kind=kind)
    dsn = context.dsns.get(source.dsn_env)
    if not dsn:
        summary.errors.append(f"{spec.source.describe()}: ${source.dsn_env} is not set")
        return summary, []
    reader = PostgresReader(source, dsn, watermark)
    key = source_key(source, watermark)
    results: list[RuleResult] = []
    try:
        without = reader.rows_without_watermark()
        if without:
            summary.errors.append(
                f"{spec.source.describe()}: {without:,} rows have no {watermark} and cannot "
                "be read incrementally; give them one"
            )
        for unit in reader.units(stored_watermark(con, case.name, kind, key)):
            summary.files_found += 1
            load_unit = LoadUnit(
                path=unit.name,
                size=unit.rows.height,
                mtime_ns=0,
                content_hash=unit.content_hash(),
                watermark=(key, unit.high),
            )
            results += _load_unit(
                con, context, batch, (kind, kinds), validator, summary, (unit, load_unit)
            )
            progress(
                f"{kind}: {summary.files_loaded:,} unit(s), {summary.rows_read:,} rows read "
                f"from {source.relation} up to {watermark} {unit.high.value}"
            )
    except SourceError as error:
        summary.errors.append(f"{error}; nothing after it was read")
    return summary, results


def _load_unit(
    con: duckdb.DuckDBPyConnection,
    context: IngestContext,
    batch: BatchContext,
    kinds: tuple[Kind, dict[str, ColumnKind]],
    validator: Validator,
    summary: IngestSummary,
    units: tuple[DatabaseUnit, LoadUnit],
) -> list[RuleResult]:
    (kind, column_kinds), (unit, load_unit) = kinds, units
    read = SourceRead(unit.rows, pl.DataFrame(schema=UNREADABLE_SCHEMA))
    standardized = (
        standardize_predictions(read, context.case, unit.name, column_kinds)
        if kind == "predictions"
        else standardize_outcomes(read, context.case, unit.name)
    )
    return load_group(
        con, context, batch, kind, [(load_unit, standardized)], validator, summary, lambda _: None
    )
